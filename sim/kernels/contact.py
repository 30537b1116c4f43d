"""Plantar contact step: pad pressure and skin-shear bristles for every element (DESIGN 3.2, 3.3).

Pressure (Hunt-Crossley form on an exponential pad):
    p = max(0, (E0/a) (exp(a e) - 1) (1 + c de/dt h)),  e = d / h,
with a linear barrier of 50x the local slope beyond the barrier strain e_max.
Skin shear, brush model with stick/slip Coulomb friction:
    tau = G0 exp(a_s e) / (h (1 - e)) u + c_t du/dt,  u = bone point - skin anchor (ground plane).
Sticking holds while |tau| <= mu_s p; when slipping the anchor moves so that |tau| = mu_k p,
and the skin re-sticks once the trial stress falls to mu_k p. Slip and frictional work
(|tau| A |anchor step|) accumulate. Time integration of u is implicit in the damping term,
so a slipping element's state is exact for the discrete law.
"""

import numpy as np

from ..config import jit
from . import layout as L


@jit
def advance_contact(position_f, area, thickness, tissue, rotation, foot_pos, foot_vel, omega, dt,
                    state, flags, records, load):
    """Advance every element one step of dt (s) and return the net load on the foot in `load`.

    position_f (E,3) m: element points in the foot frame; area (E,) m2; thickness (E,) m;
    tissue (N_TISSUE,) SI (see layout); rotation (3,3) foot-to-ground; foot_pos (3,) m, foot_vel
    (3,) m/s of the foot-frame origin; omega (3,) rad/s in the ground frame; state (E,4), flags
    (E,2) int8 and records (E,N_RECORDS) updated in place; load (N_LOAD,) out: force on the foot (N),
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
    mu_s = tissue[L.MU_STATIC]
    mu_k = tissue[L.MU_KINETIC]
    p_at_max = e0 / a * (np.exp(a * e_max) - 1.0)
    slope_at_max = e0 * np.exp(a * e_max)
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
            continue
        if flags[i, L.IN_CONTACT] == 0:
            flags[i, L.IN_CONTACT] = 1
            flags[i, L.STICKING] = 1
            state[i, L.ANCHOR_X] = px
            state[i, L.ANCHOR_Y] = py
            state[i, L.U_X] = 0.0
            state[i, L.U_Y] = 0.0
        vx = foot_vel[0] + omega[1] * rz - omega[2] * ry
        vy = foot_vel[1] + omega[2] * rx - omega[0] * rz
        vz = foot_vel[2] + omega[0] * ry - omega[1] * rx
        h = thickness[i]
        strain = depth / h
        if strain > load[L.MAX_STRAIN_STEP]:
            load[L.MAX_STRAIN_STEP] = strain
        if strain <= e_max:
            p_el = e0 / a * (np.exp(a * strain) - 1.0)
        else:
            p_el = p_at_max + 50.0 * slope_at_max * (strain - e_max)
        p = p_el * (1.0 - c * vz)
        if p < 0.0:
            p = 0.0
        e_c = min(strain, e_max)
        h_eff = h * (1.0 - e_c)
        k_s = g0 * np.exp(a_s * e_c) / h_eff
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
            records[i, L.WORK] += limit * area[i] * slip
            if flags[i, L.STICKING] != 0:
                records[i, L.TRANSITIONS] += 1.0
            flags[i, L.STICKING] = 0
            t_mag = limit
        else:
            flags[i, L.STICKING] = 1
        state[i, L.U_X] = ux
        state[i, L.U_Y] = uy
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
        strain_shear = np.sqrt(ux * ux + uy * uy) / h_eff
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
