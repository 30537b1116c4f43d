"""Plain-numpy reference of the contact step, the same equations as `kernels.contact`, vectorised.

Slow and obviously written; the tests (and `footsim verify`) hold the compiled kernel to it.
"""

from __future__ import annotations

import numpy as np

from .kernels import layout as L


def elastic_pressure(strain, tissue):
    """Pad pressure (Pa) at compressive strain: (E0/a)(exp(a e) - 1), linear barrier beyond e_max."""
    e0, a, e_max = tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN]
    below = e0 / a * np.expm1(a * np.minimum(strain, e_max))
    beyond = 50.0 * e0 * np.exp(a * e_max) * np.maximum(strain - e_max, 0.0)
    return below + beyond


def shear_stiffness(strain, thickness, tissue):
    """Bristle stiffness (Pa/m): G0 exp(a_s e) / (h (1 - e)), e capped at the barrier strain."""
    e = np.minimum(strain, tissue[L.MAX_STRAIN])
    return tissue[L.G0] * np.exp(tissue[L.SHEAR_EXPONENT] * e) / (thickness * (1.0 - e))


def advance_contact(position_f, area, thickness, tissue, rotation, foot_pos, foot_vel, omega, dt,
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
    strain = depth[i] / h
    load[L.MAX_STRAIN_STEP] = strain.max()
    pressure = np.maximum(elastic_pressure(strain, tissue) * (1.0 - tissue[L.DAMPING] * v[:, 2]), 0.0)
    h_eff = h * (1.0 - np.minimum(strain, tissue[L.MAX_STRAIN]))
    k_s = shear_stiffness(strain, h, tissue)
    u_old = state[i, L.U_X:L.U_Y + 1].copy()
    u = p[i, :2] - state[i, L.ANCHOR_X:L.ANCHOR_Y + 1]
    damp = tissue[L.SHEAR_DAMPING] / dt
    tau = k_s[:, None] * u + damp * (u - u_old)
    t_mag = np.linalg.norm(tau, axis=1)
    sticking = flags[i, L.STICKING] != 0
    mu = np.where(sticking, tissue[L.MU_STATIC], tissue[L.MU_KINETIC])
    slipping = t_mag > mu * pressure
    limit = tissue[L.MU_KINETIC] * pressure
    scale = np.where(slipping, limit / np.where(t_mag > 0, t_mag, 1.0), 1.0)
    tau = tau * scale[:, None]
    u_slip = (tau + damp * u_old) / (k_s[:, None] + damp)
    u = np.where(slipping[:, None], u_slip, u)
    anchor_new = p[i, :2] - u
    slip = np.where(slipping, np.linalg.norm(anchor_new - state[i, L.ANCHOR_X:L.ANCHOR_Y + 1], axis=1), 0.0)
    state[i, L.ANCHOR_X:L.ANCHOR_Y + 1] = np.where(slipping[:, None], anchor_new, state[i, L.ANCHOR_X:L.ANCHOR_Y + 1])
    records[i, L.SLIP] += slip
    records[i, L.WORK] += limit * area[i] * slip
    records[i, L.TRANSITIONS] += slipping & sticking
    flags[i, L.STICKING] = np.where(slipping, 0, 1)
    t_mag = np.where(slipping, limit, t_mag)
    state[i, L.U_X:L.U_Y + 1] = u

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
    records[i, L.PEAK_STRAIN] = np.maximum(records[i, L.PEAK_STRAIN], np.linalg.norm(u, axis=1) / h_eff)
    records[i, L.SHEAR_TIME] += t_mag * dt
    records[i, L.CONTACT_TIME] += dt
