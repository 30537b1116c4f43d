"""Plain-numpy reference of the contact step, the same equations as `kernels.contact`, vectorised.

Slow and obviously written; the tests (and `footsim verify`) hold the compiled kernel to it.
"""

from __future__ import annotations

import numpy as np

from ..kernels import layout as L


def elastic_pressure(strain, tissue):
    """Pad pressure (Pa) at compressive strain: (E0/a)(exp(a e) - 1), linear barrier beyond e_max."""
    return _exponential_pressure(strain, tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])


def _exponential_pressure(strain, e0, a, e_max):
    below = e0 / a * (np.exp(a * np.minimum(strain, e_max)) - 1.0)
    beyond = L.BARRIER_SLOPE * e0 * np.exp(a * e_max) * np.maximum(strain - e_max, 0.0)
    return below + beyond


def _exponential_tangent(strain, e0, a, e_max):
    return np.where(strain <= e_max, e0 * np.exp(a * np.minimum(strain, e_max)), L.BARRIER_SLOPE * e0 * np.exp(a * e_max))


def _exponential_energy(strain, e0, a, e_max):
    """Integral of the exponential law from 0 to `strain` (J/m3)."""
    e = np.minimum(strain, e_max)
    beyond = np.maximum(strain - e_max, 0.0)
    return (e0 / a * ((np.exp(a * e) - 1.0) / a - e) + _exponential_pressure(e_max, e0, a, e_max) * beyond
            + 0.5 * L.BARRIER_SLOPE * e0 * np.exp(a * e_max) * beyond**2)


def _exponential_strain(pressure, e0, a, e_max):
    """Inverse of the exponential law with its barrier (scalar)."""
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    if pressure <= p_max:
        return np.log1p(a * pressure / e0) / a
    return e_max + (pressure - p_max) / (L.BARRIER_SLOPE * e0 * np.exp(a * e_max))


def _exponential_compliance(pressure, e0, a, e_max):
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    return 1.0 / (e0 + a * pressure) if pressure <= p_max else 1.0 / (L.BARRIER_SLOPE * e0 * np.exp(a * e_max))


def stack_pressure(closure, h, t, tissue, stack_row, guess, sole_max_strain=0.9):
    """The pressure at which pad and sole compressions add up to `closure`: the kernel's Newton, in Python."""
    pad = (tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])
    sole = (stack_row[L.SOLE_E0], stack_row[L.SOLE_EXPONENT], sole_max_strain)
    p = max(guess, 0.0)
    for _ in range(100):
        g = h * _exponential_strain(p, *pad) + t * _exponential_strain(p, *sole) - closure
        slope = h * _exponential_compliance(p, *pad) + t * _exponential_compliance(p, *sole)
        p_new = max(p - g / slope, 0.0)
        if abs(p_new - p) <= 1e-14 * p_new:
            return p_new
        p = p_new
    return p


def shear_stiffness(strain, thickness, tissue):
    """Bristle stiffness (Pa/m): G0 exp(a_s e) / (h (1 - e)), e capped at the barrier strain."""
    e = np.minimum(strain, tissue[L.MAX_STRAIN])
    return tissue[L.G0] * np.exp(tissue[L.SHEAR_EXPONENT] * e) / (thickness * (1.0 - e))


def _bristle(strain, h, st, tissue):
    """k_s, dk_s/de and the skin's share k_s / k_skin of every element (the stack's sole in series)."""
    e = np.minimum(strain, tissue[L.MAX_STRAIN])
    k_skin = shear_stiffness(strain, h, tissue)
    dk_skin = np.where(strain < tissue[L.MAX_STRAIN], k_skin * (tissue[L.SHEAR_EXPONENT] + 1.0 / (1.0 - e)), 0.0)
    t = st[:, L.SOLE_THICKNESS]
    shod = t > 0
    k_sole = st[:, L.SOLE_SHEAR_MODULUS] / np.where(shod, t, 1.0)
    r = np.where(shod, k_sole / (k_skin + k_sole), 1.0)
    return k_skin * r, dk_skin * r * r, r


RAINFLOW_GATE = 1e-3


def _rainflow_count(records, i, strain_range, weight, tissue):
    records[i, L.STICK_CYCLES] += weight
    records[i, L.FATIGUE_DOSE] += weight * (strain_range / tissue[L.FATIGUE_REFERENCE_STRAIN]) ** tissue[L.FATIGUE_EXPONENT]
    records[i, L.STICK_STRAIN_RANGE] = max(records[i, L.STICK_STRAIN_RANGE], strain_range)


def _rainflow_push(state, records, i, value, tissue):
    """ASTM E1049 on a Python list: push a turning point, close the cycles it completes."""
    stack = list(state[i, L.RF_STACK:L.RF_STACK + int(state[i, L.RF_COUNT])])
    if len(stack) == L.RF_DEPTH:
        _rainflow_count(records, i, abs(stack[1] - stack[0]), 0.5, tissue)
        stack.pop(0)
    stack.append(value)
    while len(stack) >= 3 and abs(stack[-1] - stack[-2]) >= abs(stack[-2] - stack[-3]):
        if len(stack) == 3:
            _rainflow_count(records, i, abs(stack[1] - stack[0]), 0.5, tissue)
            stack.pop(0)
        else:
            _rainflow_count(records, i, abs(stack[-2] - stack[-3]), 1.0, tissue)
            del stack[-3:-1]
    state[i, L.RF_STACK:L.RF_STACK + L.RF_DEPTH] = stack + [0.0] * (L.RF_DEPTH - len(stack))
    state[i, L.RF_COUNT] = len(stack)


def _rainflow_sample(state, records, i, gamma, tissue):
    if state[i, L.RF_COUNT] == 0:
        _rainflow_push(state, records, i, gamma, tissue)
        state[i, L.RF_TREND] = 0.0
    elif state[i, L.RF_TREND] == 0.0:
        last = state[i, L.RF_STACK + int(state[i, L.RF_COUNT]) - 1]
        if abs(gamma - last) >= RAINFLOW_GATE:
            state[i, L.RF_CANDIDATE], state[i, L.RF_TREND] = gamma, np.sign(gamma - last)
    elif (gamma - state[i, L.RF_CANDIDATE]) * state[i, L.RF_TREND] >= 0.0:
        state[i, L.RF_CANDIDATE] = gamma
    elif abs(gamma - state[i, L.RF_CANDIDATE]) >= RAINFLOW_GATE:
        _rainflow_push(state, records, i, state[i, L.RF_CANDIDATE], tissue)
        state[i, L.RF_CANDIDATE], state[i, L.RF_TREND] = gamma, -state[i, L.RF_TREND]


def _rainflow_flush(state, records, i, tissue):
    if state[i, L.RF_COUNT] == 0:
        return
    _rainflow_sample(state, records, i, 0.0, tissue)
    if state[i, L.RF_TREND] != 0.0:
        _rainflow_push(state, records, i, state[i, L.RF_CANDIDATE], tissue)
    stack = state[i, L.RF_STACK:L.RF_STACK + int(state[i, L.RF_COUNT])]
    for a, b in zip(stack[:-1], stack[1:]):
        _rainflow_count(records, i, abs(b - a), 0.5, tissue)
    state[i, [L.RF_COUNT, L.RF_TREND, L.RF_CANDIDATE]] = 0.0
    state[i, L.RF_STACK:L.RF_STACK + L.RF_DEPTH] = 0.0


def advance_contact(position_f, bone_f, area, thickness, tissue, stack, rotation, foot_pos, foot_vel, omega, dt,
                    state, flags, records, load):
    """The numpy twin of `kernels.contact.advance_contact` (same arguments, same in-place updates)."""
    e0, a, e_max = tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN]
    g1, tau_pad = tissue[L.PAD_BRANCH_FRACTION], tissue[L.PAD_RELAXATION_TIME]
    r = position_f @ rotation.T
    p = foot_pos + r
    # summed term by term in the kernel's order: the bristle's rate is a difference of such positions
    bone = np.column_stack([foot_pos[k] + rotation[k, 0] * bone_f[:, 0] + rotation[k, 1] * bone_f[:, 1]
                            + rotation[k, 2] * bone_f[:, 2] for k in range(2)])
    depth = -p[:, 2]
    touching = depth > 0.0
    in_contact = flags[:, L.IN_CONTACT] != 0

    lost = np.nonzero(in_contact & ~touching)[0]
    for e in lost:
        _rainflow_flush(state, records, e, tissue)
    s = state[lost]
    records[lost, L.TISSUE_WORK] += -0.5 * s[:, L.PRESSURE] * s[:, L.DEPTH] + 0.5 * (
        s[:, L.TAU_X] * (bone[lost, 0] - s[:, L.BONE_X]) + s[:, L.TAU_Y] * (bone[lost, 1] - s[:, L.BONE_Y]))
    records[lost, L.COMPRESSION_LOSS] += thickness[lost] * g1 * _exponential_energy(-s[:, L.PAD_VISCOUS_STRAIN], e0, a,
                                                                                      e_max)
    records[lost, L.SHEAR_DAMPING_LOSS] += 0.5 * s[:, L.BRISTLE_STIFFNESS] * (s[:, L.U_X] ** 2 + s[:, L.U_Y] ** 2)
    flags[lost, L.IN_CONTACT] = 0
    flags[lost, L.STICKING] = 1
    for k in (L.U_X, L.U_Y, L.STACK_PRESSURE, L.PAD_VISCOUS_STRAIN, L.PRESSURE, L.TAU_X, L.TAU_Y, L.DEPTH,
              L.BRISTLE_STIFFNESS):
        state[lost, k] = 0.0
    new = touching & ~in_contact
    flags[new, L.IN_CONTACT] = 1
    flags[new, L.STICKING] = 1
    state[new, L.ANCHOR_X:L.ANCHOR_Y + 1] = bone[new]
    state[new, L.BONE_X:L.BONE_Y + 1] = bone[new]

    load[:] = 0.0
    i = np.nonzero(touching)[0]
    if len(i) == 0:
        return
    vz = foot_vel[2] + omega[0] * r[i, 1] - omega[1] * r[i, 0]
    h = thickness[i]
    st = stack[i]
    t = st[:, L.SOLE_THICKNESS]
    shod = t > 0
    strain = depth[i] / h
    p_el = _exponential_pressure(strain, e0, a, e_max)
    pad_share = np.ones(len(i))
    viscosity = np.full(len(i), tissue[L.DAMPING])
    for k in np.nonzero(shod)[0]:
        e = i[k]
        closure = depth[e] - st[k, L.SKIN_GAP]
        p_el[k] = stack_pressure(closure, h[k], t[k], tissue, st[k], state[e, L.STACK_PRESSURE]) if closure > 0 else 0.0
        strain[k] = _exponential_strain(p_el[k], e0, a, e_max)
        pad_give = h[k] * _exponential_compliance(p_el[k], e0, a, e_max)
        sole_give = t[k] * _exponential_compliance(p_el[k], st[k, L.SOLE_E0], st[k, L.SOLE_EXPONENT], 0.9)
        pad_share[k] = pad_give / (pad_give + sole_give)
        viscosity[k] = tissue[L.DAMPING] * pad_share[k] + st[k, L.SOLE_DAMPING] * (1.0 - pad_share[k])
    state[i, L.STACK_PRESSURE] = p_el
    load[L.MAX_STRAIN_STEP] = strain.max()

    e_v_old = state[i, L.PAD_VISCOUS_STRAIN].copy()
    if g1 > 0:
        q0 = g1 * _exponential_pressure(strain - e_v_old, e0, a, e_max)
        k_branch = g1 * _exponential_tangent(strain - e_v_old, e0, a, e_max)
        e_v = e_v_old + dt / (tau_pad + dt) * q0 / k_branch
        q = q0 - k_branch * (e_v - e_v_old)
    else:
        e_v, q = e_v_old, np.zeros(len(i))
    state[i, L.PAD_VISCOUS_STRAIN] = e_v

    # the bristle's energy grows with the compression: dW/dd carries it into the pressure
    k_s, dk_s, skin_share = _bristle(strain, h, st, tissue)
    u_old = state[i, L.U_X:L.U_Y + 1].copy()
    u = u_old + bone[i] - state[i, L.BONE_X:L.BONE_Y + 1]
    p_stored = p_el + pad_share * (q + 0.5 * dk_s * (u**2).sum(axis=1) / h)
    pressure = np.maximum(p_stored - p_el * viscosity * vz, 0.0)

    c_tot = tissue[L.SHEAR_DAMPING] + tissue[L.SHEAR_RETARDATION_TIME] * k_s
    damp = c_tot / dt
    tau = k_s[:, None] * u + damp[:, None] * (u - u_old)
    t_mag = np.linalg.norm(tau, axis=1)
    sticking = flags[i, L.STICKING] != 0
    mu_static = np.minimum(st[:, L.MU_SKIN_STATIC], st[:, L.MU_GROUND_STATIC])
    mu_kinetic = np.minimum(st[:, L.MU_SKIN_KINETIC], st[:, L.MU_GROUND_KINETIC])
    skin_slips = st[:, L.MU_SKIN_KINETIC] <= st[:, L.MU_GROUND_KINETIC]
    slipping = t_mag > np.where(sticking, mu_static, mu_kinetic) * pressure
    limit = mu_kinetic * pressure
    tau = np.where(slipping[:, None], tau * (limit / np.where(t_mag > 0, t_mag, 1.0))[:, None], tau)
    decay = np.where(c_tot > 0, np.exp(-dt * k_s / np.where(c_tot > 0, c_tot, 1.0)), 0.0)
    equilibrium = tau / k_s[:, None]
    u_trial = u
    u = np.where(slipping[:, None], equilibrium + (u_old - equilibrium) * decay[:, None], u)
    slip = np.where(slipping, np.linalg.norm(u_trial - u, axis=1), 0.0)
    state[i, L.ANCHOR_X:L.ANCHOR_Y + 1] = bone[i] - u
    records[i, L.SLIP] += slip
    records[i, L.SKIN_SLIP] += np.where(skin_slips, slip, 0.0)
    records[i, L.WORK] += limit * area[i] * slip
    records[i, L.WORK_PER_AREA] += limit * slip
    records[i, L.TRANSITIONS] += slipping & sticking
    flags[i, L.STICKING] = np.where(slipping, 0, 1)
    t_mag = np.where(slipping, limit, t_mag)

    s = state[i]
    depth_old = s[:, L.DEPTH]
    records[i, L.TISSUE_WORK] += 0.5 * ((pressure + s[:, L.PRESSURE]) * (depth[i] - depth_old)
                                        + ((tau + s[:, L.TAU_X:L.TAU_Y + 1]) * (bone[i] - s[:, L.BONE_X:L.BONE_Y + 1])).sum(1))
    records[i, L.COMPRESSION_LOSS] += (pressure - p_stored) * (depth[i] - depth_old) + h * q * (e_v - e_v_old)
    records[i, L.SHEAR_DAMPING_LOSS] += damp * ((u - u_old) ** 2).sum(axis=1)
    state[i, L.U_X:L.U_Y + 1] = u
    state[i, L.BRISTLE_STIFFNESS] = k_s
    state[i, L.PRESSURE] = pressure
    state[i, L.TAU_X:L.TAU_Y + 1] = tau
    state[i, L.DEPTH] = depth[i]
    state[i, L.BONE_X:L.BONE_Y + 1] = bone[i]

    f = np.column_stack([-tau[:, 0] * area[i], -tau[:, 1] * area[i], pressure * area[i]])
    load[L.FORCE:L.FORCE + 3] = f.sum(axis=0)
    # the pressure acts on the skin point, the tissue's shear on the bone-side point that it drags
    shear = np.column_stack([f[:, :2], np.zeros(len(i))])
    normal = np.column_stack([np.zeros((len(i), 2)), f[:, 2]])
    load[L.MOMENT_FOOT:L.MOMENT_FOOT + 3] = (np.cross(r[i], normal) + np.cross((bone_f @ rotation.T)[i], shear)).sum(axis=0)
    ground_points = np.column_stack([p[i, :2], np.zeros(len(i))])
    load[L.MOMENT_GROUND:L.MOMENT_GROUND + 3] = np.cross(ground_points, f).sum(axis=0)

    records[i, L.PEAK_PRESSURE] = np.maximum(records[i, L.PEAK_PRESSURE], pressure)
    new_peak = t_mag > records[i, L.PEAK_SHEAR]
    records[i, L.PEAK_SHEAR] = np.where(new_peak, t_mag, records[i, L.PEAK_SHEAR])
    traction_f = -np.column_stack([tau, np.zeros(len(i))]) @ rotation  # rows: R^T (-tau)
    norm = np.linalg.norm(traction_f[:, :2], axis=1)
    has_dir = new_peak & (norm > 0)
    safe = np.where(norm > 0, norm, 1.0)
    records[i, L.PEAK_DIR_X] = np.where(has_dir, traction_f[:, 0] / safe, records[i, L.PEAK_DIR_X])
    records[i, L.PEAK_DIR_Y] = np.where(has_dir, traction_f[:, 1] / safe, records[i, L.PEAK_DIR_Y])
    h_eff = h * (1.0 - np.minimum(strain, e_max))
    records[i, L.PEAK_STRAIN] = np.maximum(records[i, L.PEAK_STRAIN], np.linalg.norm(u, axis=1) * skin_share / h_eff)
    gamma = np.linalg.norm(u, axis=1) * skin_share / h_eff
    for e, g in zip(i[slipping == 0], gamma[slipping == 0]):
        _rainflow_sample(state, records, e, g, tissue)
    records[i, L.SHEAR_TIME] += t_mag * dt
    records[i, L.PRESSURE_TIME] += pressure * dt
    records[i, L.CONTACT_TIME] += dt
