"""Kernel throughput: element-steps per second of the compiled contact step (records included),
its numpy reference and the plain loop doing only the pad and bristle arithmetic (the roofline,
benchmarks/roofline.py), at 250, 1000 and 4000 elements, one core.

Pose (the same for every variant): the default foot, barefoot, flat on the ground, pressed to body weight
(70 kg), sliding forward at 2 cm/s and twisting about the vertical through the ankle at
0.5 rad/s, from first contact, dt = 1e-4 s: about 62 % of the elements in contact, those
near the ankle sticking and the distant ones slipping (6-8 % of the contact element-steps with
tissue law v2, whose bristle rides on the bone point; 37 % with the v1 law).

    python -m benchmarks.bench_kernel [--quick]
"""

from __future__ import annotations

import argparse
import json

import numba
import numpy as np

from sim.verify import reference
from sim.config import JIT
from sim.kernels import layout as L
from sim.kernels.contact import advance_contact, new_contact_state

from .common import contact_arrays, flat_foot_motion, interleaved_times, machine_info, mesh_of_size, quat_matrices
from .roofline import FLOPS, flops_per_element_step, make_driver, minimal_step

DT_S = 1e-4
# the state the plain loop keeps as the kernel does (it keeps no records)
ROOFLINE_STATE = [L.U_X, L.U_Y, L.PAD_VISCOUS_STRAIN, L.PRESSURE, L.TAU_X, L.TAU_Y, L.BONE_X, L.BONE_Y]
POSE = ("default foot, barefoot, flat on the ground, pressed to body weight (70 kg x 9.81 m/s2), sliding forward at "
        "0.02 m/s and twisting about the vertical through the ankle at 0.5 rad/s, from first contact; dt = 1e-4 s")

drive_kernel = make_driver(advance_contact)
drive_minimal = make_driver(minimal_step)
# The kernel's own source compiled with numba's default "python" error model (a ZeroDivisionError
# test on every float division), to show what sim/config.py's "numpy" error model buys.
PYTHON_ERRORS = {**JIT, "error_model": "python", "cache": False}
drive_kernel_python_errors = make_driver(numba.njit(**PYTHON_ERRORS)(advance_contact.py_func))


class Case:
    """One mesh size: arrays, motion and a fresh-state factory shared by every variant."""

    def __init__(self, n_elements: int, steps: int, **motion):
        mesh, self.spacing_mm = mesh_of_size(n_elements)
        self.arrays = contact_arrays(mesh)
        self.n = n_elements
        self.motion = flat_foot_motion(self.arrays, steps, DT_S, **motion)
        self.rotations = quat_matrices(self.motion[1])
        self.steps = steps
        self.dt = DT_S

    def fresh(self):
        state, flags, records = new_contact_state(self.n)
        return state, flags, records, np.zeros((self.steps, L.N_LOAD))

    def fixed(self) -> tuple:
        """The kernel's leading arguments: skin and bone points, areas, pad thickness, tissue, layer stack."""
        a = self.arrays
        return a["position_m"], a["bone_m"], a["area_m2"], a["thickness_m"], a["tissue"], a["stack"]

    def args(self, state, flags, records, loads):
        return (*self.fixed(), *self.motion, DT_S, state, flags, records, loads)


def compiled_variant(case: Case, drive):
    """(setup, call, outputs) of a driver on the case; outputs() gives (state, records, loads)."""
    box = {}

    def setup():
        box["arrays"] = case.fresh()

    def call():
        drive(*case.args(*box["arrays"]))

    def outputs():
        state, _, records, loads = box["arrays"]
        return state, records, loads

    return setup, call, outputs


def numpy_variant(case: Case, steps: int):
    """(setup, call) of the numpy reference over the first `steps` poses (it is slow)."""
    fixed = case.fixed()
    pos, _, vel, omega = case.motion
    box = {}

    def setup():
        box["arrays"] = case.fresh()

    def call():
        state, flags, records, loads = box["arrays"]
        for n in range(steps):
            reference.advance_contact(*fixed, case.rotations[n], pos[n], vel[n], omega[n], DT_S, state, flags,
                                      records, loads[n])

    return setup, call


def contact_statistics(case: Case) -> dict:
    """Fractions of element-steps in contact and, of those, slipping, over the benchmark motion."""
    state, flags, records, loads = case.fresh()
    fixed = case.fixed()
    pos, _, vel, omega = case.motion
    in_contact = slipping = 0
    for n in range(case.steps):
        advance_contact(*fixed, case.rotations[n], pos[n], vel[n], omega[n], DT_S, state, flags, records, loads[n])
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
        variants = {"compiled": compiled_variant(case, drive_kernel), "roofline": compiled_variant(case, drive_minimal)}
        if not quick:  # the candidate variants compile uncached: seconds each; not in a smoke run
            variants["compiled_error_model_python"] = compiled_variant(case, drive_kernel_python_errors)
        timings = interleaved_times({name: v[:2] for name, v in variants.items()}, repeats)
        timings.update(interleaved_times({"numpy": numpy_variant(case, numpy_steps)}, max(3, repeats // 2)))
        rate = {name: case.n * (numpy_steps if name == "numpy" else steps) / t["cpu_median_s"] for name, t in timings.items()}
        outputs = {name: v[2]() for name, v in variants.items()}
        kernel_state, kernel_records, kernel_loads = outputs["compiled"]

        def matches(name, state_columns, with_records):
            if name not in outputs:
                return None
            state, records, loads = outputs[name]
            out = max(_max_relative_difference(kernel_state[:, state_columns], state[:, state_columns]),
                      _max_relative_difference(kernel_loads, loads))
            return max(out, _max_relative_difference(kernel_records, records)) if with_records else out

        counts = flops_per_element_step(stats["contact_fraction"], stats["slip_fraction_of_contact"])
        rows.append({
            "elements": n, "mesh_spacing_mm": case.spacing_mm, "steps": steps, **stats,
            **{f"{name}_element_steps_per_s": value for name, value in rate.items()},
            "compiled_over_roofline": rate["compiled"] / rate["roofline"],
            "compiled_over_numpy": rate["compiled"] / rate["numpy"],
            "compiled_over_error_model_python": rate["compiled"] / rate.get("compiled_error_model_python", float("nan")),
            "compiled_gflops": rate["compiled"] * counts["flops"] / 1e9,
            "ops_per_element_step": counts,
            "roofline_matches_kernel_rel": matches("roofline", ROOFLINE_STATE, False),
            "error_model_python_matches_kernel_rel": matches("compiled_error_model_python", slice(None), True),
            "timings": timings,
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
        "compiled_over_roofline": [r["compiled_over_roofline"] for r in rows],
        "compiled_error_model_python_element_steps_per_s": [r.get("compiled_error_model_python_element_steps_per_s")
                                                            for r in rows],
        "flop_count": FLOPS,
        "details": rows,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps({"machine": machine_info(), "kernel": run(args.quick)}, indent=1, default=float))
