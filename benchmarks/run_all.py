"""Every benchmark in one run: JSON with machine info, and a short Markdown summary beside it.

    python -m benchmarks.run_all [--json FILE] [--quick]

Default output: results/bench/bench.json and results/bench/bench.md (committed), or, with
--quick (a smoke run of a few seconds' work, numbers not meant to be quoted), only the
--json file if given.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from . import bench_kernel, bench_mujoco, bench_opensim, bench_scenario
from .common import RESULTS, machine_info

SWEEP_JSON = RESULTS / "sweep.json"  # written by benchmarks/bench_sweep.py (sweep throughput vs workers)
TARGETS = {
    "compiled_over_roofline_at_1000": 1.0,  # issue 6, against a loop that kept the records; not judged since v2
    "kernel_element_steps_per_s_at_1000": 60e6,  # tissue law v2, records included
    "stretch_element_steps_per_s": 100e6,
    "scenario_s": 0.1,
    "compile_cached_s": 2.0,
    "mujoco_over_footsim": 10.0,
    "linear_within": 0.15,
    "two_workers_speedup": 1.8,
}


def _sweep() -> dict | None:
    if not SWEEP_JSON.is_file():
        return None
    try:
        return json.loads(SWEEP_JSON.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def _speedup_2_workers(sweep: dict | None) -> float | None:
    """The sweep file's own 2-worker speed-up if it states one under a recognisable key."""
    if not sweep:
        return None
    for key in ("speedup_2_workers", "speedup", "two_worker_speedup"):
        value = sweep.get(key)
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, dict) and isinstance(value.get("2"), (int, float)):
            return float(value["2"])
    return None


def targets(report: dict) -> dict:
    """Each speed target with the measured figure and whether it is met."""
    kernel, scenario, scaling = report["kernel"], report["scenario"], report["scaling"]
    at_1000 = kernel["elements"].index(1000) if 1000 in kernel["elements"] else -1
    best = max(kernel["compiled_element_steps_per_s"])
    out = {
        "compiled_over_roofline_at_1000": kernel["compiled_over_roofline"][at_1000],
        "compiled_element_steps_per_s_at_1000": kernel["compiled_element_steps_per_s"][at_1000],
        "roofline_element_steps_per_s_at_1000": kernel["roofline_element_steps_per_s"][at_1000],
        "compiled_element_steps_per_s_best": best,
        "scenario_cpu_s": scenario["cpu_s"],
        "scenario_wall_s": scenario["wall_s"],
        "compile_cached_s": scenario["compile_cached_s"],
        "scenario_cost_fit_max_residual": scaling["scenario_cost_fit"]["max_relative_residual"],
        "kernel_vs_steps_spread": scaling["kernel_vs_steps_spread"],
        "two_workers_speedup": _speedup_2_workers(report["sweep"]),
    }
    ratios = (report["mujoco"] or {}).get("mujoco_over_footsim") or []
    out["mujoco_over_footsim_min"] = min((r for r in ratios if r is not None), default=None)
    met = {
        # the plain loop keeps no records since tissue law v2: the kernel is below it by design
        "compiled_ge_roofline_at_1000": None,
        "kernel_ge_60M_element_steps_per_s_at_1000": (out["compiled_element_steps_per_s_at_1000"]
                                                      >= TARGETS["kernel_element_steps_per_s_at_1000"]),
        "stretch_100M_element_steps_per_s": best >= TARGETS["stretch_element_steps_per_s"],
        "scenario_under_0.1_s_one_core": out["scenario_cpu_s"] < TARGETS["scenario_s"],
        "cached_compile_under_2_s": out["compile_cached_s"] < TARGETS["compile_cached_s"],
        "10x_faster_than_mujoco_per_contact": (None if out["mujoco_over_footsim_min"] is None
                                               else out["mujoco_over_footsim_min"] >= TARGETS["mujoco_over_footsim"]),
        "linear_within_15_percent": (out["scenario_cost_fit_max_residual"] <= TARGETS["linear_within"]
                                     and out["kernel_vs_steps_spread"] <= TARGETS["linear_within"]),
        "two_workers_ge_1.8x": (None if out["two_workers_speedup"] is None
                                else out["two_workers_speedup"] >= TARGETS["two_workers_speedup"]),
    }
    return {"measured": out, "met": met, "thresholds": TARGETS}


def _stage(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"bench: {name} took {now - started:.1f} s", file=sys.stderr, flush=True)
    return now


def run(quick: bool = False) -> dict:
    started = time.perf_counter()
    report = {"machine": machine_info(), "quick": quick}
    report["kernel"] = bench_kernel.run(quick)
    started = _stage("kernel", started)
    report.update(bench_scenario.run(quick))
    started = _stage("scenario, compilation, scaling, memory", started)
    report["sweep"] = _sweep()
    report["mujoco"] = bench_mujoco.run(report["scaling"]["scenario_vs_elements"], quick)
    started = _stage("mujoco", started)
    if report["mujoco"] is None:
        report["mujoco_note"] = f"mujoco is not installed: {bench_mujoco.INSTALL_HINT}"
    report["opensim"] = bench_opensim.run(report["scaling"]["scenario_vs_elements"], quick)
    _stage("opensim", started)
    if report["opensim"] is None:
        report["opensim_note"] = f"opensim is not installed: {bench_opensim.INSTALL_HINT}"
    report["targets"] = targets(report)
    report["command"] = "footsim bench" + (" --quick" if quick else "")
    return report


def _millions(x) -> str:
    return "n/a" if x is None else f"{x / 1e6:.1f} M"


def _fmt(x, digits=3) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if abs(x) >= 1e5 or (abs(x) < 1e-3 and x != 0):
        return f"{x:.{digits}g}"
    return f"{x:.{digits}g}"


SIMD_NOTE = (
    "The SIMD-friendly prototype of the v1 kernel (structure of arrays, no branch in the element loop, a "
    "polynomial exp) was removed with tissue law v2 rather than ported: it mirrored the v1 arithmetic, and in its "
    "last report (git 788feb9, 2026-11-25) it ran at 24-25 M element-steps/s, 0.43x the v1 kernel's 56-58 M, "
    "because a loop that computes every element pays the in-contact arithmetic for the elements out of "
    "contact and the slip arithmetic for those sticking. The v2 law adds a third and fourth exponential (the "
    "pad's Maxwell branch, the bristle's relaxation in slip) and more state and records per element, which "
    "weighs on a branch-free loop the same way; a vectorised exp would be the first thing to try again.")


def headline(report: dict) -> str:
    """The kernel's rate with its records, its ratio to the plain loop, and the rigid-foot stance's time."""
    k, s, t = report["kernel"], report["scenario"], report["targets"]["measured"]
    at = k["elements"].index(1000) if 1000 in k["elements"] else -1
    return (f"**Contact kernel (tissue law v2, records included), {k['elements'][at]} elements: "
            f"{k['compiled_element_steps_per_s'][at] / 1e6:.1f} M element-steps/s, "
            f"{k['compiled_over_roofline'][at]:.2f} of the plain loop doing only the pad and bristle arithmetic "
            f"({k['roofline_element_steps_per_s'][at] / 1e6:.1f} M); the rigid-foot default stance "
            f"{s['cpu_s'] * 1e3:.1f} ms CPU.** Speed target: >= "
            f"{report['targets']['thresholds']['kernel_element_steps_per_s_at_1000'] / 1e6:.0f} M element-steps/s: "
            f"{_fmt(report['targets']['met']['kernel_ge_60M_element_steps_per_s_at_1000'])} "
            f"({t['compiled_element_steps_per_s_at_1000'] / 1e6:.1f} M; set on the Intel Xeon of the v1 report, where "
            "the v1 kernel ran at 57 M).")


def markdown(report: dict) -> str:
    """A short human summary of a report."""
    m, k, s, sc = report["machine"], report["kernel"], report["scenario"], report["scaling"]
    lines = [
        "# footsim benchmarks",
        "",
        f"`{report['command']}` on {m['cpu']} ({m['logical_cpus']} logical CPUs, flags {' '.join(m['cpu_flags'])}), "
        f"Python {m['python']}, numpy {m['numpy']}, numba {m['numba']}, mujoco {m['mujoco']}; git {m['git_commit']}, "
        f"{m['date_utc']}; load average at start {m['load_average_1min']:.2f} (a shared machine: other sessions' "
        "jobs run beside). One thread; medians of repeated runs, variants timed in turn; rates from the timing "
        "thread's CPU time.",
        "",
        headline(report),
        "",
        "## Contact kernel, element-steps per second (one core)",
        "",
        f"Pose: {k['pose']}.",
        "",
        "| elements | in contact | slipping (of contact) | compiled | numpy reference | plain loop (roofline) | "
        "compiled / plain loop | compiled, error_model python |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in k["details"]:
        lines.append(
            f"| {r['elements']} | {r['contact_fraction']:.0%} | {r['slip_fraction_of_contact']:.0%} | "
            f"{r['compiled_element_steps_per_s'] / 1e6:.1f} M | {r['numpy_element_steps_per_s'] / 1e6:.2f} M | "
            f"{r['roofline_element_steps_per_s'] / 1e6:.1f} M | {r['compiled_over_roofline']:.2f} | "
            f"{_millions(r.get('compiled_error_model_python_element_steps_per_s'))} |")
    ops = k["details"][min(1, len(k["details"]) - 1)]["ops_per_element_step"]
    lines += [
        "",
        f"Arithmetic per element-step at this pose (benchmarks/roofline.py): {ops['flops']:.0f} flops, "
        f"{ops['div']:.1f} divisions, {ops['sqrt']:.1f} square roots, {ops['exp']:.1f} exponentials. "
        "The plain loop (`roofline.minimal_step`) does the kernel's pad law (elastic and Maxwell branch), bristle "
        "(Poynting pressure, damping, exact relaxation in slip), stick/slip and net load for barefoot elements, "
        "and keeps no records; its state and load match the kernel's (tests/test_bench.py). The last column is "
        "the kernel compiled with numba's default error model, against `sim/config.py`'s \"numpy\".",
        "",
        SIMD_NOTE,
        "",
        f"## Default scenario ({s['elements']} elements, {s['steps']} steps of {s['dt_s']:g} s, {s['outcome']})",
        "",
        f"- after compilation: **{s['cpu_s'] * 1e3:.1f} ms** CPU, {s['wall_s'] * 1e3:.1f} ms wall (`run_stance`); "
        f"{s['cpu_with_file_s'] * 1e3:.1f} ms CPU with the HDF5 file",
        "- breakdown (CPU): " + ", ".join(f"{name} {value * 1e3:.1f} ms" for name, value in s["breakdown_s"].items()),
        f"- foot model (`run_stance`, CPU): rigid {s['foot_models']['rigid_cpu_s'] * 1e3:.1f} ms, articulated "
        f"{s['foot_models']['articulated_cpu_s'] * 1e3:.1f} ms",
        f"- contact in the stance: {s['contact_element_steps_per_s'] / 1e6:.1f} M contact-element-steps/s, "
        f"{s['contact_fraction']:.0%} of element-steps in contact",
        f"- compilation: cold {s['compile_cold_s']:.1f} s, cached {s['compile_cached_s']:.2f} s "
        f"(import {s['compile']['cached']['import_s']:.2f} s besides)",
        f"- peak memory of one process (import, two runs, file): {report['memory']['process_peak_rss_mib']:.0f} MiB",
        "",
        "## Scaling",
        "",
        "| elements | steps | CPU ms | ns per element-step | ns per contact-element-step |",
        "|---|---|---|---|---|",
    ]
    for r in sc["scenario_vs_elements"] + sc["scenario_vs_duration"]:
        lines.append(f"| {r['elements']} | {r['steps']} | {r['cpu_s'] * 1e3:.1f} | {r['s_per_element_step'] * 1e9:.1f} | "
                     f"{r['s_per_contact_element_step'] * 1e9:.1f} |")
    fit = sc["scenario_cost_fit"]
    lines += [
        "",
        f"Cost plane over these runs: {fit['s_per_step'] * 1e6:.2f} us per step + {fit['s_per_element_step'] * 1e9:.2f} ns "
        f"per element-step + {fit['s_per_contact_element_step'] * 1e9:.2f} ns per contact-element-step, largest "
        f"residual {fit['max_relative_residual']:.1%}. Kernel alone, flat foot pressed and held still, 1000 elements: time per "
        f"element-step varies {sc['kernel_vs_steps_spread']:.1%} across "
        f"{', '.join(str(r['steps']) for r in sc['kernel_vs_steps_fixed_pose'])} steps.",
        "",
    ]
    mj = report["mujoco"]
    if mj:
        lines += ["## MuJoCo " + mj["version"] + ", the same foot as N spheres", "",
                  "| N | MuJoCo ns per contact-element-step | footsim | MuJoCo / footsim | MuJoCo contact fraction |",
                  "|---|---|---|---|---|"]
        for r in mj["details"]:
            ours = r.get("footsim_s_per_contact_element_step")
            ratio = r.get("mujoco_over_footsim_per_contact_element_step")
            lines.append(f"| {r['elements']} | {r['s_per_contact_element_step'] * 1e9:.0f} | "
                         f"{'n/a' if ours is None else f'{ours * 1e9:.0f}'} | "
                         f"{'n/a' if ratio is None else f'{ratio:.1f}x'} | {r['contact_fraction']:.0%} |")
        lines += ["", f"Only footsim: {mj['only_footsim_computes']}. Only MuJoCo: {mj['only_mujoco_computes']}.", ""]
    else:
        lines += ["## MuJoCo", "", report.get("mujoco_note", "not measured"), ""]
    osim = report.get("opensim")
    if osim:
        lines += ["## OpenSim " + osim["version"] + ", SmoothSphereHalfSpaceForce per sphere", "",
                  "| N | steps | OpenSim ns per element-step | OpenSim / footsim |", "|---|---|---|---|"]
        for r in osim["details"]:
            ratio = r.get("opensim_over_footsim_per_element_step")
            lines.append(f"| {r['elements']} | {r['steps']} | {r['s_per_element_step'] * 1e9:.0f} | "
                         f"{'n/a' if ratio is None else f'{ratio:.1f}x'} |")
        lines += ["", f"Only OpenSim: {osim['only_opensim_computes']}", ""]
    else:
        lines += ["## OpenSim", "", report.get("opensim_note", "not measured"), ""]
    t = report["targets"]
    lines += ["## Speed targets", "", "| target | met |", "|---|---|"]
    lines += [f"| {name} | {_fmt(value)} |" for name, value in t["met"].items()]
    lines += ["", "Measured: " + ", ".join(f"{name} = {_fmt(value)}" for name, value in t["measured"].items()), ""]
    return "\n".join(lines)


def _finite_json(obj):
    """JSON-safe copy: non-finite floats become null (so a reader never meets NaN)."""
    if isinstance(obj, dict):
        return {str(k): _finite_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite_json(v) for v in obj]
    if hasattr(obj, "item"):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="footsim benchmarks")
    parser.add_argument("--json", help="write the report here (default results/bench/bench.json unless --quick)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds; figures not for quoting")
    args = parser.parse_args(argv)
    report = _finite_json(run(args.quick))
    text = markdown(report)
    print(text)
    paths = [Path(args.json)] if args.json else []
    if not args.quick and not args.json:
        paths = [RESULTS / "bench.json"]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=1) + "\n")
        if path.resolve().parent == RESULTS.resolve():
            path.with_suffix(".md").write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
