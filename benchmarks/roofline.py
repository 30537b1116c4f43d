"""The contact kernel's arithmetic, counted, and the plain compiled loop that does only the pad and bristle arithmetic.

`advance_contact` (sim/kernels/contact.py, tissue law v2) is read line by line into FLOPS below:
per element and step, by path, for barefoot elements (no sole: the kernel's `t > 0` branches not
taken). `minimal_step` is the plain loop of the speed target: the same pad law (elastic part and its
Maxwell branch), the same bristle (k(e), its Poynting pressure, Kelvin-Voigt damping, exact
relaxation when slipping), stick and slip, and the net load, with the project's compiler
options, and nothing else: no records (energy, slip, peaks, time integrals), no anchor, depth or
stiffness kept for them, loads summed in registers, the barrier as min/max. It writes what the
next step and the frames read (bristle, bone point, viscous strain, pressure, stress, flags) and
matches the kernel there and in the load (tests/test_bench.py). Its throughput is the kernel's
roofline: what this machine gives for this arithmetic in this layout, one core; the kernel over
it is the price of the records.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.config import JIT, jit
from sim.kernels import layout as L
from sim.kernels.rotation import quat_to_matrix

# Floating-point operations per element-step of `advance_contact`, by reading the code.
# "flops": +, -, *; comparisons, min/max and negation excluded; loop-invariant expressions
# (e0/a, dt/(tau + dt)) are hoisted by the compiler and not counted; the stick/slip transition
# count and the release on losing contact are rare and not counted.
# Divisions, square roots and exponentials are counted apart: each costs 4-20 multiplications'
# time on x86 (the two exponentials of the same argument in pad_pressure and pad_tangent are one
# after inlining).
FLOPS = {
    "every element": {  # rotate the skin point 15, depth 1
        "flops": 15 + 1, "div": 0, "sqrt": 0, "exp": 0},
    "in contact, sticking": {
        # bone point x, y 12; normal velocity 4; strain (1 div); p_el 3 (1 exp);
        # Maxwell branch: e - e_v 1, q0 4 (1 exp), k_branch 2 (the same exp), e_v 2 (1 div), q 3;
        # k_s 4 (1 div, 1 exp), dk_s 2 (1 div); trial u 4; p_stored 8 (1 div); damped p 3;
        # u again 4 (state stored in between: not merged); c_tot 2, damp (1 div); tau 8;
        # |tau| 3 (1 sqrt); mu p 1; tissue work 13; compression loss 8; shear damping loss 7;
        # anchor 2; forces 3; skin point x, y 2; loads 3; bone point to the foot origin 2 + 5;
        # moments 20; shear strain 6 (1 div, 1 sqrt); shear-, pressure-, contact-time 5
        "flops": (12 + 4 + 3 + 1 + 4 + 2 + 2 + 3 + 4 + 2 + 4 + 8 + 3 + 4 + 2 + 8 + 3 + 1 + 13 + 8 + 7 + 2 + 3 + 2 + 3
                  + 7 + 20 + 6 + 5),
        "div": 7, "sqrt": 2, "exp": 3},
    "in contact, slipping (extra)": {
        # limit 1; tau rescaled 2 (2 div); decay 1 (1 div, 1 exp); u relaxed 6 (tau / k_s: 2 div);
        # slip 5 (1 sqrt); slip, skin slip, work and work-per-area records 7
        "flops": 1 + 2 + 1 + 6 + 5 + 7, "div": 5, "sqrt": 1, "exp": 1},
    "new peak shear (rare, extra)": {"flops": 6 + 3, "div": 2, "sqrt": 1, "exp": 0},
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
def minimal_step(position_f, bone_f, area, thickness, tissue, stack, rotation, foot_pos, foot_vel, omega, dt,
                 state, flags, records, load):
    """The pad and bristle arithmetic of `advance_contact` for barefoot elements (no sole), without
    records: same arguments; `records` untouched; of the state only the bristle, bone point,
    viscous strain, pressure and stress (and the flags) are kept, as the kernel keeps them."""
    e0 = tissue[L.E0]
    a = tissue[L.EXPONENT]
    c = tissue[L.DAMPING]
    e_max = tissue[L.MAX_STRAIN]
    g0 = tissue[L.G0]
    a_s = tissue[L.SHEAR_EXPONENT]
    c_t = tissue[L.SHEAR_DAMPING]
    g1 = tissue[L.PAD_BRANCH_FRACTION]
    relax = dt / (tissue[L.PAD_RELAXATION_TIME] + dt)
    eta_s = tissue[L.SHEAR_RETARDATION_TIME]
    e0_a = e0 / a
    barrier_slope = L.BARRIER_SLOPE * e0 * np.exp(a * e_max)
    r00, r01, r02 = rotation[0, 0], rotation[0, 1], rotation[0, 2]
    r10, r11, r12 = rotation[1, 0], rotation[1, 1], rotation[1, 2]
    r20, r21, r22 = rotation[2, 0], rotation[2, 1], rotation[2, 2]
    fpx, fpy, fpz = foot_pos[0], foot_pos[1], foot_pos[2]
    f0 = f1 = f2 = m3 = m4 = m5 = m6 = m7 = m8 = max_strain = 0.0
    for i in range(position_f.shape[0]):
        x, y, z = position_f[i, 0], position_f[i, 1], position_f[i, 2]
        rz = r20 * x + r21 * y + r22 * z
        depth = -(fpz + rz)
        was = flags[i, L.IN_CONTACT] != 0
        if depth <= 0.0:
            if was:  # contact lost: the tissue lets go
                flags[i, L.IN_CONTACT] = 0
                flags[i, L.STICKING] = 1
                for k in (L.U_X, L.U_Y, L.PAD_VISCOUS_STRAIN, L.PRESSURE, L.TAU_X, L.TAU_Y):
                    state[i, k] = 0.0
            continue
        rx = r00 * x + r01 * y + r02 * z
        ry = r10 * x + r11 * y + r12 * z
        b0, b1, b2 = bone_f[i, 0], bone_f[i, 1], bone_f[i, 2]
        bx = fpx + r00 * b0 + r01 * b1 + r02 * b2
        by = fpy + r10 * b0 + r11 * b1 + r12 * b2
        bone_x = state[i, L.BONE_X] if was else bx
        bone_y = state[i, L.BONE_Y] if was else by
        sticking = flags[i, L.STICKING] != 0 or not was
        flags[i, L.IN_CONTACT] = 1
        vz = foot_vel[2] + omega[0] * ry - omega[1] * rx
        h = thickness[i]
        strain = depth / h
        max_strain = max(max_strain, strain)
        e_c = min(strain, e_max)
        p_el = e0_a * (np.exp(a * e_c) - 1.0) + barrier_slope * max(strain - e_max, 0.0)
        # the Maxwell branch (quasi-linear, linearised backward Euler)
        e_v_old = state[i, L.PAD_VISCOUS_STRAIN]
        e_v = e_v_old
        q = 0.0
        if g1 > 0.0:
            e_b = strain - e_v_old
            exp_b = np.exp(a * min(e_b, e_max))
            q0 = g1 * (e0_a * (exp_b - 1.0) + barrier_slope * max(e_b - e_max, 0.0))
            k_branch = g1 * (e0 * exp_b if e_b <= e_max else barrier_slope)
            e_v = e_v_old + relax * q0 / k_branch
            q = q0 - k_branch * (e_v - e_v_old)
        state[i, L.PAD_VISCOUS_STRAIN] = e_v
        # the bristle: k(e), its Poynting pressure, Kelvin-Voigt damping
        k_s = g0 * np.exp(a_s * e_c) / (h * (1.0 - e_c))
        dk_s = k_s * (a_s + 1.0 / (1.0 - e_c)) if strain < e_max else 0.0
        ux_old = state[i, L.U_X]
        uy_old = state[i, L.U_Y]
        ux = ux_old + bx - bone_x
        uy = uy_old + by - bone_y
        p_stored = p_el + (q + 0.5 * dk_s * (ux * ux + uy * uy) / h)
        p = p_stored - p_el * c * vz
        if p < 0.0:
            p = 0.0
        mu_k = min(stack[i, L.MU_SKIN_KINETIC], stack[i, L.MU_GROUND_KINETIC])
        mu = min(stack[i, L.MU_SKIN_STATIC], stack[i, L.MU_GROUND_STATIC]) if sticking else mu_k
        c_tot = c_t + eta_s * k_s
        damp = c_tot / dt
        tx = k_s * ux + damp * (ux - ux_old)
        ty = k_s * uy + damp * (uy - uy_old)
        t_mag = np.sqrt(tx * tx + ty * ty)
        if t_mag > mu * p:
            limit = mu_k * p
            tx = limit * tx / t_mag
            ty = limit * ty / t_mag
            decay = np.exp(-dt * k_s / c_tot) if c_tot > 0.0 else 0.0
            ux = tx / k_s + (ux_old - tx / k_s) * decay
            uy = ty / k_s + (uy_old - ty / k_s) * decay
            flags[i, L.STICKING] = 0
        else:
            flags[i, L.STICKING] = 1
        state[i, L.U_X] = ux
        state[i, L.U_Y] = uy
        state[i, L.PRESSURE] = p
        state[i, L.TAU_X] = tx
        state[i, L.TAU_Y] = ty
        state[i, L.BONE_X] = bx
        state[i, L.BONE_Y] = by
        fx = -tx * area[i]
        fy = -ty * area[i]
        fz = p * area[i]
        px = fpx + rx
        py = fpy + ry
        sx = bx - fpx
        sy = by - fpy
        sz = r20 * b0 + r21 * b1 + r22 * b2
        f0 += fx
        f1 += fy
        f2 += fz
        m3 += ry * fz - sz * fy
        m4 += sz * fx - rx * fz
        m5 += sx * fy - sy * fx
        m6 += py * fz
        m7 += -px * fz
        m8 += px * fy - py * fx
    load[0], load[1], load[2] = f0, f1, f2
    load[3], load[4], load[5] = m3, m4, m5
    load[6], load[7], load[8] = m6, m7, m8
    load[L.MAX_STRAIN_STEP] = max_strain


def make_driver(step):
    """A compiled loop over a prescribed motion calling step (a kernel with the signature of
    `advance_contact`) once per pose; one driver per kernel so both are timed the same way."""

    @numba.njit(**{**JIT, "cache": False})  # a closure over `step`: numba cannot cache it
    def drive(position_f, bone_f, area, thickness, tissue, stack, foot_pos, foot_quat, foot_vel, foot_omega, dt,
              state, flags, records, loads):
        rot = np.zeros((3, 3))
        for n in range(foot_pos.shape[0]):
            quat_to_matrix(foot_quat[n], rot)
            step(position_f, bone_f, area, thickness, tissue, stack, rot, foot_pos[n], foot_vel[n], foot_omega[n],
                 dt, state, flags, records, loads[n])

    return drive
