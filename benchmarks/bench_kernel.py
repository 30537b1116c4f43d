"""Kernel throughput: element-steps per second of the compiled contact step, its numpy reference,
the minimal roofline loop and the SIMD-friendly prototype, at 250, 1000 and 4000 elements, one core.

Pose (the same for every variant): the default foot flat on the ground, pressed to body weight
(70 kg), sliding forward at 2 cm/s and twisting about the vertical through the ankle at
0.5 rad/s, from first contact, dt = 1e-4 s: about 62 % of the elements in contact, those
near the ankle sticking and the distant ones slipping.

    python -m benchmarks.bench_kernel [--quick]
"""

from __future__ import annotations

import argparse
import json

import numba
import numpy as np

from sim import reference
from sim.config import JIT
from sim.kernels import layout as L
from sim.kernels.contact import advance_contact, new_contact_state

from . import simd_prototype
from .common import flat_foot_motion, machine_info, median_time, mesh_of_size, quat_matrices, tissue_default
from .roofline import FLOPS, flops_per_element_step, make_driver, minimal_step

DT_S = 1e-4
# records the roofline loop keeps (it skips the rarely updated peak-shear direction)
ROOFLINE_RECORDS = [k for k in range(L.N_RECORDS) if k not in (L.PEAK_DIR_X, L.PEAK_DIR_Y)]
POSE = ("default foot flat on the ground, pressed to body weight (70 kg x 9.81 m/s2), sliding forward at "
        "0.02 m/s and twisting about the vertical through the ankle at 0.5 rad/s, from first contact; dt = 1e-4 s")

drive_kernel = make_driver(advance_contact)
drive_minimal = make_driver(minimal_step)
# The kernel's own source compiled with one option changed, a candidate for sim/config.py:
# numba's "numpy" error model drops the ZeroDivisionError test on every float division.
NUMPY_ERRORS = {**JIT, "error_model": "numpy", "cache": False}
drive_kernel_numpy_errors = make_driver(numba.njit(**NUMPY_ERRORS)(advance_contact.py_func))
drive_minimal_numpy_errors = make_driver(numba.njit(**NUMPY_ERRORS)(minimal_step.py_func))


class Case:
    """One mesh size: arrays, motion and a fresh-state factory shared by every variant."""

    def __init__(self, n_elements: int, steps: int):
        self.mesh, self.spacing_mm = mesh_of_size(n_elements)
        self.n = n_elements
        self.tissue = tissue_default()
        self.motion = flat_foot_motion(self.mesh, self.tissue, steps, DT_S)
        self.rotations = quat_matrices(self.motion[1])
        self.steps = steps

    def fresh(self):
        state, flags, records = new_contact_state(self.n)
        return state, flags, records, np.zeros((self.steps, L.N_LOAD))

    def args(self, state, flags, records, loads):
        m = self.mesh
        pos, quat, vel, omega = self.motion
        return (m["position_m"], m["area_m2"], m["thickness_m"], self.tissue, pos, quat, vel, omega, DT_S,
                state, flags, records, loads)


def _throughput(case: Case, drive, repeats: int) -> tuple[float, dict, tuple]:
    box = {}

    def setup():
        box["arrays"] = case.fresh()

    def call():
        drive(*case.args(*box["arrays"]))

    setup()
    call()  # compile and warm up
    timing = median_time(call, repeats, setup)
    return case.n * case.steps / timing["median_s"], timing, box["arrays"]


def _numpy_throughput(case: Case, steps: int, repeats: int) -> tuple[float, dict]:
    m = case.mesh
    pos, _, vel, omega = case.motion
    box = {}

    def setup():
        box["arrays"] = case.fresh()

    def call():
        state, flags, records, loads = box["arrays"]
        for n in range(steps):
            reference.advance_contact(m["position_m"], m["area_m2"], m["thickness_m"], case.tissue, case.rotations[n],
                                      pos[n], vel[n], omega[n], DT_S, state, flags, records, loads[n])

    setup()
    call()
    timing = median_time(call, repeats, setup)
    return case.n * steps / timing["median_s"], timing


def contact_statistics(case: Case) -> dict:
    """Fractions of element-steps in contact and, of those, slipping, over the benchmark motion."""
    state, flags, records, loads = case.fresh()
    m = case.mesh
    pos, _, vel, omega = case.motion
    in_contact = slipping = 0
    for n in range(case.steps):
        advance_contact(m["position_m"], m["area_m2"], m["thickness_m"], case.tissue, case.rotations[n], pos[n],
                        vel[n], omega[n], DT_S, state, flags, records, loads[n])
        touching = flags[:, L.IN_CONTACT] != 0
        in_contact += int(touching.sum())
        slipping += int((touching & (flags[:, L.STICKING] == 0)).sum())
    return {"contact_fraction": in_contact / (case.n * case.steps),
            "slip_fraction_of_contact": slipping / max(in_contact, 1),
            "mean_load_n": float(loads[:, L.FORCE + 2].mean())}


def _max_relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    scale = np.maximum(np.abs(a), np.abs(b)).max(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return float((np.abs(a - b) / scale).max())


def run(quick: bool = False) -> dict:
    sizes = (250,) if quick else (250, 1000, 4000)
    steps = 100 if quick else 1000
    numpy_steps = 20 if quick else 200
    repeats = 3 if quick else 7
    rows = []
    for n in sizes:
        case = Case(n, steps)
        stats = contact_statistics(case)
        compiled, t_compiled, out_kernel = _throughput(case, drive_kernel, repeats)
        minimal, t_minimal, out_minimal = _throughput(case, drive_minimal, repeats)
        if quick:  # the candidate variants compile uncached: seconds each; not in a smoke run
            compiled_ne = minimal_ne = simd = float("nan")
            t_compiled_ne = t_minimal_ne = t_simd = None
            out_ne = out_kernel
            simd_check = lambda _: float("nan")  # noqa: E731
        else:
            compiled_ne, t_compiled_ne, out_ne = _throughput(case, drive_kernel_numpy_errors, repeats)
            minimal_ne, t_minimal_ne, _ = _throughput(case, drive_minimal_numpy_errors, repeats)
            simd, t_simd, simd_check = simd_prototype.throughput(case, repeats)
        numpy_rate, t_numpy = _numpy_throughput(case, numpy_steps, max(3, repeats // 2))
        counts = flops_per_element_step(stats["contact_fraction"], stats["slip_fraction_of_contact"])
        rows.append({
            "elements": n, "mesh_spacing_mm": case.spacing_mm, "steps": steps, **stats,
            "compiled_element_steps_per_s": compiled,
            "numpy_element_steps_per_s": numpy_rate,
            "roofline_element_steps_per_s": minimal,
            "simd_prototype_element_steps_per_s": simd,
            "compiled_error_model_numpy_element_steps_per_s": compiled_ne,
            "roofline_error_model_numpy_element_steps_per_s": minimal_ne,
            "compiled_over_roofline": compiled / minimal,
            "compiled_over_numpy": compiled / numpy_rate,
            "simd_prototype_over_compiled": simd / compiled,
            "compiled_gflops": compiled * counts["flops"] / 1e9,
            "ops_per_element_step": counts,
            "roofline_matches_kernel_loads_rel": _max_relative_difference(out_kernel[3], out_minimal[3]),
            "roofline_matches_kernel_records_rel": _max_relative_difference(out_kernel[2][:, ROOFLINE_RECORDS],
                                                                            out_minimal[2][:, ROOFLINE_RECORDS]),
            "error_model_numpy_matches_kernel_rel": max(_max_relative_difference(out_kernel[2], out_ne[2]),
                                                        _max_relative_difference(out_kernel[3], out_ne[3])),
            "simd_prototype_matches_kernel_rel": simd_check(out_kernel),
            "timings": {"compiled": t_compiled, "roofline": t_minimal, "simd_prototype": t_simd, "numpy": t_numpy,
                        "compiled_error_model_numpy": t_compiled_ne, "roofline_error_model_numpy": t_minimal_ne},
        })
    return {
        "pose": POSE,
        "threads": 1,
        "elements": [r["elements"] for r in rows],
        "contact_fraction": [r["contact_fraction"] for r in rows],
        "slip_fraction_of_contact": [r["slip_fraction_of_contact"] for r in rows],
        "compiled_element_steps_per_s": [r["compiled_element_steps_per_s"] for r in rows],
        "numpy_element_steps_per_s": [r["numpy_element_steps_per_s"] for r in rows],
        "roofline_element_steps_per_s": [r["roofline_element_steps_per_s"] for r in rows],
        "simd_prototype_element_steps_per_s": [r["simd_prototype_element_steps_per_s"] for r in rows],
        "compiled_over_roofline": [r["compiled_over_roofline"] for r in rows],
        "compiled_error_model_numpy_element_steps_per_s": [r["compiled_error_model_numpy_element_steps_per_s"]
                                                           for r in rows],
        "flop_count": FLOPS,
        "details": rows,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps({"machine": machine_info(), "kernel": run(args.quick)}, indent=1, default=float))
