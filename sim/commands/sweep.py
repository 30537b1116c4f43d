"""`footsim sweep SWEEP.toml --out FILE.h5 [--workers N | --scheduler ADDRESS] [--timeseries] [--overwrite]`."""

from __future__ import annotations

import multiprocessing.util
import os
import sys

from ..errors import InputError
from ..sweeps import SweepAborted, SweepWriteFailed, load_sweep, run_sweep


def add_arguments(p) -> None:
    p.add_argument("sweep", help="sweep TOML file: a base scenario, axes and a design (DESIGN 4.2)")
    p.add_argument("--out", required=True, help="HDF5 file to write; an interrupted sweep resumes into it")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: the number of cores)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster: scheduler address (tcp://host:8786) or scheduler JSON file")
    p.add_argument("--timeseries", action="store_true", help="also store GRF, COP and free moment on a 1 ms grid")
    p.add_argument("--overwrite", action="store_true", help="replace an existing file (and its journal) of another sweep")
    p.add_argument("--chunk-size", type=int, metavar="K", help="scenarios per task (default: automatic, at most 25)")


def run(args) -> int:
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: allowed a whole number >= 1")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise InputError(f"--chunk-size {args.chunk_size}: allowed a whole number >= 1")
    sweep = load_sweep(args.sweep)
    try:
        stats = run_sweep(sweep, args.out, workers=args.workers, scheduler=args.scheduler, timeseries=args.timeseries,
                          overwrite=args.overwrite, chunk_size=args.chunk_size)
    except SweepAborted as exc:
        print(f"footsim sweep: {exc}", file=sys.stderr)
        return 1
    except SweepWriteFailed as exc:  # the HDF5 file cannot be closed: end here (the journal holds every result)
        print(f"footsim sweep: error: {exc}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        multiprocessing.util._exit_function()  # stop the pool's helper processes as a normal exit would
        os._exit(2)
    if stats.note:
        print(stats.note)
    print(stats.line())
    return 0
