"""`footsim explain`: which factors drive a plantar region's skin shear around a base scenario.

A variance-based study (Sobol indices from a Saltelli design, `sim.sweeps`) of the region's peak
shear stress, slip, frictional work and shear-time integral over named factors with plausible
ranges (`factors.FACTORS`), one-at-a-time curves, plantar maps, the direction of the region's
shear in the foot frame and its load per kilometre. Every sweep is a file in the study folder,
computed resumably; the report (`report.md`, `explain.json`, PNGs) is made from those files.

- `Study(scenario_path, region, factors, n, ...)`, `parse_factors`, `check_region`
- `explain(study, out, workers=...)`: compute what is missing, write the report; returns its numbers
- `sim.explain.origin_case`: the case study of DESIGN 1 in `results/origin_case/`
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from .analysis import study_numbers
from .factors import DEFAULT_FACTORS, FACTORS, Factor, check_region, parse_factors
from .figures import study_figures
from .report import study_markdown, write_json
from .study import Study, run_sweeps

__all__ = ["DEFAULT_FACTORS", "FACTORS", "Factor", "Study", "check_region", "explain", "parse_factors"]


def sweep_timing(stats: dict, start: float) -> dict:
    """Wall time since `start` and what the sweeps computed, for the report."""
    return {"wall_s": time.perf_counter() - start,
            "workers": max((s.workers for s in stats.values()), default=0),
            "computed": sum(s.computed for s in stats.values()),
            "already": sum(s.already for s in stats.values()),
            "compute_s": sum(s.compute_s for s in stats.values()),
            "sweeps": {name: {"total": s.total, "done": s.done, "failed": s.failed, "computed": s.computed,
                              "wall_s": s.wall_s} for name, s in stats.items()}}


def explain(study: Study, out: str | Path, workers: int | None = None, overwrite: bool = False,
            stream: TextIO | None = None, command: str = "") -> dict:
    """Run (or resume) the study's sweeps in `out`, then write explain.json, report.md and the pictures."""
    start = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stats = run_sweeps(study.sweeps(), out, workers=workers, overwrite=overwrite, stream=stream)
    numbers = study_numbers(study, out)
    study_figures(study, out, numbers)
    numbers["timing"] = sweep_timing(stats, start)
    numbers["command"] = command
    write_json(out / "explain.json", numbers)
    (out / "report.md").write_text(study_markdown(numbers, study.factors, command, numbers["timing"]), encoding="utf-8")
    return numbers
