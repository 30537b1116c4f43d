"""`footsim verify [--json FILE]`: verification cases against exact solutions; exit 1 if any fails."""

from __future__ import annotations

import json
from pathlib import Path


def add_arguments(p) -> None:
    p.add_argument("--json", metavar="FILE", help="write the cases as JSON")


def run(args) -> int:
    from ..verify import all_cases

    cases = all_cases()
    width = max(len(c.name) for c in cases)
    print(f"{'case':<{width}}  {'expected':>12}  {'measured':>12}  {'error':>9}  {'tol':>8}  result")
    for c in cases:
        kind = "abs" if c.absolute else "rel"
        print(f"{c.name:<{width}}  {c.expected:12.6g}  {c.measured:12.6g}  {c.error:9.2e}  {c.tolerance:8.1e}  "
              f"{'pass' if c.passed else 'FAIL'} ({kind})")
    failed = [c for c in cases if not c.passed]
    print(f"{len(cases) - len(failed)} passed, {len(failed)} failed")
    if args.json:
        rows = [dict(name=c.name, expected=c.expected, measured=c.measured, error=c.error, tolerance=c.tolerance,
                     relative=not c.absolute, passed=c.passed, note=c.note) for c in cases]
        Path(args.json).write_text(json.dumps({"cases": rows}, indent=2))
    return 1 if failed else 0
