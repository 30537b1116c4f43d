"""`footsim explain SCENARIO.toml --region REGION [--factors a,b,...] [--n N] [--out DIR] [--workers N]`."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from ..errors import InputError
from ..explain import DEFAULT_FACTORS, FACTORS, Study, check_region, explain, parse_factors
from ..explain.analysis import PRIMARY
from ..sweeps import SweepAborted


# Below this many base points the indices of a few factors scatter by tenths (Saltelli et al. 2010
# use 500-1000); first-order above total beyond sampling noise means the estimates have not converged.
MIN_RELIABLE_N = 64
S1_ABOVE_ST_TOLERANCE = 0.02


def reliability_warnings(table: dict) -> list[str]:
    """Why a Sobol table (n_used, ranking of first_order / total_order) should not be trusted, if it should not."""
    warnings = []
    if table["n_used"] < MIN_RELIABLE_N:
        warnings.append(f"only {table['n_used']} base points: the indices are rough estimates; use --n "
                        f"{MIN_RELIABLE_N * 4} or more for a ranking to rely on")
    above = [row for row in table["ranking"] if row["first_order"] > row["total_order"] + S1_ABOVE_ST_TOLERANCE]
    if above:
        listed = ", ".join(f"{row['factor']} (S1 {row['first_order']:.2f} > ST {row['total_order']:.2f})"
                           for row in above)
        warnings.append(f"first-order above total index for {listed}: not converged, raise --n")
    return warnings


def add_arguments(p) -> None:
    p.add_argument("scenario", help="base scenario TOML file")
    p.add_argument("--region", required=True, help="plantar region, e.g. heel_posterolateral")
    p.add_argument("--factors", metavar="A,B,...",
                   help=f"factors to vary: {', '.join(FACTORS)}, each optionally with a range NAME=LOW:HIGH, or a numeric "
                        f"scenario key with a range (default: {','.join(DEFAULT_FACTORS)})")
    p.add_argument("--n", type=int, default=256, help="Saltelli base points, a power of 2 (default 256)")
    p.add_argument("--seed", type=int, default=1, help="seed of the Sobol sequence (default 1)")
    p.add_argument("--oat-points", type=int, default=9, help="points of each one-at-a-time curve (default 9)")
    p.add_argument("--out", metavar="DIR", help="study folder (default: <scenario>_<region>_explain)")
    p.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: the number of cores)")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a base parameter")
    p.add_argument("--overwrite", action="store_true", help="recompute sweeps whose files hold another study")


def run(args) -> int:
    check_region(args.region)
    factors = parse_factors(args.factors)
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: allowed a whole number >= 1")
    if args.seed < 0:
        raise InputError(f"--seed {args.seed}: allowed a whole number >= 0")
    study = Study(Path(args.scenario), args.region, factors, n=args.n, seed=args.seed, oat_points=args.oat_points,
                  overrides=tuple(args.set))
    out = Path(args.out) if args.out else Path(f"{Path(args.scenario).stem}_{args.region}_explain")
    print(f"explain {study.title}, {args.region}: {study.scenario_count()} scenarios into {out}")
    command = shlex.join(["footsim", "explain", str(args.scenario), "--region", args.region,
                          "--factors", ",".join(f"{f.name}={f.show(f.low)}:{f.show(f.high)}" for f in factors),
                          "--n", str(args.n), "--seed", str(args.seed), "--oat-points", str(args.oat_points),
                          "--out", str(out)] + [w for s in args.set for w in ("--set", s)])
    try:
        numbers = explain(study, out, workers=args.workers, overwrite=args.overwrite, command=command)
    except SweepAborted as exc:
        print(f"footsim explain: {exc}", file=sys.stderr)
        return 1
    table = numbers["sobol"]["metrics"][PRIMARY]
    print(f"{args.region} peak shear stress: factors by total Sobol index (n = {table['n_used']})")
    for row in table["ranking"]:
        print(f"  {row['factor']:<14} S1 {row['first_order']:6.2f}  ST {row['total_order']:6.2f}")
    for warning in reliability_warnings(table):
        print(f"  warning: {warning}")
    timing = numbers["timing"]
    print(f"{timing['computed']} scenarios computed in {timing['wall_s']:.0f} s; wrote {out / 'report.md'}")
    return 0
