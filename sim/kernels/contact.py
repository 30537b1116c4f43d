"""Plantar contact step: pad pressure and skin-shear bristles for every element (DESIGN 3.2, 3.3, 3.5).

Pressure (Hunt-Crossley form on an exponential pad):
    p = max(0, (E0/a) (exp(a e) - 1) (1 + c de/dt h)),  e = d / h,
with a linear barrier of 50x the local slope beyond the barrier strain e_max.
Skin shear, brush model with stick/slip Coulomb friction:
    tau = G0 exp(a_s e) / (h (1 - e)) u + c_t du/dt,  u = bone point - skin anchor (ground plane).
Sticking holds while |tau| <= mu_s p; when slipping the anchor moves so that |tau| = mu_k p,
and the skin re-sticks once the trial stress falls to mu_k p. Slip and frictional work
(|tau| A |anchor step|) accumulate. Time integration of u is implicit in the damping term,
so a slipping element's state is exact for the discrete law.

Shoes (DESIGN 3.5): a compliant sole (midsole) of thickness t under an element carries the same
pressure as the pad above it (Winkler columns in series, the pad reaching the insole after its
skin gap), so the penetration d of the outsole splits into pad and sole compression: the common
pressure is solved per element by Newton on the sum of the inverse laws, warm-started from the
last step. Damping acts on each layer's share of the compression rate. In shear the pad's and the sole's stiffness (G_sole / t) act in series;
the same stress crosses both interfaces, so the one with the lower friction limit slips, and the
skin's own shear is the stress it carries. An element with no sole is barefoot, arithmetic and all.
"""

import numpy as np

from ..config import jit
from . import layout as L

SOLE_MAX_STRAIN = 0.9  # foams bottom out like the pad: a barrier keeps the sole's strain below it


@jit
def pad_pressure(strain, e0, a, e_max):
    """Elastic pad pressure (Pa) at compressive strain: (E0/a)(exp(a e) - 1), linear barrier beyond e_max."""
    if strain <= e_max:
        return e0 / a * (np.exp(a * strain) - 1.0)
    return e0 / a * (np.exp(a * e_max) - 1.0) + 50.0 * e0 * np.exp(a * e_max) * (strain - e_max)


@jit
def pad_strain(pressure, e0, a, e_max):
    """Inverse of pad_pressure: the strain (-) at which the elastic pressure is `pressure` (Pa)."""
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    if pressure <= p_max:
        return np.log1p(a * pressure / e0) / a
    return e_max + (pressure - p_max) / (50.0 * e0 * np.exp(a * e_max))


@jit
def pad_compliance(pressure, e0, a, e_max):
    """d pad_strain / d pressure (1/Pa)."""
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    if pressure <= p_max:
        return 1.0 / (e0 + a * pressure)
    return 1.0 / (50.0 * e0 * np.exp(a * e_max))


@jit
def stack_pressure(closure, h, t, tissue, stack, guess):
    """Pressure p (Pa) at which pad and sole compressions add up to `closure` (m) = depth - skin gap.

    G(p) = h e_pad(p) + t e_sole(p) - closure is increasing and concave (inverse exponentials),
    so Newton from below the root climbs to it monotonically; a guess above the root overshoots
    once to below it and climbs from there.
    """
    e0, a, e_max = tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN]
    s0, sa = stack[L.SOLE_E0], stack[L.SOLE_EXPONENT]
    p = max(guess, 0.0)
    for _ in range(100):
        g = h * pad_strain(p, e0, a, e_max) + t * pad_strain(p, s0, sa, SOLE_MAX_STRAIN) - closure
        slope = h * pad_compliance(p, e0, a, e_max) + t * pad_compliance(p, s0, sa, SOLE_MAX_STRAIN)
        step = g / slope
        p_new = max(p - step, 0.0)
        if abs(p_new - p) <= 1e-14 * p_new:
            return p_new
        p = p_new
    return p


@jit
def advance_contact(position_f, area, thickness, tissue, stack, rotation, foot_pos, foot_vel, omega, dt,
                    state, flags, records, load):
    """Advance every element one step of dt (s) and return the net load on the foot in `load`.

    position_f (E,3) m: contact points in the foot frame (skin, or the outsole under it); area (E,)
    m2; thickness (E,) m of the pad; tissue (N_TISSUE,) SI; stack (E, N_STACK) the layers under
    each element (see layout); rotation (3,3) foot-to-ground; foot_pos (3,) m, foot_vel (3,) m/s of
    the foot-frame origin; omega (3,) rad/s in the ground frame; state (E,N_STATE), flags (E,2)
    int8 and records (E,N_RECORDS) updated in place; load (N_LOAD,) out: force on the foot (N),
    moment about the foot origin and about the ground origin (N m), all in the ground frame, and
    the largest pad strain of the step.
    """
    e0 = tissue[L.E0]
    a = tissue[L.EXPONENT]
    c = tissue[L.DAMPING]
    e_max = tissue[L.MAX_STRAIN]
    g0 = tissue[L.G0]
    a_s = tissue[L.SHEAR_EXPONENT]
    c_t = tissue[L.SHEAR_DAMPING]
    for j in range(L.N_LOAD):
        load[j] = 0.0
    for i in range(position_f.shape[0]):
        rx = rotation[0, 0] * position_f[i, 0] + rotation[0, 1] * position_f[i, 1] + rotation[0, 2] * position_f[i, 2]
        ry = rotation[1, 0] * position_f[i, 0] + rotation[1, 1] * position_f[i, 1] + rotation[1, 2] * position_f[i, 2]
        rz = rotation[2, 0] * position_f[i, 0] + rotation[2, 1] * position_f[i, 1] + rotation[2, 2] * position_f[i, 2]
        px = foot_pos[0] + rx
        py = foot_pos[1] + ry
        depth = -(foot_pos[2] + rz)
        if depth <= 0.0:
            if flags[i, L.IN_CONTACT] != 0:
                flags[i, L.IN_CONTACT] = 0
                flags[i, L.STICKING] = 1
                state[i, L.U_X] = 0.0
                state[i, L.U_Y] = 0.0
                state[i, L.STACK_PRESSURE] = 0.0
                state[i, L.PRESSURE] = 0.0
                state[i, L.TAU_X] = 0.0
                state[i, L.TAU_Y] = 0.0
            continue
        if flags[i, L.IN_CONTACT] == 0:
            flags[i, L.IN_CONTACT] = 1
            flags[i, L.STICKING] = 1
            state[i, L.ANCHOR_X] = px
            state[i, L.ANCHOR_Y] = py
            state[i, L.U_X] = 0.0
            state[i, L.U_Y] = 0.0
        # only the normal velocity enters: the bristle's rate comes from its displacement, not v
        vz = foot_vel[2] + omega[0] * ry - omega[1] * rx
        h = thickness[i]
        t = stack[i, L.SOLE_THICKNESS]
        if t > 0.0:
            closure = depth - stack[i, L.SKIN_GAP]
            p_el = 0.0
            if closure > 0.0:
                p_el = stack_pressure(closure, h, t, tissue, stack[i], state[i, L.STACK_PRESSURE])
            state[i, L.STACK_PRESSURE] = p_el
            strain = pad_strain(p_el, e0, a, e_max)
            # each layer takes the share of the compression rate in proportion to its compliance
            pad_give = h * pad_compliance(p_el, e0, a, e_max)
            sole_give = t * pad_compliance(p_el, stack[i, L.SOLE_E0], stack[i, L.SOLE_EXPONENT], SOLE_MAX_STRAIN)
            pad_share = pad_give / (pad_give + sole_give)
            p = p_el * (1.0 - (c * pad_share + stack[i, L.SOLE_DAMPING] * (1.0 - pad_share)) * vz)
        else:
            strain = depth / h
            p = pad_pressure(strain, e0, a, e_max) * (1.0 - c * vz)
        if strain > load[L.MAX_STRAIN_STEP]:
            load[L.MAX_STRAIN_STEP] = strain
        if p < 0.0:
            p = 0.0
        e_c = min(strain, e_max)
        h_eff = h * (1.0 - e_c)
        k_skin = g0 * np.exp(a_s * e_c) / h_eff
        if t > 0.0:
            k_sole_shear = stack[i, L.SOLE_SHEAR_MODULUS] / t
            k_s = k_skin * k_sole_shear / (k_skin + k_sole_shear)
        else:
            k_s = k_skin
        mu_skin_s, mu_skin_k = stack[i, L.MU_SKIN_STATIC], stack[i, L.MU_SKIN_KINETIC]
        mu_ground_s, mu_ground_k = stack[i, L.MU_GROUND_STATIC], stack[i, L.MU_GROUND_KINETIC]
        skin_slips = mu_skin_k <= mu_ground_k
        mu_s = min(mu_skin_s, mu_ground_s)
        mu_k = min(mu_skin_k, mu_ground_k)
        ux_old = state[i, L.U_X]
        uy_old = state[i, L.U_Y]
        ux = px - state[i, L.ANCHOR_X]
        uy = py - state[i, L.ANCHOR_Y]
        damp = c_t / dt
        tx = k_s * ux + damp * (ux - ux_old)
        ty = k_s * uy + damp * (uy - uy_old)
        t_mag = np.sqrt(tx * tx + ty * ty)
        mu = mu_s if flags[i, L.STICKING] != 0 else mu_k
        if t_mag > mu * p:
            limit = mu_k * p
            tx = limit * tx / t_mag
            ty = limit * ty / t_mag
            ux = (tx + damp * ux_old) / (k_s + damp)
            uy = (ty + damp * uy_old) / (k_s + damp)
            ax = px - ux
            ay = py - uy
            slip = np.sqrt((ax - state[i, L.ANCHOR_X]) ** 2 + (ay - state[i, L.ANCHOR_Y]) ** 2)
            state[i, L.ANCHOR_X] = ax
            state[i, L.ANCHOR_Y] = ay
            records[i, L.SLIP] += slip
            if skin_slips:
                records[i, L.SKIN_SLIP] += slip
            records[i, L.WORK] += limit * area[i] * slip
            if flags[i, L.STICKING] != 0:
                records[i, L.TRANSITIONS] += 1.0
            flags[i, L.STICKING] = 0
            t_mag = limit
        else:
            flags[i, L.STICKING] = 1
        state[i, L.U_X] = ux
        state[i, L.U_Y] = uy
        state[i, L.PRESSURE] = p
        state[i, L.TAU_X] = tx
        state[i, L.TAU_Y] = ty
        fx = -tx * area[i]
        fy = -ty * area[i]
        fz = p * area[i]
        load[0] += fx
        load[1] += fy
        load[2] += fz
        load[3] += ry * fz - rz * fy
        load[4] += rz * fx - rx * fz
        load[5] += rx * fy - ry * fx
        load[6] += py * fz
        load[7] += -px * fz
        load[8] += px * fy - py * fx
        if p > records[i, L.PEAK_PRESSURE]:
            records[i, L.PEAK_PRESSURE] = p
        if t_mag > records[i, L.PEAK_SHEAR]:
            records[i, L.PEAK_SHEAR] = t_mag
            # direction of the ground's traction on the skin (-tau), expressed in the foot frame
            dfx = -(rotation[0, 0] * tx + rotation[1, 0] * ty)
            dfy = -(rotation[0, 1] * tx + rotation[1, 1] * ty)
            norm = np.sqrt(dfx * dfx + dfy * dfy)
            if norm > 0.0:
                records[i, L.PEAK_DIR_X] = dfx / norm
                records[i, L.PEAK_DIR_Y] = dfy / norm
        # the skin's own displacement carries the stack's elastic stress at the skin's stiffness
        skin_u = np.sqrt(ux * ux + uy * uy) if t == 0.0 else np.sqrt(ux * ux + uy * uy) * k_s / k_skin
        strain_shear = skin_u / h_eff
        if strain_shear > records[i, L.PEAK_STRAIN]:
            records[i, L.PEAK_STRAIN] = strain_shear
        records[i, L.SHEAR_TIME] += t_mag * dt
        records[i, L.CONTACT_TIME] += dt


def new_contact_state(n_elements):
    """Fresh element state, flags and records for a stance (all out of contact)."""
    state = np.zeros((n_elements, L.N_STATE))
    flags = np.zeros((n_elements, L.N_FLAGS), dtype=np.int8)
    flags[:, L.STICKING] = 1
    records = np.zeros((n_elements, L.N_RECORDS))
    return state, flags, records


def barefoot_stack(n_elements, mu_static, mu_kinetic):
    """The empty stack: skin on the ground with the given friction, nothing else."""
    stack = np.zeros((n_elements, L.N_STACK))
    stack[:, L.MU_SKIN_STATIC] = mu_static
    stack[:, L.MU_SKIN_KINETIC] = mu_kinetic
    stack[:, L.MU_GROUND_STATIC] = np.inf
    stack[:, L.MU_GROUND_KINETIC] = np.inf
    return stack
