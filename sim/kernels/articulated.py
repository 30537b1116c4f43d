"""One stance of the articulated foot on a leg that can rotate, compiled as a whole (DESIGN 3.4b).

Bodies: the hip point mass; the hindfoot, a rigid body carrying the impact mass at the ankle and
the foot's inertia; the forefoot on a two-axis midfoot joint (arch bending, inversion-eversion)
and the toes on the oblique metatarsophalangeal hinge, both massless, so that their contact loads
pass whole to the hindfoot and linear and angular momentum stay exact; a massless leg spring
hip-ankle as in the rigid model; a massless shank whose axial rotation is held by the limb's
rotational stiffness (twist: its rest angle, with a torque limit). The ankle complex holds the
hindfoot at its touchdown posture relative to the shank with a spring whose axes are the
talocrural and subtalar hinges plus a stiff third axis for what neither hinge allows; the
talocrural hinge also carries the plantarflexors' active push-off moment (after the leg is vertical)
and the dorsiflexors' eccentric braking of plantarflexion until the leg is vertical; the
plantarflexors' moment (the spring's share and the push-off) comes with an inversion moment about the
subtalar axis, the triceps surae's pull medial of that axis. The shank frame is the leg direction with the
line of travel (ground x) as heading, so the leg sweeps in the line of travel and a turned-out
foot takes the obliquity in its joints.

Integration: symplectic Euler as in `stance.simulate_stance`; the hindfoot's state is its spin
angular momentum about the ankle in the ground frame (dh/dt = torque, no gyroscopic term), its
angular velocity h solved through the current inertia with the ankle damping implicit. The
massless joints (midfoot, MTP, limb rotation) follow their equilibrium by a backward-Euler step
of the joint law linearised in the contact (the pads' normal stiffness and damping, the sticking
bristles' shear stiffness and damping): stable at any pad stiffness, one step behind the contact
it balances.
"""

import numpy as np

from ..config import jit
from . import layout as L
from . import stance as S
from .contact import advance_contact, pad_compliance, SOLE_MAX_STRAIN
from .rotation import align_z_to, axis_angle_matrix, dot3, mat3, quat_to_matrix, rotate_quat, rotation_vector, solve3, vec3

# joint parameter vector (SI; axes unit vectors and points in the hindfoot frame at rest)
(J_A_TC, J_A_ST, J_O_MID, J_A_ARCH, J_A_EV, J_O_MTP, J_A_MTP) = (0, 3, 6, 9, 12, 15, 18)
(J_K_TC, J_K_ST, J_K_RES, J_C_ANKLE, J_C_DF, J_M_PF, J_K_ARCH, J_C_ARCH, J_K_EV, J_C_EV, J_K_MTP, J_C_MTP,
 J_K_LIMB, J_C_LIMB, J_T_LIMB, J_TRICEPS_INVERSION) = range(21, 37)
N_JOINT = 37

# state vector: the rigid model's first 16 entries, the hindfoot's spin angular momentum where the
# rigid model keeps omega, then the foot joints (arch, forefoot inversion, MTP), their rates and the
# limb's axial rotation, and the shank's soft tissue (position, velocity) as in the rigid model
SPIN, JOINT_ANGLE, JOINT_RATE, LIMB_ANGLE, TISSUE_POS, TISSUE_VEL = 16, 19, 22, 25, 26, 29
N_STATE = 32
ARCH, FOREFOOT_INVERSION, MTP = range(3)

# segments: element slices [bounds[k], bounds[k + 1]) of the sorted mesh
HINDFOOT, FOREFOOT, TOES = range(3)
N_SEGMENTS = 3

# trace: the rigid model's columns (so that results assemble alike), then joint angles
# (talocrural, subtalar, ankle residual, arch, forefoot inversion, MTP, limb rotation), the
# hindfoot's eversion relative to the shank, the axial torque passed to the trunk, vertical force
# per segment, the ground's moment about the ankle (at the elements' own points, not their ground
# projections as in T_MGX), the soft tissue's position
T_JOINTS, T_EVERSION, T_TRUNK_TORQUE, T_SEGMENT_FZ, T_MOMENT_ANKLE, T_TISSUE = (
    S.N_TRACE, S.N_TRACE + 7, S.N_TRACE + 8, S.N_TRACE + 11, S.N_TRACE + 14, S.N_TRACE + 17)
JOINT_NAMES = ("talocrural", "subtalar", "ankle_residual", "arch", "forefoot_inversion", "mtp", "limb_rotation")
N_TRACE = S.N_TRACE + 20


@jit
def _cross(a, b):
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


@jit
def ankle_stiffness_matrix(joints):
    """K_b (3,3), hindfoot frame: the spring whose stiffnesses act along talocrural, subtalar and
    their common normal, and B^-1, which turns a rotation vector into those three angles."""
    basis = np.zeros((3, 3))
    basis[:, 0] = joints[J_A_TC:J_A_TC + 3]
    basis[:, 1] = joints[J_A_ST:J_A_ST + 3]
    n = _cross(basis[:, 0], basis[:, 1])
    basis[:, 2] = n / np.sqrt(n @ n)
    inverse = np.linalg.inv(basis)
    k = np.diag(np.array([joints[J_K_TC], joints[J_K_ST], joints[J_K_RES]]))
    return inverse.T @ k @ inverse, inverse


@jit
def segment_poses(ankle, ankle_v, rot_h, omega_h, joints, theta, theta_rate, rot, origin, vel, omega, axes):
    """Pose of each segment (rot (3,3,3), origin, vel, omega (3,3)) and the world joint axes
    (rows: arch, forefoot inversion, MTP) from the hindfoot pose and the foot joint angles."""
    r1 = np.zeros((3, 3))
    r2 = np.zeros((3, 3))
    r3 = np.zeros((3, 3))
    a_arch = joints[J_A_ARCH:J_A_ARCH + 3]
    a_ev = joints[J_A_EV:J_A_EV + 3]
    a_mtp = joints[J_A_MTP:J_A_MTP + 3]
    o_mid = joints[J_O_MID:J_O_MID + 3]
    o_mtp = joints[J_O_MTP:J_O_MTP + 3]
    axis_angle_matrix(a_arch, theta[ARCH], r1)
    axis_angle_matrix(a_ev, theta[FOREFOOT_INVERSION], r2)
    axis_angle_matrix(a_mtp, theta[MTP], r3)
    rot[HINDFOOT] = rot_h
    rot[FOREFOOT] = mat3(mat3(rot_h, r1), r2)
    rot[TOES] = mat3(rot[FOREFOOT], r3)
    axes[ARCH] = vec3(rot_h, a_arch)
    axes[FOREFOOT_INVERSION] = vec3(rot_h, vec3(r1, a_ev))
    axes[MTP] = vec3(rot[FOREFOOT], a_mtp)
    origin[HINDFOOT] = ankle
    vel[HINDFOOT] = ankle_v
    omega[HINDFOOT] = omega_h
    lever = vec3(rot_h, o_mid)
    origin[FOREFOOT] = ankle + lever
    vel[FOREFOOT] = ankle_v + _cross(omega_h, lever)
    omega[FOREFOOT] = omega_h + theta_rate[ARCH] * axes[ARCH] + theta_rate[FOREFOOT_INVERSION] * axes[FOREFOOT_INVERSION]
    lever = vec3(rot[FOREFOOT], o_mtp - o_mid)
    origin[TOES] = origin[FOREFOOT] + lever
    vel[TOES] = vel[FOREFOOT] + _cross(omega[FOREFOOT], lever)
    omega[TOES] = omega[FOREFOOT] + theta_rate[MTP] * axes[MTP]


@jit
def joint_linearisation(position_f, area, thickness, tissue, stack, state, flags, bounds, rot, origin, axes, dt,
                        carried_v, carried_omega, ankle, kc, cc, carried):
    """Stiffness kc and damping cc (3,3) of the forefoot and toe contact in the foot joints'
    coordinates: over loaded elements, the pad's normal stiffness and damping on g g^T, g_j the
    element's sinking per radian of joint j, and the sticking bristle's stiffness (its damping
    over dt included: the step is implicit in it) on h h^T, h_j its sideways motion per radian."""
    kc[:, :] = 0.0
    cc[:, :] = 0.0
    carried[:] = 0.0
    g = np.zeros(3)
    hx = np.zeros(3)
    hy = np.zeros(3)
    e_max = tissue[L.MAX_STRAIN]
    for seg in range(FOREFOOT, TOES + 1):
        r = rot[seg]
        for i in range(bounds[seg], bounds[seg + 1]):
            # the contact step has just run at this pose: its depth, elastic pressure and bristle
            # stiffness are the element's own (an element in contact has depth > 0)
            if flags[i, L.IN_CONTACT] == 0:
                continue
            depth = state[i, L.DEPTH]
            p_el = state[i, L.STACK_PRESSURE]
            x, y, z = position_f[i, 0], position_f[i, 1], position_f[i, 2]
            px = origin[seg, 0] + r[0, 0] * x + r[0, 1] * y + r[0, 2] * z
            py = origin[seg, 1] + r[1, 0] * x + r[1, 1] * y + r[1, 2] * z
            t = stack[i, L.SOLE_THICKNESS]
            damping = tissue[L.DAMPING]
            give = thickness[i] * pad_compliance(p_el, tissue[L.E0], tissue[L.EXPONENT], e_max)
            if t > 0.0:
                pad_give = give
                give = pad_give + t * pad_compliance(p_el, stack[i, L.SOLE_E0], stack[i, L.SOLE_EXPONENT],
                                                     SOLE_MAX_STRAIN)
                # each layer damps its share of the compression rate, as in the contact step
                damping = damping * pad_give / give + stack[i, L.SOLE_DAMPING] * (1.0 - pad_give / give)
            # motion of the element per radian of each joint: axis x (p - joint point)
            for j in range(3):
                if j == MTP and seg != TOES:
                    g[j] = hx[j] = hy[j] = 0.0
                    continue
                o = TOES if j == MTP else FOREFOOT
                ax, ay, az = px - origin[o, 0], py - origin[o, 1], -depth - origin[o, 2]
                g[j] = axes[j, 0] * ay - axes[j, 1] * ax
                hx[j] = axes[j, 1] * az - axes[j, 2] * ay
                hy[j] = axes[j, 2] * ax - axes[j, 0] * az
            # the pad's viscous branch stiffens a step's compression by g1 tau / (tau + dt)
            tau = tissue[L.PAD_RELAXATION_TIME]
            k = area[i] / give * (1.0 + tissue[L.PAD_BRANCH_FRACTION] * tau / (tau + dt))
            c = area[i] * p_el * damping
            k_t = 0.0
            if flags[i, L.STICKING] != 0:
                k_t = state[i, L.BRISTLE_STIFFNESS]  # the sole's shear in series, as the contact step has it
                k_t = (k_t + (tissue[L.SHEAR_DAMPING] + tissue[L.SHEAR_RETARDATION_TIME] * k_t) / dt) * area[i]
            # the element as the hindfoot carries it over the step (joints held): its sinking and
            # sideways motion change the joints' load before the joints move
            ax, ay, az = px - ankle[0], py - ankle[1], -depth - ankle[2]
            mx = (carried_v[0] + carried_omega[1] * az - carried_omega[2] * ay) * dt
            my = (carried_v[1] + carried_omega[2] * ax - carried_omega[0] * az) * dt
            mz = (carried_v[2] + carried_omega[0] * ay - carried_omega[1] * ax) * dt
            for a in range(3):
                carried[a] -= k * g[a] * mz + k_t * (hx[a] * mx + hy[a] * my)
                for b in range(3):
                    kc[a, b] += k * g[a] * g[b] + k_t * (hx[a] * hx[b] + hy[a] * hy[b])
                    cc[a, b] += c * g[a] * g[b]


@jit
def push_off_profile(sweep):
    """The plantarflexors' active moment over the leg's sweep: a sin^2 bump from the leg vertical
    (0.5) to the mirror of its touchdown angle (1). Before mid-stance the talocrural spring alone
    carries the ankle: its stiffness is the running ankle's quasi-stiffness, which already holds
    the muscles' share of the loading; the active moment is the push-off work that no spring gives."""
    x = min(1.0, max(0.0, 2.0 * sweep - 1.0))
    return np.sin(np.pi * x) ** 2


@jit
def simulate_articulated(position_f, bone_f, area, thickness, tissue, stack, bounds, body, joints, rest_posture, y0,
                         dt, n_max, trace, state, flags, records, frames, frame_stride, y_end):
    """Integrate one stance from y0 (N_STATE,) until toe-off or n_max steps.

    position_f (E,3): each element's contact point in its own segment's frame (origin: ankle,
    midfoot joint point, MTP joint point), elements sorted by segment, bounds (4,) int the slice
    ends; area, thickness, tissue, stack, state, flags, records as in `advance_contact`. body
    (stance.N_BODY,) SI (the ankle springs unused); joints (N_JOINT,); rest_posture (3,3): the
    hindfoot's rest orientation in the shank frame; trace (n_max, N_TRACE) out; frames, frame_stride
    as in `stance.simulate_stance` (elements in segment order); y_end out.
    Returns (steps written, outcome code, step of outcome), codes as in `stance`.
    """
    y = y_end
    y[:] = y0
    hip = y[S.HIP_POS:S.HIP_POS + 3]
    hip_v = y[S.HIP_VEL:S.HIP_VEL + 3]
    ankle = y[S.FOOT_POS:S.FOOT_POS + 3]
    ankle_v = y[S.FOOT_VEL:S.FOOT_VEL + 3]
    q = y[S.FOOT_QUAT:S.FOOT_QUAT + 4]
    spin = y[SPIN:SPIN + 3]
    theta = y[JOINT_ANGLE:JOINT_ANGLE + 3]
    theta_rate = y[JOINT_RATE:JOINT_RATE + 3]
    tissue_pos = y[TISSUE_POS:TISSUE_POS + 3]
    tissue_vel = y[TISSUE_VEL:TISSUE_VEL + 3]
    g = np.array([0.0, 0.0, -body[S.GRAVITY]])
    principal = np.array([body[S.I_XX], body[S.I_YY], body[S.I_ZZ]])
    inertia_body = np.diag(principal)
    k_ankle, to_angles = ankle_stiffness_matrix(joints)
    inversion_dual = to_angles[1].copy()  # the torque vector of a unit generalised subtalar moment
    k_foot = np.diag(np.array([joints[J_K_ARCH], joints[J_K_EV], joints[J_K_MTP]]))
    c_foot = np.diag(np.array([joints[J_C_ARCH], joints[J_C_EV], joints[J_C_MTP]]))
    rot_h = np.zeros((3, 3))
    shank = np.zeros((3, 3))
    shank_prev = np.zeros((3, 3))
    rot = np.zeros((3, 3, 3))
    origin = np.zeros((3, 3))
    vel = np.zeros((3, 3))
    omega = np.zeros((3, 3))
    axes = np.zeros((3, 3))
    kc = np.zeros((3, 3))
    cc = np.zeros((3, 3))
    carried = np.zeros(3)
    seg_load = np.zeros((N_SEGMENTS, L.N_LOAD))
    force = np.zeros(3)
    moment_ankle = np.zeros(3)
    moment_ground = np.zeros(3)

    theta_td = max(0.1, np.arctan2(ankle[0] - hip[0], hip[2] - ankle[2]))
    touched = -1
    for n in range(n_max):
        t = n * dt
        quat_to_matrix(q, rot_h)
        inertia = mat3(mat3(rot_h, inertia_body), rot_h.T)
        omega_h = vec3(rot_h, vec3(rot_h.T, spin) / principal)
        segment_poses(ankle, ankle_v, rot_h, omega_h, joints, theta, theta_rate, rot, origin, vel, omega, axes)
        force[:] = 0.0
        moment_ankle[:] = 0.0
        moment_ground[:] = 0.0
        strain = 0.0
        for s in range(N_SEGMENTS):
            lo, hi = bounds[s], bounds[s + 1]
            load = seg_load[s]
            advance_contact(position_f[lo:hi], bone_f[lo:hi], area[lo:hi], thickness[lo:hi], tissue, stack[lo:hi], rot[s],
                            origin[s], vel[s], omega[s], dt, state[lo:hi], flags[lo:hi], records[lo:hi], load)
            f = load[L.FORCE:L.FORCE + 3]
            force += f
            moment_ankle += load[L.MOMENT_FOOT:L.MOMENT_FOOT + 3] + _cross(origin[s] - ankle, f)
            moment_ground += load[L.MOMENT_GROUND:L.MOMENT_GROUND + 3]
            strain = max(strain, load[L.MAX_STRAIN_STEP])
        S.store_frame(n, frame_stride, state, flags, frames)
        if strain >= 1.0:
            return n, S.THROUGH_PAD, n
        if touched < 0 and force[2] > 0.0:
            touched = n

        leg = hip - ankle
        length = np.sqrt(dot3(leg, leg))
        d = leg / length
        length_rate = dot3(d, hip_v - ankle_v)
        sweep = S.sweep_fraction(hip, ankle, 0.0, theta_td)
        rest = body[S.REST_LENGTH] + body[S.PUSH_OFF_EXTENSION] * S.smoothstep((sweep - 0.5) / 0.5)
        leg_force = body[S.K_LEG] * (rest - length) - body[S.C_LEG] * length_rate

        # ankle complex: the spring on the hindfoot's deviation from its rest posture on the shank
        limb = y[LIMB_ANGLE]
        align_z_to(d, limb, shank)
        omega_shank = rotation_vector(mat3(shank, shank_prev.T)) / dt if n > 0 else np.zeros(3)
        shank_prev[:, :] = shank
        deviation = rotation_vector(mat3(mat3(shank, rest_posture).T, rot_h))
        k_world = mat3(mat3(rot_h, k_ankle), rot_h.T)
        a_tc = vec3(rot_h, joints[J_A_TC:J_A_TC + 3])
        active = joints[J_M_PF] * push_off_profile(sweep) if touched >= 0 else 0.0
        ankle_angles = vec3(to_angles, deviation)
        # the plantarflexors (the spring's share while dorsiflexed, and the push-off) pull on the
        # calcaneus medial of the subtalar axis: a generalised inversion moment in proportion (a
        # moment arm as tendon excursion per radian), its torque vector the dual of that axis
        plantarflexion = max(0.0, active - joints[J_K_TC] * ankle_angles[0])
        inversion = joints[J_TRICEPS_INVERSION] * plantarflexion * vec3(rot_h, inversion_dual)
        torque = -vec3(rot_h, vec3(k_ankle, deviation)) + active * a_tc + inversion
        damping = joints[J_C_ANKLE] * np.eye(3)
        # dorsiflexors brake the foot's plantarflexion (eccentrically) until the leg is vertical
        if sweep < 0.5 and dot3(a_tc, omega_h - omega_shank) > 0.0:
            damping += joints[J_C_DF] * np.outer(a_tc, a_tc)
        # the soft tissue's force acts at its own point: its moment about the ankle joins the contact's
        lever = tissue_pos - ankle
        tissue_force = S.soft_tissue_step(body, ankle, ankle_v, tissue_pos, tissue_vel, g, dt)
        applied = moment_ankle + _cross(lever, tissue_force)
        omega_new = solve3(inertia + dt * damping, spin + dt * (applied + torque + vec3(damping, omega_shank)))
        ankle_torque = torque + vec3(damping, omega_shank - omega_new)
        spin[:] = spin + dt * (applied + ankle_torque)
        # the massless shank: the part across the leg goes to the hip as a force pair, the part
        # about its axis into the trunk (the limb's rotation spring)
        shear_pair = _cross(d, ankle_torque) / length
        axial = dot3(d, ankle_torque)

        row = trace[n]
        row[S.T_TIME] = t
        for k in range(3):
            row[S.T_FX + k] = force[k]
            row[S.T_MGX + k] = moment_ground[k]
            row[S.T_POS + k] = ankle[k]
            row[S.T_HIP + k] = hip[k]
            row[T_TRUNK_TORQUE + k] = axial * d[k]
            row[T_SEGMENT_FZ + k] = seg_load[k, L.FORCE + 2]
            row[T_JOINTS + 3 + k] = theta[k]
            row[T_MOMENT_ANKLE + k] = moment_ankle[k]
            row[T_TISSUE + k] = ankle[k] + lever[k]  # where the step began: soft_tissue_step has moved it
        for k in range(4):
            row[S.T_QUAT + k] = q[k]
        for k in range(3):
            row[T_JOINTS + k] = ankle_angles[k]
        row[T_JOINTS + 6] = limb
        relative = mat3(shank.T, rot_h)
        # eversion about the floating axis of the ankle's joint coordinate system (ISB, Wu et al. 2002):
        # relative = R_y(flexion) R_x(-eversion) R_z(rotation), so no flexion x rotation crosstalk
        row[T_EVERSION] = np.arcsin(min(1.0, max(-1.0, relative[1, 2])))
        row[S.T_LEG_FORCE] = leg_force

        hip_v += ((leg_force * d + shear_pair) / body[S.M_BODY] + g) * dt
        ankle_v += ((force - leg_force * d - shear_pair + tissue_force) / body[S.M_FOOT] + g) * dt
        hip += hip_v * dt
        ankle += ankle_v * dt
        rotate_quat(q, omega_new, dt)

        # foot joints: backward Euler of c theta' + k theta = Q, Q linearised in the contact
        joint_linearisation(position_f, area, thickness, tissue, stack, state, flags, bounds, rot, origin, axes, dt,
                            ankle_v, omega_new, origin[HINDFOOT], kc, cc, carried)
        toe_force = seg_load[TOES, L.FORCE:L.FORCE + 3]
        toe_moment = seg_load[TOES, L.MOMENT_FOOT:L.MOMENT_FOOT + 3]
        distal = seg_load[FOREFOOT, L.MOMENT_FOOT:L.MOMENT_FOOT + 3] + toe_moment + \
            _cross(origin[TOES] - origin[FOREFOOT], toe_force)
        generalised = np.array([dot3(axes[ARCH], distal), dot3(axes[FOREFOOT_INVERSION], distal), dot3(axes[MTP], toe_moment)])
        theta_rate[:] = solve3(dt * (kc + k_foot) + cc + c_foot,
                                        generalised + carried + vec3(cc, theta_rate) - vec3(k_foot, theta))
        theta += dt * theta_rate

        # limb rotation: the massless shank between the ankle's axial torque and the limb's spring
        twist_rest = -body[S.TWIST] * S.smoothstep((sweep - body[S.TWIST_ONSET]) / (1.0 - body[S.TWIST_ONSET]))
        k_axial = dot3(d, vec3(k_world, d)) + (joints[J_C_ANKLE] + joints[J_C_LIMB]) / dt
        step = (joints[J_K_LIMB] * (twist_rest - limb) - axial) / (k_axial + joints[J_K_LIMB])
        spring = joints[J_K_LIMB] * (twist_rest - limb - step)
        if abs(spring) > joints[J_T_LIMB]:
            step = (np.sign(spring) * joints[J_T_LIMB] - axial) / k_axial
        y[LIMB_ANGLE] = limb + step

        if not (np.isfinite(y).all() and np.isfinite(force).all()):
            return n + 1, S.NON_FINITE, n
        if np.sqrt(dot3(ankle_v, ankle_v)) > S.RUNAWAY_SPEED_M_S or np.sqrt(dot3(omega_new, omega_new)) > S.RUNAWAY_SPIN_RAD_S:
            return n + 1, S.RUNAWAY, n
        if touched >= 0 and sweep >= 0.5 and force[2] == 0.0 and not flags[:, L.IN_CONTACT].any():
            return n + 1, S.TOE_OFF, n
    return n_max, S.MAX_DURATION, n_max
