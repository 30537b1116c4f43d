"""`footsim bench [--json FILE] [--quick]`: the benchmarks of `benchmarks/`.

They run in a fresh interpreter so that the one-thread settings for BLAS and numba take effect
before numpy is loaded, and so that the figures do not depend on what this process imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..errors import InputError

REPO = Path(__file__).resolve().parents[2]


def add_arguments(p) -> None:
    p.add_argument("--json", metavar="FILE", help="write the report as JSON here (default results/bench/bench.json)")
    p.add_argument("--quick", action="store_true", help="a smoke run of a few seconds; figures not for quoting")


def run(args) -> int:
    if not (REPO / "benchmarks" / "run_all.py").is_file():
        raise InputError(f"footsim bench needs a source checkout: no benchmarks/ folder in {REPO}")
    command = [sys.executable, "-m", "benchmarks.run_all"]
    if args.json:
        command += ["--json", str(Path(args.json).resolve())]
    if args.quick:
        command.append("--quick")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        env.setdefault(name, "1")
    return subprocess.run(command, cwd=REPO, env=env).returncode
