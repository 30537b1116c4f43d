"""Column layout of the arrays the kernels share with the layers above (indices, not objects)."""

# tissue parameter vector (SI)
E0, EXPONENT, DAMPING, MAX_STRAIN, G0, SHEAR_EXPONENT, SHEAR_DAMPING, MU_STATIC, MU_KINETIC = range(9)
N_TISSUE = 9

# per-element contact state: anchor (x, y) in the ground plane, bristle u (x, y); flags
ANCHOR_X, ANCHOR_Y, U_X, U_Y = range(4)
N_STATE = 4
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
    "friction_work_j",
    "shear_time_integral_pa_s",
    "contact_time_s",
    "stick_slip_transitions",
)
(PEAK_PRESSURE, PEAK_SHEAR, PEAK_DIR_X, PEAK_DIR_Y, PEAK_STRAIN, SLIP, WORK, SHEAR_TIME, CONTACT_TIME,
 TRANSITIONS) = range(len(RECORDS))
N_RECORDS = len(RECORDS)

# net load on the foot returned by a contact step
# offsets of 3-vectors in the ground frame: force, moment about the foot origin, moment about the
# ground origin; then the largest pad strain of the step (a guard against running through the pad)
FORCE, MOMENT_FOOT, MOMENT_GROUND, MAX_STRAIN_STEP = 0, 3, 6, 9
N_LOAD = 10
