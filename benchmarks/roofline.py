"""The contact kernel's arithmetic, counted, and the minimal compiled loop that does just that arithmetic.

`advance_contact` (sim/kernels/contact.py) is read line by line into FLOPS below: per element
and step, by path, for barefoot elements (no sole: the kernel's `t > 0` branches not taken). `minimal_step` does the same arithmetic on the same arrays, with the project's
compiler options, keeping only the branches the physics needs (in contact or not; stick or
slip) and writing the rest as min/max and selects: no barrier branch, no branch on the first
step of contact, peak records as max(), loads accumulated in registers. Its throughput is the
kernel's roofline: what this machine gives for this arithmetic in this layout, one core.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.config import JIT, jit
from sim.kernels import layout as L
from sim.kernels.rotation import quat_to_matrix

# Floating-point operations per element-step of `advance_contact`, by reading the code.
# "flops": +, -, *, comparisons excluded, negation excluded; loop-invariant expressions
# (e0/a, c_t/dt) are hoisted by the compiler and not counted; min() of the friction coefficients
# and the no-sole tests are comparisons. Divisions, square roots
# and exponentials are counted apart: each costs 4-20 multiplications' time on x86.
FLOPS = {
    "every element": {  # rotate the point, ground position, depth
        "flops": 15 + 2 + 1, "div": 0, "sqrt": 0, "exp": 0},
    "in contact, sticking": {
        # normal velocity 4; strain 0 (+1 div); pressure 3 + damping 3; h_eff 2; k_s 2 (+1 div, 1 exp);
        # u 2; tau 8; |tau| 3 (+1 sqrt); mu p 1; forces 3; loads 3 + 12 + 8; shear strain 3 (+1 div,
        # 1 sqrt); shear-time 2; contact time 1
        "flops": 4 + 3 + 3 + 2 + 2 + 2 + 8 + 3 + 1 + 3 + 23 + 3 + 2 + 1, "div": 3, "sqrt": 2, "exp": 2},
    "in contact, slipping (extra)": {
        # limit 1; tau rescaled 2 (+2 div); u from tau 2 + 3 (+2 div); anchor 2; slip 5 (+1 sqrt);
        # slip and work records 1 + 3; transition 1
        "flops": 1 + 2 + 5 + 2 + 5 + 4 + 1, "div": 4, "sqrt": 1, "exp": 0},
    "new peak shear (rare, extra)": {"flops": 6 + 0, "div": 2, "sqrt": 1, "exp": 0},
}


def flops_per_element_step(contact_fraction: float, slip_fraction: float) -> dict:
    """Mean operation counts per element-step for the given fractions (slip_fraction: of the
    contact element-steps, those that slip)."""
    out = {}
    for key in ("flops", "div", "sqrt", "exp"):
        out[key] = (FLOPS["every element"][key]
                    + contact_fraction * (FLOPS["in contact, sticking"][key]
                                          + slip_fraction * FLOPS["in contact, slipping (extra)"][key]))
    return out


@jit
def minimal_step(position_f, area, thickness, tissue, stack, rotation, foot_pos, foot_vel, omega, dt,
                 state, flags, records, load):
    """The arithmetic of `advance_contact` for barefoot elements (no sole), branches limited to
    contact and stick/slip (same arguments and effects, except the rarely updated peak-shear
    direction, computed only in the kernel)."""
    e0 = tissue[L.E0]
    a = tissue[L.EXPONENT]
    c = tissue[L.DAMPING]
    e_max = tissue[L.MAX_STRAIN]
    g0 = tissue[L.G0]
    a_s = tissue[L.SHEAR_EXPONENT]
    damp = tissue[L.SHEAR_DAMPING] / dt
    barrier_slope = 50.0 * e0 * np.exp(a * e_max)
    r00, r01, r02 = rotation[0, 0], rotation[0, 1], rotation[0, 2]
    r10, r11, r12 = rotation[1, 0], rotation[1, 1], rotation[1, 2]
    r20, r21, r22 = rotation[2, 0], rotation[2, 1], rotation[2, 2]
    f0 = f1 = f2 = m3 = m4 = m5 = m6 = m7 = m8 = max_strain = 0.0
    for i in range(position_f.shape[0]):
        x, y, z = position_f[i, 0], position_f[i, 1], position_f[i, 2]
        rx = r00 * x + r01 * y + r02 * z
        ry = r10 * x + r11 * y + r12 * z
        rz = r20 * x + r21 * y + r22 * z
        px = foot_pos[0] + rx
        py = foot_pos[1] + ry
        depth = -(foot_pos[2] + rz)
        touching = depth > 0.0
        was = flags[i, L.IN_CONTACT] != 0
        if not touching:
            if was:  # contact lost: the bristle resets
                flags[i, L.IN_CONTACT] = 0
                flags[i, L.STICKING] = 1
                state[i, L.U_X] = 0.0
                state[i, L.U_Y] = 0.0
            continue
        flags[i, L.IN_CONTACT] = 1
        anchor_x = state[i, L.ANCHOR_X] if was else px
        anchor_y = state[i, L.ANCHOR_Y] if was else py
        ux_old = state[i, L.U_X] if was else 0.0
        uy_old = state[i, L.U_Y] if was else 0.0
        sticking = flags[i, L.STICKING] != 0 or not was
        vz = foot_vel[2] + omega[0] * ry - omega[1] * rx
        h = thickness[i]
        strain = depth / h
        max_strain = max(max_strain, strain)
        e_c = min(strain, e_max)
        p_el = e0 / a * (np.exp(a * e_c) - 1.0) + barrier_slope * max(strain - e_max, 0.0)
        p = max(p_el * (1.0 - c * vz), 0.0)
        h_eff = h * (1.0 - e_c)
        k_s = g0 * np.exp(a_s * e_c) / h_eff
        ux = px - anchor_x
        uy = py - anchor_y
        tx = k_s * ux + damp * (ux - ux_old)
        ty = k_s * uy + damp * (uy - uy_old)
        t_mag = np.sqrt(tx * tx + ty * ty)
        mu_k = min(stack[i, L.MU_SKIN_KINETIC], stack[i, L.MU_GROUND_KINETIC])
        mu = min(stack[i, L.MU_SKIN_STATIC], stack[i, L.MU_GROUND_STATIC]) if sticking else mu_k
        if t_mag > mu * p:
            limit = mu_k * p
            tx = limit * tx / t_mag
            ty = limit * ty / t_mag
            ux = (tx + damp * ux_old) / (k_s + damp)
            uy = (ty + damp * uy_old) / (k_s + damp)
            ax = px - ux
            ay = py - uy
            slip = np.sqrt((ax - anchor_x) ** 2 + (ay - anchor_y) ** 2)
            anchor_x = ax
            anchor_y = ay
            records[i, L.SLIP] += slip
            records[i, L.SKIN_SLIP] += slip if stack[i, L.MU_SKIN_KINETIC] <= stack[i, L.MU_GROUND_KINETIC] else 0.0
            records[i, L.WORK] += limit * area[i] * slip
            records[i, L.TRANSITIONS] += 1.0 if sticking else 0.0
            flags[i, L.STICKING] = 0
            t_mag = limit
        else:
            flags[i, L.STICKING] = 1
        state[i, L.ANCHOR_X] = anchor_x
        state[i, L.ANCHOR_Y] = anchor_y
        state[i, L.U_X] = ux
        state[i, L.U_Y] = uy
        fx = -tx * area[i]
        fy = -ty * area[i]
        fz = p * area[i]
        f0 += fx
        f1 += fy
        f2 += fz
        m3 += ry * fz - rz * fy
        m4 += rz * fx - rx * fz
        m5 += rx * fy - ry * fx
        m6 += py * fz
        m7 += -px * fz
        m8 += px * fy - py * fx
        records[i, L.PEAK_PRESSURE] = max(records[i, L.PEAK_PRESSURE], p)
        records[i, L.PEAK_SHEAR] = max(records[i, L.PEAK_SHEAR], t_mag)
        records[i, L.PEAK_STRAIN] = max(records[i, L.PEAK_STRAIN], np.sqrt(ux * ux + uy * uy) / h_eff)
        records[i, L.SHEAR_TIME] += t_mag * dt
        records[i, L.CONTACT_TIME] += dt
    load[0], load[1], load[2] = f0, f1, f2
    load[3], load[4], load[5] = m3, m4, m5
    load[6], load[7], load[8] = m6, m7, m8
    load[L.MAX_STRAIN_STEP] = max_strain


def make_driver(step):
    """A compiled loop over a prescribed motion calling step (a kernel with the signature of
    `advance_contact`) once per pose; one driver per kernel so both are timed the same way."""

    @numba.njit(**{**JIT, "cache": False})  # a closure over `step`: numba cannot cache it
    def drive(position_f, area, thickness, tissue, stack, foot_pos, foot_quat, foot_vel, foot_omega, dt,
              state, flags, records, loads):
        rot = np.zeros((3, 3))
        for n in range(foot_pos.shape[0]):
            quat_to_matrix(foot_quat[n], rot)
            step(position_f, area, thickness, tissue, stack, rot, foot_pos[n], foot_vel[n], foot_omega[n], dt,
                 state, flags, records, loads[n])

    return drive
