"""Plain-numpy reference of the contact step, the same equations as `kernels.contact`, vectorised.

Slow and obviously written; the tests (and `footsim verify`) hold the compiled kernel to it.
"""

from __future__ import annotations

import numpy as np

from .kernels import layout as L


def elastic_pressure(strain, tissue):
    """Pad pressure (Pa) at compressive strain: (E0/a)(exp(a e) - 1), linear barrier beyond e_max."""
    return _exponential_pressure(strain, tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])


def _exponential_pressure(strain, e0, a, e_max):
    below = e0 / a * (np.exp(a * np.minimum(strain, e_max)) - 1.0)
    beyond = 50.0 * e0 * np.exp(a * e_max) * np.maximum(strain - e_max, 0.0)
    return below + beyond


def _exponential_strain(pressure, e0, a, e_max):
    """Inverse of the exponential law with its barrier (scalar)."""
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    if pressure <= p_max:
        return np.log1p(a * pressure / e0) / a
    return e_max + (pressure - p_max) / (50.0 * e0 * np.exp(a * e_max))


def _exponential_compliance(pressure, e0, a, e_max):
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    return 1.0 / (e0 + a * pressure) if pressure <= p_max else 1.0 / (50.0 * e0 * np.exp(a * e_max))


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


def advance_contact(position_f, area, thickness, tissue, stack, rotation, foot_pos, foot_vel, omega, dt,
                    state, flags, records, load):
    """The numpy twin of `kernels.contact.advance_contact` (same arguments, same in-place updates)."""
    r = position_f @ rotation.T
    p = foot_pos + r
    depth = -p[:, 2]
    touching = depth > 0.0
    in_contact = flags[:, L.IN_CONTACT] != 0
    lost = in_contact & ~touching
    flags[lost, L.IN_CONTACT] = 0
    flags[lost, L.STICKING] = 1
    state[lost, L.U_X:L.U_Y + 1] = 0.0
    state[lost, L.STACK_PRESSURE] = 0.0
    state[lost, L.PRESSURE:L.TAU_Y + 1] = 0.0
    new = touching & ~in_contact
    flags[new, L.IN_CONTACT] = 1
    flags[new, L.STICKING] = 1
    state[new, L.ANCHOR_X:L.ANCHOR_Y + 1] = p[new, :2]
    state[new, L.U_X:L.U_Y + 1] = 0.0

    load[:] = 0.0
    i = np.nonzero(touching)[0]
    if len(i) == 0:
        return
    v = foot_vel + np.cross(omega, r[i])
    h = thickness[i]
    st = stack[i]
    t = st[:, L.SOLE_THICKNESS]
    shod = t > 0
    strain = depth[i] / h
    pressure = elastic_pressure(strain, tissue) * (1.0 - tissue[L.DAMPING] * v[:, 2])
    for k in np.nonzero(shod)[0]:
        e = i[k]
        closure = depth[e] - st[k, L.SKIN_GAP]
        p_el = stack_pressure(closure, h[k], t[k], tissue, st[k], state[e, L.STACK_PRESSURE]) if closure > 0 else 0.0
        state[e, L.STACK_PRESSURE] = p_el
        strain[k] = _exponential_strain(p_el, tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])
        pad_give = h[k] * _exponential_compliance(p_el, tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])
        sole_give = t[k] * _exponential_compliance(p_el, st[k, L.SOLE_E0], st[k, L.SOLE_EXPONENT], 0.9)
        pad_share = pad_give / (pad_give + sole_give)
        c_eq = tissue[L.DAMPING] * pad_share + st[k, L.SOLE_DAMPING] * (1.0 - pad_share)
        pressure[k] = p_el * (1.0 - c_eq * v[k, 2])
    load[L.MAX_STRAIN_STEP] = strain.max()
    pressure = np.maximum(pressure, 0.0)
    h_eff = h * (1.0 - np.minimum(strain, tissue[L.MAX_STRAIN]))
    k_skin = shear_stiffness(strain, h, tissue)
    k_sole = np.where(shod, st[:, L.SOLE_SHEAR_MODULUS] / np.where(shod, t, 1.0), np.inf)
    k_s = np.where(shod, k_skin * k_sole / (k_skin + np.where(shod, k_sole, 0.0)), k_skin)
    u_old = state[i, L.U_X:L.U_Y + 1].copy()
    u = p[i, :2] - state[i, L.ANCHOR_X:L.ANCHOR_Y + 1]
    damp = tissue[L.SHEAR_DAMPING] / dt
    tau = k_s[:, None] * u + damp * (u - u_old)
    t_mag = np.linalg.norm(tau, axis=1)
    sticking = flags[i, L.STICKING] != 0
    mu_static = np.minimum(st[:, L.MU_SKIN_STATIC], st[:, L.MU_GROUND_STATIC])
    mu_kinetic = np.minimum(st[:, L.MU_SKIN_KINETIC], st[:, L.MU_GROUND_KINETIC])
    skin_slips = st[:, L.MU_SKIN_KINETIC] <= st[:, L.MU_GROUND_KINETIC]
    mu = np.where(sticking, mu_static, mu_kinetic)
    slipping = t_mag > mu * pressure
    limit = mu_kinetic * pressure
    scale = np.where(slipping, limit / np.where(t_mag > 0, t_mag, 1.0), 1.0)
    tau = tau * scale[:, None]
    u_slip = (tau + damp * u_old) / (k_s[:, None] + damp)
    u = np.where(slipping[:, None], u_slip, u)
    anchor_new = p[i, :2] - u
    slip = np.where(slipping, np.linalg.norm(anchor_new - state[i, L.ANCHOR_X:L.ANCHOR_Y + 1], axis=1), 0.0)
    state[i, L.ANCHOR_X:L.ANCHOR_Y + 1] = np.where(slipping[:, None], anchor_new, state[i, L.ANCHOR_X:L.ANCHOR_Y + 1])
    records[i, L.SLIP] += slip
    records[i, L.SKIN_SLIP] += np.where(skin_slips, slip, 0.0)
    records[i, L.WORK] += limit * area[i] * slip
    records[i, L.TRANSITIONS] += slipping & sticking
    flags[i, L.STICKING] = np.where(slipping, 0, 1)
    t_mag = np.where(slipping, limit, t_mag)
    state[i, L.U_X:L.U_Y + 1] = u
    state[i, L.PRESSURE] = pressure
    state[i, L.TAU_X:L.TAU_Y + 1] = tau

    f = np.column_stack([-tau[:, 0] * area[i], -tau[:, 1] * area[i], pressure * area[i]])
    load[L.FORCE:L.FORCE + 3] = f.sum(axis=0)
    load[L.MOMENT_FOOT:L.MOMENT_FOOT + 3] = np.cross(r[i], f).sum(axis=0)
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
    skin_u = np.where(shod, np.linalg.norm(u, axis=1) * k_s / k_skin, np.linalg.norm(u, axis=1))
    records[i, L.PEAK_STRAIN] = np.maximum(records[i, L.PEAK_STRAIN], skin_u / h_eff)
    records[i, L.SHEAR_TIME] += t_mag * dt
    records[i, L.CONTACT_TIME] += dt
