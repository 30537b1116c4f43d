"""A 1,000-scenario sweep of the default scenario on 2 local workers: wall time, and how much of it
is sweep machinery (scheduling, transfer, writing, start-up) rather than computing stances.

Compute is `run_stance` (with resolving the scenario), timed inside the workers for every
scenario, in wall and in CPU time; everything else is machinery. The machine is shared, so
three views:
- CPU (`machinery_cpu_share`, the figure to quote): the workers' and the writer's whole CPU time
  (getrusage; the pool's workers are joined, so theirs is in RUSAGE_CHILDREN: start-up, imports,
  numba cache, pickling, packing) beyond the workers' CPU time in `run_stance`, over the latter.
  Other processes' load hardly enters it; start-up is split out (`startup_cpu_s`, measured as a
  bare worker's imports and first stance).
- wall inside the sweep (`workers_outside_run_stance_share`): the share of the workers' wall
  time (workers x wall) not spent in `run_stance`: start-up, waiting for tasks, the last tasks'
  imbalance.
- against a serial reference (`speedup_2_workers`, `overhead_vs_serial`): the same scenarios'
  `run_stance` timed one after another in this process, every 10th of the sweep; other
  processes' turns on the shared cores during the sweep count against it.

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

from .common import RESULTS, machine_info, run_python

STARTUP = """
import time
c0, t0 = time.process_time(), time.perf_counter()
from sim.sweeps.worker import run_chunk
from sim.runner import run_stance
from sim.scenario import load_scenario
run_stance(load_scenario())
print(time.process_time() - c0, time.perf_counter() - t0)
"""

SWEEP = """
name = "bench_default_toe_out"
# the default scenario; {n} toe-out angles make {n} distinct scenarios of the same cost
[axes]
"strike.toe_out_deg" = {{ start = 0.0, stop = 40.0, num = {n} }}
"""


def _machine_cpu() -> tuple[float, float]:
    """Busy and idle CPU seconds of the whole machine so far (/proc/stat), to see others' share."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / tick, idle / tick


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
        busy0, idle0 = _machine_cpu()
        stats = run_sweep(sweep, out, workers=workers, stream=open(os.devnull, "w"))
        busy1, idle1 = _machine_cpu()
        main_cpu = _cpu(resource.RUSAGE_SELF) - self0
        worker_cpu = _cpu(resource.RUSAGE_CHILDREN) - children0
        file_mb = out.stat().st_size / 1e6
        journal_mb = journal_path(out).stat().st_size / 1e6
    assert stats.done == n, stats.line()
    compute_wall = n * serial["wall_per_scenario_s"]
    startup_cpu, startup_wall = map(float, run_python(STARTUP).split())
    machinery_cpu = worker_cpu + main_cpu - stats.compute_cpu_s
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
        "cpu": {"workers_s": worker_cpu, "writer_s": main_cpu, "run_stance_s": stats.compute_cpu_s,
                "machinery_s": machinery_cpu, "startup_cpu_s_per_worker": startup_cpu,
                "startup_wall_s_per_worker": startup_wall},
        "machinery_cpu_share": machinery_cpu / stats.compute_cpu_s,
        "machinery_cpu_share_without_startup": (machinery_cpu - workers * startup_cpu) / stats.compute_cpu_s,
        "in_sweep": {"run_stance_wall_s": stats.compute_s, "writer_wall_s": stats.write_s,
                     "workers_outside_run_stance_share": 1.0 - stats.compute_s / (workers * stats.wall_s)},
        "file_mb": file_mb,
        "journal_mb": journal_mb,
        "machine_during_sweep": {"busy_cpu_s": busy1 - busy0, "idle_cpu_s": idle1 - idle0,
                                 "other_processes_cpu_s": busy1 - busy0 - worker_cpu - main_cpu},
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
    print(f"machinery: {sweep['machinery_cpu_share']:.1%} of compute CPU time "
          f"({sweep['machinery_cpu_share_without_startup']:.1%} without worker start-up); workers outside run_stance "
          f"{sweep['in_sweep']['workers_outside_run_stance_share']:.1%} of their wall time; writer "
          f"{sweep['cpu']['writer_s']:.2f} s CPU; against serial: speed-up {sweep['speedup_2_workers']:.2f}, "
          f"overhead {sweep['overhead_vs_serial']:.1%}; other processes used "
          f"{sweep['machine_during_sweep']['other_processes_cpu_s']:.1f} CPU-s during the sweep")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
