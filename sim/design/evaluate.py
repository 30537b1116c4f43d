"""The evaluator of `sim.design.search` on the sweep machinery: each batch of designs, times each
strike pattern, is one sweep file named by its fingerprint in `<out>/evaluations/`. A repeated
batch (the same command again: differential evolution with a fixed seed asks for the same designs)
finds its file finished and computes nothing; an interrupted one resumes from its journal. The
runs go to one local worker pool kept for every batch, or a Dask cluster, like `footsim sweep`.
"""

from __future__ import annotations

import io
from pathlib import Path

import h5py
import numpy as np

from ..scenario import apply_overrides, check_sections, read_checked, resolve
from ..sweeps.execute import run_sweep
from ..sweeps.layout import STATUS_DONE
from ..sweeps.spec import points_sweep
from .problem import Problem

# Tissue uncertainty for the robustness check: G0 over DESIGN 3.3's plausible range,
# and the skin's friction (on the ground barefoot, on the insole in a shoe) 40 % either way.
G0_PA = (50e3, 100e3, 500e3)
FRICTION_FACTORS = (0.6, 1.0, 1.4)


def base_scenario(scenario_path: str | Path, overrides=()) -> dict:
    """The checked, unresolved scenario mapping of a file with `--set` overrides (a sweep's base)."""
    return read_checked(scenario_path, overrides)


class SweepEvaluator:
    """`evaluate(rows)` for the search: runs every row for every strike pattern as one sweep."""

    def __init__(self, problem: Problem, base: dict, out: Path, pool=None, scheduler: str | None = None,
                 quiet: bool = False):
        """pool: a `sim.sweeps.execute.worker_pool` kept for every batch; scheduler: a Dask cluster instead."""
        self.problem, self.base, self.folder = problem, base, Path(out) / "evaluations"
        self.pool, self.scheduler = pool, scheduler
        self.stream = io.StringIO() if quiet else None
        self.resolved = resolve(base)
        self.strikes = problem.strikes or (self.resolved["strike"]["pattern"],)
        self.batches = self.computed = 0
        middle = {v.key: 0.5 * (v.low + v.high) for v in problem.vary}
        for strike in self.strikes:  # a design the model refuses is an input error before any run
            resolve(check_sections(apply_overrides(base, [*middle.items(), ("strike.pattern", strike)]), "--vary"))

    def value(self, key: str):
        section, name = key.split(".", 1)
        return self.resolved[section][name]

    def baseline(self) -> dict[str, float]:
        """The scenario as given: its own values of the varied keys."""
        return {v.key: float(self.value(v.key)) for v in self.problem.vary}

    def conditions(self, design: dict[str, float]) -> list[tuple[str, dict[str, float]]]:
        """The nominal tissue, then every G0 x friction factor (the skin's friction keys of this design)."""
        shod = "insole.mu_skin" in self.resolved["footwear"]
        friction = ("footwear.insole.mu_skin",) if shod else ("tissue.mu_static", "tissue.mu_kinetic")
        nominal = {"tissue.g0_pa": float(self.value("tissue.g0_pa")),
                   **{k: float(design.get(k, self.value(k))) for k in friction}}
        out = [("nominal", nominal)]
        for g0 in G0_PA:
            for factor in FRICTION_FACTORS:
                out.append((f"G0 {g0 / 1e3:g} kPa, friction x{factor:g}",
                            {"tissue.g0_pa": g0, **{k: nominal[k] * factor for k in friction}}))
        return out

    def __call__(self, rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
        full = [{**row, "strike.pattern": strike} for row in rows for strike in self.strikes]
        sweep = points_sweep("design", self.base, full, "footsim design: one batch of designs x strike patterns")
        out = self.folder / f"batch_{sweep.fingerprint[:16]}.h5"
        stats = run_sweep(sweep, out, scheduler=self.scheduler, stream=self.stream, pool=self.pool)
        self.batches += 1
        self.computed += stats.computed
        with h5py.File(out, "r") as f:
            done = f["status"][:] == STATUS_DONE
            return {m: np.where(done, f[m][:], np.nan).reshape(len(rows), len(self.strikes))
                    for m in self.problem.metrics}
