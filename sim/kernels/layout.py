"""Column layout of the arrays the kernels share with the layers above (indices, not objects)."""

# tissue parameter vector (SI)
E0, EXPONENT, DAMPING, MAX_STRAIN, G0, SHEAR_EXPONENT, SHEAR_DAMPING = range(7)
N_TISSUE = 7

# per-element layer stack between skin and ground (DESIGN 3.5). Barefoot: no sole (thickness 0),
# the skin-side interface is skin-ground and the ground-side friction is infinite.
(SOLE_THICKNESS, SKIN_GAP, SOLE_E0, SOLE_EXPONENT, SOLE_DAMPING, SOLE_SHEAR_MODULUS,
 MU_SKIN_STATIC, MU_SKIN_KINETIC, MU_GROUND_STATIC, MU_GROUND_KINETIC) = range(10)
N_STACK = 10

# per-element contact state: anchor (x, y) in the ground plane, bristle u (x, y), elastic pressure
# of the layer stack (the warm start of its solve), the pad's overstress, then the step's pressure
# and skin shear stress tau (x, y) in the ground frame (the stress as in the load, before the sign
# flip to the force on the foot; zero out of contact)
ANCHOR_X, ANCHOR_Y, U_X, U_Y, STACK_PRESSURE, PAD_OVERSTRESS, PRESSURE, TAU_X, TAU_Y = range(9)
N_STATE = 9
IN_CONTACT, STICKING = range(2)
N_FLAGS = 2

# per-element records over a stance (DESIGN 3.3)
RECORDS = (
    "peak_pressure_pa",
    "peak_shear_stress_pa",
    "peak_shear_dir_x",       # unit vector, foot frame: direction of the ground's traction on the skin
    "peak_shear_dir_y",
    "peak_shear_strain",
    "slip_distance_m",
    "skin_slip_distance_m",   # the part of the slip at the skin's own interface (skin-ground or skin-insole)
    "friction_work_j",
    "shear_time_integral_pa_s",
    "contact_time_s",
    "stick_slip_transitions",
)
(PEAK_PRESSURE, PEAK_SHEAR, PEAK_DIR_X, PEAK_DIR_Y, PEAK_STRAIN, SLIP, SKIN_SLIP, WORK, SHEAR_TIME, CONTACT_TIME,
 TRANSITIONS) = range(len(RECORDS))
N_RECORDS = len(RECORDS)

# net load on the foot returned by a contact step
# offsets of 3-vectors in the ground frame: force, moment about the foot origin, moment about the
# ground origin; then the largest pad strain of the step (a guard against running through the pad)
FORCE, MOMENT_FOOT, MOMENT_GROUND, MAX_STRAIN_STEP = 0, 3, 6, 9
N_LOAD = 10
