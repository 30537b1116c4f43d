"""A SIMD-friendly reformulation of the contact step, prototyped here to measure what it would buy.

Differences from `sim/kernels/contact.py`, each one a candidate change to the kernel:
1. Structure of arrays: element coordinates, state, flags and records as rows (k, E), so each
   quantity is contiguous and a vector load takes 8 elements at once (AVX-512).
2. No branch in the element loop: every element is computed; contact, first contact, stick/slip
   and new-peak are masks applied by selects, so the compiler can vectorise the loop.
3. A polynomial exp that vectorises (numba has no SVML here, so `np.exp` stays a scalar libm call
   and stops vectorisation): Cody-Waite reduction, degree-13 Taylor polynomial (error < 2e-16
   relative on the reduced range), 2^n from the bits of n. Valid for 0 <= x <= 21 (n < 32), which
   covers the registry's largest a e_max = 20 x 0.97.
4. Loads summed in a second pass over per-element contributions, so the element pass holds no
   floating-point reduction (which the compiler may not reorder without fastmath).
5. Two arrays in the element loop: `geometry` (5,E) read-only and `work` (N_WORK,E) holding state,
   flags, records and load contributions. With four writable arrays or more LLVM gives up on the
   runtime alias checks it needs and leaves the loop scalar (seen here with numba 0.68 / LLVM
   20: a loop writing 4 arrays and reading 3 stays scalar; the same loop on 1 + 1 arrays vectorises).
6. `error_model="numpy"`: with numba's default ("python") every float division carries a test
   that raises ZeroDivisionError, a branch that alone keeps the loop scalar (seen here: the loop
   vectorises up to `strain = depth / h` and not beyond). With "numpy" a division by zero gives
   inf/nan as in numpy; the kernel's divisors (h, h_eff, |tau| when slipping, k_s + c_t/dt) are
   positive whenever the result is used.
Flags are float 0/1 rather than int8 so masks and values share the vector width.
Otherwise the project's compiler options (fastmath off). `throughput` checks the prototype against
the kernel on the benchmark motion.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.config import JIT

SIMD_JIT = {**JIT, "error_model": "numpy", "cache": False}


def jit(fn):
    return numba.njit(**SIMD_JIT)(fn)

from sim.kernels import layout as L
from sim.kernels.rotation import quat_to_matrix

LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.44269504088896338700e00
EXP_X_MAX = 31.0 * 0.6931471805599453
N_CONTRIB = 10  # 9 load components and the step's largest strain
# rows of `geometry` and of `work`
GEO_X, GEO_Y, GEO_Z, GEO_AREA, GEO_THICKNESS, GEO_MU_SKIN_S, GEO_MU_SKIN_K, GEO_MU_GROUND_S, GEO_MU_GROUND_K = range(9)
STATE_ROW, FLAG_ROW, RECORD_ROW = 0, L.N_STATE, L.N_STATE + L.N_FLAGS
CONTRIB_ROW = RECORD_ROW + L.N_RECORDS
N_WORK = CONTRIB_ROW + N_CONTRIB


@jit
def exp_poly(x):
    """exp(x) for 0 <= x <= 21 with only arithmetic and selects (vectorisable)."""
    x = min(max(x, 0.0), EXP_X_MAX)
    n = np.floor(x * INV_LN2 + 0.5)
    r = (x - n * LN2_HI) - n * LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    k = np.int64(n)
    two_n = (2.0 if k & 1 else 1.0) * (4.0 if k & 2 else 1.0) * (16.0 if k & 4 else 1.0) \
        * (256.0 if k & 8 else 1.0) * (65536.0 if k & 16 else 1.0)
    return p * two_n


@jit
def soa_elements(geometry, tissue, rotation, foot_pos, foot_vel, omega, dt, work):
    """Pass 1, branch-free over every element, barefoot (no sole). geometry (9,E): x, y, z (m, foot
    frame), area (m2), thickness (m), skin and ground friction, static and kinetic (the stack's). work (N_WORK,E), in place: state, flags as 0/1 floats, records, and out each
    element's share of the load (rows from CONTRIB_ROW)."""
    e0 = tissue[L.E0]
    a = tissue[L.EXPONENT]
    c = tissue[L.DAMPING]
    e_max = tissue[L.MAX_STRAIN]
    g0 = tissue[L.G0]
    a_s = tissue[L.SHEAR_EXPONENT]
    damp = tissue[L.SHEAR_DAMPING] / dt
    e0_over_a = e0 / a
    barrier_slope = 50.0 * e0 * np.exp(a * e_max)
    r00, r01, r02 = rotation[0, 0], rotation[0, 1], rotation[0, 2]
    r10, r11, r12 = rotation[1, 0], rotation[1, 1], rotation[1, 2]
    r20, r21, r22 = rotation[2, 0], rotation[2, 1], rotation[2, 2]
    fpx, fpy, fpz = foot_pos[0], foot_pos[1], foot_pos[2]
    vz0, w0, w1 = foot_vel[2], omega[0], omega[1]
    for i in range(geometry.shape[1]):
        x, y, z = geometry[GEO_X, i], geometry[GEO_Y, i], geometry[GEO_Z, i]
        rx = r00 * x + r01 * y + r02 * z
        ry = r10 * x + r11 * y + r12 * z
        rz = r20 * x + r21 * y + r22 * z
        px = fpx + rx
        py = fpy + ry
        depth = -(fpz + rz)
        touching = depth > 0.0
        was = work[FLAG_ROW + L.IN_CONTACT, i] != 0.0
        new = touching and not was
        # every load unconditional, then selects: a load under a condition keeps the loop scalar
        stored_anchor_x = work[STATE_ROW + L.ANCHOR_X, i]
        stored_anchor_y = work[STATE_ROW + L.ANCHOR_Y, i]
        stored_ux = work[STATE_ROW + L.U_X, i]
        stored_uy = work[STATE_ROW + L.U_Y, i]
        stored_sticking = work[FLAG_ROW + L.STICKING, i]
        anchor_x = px if new else stored_anchor_x
        anchor_y = py if new else stored_anchor_y
        ux_old = stored_ux if was else 0.0
        uy_old = stored_uy if was else 0.0
        sticking = stored_sticking != 0.0 or new
        h = geometry[GEO_THICKNESS, i]
        strain = depth / h
        e_c = min(max(strain, 0.0), e_max)
        vz = vz0 + w0 * ry - w1 * rx
        p_el = e0_over_a * (exp_poly(a * e_c) - 1.0) + barrier_slope * max(strain - e_max, 0.0)
        p = max(p_el * (1.0 - c * vz), 0.0) if touching else 0.0
        h_eff = h * (1.0 - e_c)
        k_s = g0 * exp_poly(a_s * e_c) / h_eff
        ux = px - anchor_x
        uy = py - anchor_y
        tx = k_s * ux + damp * (ux - ux_old)
        ty = k_s * uy + damp * (uy - uy_old)
        t_mag = np.sqrt(tx * tx + ty * ty)
        mu_k = min(geometry[GEO_MU_SKIN_K, i], geometry[GEO_MU_GROUND_K, i])
        mu_s = min(geometry[GEO_MU_SKIN_S, i], geometry[GEO_MU_GROUND_S, i])
        skin_slips = geometry[GEO_MU_SKIN_K, i] <= geometry[GEO_MU_GROUND_K, i]
        mu = mu_s if sticking else mu_k
        slipping = touching and t_mag > mu * p
        limit = mu_k * p
        scale = limit / t_mag if slipping else 1.0
        tx *= scale
        ty *= scale
        ux = (tx + damp * ux_old) / (k_s + damp) if slipping else ux
        uy = (ty + damp * uy_old) / (k_s + damp) if slipping else uy
        ax = px - ux
        ay = py - uy
        slip = np.sqrt((ax - anchor_x) ** 2 + (ay - anchor_y) ** 2) if slipping else 0.0
        work[STATE_ROW + L.ANCHOR_X, i] = ax if slipping else anchor_x
        work[STATE_ROW + L.ANCHOR_Y, i] = ay if slipping else anchor_y
        work[STATE_ROW + L.U_X, i] = ux if touching else 0.0
        work[STATE_ROW + L.U_Y, i] = uy if touching else 0.0
        work[FLAG_ROW + L.IN_CONTACT, i] = 1.0 if touching else 0.0
        work[FLAG_ROW + L.STICKING, i] = 0.0 if slipping else 1.0
        t_mag = (limit if slipping else t_mag) if touching else 0.0
        fx = -tx * geometry[GEO_AREA, i] if touching else 0.0
        fy = -ty * geometry[GEO_AREA, i] if touching else 0.0
        fz = p * geometry[GEO_AREA, i]
        work[CONTRIB_ROW + 0, i] = fx
        work[CONTRIB_ROW + 1, i] = fy
        work[CONTRIB_ROW + 2, i] = fz
        work[CONTRIB_ROW + 3, i] = ry * fz - rz * fy
        work[CONTRIB_ROW + 4, i] = rz * fx - rx * fz
        work[CONTRIB_ROW + 5, i] = rx * fy - ry * fx
        work[CONTRIB_ROW + 6, i] = py * fz
        work[CONTRIB_ROW + 7, i] = -px * fz
        work[CONTRIB_ROW + 8, i] = px * fy - py * fx
        work[CONTRIB_ROW + 9, i] = strain if touching else 0.0
        work[RECORD_ROW + L.SLIP, i] += slip
        work[RECORD_ROW + L.SKIN_SLIP, i] += slip if skin_slips else 0.0
        work[RECORD_ROW + L.WORK, i] += limit * geometry[GEO_AREA, i] * slip
        work[RECORD_ROW + L.TRANSITIONS, i] += 1.0 if slipping and sticking else 0.0
        work[RECORD_ROW + L.PEAK_PRESSURE, i] = max(work[RECORD_ROW + L.PEAK_PRESSURE, i], p)
        peak_shear = work[RECORD_ROW + L.PEAK_SHEAR, i]
        new_peak = t_mag > peak_shear
        work[RECORD_ROW + L.PEAK_SHEAR, i] = max(peak_shear, t_mag)
        dfx = -(r00 * tx + r10 * ty)
        dfy = -(r01 * tx + r11 * ty)
        norm = np.sqrt(dfx * dfx + dfy * dfy)
        has_dir = new_peak and norm > 0.0
        safe = norm if has_dir else 1.0
        dir_x = work[RECORD_ROW + L.PEAK_DIR_X, i]
        dir_y = work[RECORD_ROW + L.PEAK_DIR_Y, i]
        work[RECORD_ROW + L.PEAK_DIR_X, i] = dfx / safe if has_dir else dir_x
        work[RECORD_ROW + L.PEAK_DIR_Y, i] = dfy / safe if has_dir else dir_y
        shear_strain = np.sqrt(ux * ux + uy * uy) / h_eff if touching else 0.0
        work[RECORD_ROW + L.PEAK_STRAIN, i] = max(work[RECORD_ROW + L.PEAK_STRAIN, i], shear_strain)
        work[RECORD_ROW + L.SHEAR_TIME, i] += t_mag * dt
        work[RECORD_ROW + L.CONTACT_TIME, i] += dt if touching else 0.0


@jit
def soa_reduce(work, load):
    """Pass 2: the net load, sums in element order (as the kernel) and the largest strain."""
    for k in range(9):
        total = 0.0
        row = work[CONTRIB_ROW + k]
        for i in range(row.shape[0]):
            total += row[i]
        load[k] = total
    largest = 0.0
    for i in range(work.shape[1]):
        largest = max(largest, work[CONTRIB_ROW + 9, i])
    load[L.MAX_STRAIN_STEP] = largest


@numba.njit(**SIMD_JIT)
def drive_soa(geometry, tissue, foot_pos, foot_quat, foot_vel, foot_omega, dt, work, loads):
    rot = np.zeros((3, 3))
    for n in range(foot_pos.shape[0]):
        quat_to_matrix(foot_quat[n], rot)
        soa_elements(geometry, tissue, rot, foot_pos[n], foot_vel[n], foot_omega[n], dt, work)
        soa_reduce(work, loads[n])


def _fresh(n_elements: int, steps: int):
    work = np.zeros((N_WORK, n_elements))
    work[FLAG_ROW + L.STICKING] = 1.0
    return work, np.zeros((steps, L.N_LOAD))


def variant(case):
    """(setup, call, outputs) on a `bench_kernel.Case`: outputs() gives (records (E,N_RECORDS), loads)."""
    a = case.arrays
    stack = a["stack"]
    geometry = np.ascontiguousarray(np.vstack([
        a["position_m"].T, a["area_m2"], a["thickness_m"], stack[:, L.MU_SKIN_STATIC], stack[:, L.MU_SKIN_KINETIC],
        stack[:, L.MU_GROUND_STATIC], stack[:, L.MU_GROUND_KINETIC]]))
    box = {}

    def setup():
        box["arrays"] = _fresh(case.n, case.steps)

    def call():
        drive_soa(geometry, a["tissue"], *case.motion, case.dt, *box["arrays"])

    def outputs():
        work, loads = box["arrays"]
        return work[RECORD_ROW:RECORD_ROW + L.N_RECORDS].T, loads

    return setup, call, outputs
