"""A 1,000-scenario sweep of the default scenario on 2 local workers: wall time, and how much of it
is sweep machinery (scheduling, transfer, writing, start-up) rather than computing stances.

The compute reference is the same scenarios' `run_stance` timed serially in this process, in the
same run (every 10th scenario of the sweep). Three views of the machinery's cost:
- wall: 2 workers x wall time against the serial compute time of all scenarios
  (`overhead_vs_serial` = 2 x wall / (N x t_serial) - 1; includes start-up and the last tasks'
  imbalance, and any other process's turns on the shared cores);
- CPU: the workers' and the writer's CPU time (getrusage; the pool's workers are joined, so their
  time is in RUSAGE_CHILDREN) beyond N x the serial CPU time per scenario (`machinery_cpu_share`);
  other processes' load does not enter it;
- inside the sweep: the time the workers spent outside `run_stance` (1 - sum of the workers'
  run_stance wall times / (2 x wall)), and the writer's own time in the journal and HDF5 file.

    python -m benchmarks.bench_sweep [--scenarios 1000] [--workers 2] [--json FILE]

Writes results/bench/sweep.json by default.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from sim.runner import run_stance
from sim.sweeps import load_sweep, run_sweep
from sim.sweeps.journal import journal_path

from .common import RESULTS, machine_info

SWEEP = """
name = "bench_default_toe_out"
# the default scenario; {n} toe-out angles make {n} distinct scenarios of the same cost
[axes]
"strike.toe_out_deg" = {{ start = 0.0, stop = 40.0, num = {n} }}
"""


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def serial_reference(sweep, every: int) -> dict:
    """run_stance of every `every`-th scenario in this process, after one warm-up (compilation cache)."""
    scenarios = [sweep.resolved(i) for i in range(0, len(sweep), every)]
    run_stance(scenarios[0])
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    for scenario in scenarios:
        run_stance(scenario)
    count = len(scenarios)
    return {"scenarios": count, "wall_per_scenario_s": (time.perf_counter() - wall0) / count,
            "cpu_per_scenario_s": (time.thread_time() - cpu0) / count}


def bench(n: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.toml"
        path.write_text(SWEEP.format(n=n))
        sweep = load_sweep(path)
        serial = serial_reference(sweep, every=10)
        load_before = os.getloadavg()[0]
        out = Path(folder) / "bench.h5"
        self0, children0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        stats = run_sweep(sweep, out, workers=workers, stream=open(os.devnull, "w"))
        main_cpu = _cpu(resource.RUSAGE_SELF) - self0
        worker_cpu = _cpu(resource.RUSAGE_CHILDREN) - children0
        file_mb = out.stat().st_size / 1e6
        journal_mb = journal_path(out).stat().st_size / 1e6
    assert stats.done == n, stats.line()
    compute_wall = n * serial["wall_per_scenario_s"]
    compute_cpu = n * serial["cpu_per_scenario_s"]
    return {
        "scenarios": n,
        "workers": workers,
        "chunk_size": stats.chunk_size,
        "tasks": stats.tasks,
        "wall_s": stats.wall_s,
        "scenarios_per_s": n / stats.wall_s,
        "first_result_s": stats.first_result_s,
        "serial_reference": serial,
        "speedup_2_workers": compute_wall / stats.wall_s if workers == 2 else None,
        "overhead_vs_serial": workers * stats.wall_s / compute_wall - 1.0,
        "cpu": {"workers_s": worker_cpu, "writer_s": main_cpu, "compute_s": compute_cpu,
                "machinery_s": worker_cpu + main_cpu - compute_cpu},
        "machinery_cpu_share": (worker_cpu + main_cpu - compute_cpu) / compute_cpu,
        "in_sweep": {"run_stance_wall_s": stats.compute_s, "writer_s": stats.write_s,
                     "workers_outside_run_stance_share": 1.0 - stats.compute_s / (workers * stats.wall_s)},
        "file_mb": file_mb,
        "journal_mb": journal_mb,
        "load_average_1min_before": load_before,
        "load_average_1min_after": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=RESULTS / "sweep.json")
    args = parser.parse_args(argv)
    report = {"machine": machine_info(), "sweep": bench(args.scenarios, args.workers)}
    sweep = report["sweep"]
    report["speedup_2_workers"] = sweep["speedup_2_workers"]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{sweep['scenarios']} scenarios on {sweep['workers']} workers: {sweep['wall_s']:.1f} s wall "
          f"({sweep['scenarios_per_s']:.1f}/s, first result after {sweep['first_result_s']:.1f} s); serial "
          f"run_stance {sweep['serial_reference']['wall_per_scenario_s'] * 1e3:.1f} ms wall, "
          f"{sweep['serial_reference']['cpu_per_scenario_s'] * 1e3:.1f} ms CPU")
    print(f"machinery: {sweep['overhead_vs_serial']:.1%} of compute by wall time, {sweep['machinery_cpu_share']:.1%} "
          f"by CPU time; workers outside run_stance {sweep['in_sweep']['workers_outside_run_stance_share']:.1%} "
          f"of their time; writer {sweep['in_sweep']['writer_s']:.2f} s; load {sweep['load_average_1min_before']:.1f}")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
