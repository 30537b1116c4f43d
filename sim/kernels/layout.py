"""Column layout of the arrays the kernels share with the layers above (indices, not objects)."""

# tissue parameter vector (SI)
(E0, EXPONENT, DAMPING, MAX_STRAIN, G0, SHEAR_EXPONENT, SHEAR_DAMPING, PAD_BRANCH_FRACTION, PAD_RELAXATION_TIME,
 SHEAR_RETARDATION_TIME, FATIGUE_EXPONENT, FATIGUE_REFERENCE_STRAIN) = range(12)
N_TISSUE = 12

# beyond its barrier strain a layer is a linear spring this many times its tangent at the barrier
BARRIER_SLOPE = 50.0

# per-element layer stack between skin and ground (DESIGN 3.5). Barefoot: no sole (thickness 0),
# the skin-side interface is skin-ground and the ground-side friction is infinite.
(SOLE_THICKNESS, SKIN_GAP, SOLE_E0, SOLE_EXPONENT, SOLE_DAMPING, SOLE_SHEAR_MODULUS,
 MU_SKIN_STATIC, MU_SKIN_KINETIC, MU_GROUND_STATIC, MU_GROUND_KINETIC) = range(10)
N_STACK = 10

# per-element contact state: anchor (x, y) in the ground plane; bristle u (x, y); elastic pressure
# of the layer stack (the pad's alone when barefoot; in a shoe also the warm start of its solve);
# the pad's viscous strain (its Maxwell branch);
# the last step's pressure and tissue shear stress (ground frame, the stress on the skin); and the
# last step's depth and bone-point position (x, y), from which the work of the next step is taken; and
# the bristle's stiffness at the last step
(ANCHOR_X, ANCHOR_Y, U_X, U_Y, STACK_PRESSURE, PAD_VISCOUS_STRAIN, PRESSURE, TAU_X, TAU_Y, DEPTH, BONE_X,
 BONE_Y, BRISTLE_STIFFNESS) = range(13)
# then the rainflow count of the stick-phase shear strain (kernels/rainflow.py): the running extremum
# since the last turning point, its direction (+1, -1, 0), the number of turning points held and the
# turning points themselves
RF_CANDIDATE, RF_TREND, RF_COUNT, RF_STACK = 13, 14, 15, 16
RF_DEPTH = 8
N_STATE = RF_STACK + RF_DEPTH
IN_CONTACT, STICKING = range(2)
N_FLAGS = 2

# per-element records over a stance (DESIGN 3.3); per unit area or a stress/strain, except the
# deprecated per-element `friction_work_j`
RECORDS = (
    "peak_pressure_pa",
    "peak_shear_stress_pa",
    "peak_shear_dir_x",       # unit vector, foot frame: direction of the ground's traction on the skin
    "peak_shear_dir_y",
    "peak_shear_strain",
    "slip_distance_m",
    "skin_slip_distance_m",   # the part of the slip at the skin's own interface (skin-ground or skin-insole)
    "friction_work_j",        # deprecated: per element, so it shrinks with the mesh; use friction_work_j_m2
    "shear_time_integral_pa_s",
    "contact_time_s",
    "stick_slip_transitions",
    "friction_work_j_m2",
    "pressure_time_integral_pa_s",
    "tissue_work_j_m2",       # work done on the tissue column by the bone-side motion
    "compression_loss_j_m2",  # dissipated in compression: the pad's viscous branch, pad and sole damping
    "shear_damping_loss_j_m2",
    "stick_cycles",           # rainflow cycles of the stick-phase shear strain (half cycles count 1/2)
    "stick_strain_range",     # the largest of their ranges
    "fatigue_dose",           # sum over those cycles of n (range / gamma_ref)^m, per stance
)
(PEAK_PRESSURE, PEAK_SHEAR, PEAK_DIR_X, PEAK_DIR_Y, PEAK_STRAIN, SLIP, SKIN_SLIP, WORK, SHEAR_TIME, CONTACT_TIME,
 TRANSITIONS, WORK_PER_AREA, PRESSURE_TIME, TISSUE_WORK, COMPRESSION_LOSS, SHEAR_DAMPING_LOSS, STICK_CYCLES,
 STICK_STRAIN_RANGE, FATIGUE_DOSE) = range(len(RECORDS))
N_RECORDS = len(RECORDS)

# net load on the foot returned by a contact step
# offsets of 3-vectors in the ground frame: force, moment about the foot origin, moment about the
# ground origin; then the largest pad strain of the step (a guard against running through the pad)
FORCE, MOMENT_FOOT, MOMENT_GROUND, MAX_STRAIN_STEP = 0, 3, 6, 9
N_LOAD = 10
