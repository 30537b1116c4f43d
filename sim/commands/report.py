"""`footsim report FILE.h5 [--out DIR] [--metrics M1,M2,...]`: pictures and Sobol indices of a sweep file."""

from __future__ import annotations

from pathlib import Path

from ..sweeps.report import DEFAULT_METRICS, make_report


def add_arguments(p) -> None:
    p.add_argument("file", help="HDF5 file written by `footsim sweep`")
    p.add_argument("--out", metavar="DIR", help="folder for the pictures (default: FILE's name + _report beside it)")
    p.add_argument("--metrics", metavar="M1,M2", help="summary metrics to draw (default: " + ", ".join(DEFAULT_METRICS) + ")")


def run(args) -> int:
    path = Path(args.file)
    out = Path(args.out) if args.out else path.with_name(path.stem + "_report")
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()] if args.metrics else None
    written, notes = make_report(path, out, metrics)
    for note in notes:
        print(note)
    for target in written:
        print(f"wrote {target}")
    return 0
