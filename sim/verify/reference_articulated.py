"""Plain-numpy reference of the first step of `kernels.articulated.simulate_articulated`.

The same equations written again with numpy and scipy rotations on top of the numpy contact step
(`reference.advance_contact`); the tests and `footsim verify` hold the compiled stance to it from
random states.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from ..kernels import articulated as A
from ..kernels import layout as L
from ..kernels import stance as S
from .reference import _exponential_compliance, _exponential_strain, advance_contact, elastic_pressure, shear_stiffness


def _rotvec(matrix):
    return Rotation.from_matrix(matrix).as_rotvec()


def _axis_angle(axis, angle):
    return Rotation.from_rotvec(axis * angle).as_matrix()


def _shank(d, psi):
    """Minimal rotation z -> d, then yaw psi about the new z (as rotation.align_z_to)."""
    z = np.array([0.0, 0.0, 1.0])
    k = np.cross(z, d)
    angle = np.arccos(np.clip(d[2], -1.0, 1.0))
    align = _axis_angle(k / np.linalg.norm(k), angle) if np.linalg.norm(k) > 0 else np.eye(3)
    return align @ _axis_angle(z, psi)


def _smoothstep(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def first_step(position_f, bone_f, area, thickness, tissue, stack, bounds, body, joints, rest_posture, y0, dt,
               state, flags, records):
    """The kernel's step 0 from y0: returns (y after the step, trace row); contact arrays in place."""
    y = y0.copy()
    hip, hip_v = y[S.HIP_POS:S.HIP_POS + 3], y[S.HIP_VEL:S.HIP_VEL + 3]
    ankle, ankle_v = y[S.FOOT_POS:S.FOOT_POS + 3], y[S.FOOT_VEL:S.FOOT_VEL + 3]
    quat = y[S.FOOT_QUAT:S.FOOT_QUAT + 4]
    rot_h = Rotation.from_quat([*quat[1:], quat[0]]).as_matrix()
    inertia = rot_h @ np.diag(body[[S.I_XX, S.I_YY, S.I_ZZ]]) @ rot_h.T
    omega_h = np.linalg.solve(inertia, y[A.SPIN:A.SPIN + 3])
    theta, rate = y[A.JOINT_ANGLE:A.JOINT_ANGLE + 3], y[A.JOINT_RATE:A.JOINT_RATE + 3]

    def vec(at):
        return joints[at:at + 3]

    # segment poses
    r_fore = rot_h @ _axis_angle(vec(A.J_A_ARCH), theta[0]) @ _axis_angle(vec(A.J_A_EV), theta[1])
    r_toes = r_fore @ _axis_angle(vec(A.J_A_MTP), theta[2])
    axes = np.array([rot_h @ vec(A.J_A_ARCH), rot_h @ _axis_angle(vec(A.J_A_ARCH), theta[0]) @ vec(A.J_A_EV),
                     r_fore @ vec(A.J_A_MTP)])
    o_mid = ankle + rot_h @ vec(A.J_O_MID)
    w_fore = omega_h + rate[0] * axes[0] + rate[1] * axes[1]
    v_mid = ankle_v + np.cross(omega_h, o_mid - ankle)
    o_mtp = o_mid + r_fore @ (vec(A.J_O_MTP) - vec(A.J_O_MID))
    poses = [(rot_h, ankle, ankle_v, omega_h), (r_fore, o_mid, v_mid, w_fore),
             (r_toes, o_mtp, v_mid + np.cross(w_fore, o_mtp - o_mid), w_fore + rate[2] * axes[2])]

    loads = np.zeros((3, L.N_LOAD))
    for s, (rot, origin, vel, omega) in enumerate(poses):
        part = slice(bounds[s], bounds[s + 1])
        advance_contact(position_f[part], bone_f[part], area[part], thickness[part], tissue, stack[part], rot, origin,
                        vel, omega, dt, state[part], flags[part], records[part], loads[s])
    force = loads[:, :3].sum(axis=0)
    moment_ankle = sum(loads[s, 3:6] + np.cross(poses[s][1] - ankle, loads[s, :3]) for s in range(3))

    leg = hip - ankle
    length = np.linalg.norm(leg)
    d = leg / length
    theta_td = max(0.1, np.arctan2(ankle[0] - hip[0], hip[2] - ankle[2]))
    sweep = (theta_td - np.arctan2(ankle[0] - hip[0], hip[2] - ankle[2])) / (2 * theta_td)
    rest = body[S.REST_LENGTH] + body[S.PUSH_OFF_EXTENSION] * _smoothstep((sweep - 0.5) / 0.5)
    leg_force = body[S.K_LEG] * (rest - length) - body[S.C_LEG] * (d @ (hip_v - ankle_v))

    basis = np.column_stack([vec(A.J_A_TC), vec(A.J_A_ST), np.cross(vec(A.J_A_TC), vec(A.J_A_ST))])
    basis[:, 2] /= np.linalg.norm(basis[:, 2])
    to_angles = np.linalg.inv(basis)  # rotation vector -> hinge angles
    k_b = to_angles.T @ np.diag(joints[[A.J_K_TC, A.J_K_ST, A.J_K_RES]]) @ to_angles
    shank = _shank(d, y[A.LIMB_ANGLE])
    deviation = _rotvec((shank @ rest_posture).T @ rot_h)
    a_tc = rot_h @ vec(A.J_A_TC)
    profile = np.sin(np.pi * np.clip(2 * sweep - 1, 0, 1)) ** 2
    touched = force[2] > 0
    active = joints[A.J_M_PF] * profile if touched else 0.0
    plantarflexion = max(0.0, active - joints[A.J_K_TC] * (to_angles @ deviation)[0])
    inversion = joints[A.J_TRICEPS_INVERSION] * plantarflexion * (rot_h @ to_angles[1])
    torque = -rot_h @ k_b @ deviation + active * a_tc + inversion
    damping = joints[A.J_C_ANKLE] * np.eye(3)
    if sweep < 0.5 and a_tc @ omega_h > 0:  # the shank's rate is zero on the first step
        damping = damping + joints[A.J_C_DF] * np.outer(a_tc, a_tc)
    # the shank's soft tissue on its spring-damper about the ankle, its force applied at its own point
    tissue_pos, tissue_vel = y[A.TISSUE_POS:A.TISSUE_POS + 3], y[A.TISSUE_VEL:A.TISSUE_VEL + 3]
    tissue_force = (body[S.K_TISSUE] * (tissue_pos - ankle) + body[S.C_TISSUE] * (tissue_vel - ankle_v)
                    if body[S.M_TISSUE] > 0 else np.zeros(3))
    applied = moment_ankle + np.cross(tissue_pos - ankle, tissue_force)
    omega_new = np.linalg.solve(inertia + dt * damping, y[A.SPIN:A.SPIN + 3] + dt * (applied + torque))
    ankle_torque = torque - damping @ omega_new
    spin_new = y[A.SPIN:A.SPIN + 3] + dt * (applied + ankle_torque)
    shear_pair = np.cross(d, ankle_torque) / length
    axial = d @ ankle_torque

    row = np.zeros(A.N_TRACE)
    row[S.T_FX:S.T_FX + 3] = force
    row[S.T_MGX:S.T_MGX + 3] = loads[:, 6:9].sum(axis=0)
    row[S.T_POS:S.T_POS + 3], row[S.T_QUAT:S.T_QUAT + 4], row[S.T_HIP:S.T_HIP + 3] = ankle, quat, hip
    row[S.T_LEG_FORCE] = leg_force
    row[A.T_JOINTS:A.T_JOINTS + 3] = np.linalg.solve(basis, deviation)
    row[A.T_JOINTS + 3:A.T_JOINTS + 6] = theta
    row[A.T_JOINTS + 6] = y[A.LIMB_ANGLE]
    relative = shank.T @ rot_h
    row[A.T_EVERSION] = np.arcsin(np.clip(relative[1, 2], -1.0, 1.0))  # ISB joint coordinate system
    row[A.T_TRUNK_TORQUE:A.T_TRUNK_TORQUE + 3] = axial * d
    row[A.T_SEGMENT_FZ:A.T_SEGMENT_FZ + 3] = loads[:, 2]
    row[A.T_MOMENT_ANKLE:A.T_MOMENT_ANKLE + 3] = moment_ankle
    row[A.T_TISSUE:A.T_TISSUE + 3] = tissue_pos

    g = np.array([0.0, 0.0, -body[S.GRAVITY]])
    out = y.copy()
    out[S.HIP_VEL:S.HIP_VEL + 3] = hip_v + ((leg_force * d + shear_pair) / body[S.M_BODY] + g) * dt
    out[S.FOOT_VEL:S.FOOT_VEL + 3] = ankle_v + ((force - leg_force * d - shear_pair + tissue_force) / body[S.M_FOOT]
                                                 + g) * dt
    if body[S.M_TISSUE] > 0:
        out[A.TISSUE_VEL:A.TISSUE_VEL + 3] = tissue_vel + (g - tissue_force / body[S.M_TISSUE]) * dt
        out[A.TISSUE_POS:A.TISSUE_POS + 3] = tissue_pos + out[A.TISSUE_VEL:A.TISSUE_VEL + 3] * dt
    out[S.HIP_POS:S.HIP_POS + 3] = hip + out[S.HIP_VEL:S.HIP_VEL + 3] * dt
    out[S.FOOT_POS:S.FOOT_POS + 3] = ankle + out[S.FOOT_VEL:S.FOOT_VEL + 3] * dt
    turned = Rotation.from_rotvec(omega_new * dt) * Rotation.from_quat([*quat[1:], quat[0]])
    xyzw = turned.as_quat()
    new_quat = np.array([xyzw[3], *xyzw[:3]])
    out[S.FOOT_QUAT:S.FOOT_QUAT + 4] = new_quat * np.sign(new_quat @ quat)
    out[A.SPIN:A.SPIN + 3] = spin_new

    # foot joints: linearised contact of the loaded forefoot and toe elements
    kc, cc, carried = np.zeros((3, 3)), np.zeros((3, 3)), np.zeros(3)
    carried_v = out[S.FOOT_VEL:S.FOOT_VEL + 3]
    for s in (A.FOREFOOT, A.TOES):
        part = slice(bounds[s], bounds[s + 1])
        rot, origin = poses[s][0], poses[s][1]
        p = origin + position_f[part] @ rot.T
        loaded = -p[:, 2] > 0
        h, t = thickness[part][loaded], stack[part][loaded, L.SOLE_THICKNESS]
        pad = (tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])
        p_el = np.where(t > 0, state[part][loaded, L.STACK_PRESSURE], elastic_pressure(-p[loaded, 2] / h, tissue))
        sole = stack[part][loaded]
        pad_give = np.array([h[k] * _exponential_compliance(p_el[k], *pad) for k in range(len(h))])
        give = pad_give + np.array([t[k] * _exponential_compliance(p_el[k], sole[k, L.SOLE_E0], sole[k, L.SOLE_EXPONENT],
                                                                   0.9) if t[k] > 0 else 0.0 for k in range(len(h))])
        share = pad_give / give  # each layer damps its share of the compression rate
        damping = np.where(t > 0, tissue[L.DAMPING] * share + sole[:, L.SOLE_DAMPING] * (1 - share), tissue[L.DAMPING])
        # motion per radian of each joint (axis x arm): its z part sinks the pad, its xy part the bristle
        motion = np.zeros((len(h), 3, 3))
        motion[:, 0] = np.cross(axes[0], p[loaded] - o_mid)
        motion[:, 1] = np.cross(axes[1], p[loaded] - o_mid)
        if s == A.TOES:
            motion[:, 2] = np.cross(axes[2], p[loaded] - o_mtp)
        gs, hs = motion[:, :, 2], motion[:, :, :2]
        tau = tissue[L.PAD_RELAXATION_TIME]  # the pad's viscous branch stiffens a step's compression
        k = area[part][loaded] / give * (1.0 + tissue[L.PAD_BRANCH_FRACTION] * tau / (tau + dt))
        c = area[part][loaded] * p_el * damping
        strain = np.array([_exponential_strain(p_el[j], *pad) if t[j] > 0 else -p[loaded][j, 2] / h[j]
                           for j in range(len(h))])
        k_t = shear_stiffness(strain, h, tissue)
        shod = t > 0
        k_sole = sole[:, L.SOLE_SHEAR_MODULUS] / np.where(shod, t, 1.0)
        k_t = np.where(shod, k_t * k_sole / (k_t + np.where(shod, k_sole, 0.0)), k_t)
        sticking = flags[part][loaded, L.STICKING] != 0
        c_t = tissue[L.SHEAR_DAMPING] + tissue[L.SHEAR_RETARDATION_TIME] * k_t
        k_t = np.where(sticking, (k_t + c_t / dt) * area[part][loaded], 0.0)
        kc += (gs * k[:, None]).T @ gs + np.einsum("e,eax,ebx->ab", k_t, hs, hs)
        cc += (gs * c[:, None]).T @ gs
        # the hindfoot's step carries the element (joints held): the joints' load changes first
        moved = (carried_v + np.cross(omega_new, p[loaded] - ankle)) * dt
        carried -= gs.T @ (k * moved[:, 2]) + np.einsum("e,eax,ex->a", k_t, hs, moved[:, :2])
    distal = loads[1, 3:6] + loads[2, 3:6] + np.cross(o_mtp - o_mid, loads[2, :3])
    generalised = np.array([axes[0] @ distal, axes[1] @ distal, axes[2] @ loads[2, 3:6]])
    k_foot = np.diag(joints[[A.J_K_ARCH, A.J_K_EV, A.J_K_MTP]])
    c_foot = np.diag(joints[[A.J_C_ARCH, A.J_C_EV, A.J_C_MTP]])
    new_rate = np.linalg.solve(dt * (kc + k_foot) + cc + c_foot, generalised + carried + cc @ rate - k_foot @ theta)
    out[A.JOINT_RATE:A.JOINT_RATE + 3] = new_rate
    out[A.JOINT_ANGLE:A.JOINT_ANGLE + 3] = theta + dt * new_rate

    twist_rest = -body[S.TWIST] * _smoothstep((sweep - body[S.TWIST_ONSET]) / (1 - body[S.TWIST_ONSET]))
    k_axial = d @ rot_h @ k_b @ rot_h.T @ d + (joints[A.J_C_ANKLE] + joints[A.J_C_LIMB]) / dt
    limb = y[A.LIMB_ANGLE]
    step = (joints[A.J_K_LIMB] * (twist_rest - limb) - axial) / (k_axial + joints[A.J_K_LIMB])
    spring = joints[A.J_K_LIMB] * (twist_rest - limb - step)
    if abs(spring) > joints[A.J_T_LIMB]:
        step = (np.sign(spring) * joints[A.J_T_LIMB] - axial) / k_axial
    out[A.LIMB_ANGLE] = limb + step
    return out, row
