"""Plantar contact step: pad pressure and skin-shear bristles for every element (DESIGN 3.2, 3.3, 3.5).

Stored energy per unit area of an element (model v2), W = h w(e) + h g1 w(e - e_v) + k(e) |u|^2 / 2:
- w(e) = integral of the exponential pad law p_el(e) = (E0/a)(exp(a e) - 1), a linear barrier of
  BARRIER_SLOPE times the local slope beyond the barrier strain e_max;
- a Maxwell branch beside it (quasi-linear viscoelasticity with one Prony term): the same law scaled
  by g1 on the elastic part e - e_v of the strain, and a dashpot de_v/dt = q / (tau dq/de), so
  that the branch relaxes in tau at every strain; the isolated pad's hysteresis comes from it;
- the skin bristle, tau = k(e) u with k(e) = G0 exp(a_s e) / (h (1 - e)), u the bone-side point's
  ground-plane displacement from the skin's anchor.
Pressure and shear stress are the derivatives of W: p = p_el(e) + q + (1/2) k'(e) |u|^2 / h (the
bristle's term is a Poynting stress: shear presses the pad), tau = k(e) u. So a closed cycle of
compression and shear without slip does no net work; the v1 law's tau = k(e) u alone gained
1/2 (k_hi - k_lo) u^2 over a cycle sheared at low and released at high compression. Beside the
stored energy: Hunt-Crossley damping p_el c de/dt and the bristle's Kelvin-Voigt damping
c_tot du/dt, c_tot = c_t + eta_s k(e) (eta_s = loss tangent / angular frequency).
Sticking holds while |tau| <= mu_s p; when slipping the anchor moves so that |tau| = mu_k p along
the trial stress, and the bristle relaxes to its new equilibrium exactly over the step
(exponentially, time constant c_tot / k). Slip and frictional work accumulate.

Shoes (DESIGN 3.5): a compliant sole (midsole) of thickness t under an element carries the same
elastic pressure as the pad above it (Winkler columns in series, the pad reaching the insole after
its skin gap), so the penetration d of the outsole splits into pad and sole compression: the common
pressure is solved per element by Newton on the sum of the inverse laws, warm-started from the
last step. Damping and the pad's viscous branch act on each layer's share of the compression. In
shear the pad's and the sole's stiffness (G_sole / t) act in series; the same stress crosses both
interfaces, so the one with the lower friction limit slips, and the skin's own shear is the stress
it carries. An element with no sole is barefoot, arithmetic and all.

While an element's skin sticks, its shear strain is rainflow-counted into stick-phase cycles and a
fatigue dose (`kernels.rainflow`, DESIGN 3.7). Energy records per unit area (J/m2): the work done on the tissue column by the bone-side motion
(trapezoidal over each step), the losses in compression and in the bristle's damping, and the
frictional work; the stored energy is a function of the state (`stored_energy` below).
"""

import numpy as np

from ..config import jit
from . import layout as L
from . import rainflow

SOLE_MAX_STRAIN = 0.9  # foams bottom out like the pad: a barrier keeps the sole's strain below it


@jit
def pad_pressure(strain, e0, a, e_max):
    """Elastic pad pressure (Pa) at compressive strain: (E0/a)(exp(a e) - 1), linear barrier beyond e_max."""
    if strain <= e_max:
        return e0 / a * (np.exp(a * strain) - 1.0)
    return e0 / a * (np.exp(a * e_max) - 1.0) + L.BARRIER_SLOPE * e0 * np.exp(a * e_max) * (strain - e_max)


@jit
def elastic_load(strain, area, e0, a, e_max):
    """Sum over elements of the elastic pad pressure at each strain times its area (N)."""
    total = 0.0
    for i in range(strain.shape[0]):
        if strain[i] > 0.0:
            total += pad_pressure(strain[i], e0, a, e_max) * area[i]
    return total


@jit
def pad_tangent(strain, e0, a, e_max):
    """d pad_pressure / d strain (Pa)."""
    if strain <= e_max:
        return e0 * np.exp(a * strain)
    return L.BARRIER_SLOPE * e0 * np.exp(a * e_max)


@jit
def pad_energy(strain, e0, a, e_max):
    """Elastic energy per unit volume (J/m3) of the pad law up to `strain`: the integral of pad_pressure."""
    if strain <= e_max:
        return e0 / a * ((np.exp(a * strain) - 1.0) / a - strain)
    beyond = strain - e_max
    return (e0 / a * ((np.exp(a * e_max) - 1.0) / a - e_max) + pad_pressure(e_max, e0, a, e_max) * beyond
            + 0.5 * L.BARRIER_SLOPE * e0 * np.exp(a * e_max) * beyond * beyond)


@jit
def pad_strain(pressure, e0, a, e_max):
    """Inverse of pad_pressure: the strain (-) at which the elastic pressure is `pressure` (Pa)."""
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    if pressure <= p_max:
        return np.log1p(a * pressure / e0) / a
    return e_max + (pressure - p_max) / (L.BARRIER_SLOPE * e0 * np.exp(a * e_max))


@jit
def pad_compliance(pressure, e0, a, e_max):
    """d pad_strain / d pressure (1/Pa)."""
    p_max = e0 / a * (np.exp(a * e_max) - 1.0)
    if pressure <= p_max:
        return 1.0 / (e0 + a * pressure)
    return 1.0 / (L.BARRIER_SLOPE * e0 * np.exp(a * e_max))


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
def _shear_stiffness(strain, h, stack_row, g0, a_s, e_max):
    """Bristle stiffness k_s (Pa/m), its derivative in the pad strain, and the skin's own share k_s / k_skin
    (the sole's shear in series)."""
    e_c = min(strain, e_max)
    k_skin = g0 * np.exp(a_s * e_c) / (h * (1.0 - e_c))
    dk_skin = k_skin * (a_s + 1.0 / (1.0 - e_c)) if strain < e_max else 0.0
    t = stack_row[L.SOLE_THICKNESS]
    if t > 0.0:
        k_sole = stack_row[L.SOLE_SHEAR_MODULUS] / t
        r = k_sole / (k_skin + k_sole)
        return k_skin * r, dk_skin * r * r, r
    return k_skin, dk_skin, 1.0


@jit
def advance_contact(position_f, bone_f, area, thickness, tissue, stack, rotation, foot_pos, foot_vel, omega, dt,
                    state, flags, records, load):
    """Advance every element one step of dt (s) and return the net load on the foot in `load`.

    position_f (E,3) m: contact points in the foot frame (skin, or the outsole under it); bone_f
    (E,3) m: the bone-side end of each tissue column (the skin point plus the unloaded pad
    thickness along the inward normal), whose ground-plane motion shears the bristle; area (E,)
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
    g1 = tissue[L.PAD_BRANCH_FRACTION]
    tau_pad = tissue[L.PAD_RELAXATION_TIME]
    eta_s = tissue[L.SHEAR_RETARDATION_TIME]
    m_fatigue = tissue[L.FATIGUE_EXPONENT]
    gamma_ref = tissue[L.FATIGUE_REFERENCE_STRAIN]
    for j in range(L.N_LOAD):
        load[j] = 0.0
    for i in range(position_f.shape[0]):
        rx = rotation[0, 0] * position_f[i, 0] + rotation[0, 1] * position_f[i, 1] + rotation[0, 2] * position_f[i, 2]
        ry = rotation[1, 0] * position_f[i, 0] + rotation[1, 1] * position_f[i, 1] + rotation[1, 2] * position_f[i, 2]
        rz = rotation[2, 0] * position_f[i, 0] + rotation[2, 1] * position_f[i, 1] + rotation[2, 2] * position_f[i, 2]
        depth = -(foot_pos[2] + rz)
        if depth <= 0.0 and flags[i, L.IN_CONTACT] == 0:
            continue
        bx = foot_pos[0] + rotation[0, 0] * bone_f[i, 0] + rotation[0, 1] * bone_f[i, 1] + rotation[0, 2] * bone_f[i, 2]
        by = foot_pos[1] + rotation[1, 0] * bone_f[i, 0] + rotation[1, 1] * bone_f[i, 1] + rotation[1, 2] * bone_f[i, 2]
        h = thickness[i]
        if depth <= 0.0:
            # the last step back to the surface; what the tissue still holds off the ground (the
            # branch's strain, the bristle) is released there and counted as lost
            records[i, L.TISSUE_WORK] += -0.5 * state[i, L.PRESSURE] * state[i, L.DEPTH] + 0.5 * (
                state[i, L.TAU_X] * (bx - state[i, L.BONE_X]) + state[i, L.TAU_Y] * (by - state[i, L.BONE_Y]))
            records[i, L.COMPRESSION_LOSS] += h * g1 * pad_energy(-state[i, L.PAD_VISCOUS_STRAIN], e0, a, e_max)
            records[i, L.SHEAR_DAMPING_LOSS] += 0.5 * state[i, L.BRISTLE_STIFFNESS] * (state[i, L.U_X] ** 2
                                                                                        + state[i, L.U_Y] ** 2)
            rainflow.flush(state, records, i, m_fatigue, gamma_ref)
            flags[i, L.IN_CONTACT] = 0
            flags[i, L.STICKING] = 1
            for k in (L.U_X, L.U_Y, L.STACK_PRESSURE, L.PAD_VISCOUS_STRAIN, L.PRESSURE, L.TAU_X, L.TAU_Y, L.DEPTH,
                      L.BRISTLE_STIFFNESS):
                state[i, k] = 0.0
            continue
        if flags[i, L.IN_CONTACT] == 0:
            flags[i, L.IN_CONTACT] = 1
            flags[i, L.STICKING] = 1
            state[i, L.ANCHOR_X] = bx
            state[i, L.ANCHOR_Y] = by
            state[i, L.BONE_X] = bx
            state[i, L.BONE_Y] = by
        # only the normal velocity enters: the bristle's rate comes from its displacement, not v
        vz = foot_vel[2] + omega[0] * ry - omega[1] * rx
        t = stack[i, L.SOLE_THICKNESS]
        if t > 0.0:
            closure = depth - stack[i, L.SKIN_GAP]
            p_el = 0.0
            if closure > 0.0:
                p_el = stack_pressure(closure, h, t, tissue, stack[i], state[i, L.STACK_PRESSURE])
            strain = pad_strain(p_el, e0, a, e_max)
            # each layer takes the share of the compression rate in proportion to its compliance
            pad_give = h * pad_compliance(p_el, e0, a, e_max)
            sole_give = t * pad_compliance(p_el, stack[i, L.SOLE_E0], stack[i, L.SOLE_EXPONENT], SOLE_MAX_STRAIN)
            pad_share = pad_give / (pad_give + sole_give)
            viscosity = c * pad_share + stack[i, L.SOLE_DAMPING] * (1.0 - pad_share)
        else:
            strain = depth / h
            p_el = pad_pressure(strain, e0, a, e_max)
            pad_share = 1.0
            viscosity = c
        state[i, L.STACK_PRESSURE] = p_el
        if strain > load[L.MAX_STRAIN_STEP]:
            load[L.MAX_STRAIN_STEP] = strain
        # the pad's Maxwell branch, its dashpot as stiff as its spring's tangent so that it relaxes in
        # tau at every strain (quasi-linear viscoelasticity); linearised backward Euler, stable for any dt
        e_v_old = state[i, L.PAD_VISCOUS_STRAIN]
        e_v = e_v_old
        q = 0.0
        if g1 > 0.0:
            q0 = g1 * pad_pressure(strain - e_v_old, e0, a, e_max)
            k_branch = g1 * pad_tangent(strain - e_v_old, e0, a, e_max)
            e_v = e_v_old + dt / (tau_pad + dt) * q0 / k_branch
            q = q0 - k_branch * (e_v - e_v_old)
        state[i, L.PAD_VISCOUS_STRAIN] = e_v

        # the bristle carried from the last step, moved with the bone over this one (the trial, sticking)
        ux_old = state[i, L.U_X]
        uy_old = state[i, L.U_Y]
        ux = ux_old + bx - state[i, L.BONE_X]
        uy = uy_old + by - state[i, L.BONE_Y]
        # the bristle's energy grows with the compression: dW/dd carries it into the pressure
        k_s, dk_s, skin_share = _shear_stiffness(strain, h, stack[i], g0, a_s, e_max)
        p_stored = p_el + pad_share * (q + 0.5 * dk_s * (ux * ux + uy * uy) / h)
        p = p_stored - p_el * viscosity * vz
        if p < 0.0:
            p = 0.0

        mu_skin_s, mu_skin_k = stack[i, L.MU_SKIN_STATIC], stack[i, L.MU_SKIN_KINETIC]
        mu_ground_s, mu_ground_k = stack[i, L.MU_GROUND_STATIC], stack[i, L.MU_GROUND_KINETIC]
        skin_slips = mu_skin_k <= mu_ground_k
        mu_s = min(mu_skin_s, mu_ground_s)
        mu_k = min(mu_skin_k, mu_ground_k)
        c_tot = c_t + eta_s * k_s
        damp = c_tot / dt
        tx = k_s * ux + damp * (ux - ux_old)
        ty = k_s * uy + damp * (uy - uy_old)
        t_mag = np.sqrt(tx * tx + ty * ty)
        mu = mu_s if flags[i, L.STICKING] != 0 else mu_k
        ux_trial, uy_trial = ux, uy
        if t_mag > mu * p:
            limit = mu_k * p
            tx = limit * tx / t_mag
            ty = limit * ty / t_mag
            # c_tot du/dt + k_s u = tau while the anchor slides: u relaxes exponentially to tau / k_s
            decay = np.exp(-dt * k_s / c_tot) if c_tot > 0.0 else 0.0
            ux = tx / k_s + (ux_old - tx / k_s) * decay
            uy = ty / k_s + (uy_old - ty / k_s) * decay
            # the anchor slides from where the trial bristle put it
            slip = np.sqrt((ux_trial - ux) ** 2 + (uy_trial - uy) ** 2)
            records[i, L.SLIP] += slip
            if skin_slips:
                records[i, L.SKIN_SLIP] += slip
            records[i, L.WORK] += limit * area[i] * slip
            records[i, L.WORK_PER_AREA] += limit * slip
            if flags[i, L.STICKING] != 0:
                records[i, L.TRANSITIONS] += 1.0
            flags[i, L.STICKING] = 0
            t_mag = limit
        else:
            flags[i, L.STICKING] = 1

        depth_old = state[i, L.DEPTH]
        records[i, L.TISSUE_WORK] += 0.5 * ((p + state[i, L.PRESSURE]) * (depth - depth_old)
                                            + (tx + state[i, L.TAU_X]) * (bx - state[i, L.BONE_X])
                                            + (ty + state[i, L.TAU_Y]) * (by - state[i, L.BONE_Y]))
        records[i, L.COMPRESSION_LOSS] += (p - p_stored) * (depth - depth_old) + h * q * (e_v - e_v_old)
        records[i, L.SHEAR_DAMPING_LOSS] += damp * ((ux - ux_old) ** 2 + (uy - uy_old) ** 2)
        state[i, L.ANCHOR_X] = bx - ux
        state[i, L.ANCHOR_Y] = by - uy
        state[i, L.U_X] = ux
        state[i, L.U_Y] = uy
        state[i, L.BRISTLE_STIFFNESS] = k_s
        state[i, L.PRESSURE] = p
        state[i, L.TAU_X] = tx
        state[i, L.TAU_Y] = ty
        state[i, L.DEPTH] = depth
        state[i, L.BONE_X] = bx
        state[i, L.BONE_Y] = by

        fx = -tx * area[i]
        fy = -ty * area[i]
        fz = p * area[i]
        px = foot_pos[0] + rx
        py = foot_pos[1] + ry
        load[0] += fx
        load[1] += fy
        load[2] += fz
        # the pressure acts on the skin point, the tissue's shear on the bone-side point that it drags
        sx = bx - foot_pos[0]
        sy = by - foot_pos[1]
        sz = rotation[2, 0] * bone_f[i, 0] + rotation[2, 1] * bone_f[i, 1] + rotation[2, 2] * bone_f[i, 2]
        load[3] += ry * fz - sz * fy
        load[4] += sz * fx - rx * fz
        load[5] += sx * fy - sy * fx
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
        strain_shear = np.sqrt(ux * ux + uy * uy) * skin_share / (h * (1.0 - min(strain, e_max)))
        if strain_shear > records[i, L.PEAK_STRAIN]:
            records[i, L.PEAK_STRAIN] = strain_shear
        if flags[i, L.STICKING] != 0:
            rainflow.sample(state, records, i, strain_shear, m_fatigue, gamma_ref)
        records[i, L.SHEAR_TIME] += t_mag * dt
        records[i, L.PRESSURE_TIME] += p * dt
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


@jit
def stored_energy(thickness, tissue, stack, state, flags, out):
    """Elastic energy per unit area (J/m2) each element holds in its state: pad, sole, viscous branch, bristle."""
    e0, a, e_max = tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN]
    g1 = tissue[L.PAD_BRANCH_FRACTION]
    for i in range(thickness.shape[0]):
        out[i] = 0.0
        if flags[i, L.IN_CONTACT] == 0:
            continue
        h = thickness[i]
        t = stack[i, L.SOLE_THICKNESS]
        if t > 0.0:
            p_el = state[i, L.STACK_PRESSURE]
            strain = pad_strain(p_el, e0, a, e_max)
            s0, sa = stack[i, L.SOLE_E0], stack[i, L.SOLE_EXPONENT]
            out[i] += t * pad_energy(pad_strain(p_el, s0, sa, SOLE_MAX_STRAIN), s0, sa, SOLE_MAX_STRAIN)
        else:
            strain = state[i, L.DEPTH] / h
        out[i] += (h * pad_energy(strain, e0, a, e_max)
                   + h * g1 * pad_energy(strain - state[i, L.PAD_VISCOUS_STRAIN], e0, a, e_max)
                   + 0.5 * state[i, L.BRISTLE_STIFFNESS] * (state[i, L.U_X] ** 2 + state[i, L.U_Y] ** 2))
