"""`footsim crosscheck [--json FILE] [--plot DIR]`: footsim against its pymunk twin.

Prints every case with its agreement figures, and a sentence on why the two differ where they
do; exit 1 if an asserted agreement fails.
"""

from __future__ import annotations

import json
import math
from pathlib import Path


def add_arguments(p) -> None:
    p.add_argument("--scenario", metavar="FILE", help="base scenario (default: the default scenario); it is "
                   "restricted to the sagittal plane and made rigid before use")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a parameter")
    p.add_argument("--json", metavar="FILE", help="write the cases as JSON")
    p.add_argument("--plot", metavar="DIR", help="write GRF and trajectory pictures of each case here")


def _number(value: float) -> str:
    return f"{value:10.4g}" if math.isfinite(value) else f"{'-':>10}"


def run(args) -> int:
    from ..crosscheck.cases import all_cases
    from ..crosscheck.footsim_side import PLANAR_LIMIT, RIGID_LIMIT, SAGITTAL
    from ..errors import InputError
    from ..runner import SimulationError

    try:
        cases = all_cases(args.scenario, args.set)
    except SimulationError as exc:
        raise InputError(f"{args.scenario or 'default scenario'} in the rigid sagittal limit: {exc}") from None
    print("footsim against its pymunk (Chipmunk2D) twin in the sagittal plane")
    print(f"  footsim restricted: {', '.join(SAGITTAL)}")
    print(f"  rigid limit: {', '.join(RIGID_LIMIT)}; mu_kinetic = mu_static")
    print(f"  articulated cases, planar: {', '.join(PLANAR_LIMIT)}; MTP axis transverse (0, 1, 0)")
    failed = 0
    for case in cases:
        print(f"\n{case.name}")
        width = max(len(r.quantity) for r in case.rows)
        print(f"  {'quantity':<{width}}  {'footsim':>10}  {'pymunk':>10}  {'exact':>10}  {'agreement':>9}  "
              f"{'tol':>5}  result  (agreement measure)")
        for r in case.rows:
            tol = f"{r.tolerance:5.0%}" if r.asserted else f"{'':>5}"
            verdict = ("pass" if r.passed else "FAIL") if r.asserted else "info"
            failed += not r.passed
            error = f"{r.error:9.2%}" if math.isfinite(r.error) else f"{'-':>9}"
            measure = f"  ({r.measure})" if r.measure else ""
            print(f"  {r.quantity:<{width}}  {_number(r.footsim)}  {_number(r.pymunk)}  {_number(r.reference)}  "
                  f"{error}  {tol}  {verdict:<6}{measure}")
        for note in case.notes:
            print(f"  why: {note}")
    asserted = sum(r.asserted for c in cases for r in c.rows)
    print(f"\n{asserted - failed} of {asserted} asserted agreements hold")
    if args.json:
        out = [dict(case=c.name, notes=c.notes,
                    rows=[dict(quantity=r.quantity, footsim=_finite(r.footsim), pymunk=_finite(r.pymunk),
                               exact=_finite(r.reference), agreement=_finite(r.error), measure=r.measure,
                               tolerance=r.tolerance, passed=r.passed) for r in c.rows]) for c in cases]
        Path(args.json).write_text(json.dumps({"cases": out}, indent=2))
    if args.plot:
        from ..crosscheck.plots import plot_cases

        for path in plot_cases(cases, Path(args.plot)):
            print(f"wrote {path}")
    return 1 if failed else 0


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
