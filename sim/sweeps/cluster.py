"""Dask workers on a SLURM or PBS cluster through dask-jobqueue, for `footsim sweep --scheduler` (docs/cluster.md).

    python -m sim.sweeps.cluster slurm --jobs 4 --cores 8 --memory 16GB --walltime 02:00:00 \\
        --scheduler-file ~/footsim-scheduler.json

starts a Dask scheduler in this process (on the login node), submits the worker jobs and writes the
scheduler's address to the file that `footsim sweep SWEEP.toml --out OUT.h5 --scheduler
~/footsim-scheduler.json` reads. It runs until Ctrl-C, which cancels the jobs. One worker process
per core with one thread each: a stance is mostly compiled code, but its Python parts hold the GIL.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..errors import InputError

KINDS = {"slurm": "SLURMCluster", "pbs": "PBSCluster"}


def job_cluster(kind: str, cores: int, memory: str, walltime: str, queue: str | None = None,
                account: str | None = None, prologue: tuple[str, ...] = (), interface: str | None = None):
    """A dask-jobqueue cluster whose jobs each run `cores` single-threaded footsim workers; no job is
    submitted until it is scaled. `prologue`: shell lines a job runs first (load modules, activate the
    environment footsim is installed in); `interface`: the network interface the compute nodes reach
    the scheduler on (e.g. ib0), when the default one is not routed to them."""
    try:
        import dask_jobqueue
    except ImportError:
        raise InputError("dask-jobqueue is not installed: pip install 'footsim[cluster]'") from None
    if kind not in KINDS:
        raise InputError(f"cluster kind {kind!r}: allowed {', '.join(KINDS)}")
    return getattr(dask_jobqueue, KINDS[kind])(
        cores=cores, processes=cores, memory=memory, walltime=walltime, queue=queue, account=account,
        job_script_prologue=list(prologue), interface=interface)


def write_scheduler_file(address: str, path: str | Path) -> Path:
    """The scheduler file `footsim sweep --scheduler FILE.json` (and `distributed.Client(scheduler_file=...)`) reads."""
    path = Path(path).expanduser()
    path.write_text(json.dumps({"type": "Scheduler", "address": address}) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.sweeps.cluster", description=__doc__.split("\n\n")[0])
    p.add_argument("kind", choices=sorted(KINDS))
    p.add_argument("--jobs", type=int, default=1, help="worker jobs to submit")
    p.add_argument("--cores", type=int, default=8, help="cores (= single-threaded workers) per job")
    p.add_argument("--memory", default="16GB", help="memory per job")
    p.add_argument("--walltime", default="02:00:00", help="time limit per job (HH:MM:SS)")
    p.add_argument("--queue", help="partition (SLURM) or queue (PBS)")
    p.add_argument("--account", help="project account to charge")
    p.add_argument("--prologue", action="append", default=[], metavar="LINE",
                   help="shell line a job runs before the workers (repeatable)")
    p.add_argument("--interface", help="network interface the compute nodes reach the scheduler on")
    p.add_argument("--scheduler-file", default="footsim-scheduler.json")
    args = p.parse_args(argv)
    try:
        cluster = job_cluster(args.kind, args.cores, args.memory, args.walltime, args.queue, args.account,
                              tuple(args.prologue), args.interface)
    except InputError as exc:
        print(f"{p.prog}: error: {exc}", file=sys.stderr)
        return 2
    with cluster:
        cluster.scale(jobs=args.jobs)
        path = write_scheduler_file(cluster.scheduler_address, args.scheduler_file)
        print(f"scheduler {cluster.scheduler_address}; {args.jobs} job(s) submitted; now run\n"
              f"  footsim sweep SWEEP.toml --out OUT.h5 --scheduler {path}\nCtrl-C here cancels the jobs.", flush=True)
        try:
            while True:
                time.sleep(60)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
