"""One stance of the runner model, forward dynamics, compiled as a whole (DESIGN 3.4).

Body point mass at the hip; a rigid foot (the impact mass less its soft tissue, inertia about the
ankle) carrying the plantar elements; the shank's soft tissue, a point mass on a spring-damper
about the ankle (a wobbling mass); a massless leg spring-damper hip-ankle whose rest length lengthens over the
second half of the leg's sweep; an anisotropic torsional ankle spring-damper that holds the foot
at its touchdown posture relative to the leg, with a twist about the vertical added over late
stance. Semi-implicit (symplectic) Euler with a fixed step: velocities first, then positions
with the new velocities; the orientation is a unit quaternion, renormalised every step.
"""

import numpy as np

from ..config import jit
from . import layout as L
from .contact import advance_contact
from .rotation import align_z_to, quat_to_matrix, rotate_quat, rotation_vector

# body parameter vector (SI)
(M_BODY, M_FOOT, I_XX, I_YY, I_ZZ, K_LEG, C_LEG, REST_LENGTH, PUSH_OFF_EXTENSION, K_ANKLE_X, K_ANKLE_Y,
 K_ANKLE_Z, C_ANKLE, TWIST, TWIST_ONSET, GRAVITY, M_TISSUE, K_TISSUE, C_TISSUE) = range(19)
N_BODY = 19

# initial / running state vector; the soft tissue's position and velocity last
HIP_POS, HIP_VEL, FOOT_POS, FOOT_VEL, FOOT_QUAT, FOOT_OMEGA = 0, 3, 6, 9, 12, 16
TISSUE_POS, TISSUE_VEL = 19, 22
N_DYN_STATE = 25

# per-step trace columns
# (the contact moment about the foot origin last: the work of the contact on the foot is taken from it)
(T_TIME, T_FX, T_FY, T_FZ, T_MGX, T_MGY, T_MGZ, T_POS, T_QUAT, T_HIP, T_LEG_FORCE, T_MFX) = (0, 1, 2, 3, 4, 5, 6, 7, 10,
                                                                                          14, 17, 18)
N_TRACE = 21

# per-element frame columns, one frame every `frame_stride` steps: pressure (Pa), skin shear stress
# tau (x, y) in the ground frame (Pa, as in the contact state), contact state 0 out of contact,
# 1 sticking, 2 slipping
(F_PRESSURE, F_TAU_X, F_TAU_Y, F_CONTACT_STATE) = range(4)
N_FRAME = 4


def no_frames(n_elements):
    """The frames argument for a stance that keeps none (nothing is copied)."""
    return np.zeros((0, n_elements, N_FRAME))

# stance outcome codes
TOE_OFF, MAX_DURATION, NON_FINITE, THROUGH_PAD, RUNAWAY = 0, 1, 2, 3, 4
# a foot moving or spinning faster than this is an integration running away, not a runner
RUNAWAY_SPEED_M_S, RUNAWAY_SPIN_RAD_S = 30.0, 300.0


@jit
def smoothstep(x):
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


@jit
def sweep_fraction(hip, ankle, heading, theta_td):
    """0 at touchdown, 0.5 with the leg vertical, 1 at the mirror of the touchdown leg angle."""
    ahead = (ankle[0] - hip[0]) * np.cos(heading) + (ankle[1] - hip[1]) * np.sin(heading)
    theta = np.arctan2(ahead, hip[2] - ankle[2])
    return (theta_td - theta) / (2.0 * theta_td)


@jit
def soft_tissue_step(body, ankle, ankle_v, tissue_pos, tissue_vel, g, dt):
    """Advance the shank's soft tissue one symplectic step on its spring-damper about the ankle;
    return the force it puts on the foot, which acts at the tissue's point (so that the pair of
    forces carries no net moment and angular momentum stays exact). No tissue mass: no force."""
    if body[M_TISSUE] == 0.0:
        return np.zeros(3)
    force = body[K_TISSUE] * (tissue_pos - ankle) + body[C_TISSUE] * (tissue_vel - ankle_v)
    tissue_vel += (g - force / body[M_TISSUE]) * dt
    tissue_pos += tissue_vel * dt
    return force


@jit
def store_frame(n, frame_stride, state, flags, frames):
    """Copy the element state of step n into its frame when n falls on the stride (and frames has room)."""
    if n % frame_stride != 0 or n // frame_stride >= frames.shape[0]:
        return
    frame = frames[n // frame_stride]
    for i in range(state.shape[0]):
        frame[i, F_PRESSURE] = state[i, L.PRESSURE]
        frame[i, F_TAU_X] = state[i, L.TAU_X]
        frame[i, F_TAU_Y] = state[i, L.TAU_Y]
        frame[i, F_CONTACT_STATE] = flags[i, L.IN_CONTACT] * (2 - flags[i, L.STICKING])


@jit
def simulate_stance(position_f, bone_f, area, thickness, tissue, stack, body, y0, dt, n_max, trace, state, flags, records,
                    frames, frame_stride, y_end):
    """Integrate one stance from the touchdown state y0 (N_DYN_STATE,) until toe-off or n_max steps.

    position_f, bone_f, area, thickness, tissue, stack, state, flags, records: as in `advance_contact`.
    frames (F, E, N_FRAME) out: the element state every frame_stride steps from step 0 (F = 0: none);
    body (N_BODY,) SI; trace (n_max, N_TRACE) out, one row per step (time, GRF, ground moment,
    foot pose, hip position, leg force); y_end (N_DYN_STATE,) out: the state after the last step.
    Returns (steps written, outcome code, step of outcome).
    Every step's recorded GRF is the one applied, so the impulse of the trace equals the
    change of momentum of body + foot to rounding.
    """
    y = y_end
    y[:] = y0
    hip = y[HIP_POS:HIP_POS + 3]
    hip_v = y[HIP_VEL:HIP_VEL + 3]
    ankle = y[FOOT_POS:FOOT_POS + 3]
    ankle_v = y[FOOT_VEL:FOOT_VEL + 3]
    q = y[FOOT_QUAT:FOOT_QUAT + 4]
    omega = y[FOOT_OMEGA:FOOT_OMEGA + 3]
    tissue_pos = y[TISSUE_POS:TISSUE_POS + 3]
    tissue_vel = y[TISSUE_VEL:TISSUE_VEL + 3]
    g = np.array([0.0, 0.0, -body[GRAVITY]])
    inertia_body = np.array([body[I_XX], body[I_YY], body[I_ZZ]])
    k_ankle = np.array([body[K_ANKLE_X], body[K_ANKLE_Y], body[K_ANKLE_Z]])
    rot = np.zeros((3, 3))
    leg_frame = np.zeros((3, 3))
    desired = np.zeros((3, 3))
    desired_prev = np.zeros((3, 3))
    load = np.zeros(L.N_LOAD)

    quat_to_matrix(q, rot)
    heading = np.arctan2(rot[1, 0], rot[0, 0])
    leg = hip - ankle
    theta_td = max(0.1, np.arctan2(ankle[0] - hip[0], hip[2] - ankle[2]))
    align_z_to(leg / np.sqrt(leg @ leg), heading, leg_frame)
    rest_posture = leg_frame.T @ rot
    desired_prev[:, :] = leg_frame @ rest_posture

    touched = -1
    for n in range(n_max):
        t = n * dt
        quat_to_matrix(q, rot)
        advance_contact(position_f, bone_f, area, thickness, tissue, stack, rot, ankle, ankle_v, omega, dt,
                        state, flags, records, load)
        store_frame(n, frame_stride, state, flags, frames)
        if load[L.MAX_STRAIN_STEP] >= 1.0:
            return n, THROUGH_PAD, n
        if touched < 0 and load[L.FORCE + 2] > 0.0:
            touched = n

        leg = hip - ankle
        length = np.sqrt(leg @ leg)
        d = leg / length
        length_rate = d @ (hip_v - ankle_v)
        sweep = sweep_fraction(hip, ankle, heading, theta_td)
        rest = body[REST_LENGTH] + body[PUSH_OFF_EXTENSION] * smoothstep((sweep - 0.5) / 0.5)
        leg_force = body[K_LEG] * (rest - length) - body[C_LEG] * length_rate

        twist = body[TWIST] * smoothstep((sweep - body[TWIST_ONSET]) / (1.0 - body[TWIST_ONSET]))
        # right foot: toes further out is a negative rotation about +z
        align_z_to(d, heading - twist, leg_frame)
        desired[:, :] = leg_frame @ rest_posture
        omega_desired = rotation_vector(desired @ desired_prev.T) / dt if n > 0 else np.zeros(3)
        desired_prev[:, :] = desired
        spring_torque = rot @ (-k_ankle * rotation_vector(desired.T @ rot))

        row = trace[n]
        row[T_TIME] = t
        for k in range(3):
            row[T_FX + k] = load[L.FORCE + k]
            row[T_MGX + k] = load[L.MOMENT_GROUND + k]
            row[T_MFX + k] = load[L.MOMENT_FOOT + k]
            row[T_POS + k] = ankle[k]
            row[T_HIP + k] = hip[k]
        for k in range(4):
            row[T_QUAT + k] = q[k]

        # velocities, then positions with the new velocities; ankle damping (isotropic) is taken
        # implicitly, stable for any damping at this dt
        lever = tissue_pos - ankle
        tissue_force = soft_tissue_step(body, ankle, ankle_v, tissue_pos, tissue_vel, g, dt)
        inertia = rot @ np.diag(inertia_body) @ rot.T
        moment = load[L.MOMENT_FOOT:L.MOMENT_FOOT + 3] + spring_torque + body[C_ANKLE] * omega_desired \
            + np.cross(lever, tissue_force) - np.cross(omega, inertia @ omega)
        omega_new = np.linalg.solve(inertia + body[C_ANKLE] * dt * np.eye(3), inertia @ omega + moment * dt)
        ankle_torque = spring_torque + body[C_ANKLE] * (omega_desired - omega_new)
        # The massless leg passes the ankle torque's reaction to the hip as a force pair across
        # the leg, (d x tau)/L on the hip and (tau x d)/L on the foot; the part about the leg's own
        # axis (the twist) goes into the trunk, which this model does not carry.
        shear_pair = np.cross(d, ankle_torque) / length
        omega[:] = omega_new
        row[T_LEG_FORCE] = leg_force
        hip_v += ((leg_force * d + shear_pair) / body[M_BODY] + g) * dt
        ankle_v += ((load[L.FORCE:L.FORCE + 3] - leg_force * d - shear_pair + tissue_force) / body[M_FOOT] + g) * dt
        hip += hip_v * dt
        ankle += ankle_v * dt
        rotate_quat(q, omega, dt)

        if not (np.isfinite(y).all() and np.isfinite(load).all()):
            return n + 1, NON_FINITE, n
        if np.sqrt(ankle_v @ ankle_v) > RUNAWAY_SPEED_M_S or np.sqrt(omega @ omega) > RUNAWAY_SPIN_RAD_S:
            return n + 1, RUNAWAY, n
        # toe-off: the foot has left the ground with the leg past vertical (a heel bounce early
        # in stance is not a toe-off)
        if touched >= 0 and sweep >= 0.5 and load[L.FORCE + 2] == 0.0 and not flags[:, L.IN_CONTACT].any():
            return n + 1, TOE_OFF, n
    return n_max, MAX_DURATION, n_max


@jit
def follow_trajectory(position_f, bone_f, area, thickness, tissue, stack, foot_pos, foot_quat, foot_vel, foot_omega, dt,
                      state, flags, records, frames, frame_stride, loads):
    """Kinematic mode (DESIGN 3.6): contact along a prescribed pose (T,3)/(T,4) and velocity.

    frames, frame_stride: as in `simulate_stance`; loads (T, N_LOAD) out: the net contact load of every step.
    """
    rot = np.zeros((3, 3))
    for n in range(foot_pos.shape[0]):
        quat_to_matrix(foot_quat[n], rot)
        advance_contact(position_f, bone_f, area, thickness, tissue, stack, rot, foot_pos[n], foot_vel[n], foot_omega[n], dt,
                        state, flags, records, loads[n])
        store_frame(n, frame_stride, state, flags, frames)
