"""The search: differential evolution (scipy.optimize) over an evaluator, a Pareto front, robustness.

The evaluator is injected: `evaluate(rows)` takes designs as {key: value} rows (every row the same
keys) and returns {metric: (rows, strike patterns) array}, NaN where a run failed. `sim.design.evaluate`
runs them as sweeps; a test passes a formula. One call per generation: differential evolution with
`updating="deferred"` and `vectorized=True` hands over the whole generation, which the evaluator
computes in parallel. Constraints use scipy's own handling (Lampinen: a feasible design beats an
infeasible one; of two infeasible ones the smaller violation wins); a failed run is infeasible.
Over several strike patterns the objective is the mean and a constraint must hold for every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .problem import Problem

Evaluate = Callable[[list[dict[str, float]]], dict[str, np.ndarray]]
Conditions = Callable[[dict[str, float]], list[tuple[str, dict[str, float]]]]
FAILED_VIOLATION = 1e12  # a failed run violates every constraint by this much


@dataclass
class Outcome:
    problem: Problem
    designs: np.ndarray                  # (n, D) every design evaluated, in order
    metrics: dict[str, np.ndarray]       # metric -> (n, strikes)
    best: int                            # index into designs
    converged: bool
    message: str
    generations: int
    robustness: list[dict] = field(default_factory=list)

    def objective_values(self) -> np.ndarray:
        """(n, objectives): each objective's mean over the strike patterns, inf for a failed run."""
        values = np.stack([self.metrics[o].mean(axis=1) for o in self.problem.objectives], axis=1)
        return np.where(np.isfinite(values), values, np.inf)

    def feasible(self) -> np.ndarray:
        """Every constraint met and every objective computed (a failed run is never a design to keep)."""
        computed = np.isfinite(self.objective_values()).all(axis=1)
        return computed & (violations(self.problem, self.metrics).sum(axis=1) == 0)

    def design(self, index: int) -> dict[str, float]:
        return dict(zip(self.problem.keys, map(float, self.designs[index])))

    def pareto(self) -> list[int]:
        """Feasible designs no other feasible design beats on every objective (sorted by the first)."""
        return pareto_front(self.objective_values(), self.feasible())


def violations(problem: Problem, metrics: dict[str, np.ndarray]) -> np.ndarray:
    """(n, constraints): the worst violation over the strike patterns (0 = satisfied)."""
    n = len(next(iter(metrics.values())))
    out = np.zeros((n, max(1, len(problem.constraints))))
    for k, c in enumerate(problem.constraints):
        values = metrics[c.metric]
        excess = (values - c.bound) if c.upper else (c.bound - values)
        out[:, k] = np.where(np.isnan(values).any(axis=1), FAILED_VIOLATION, np.maximum(excess, 0.0).max(axis=1))
    return out


def pareto_front(values: np.ndarray, feasible: np.ndarray) -> list[int]:
    keep = []
    candidates = [i for i in np.flatnonzero(feasible) if np.all(np.isfinite(values[i]))]
    for i in candidates:
        dominated = any(np.all(values[j] <= values[i]) and np.any(values[j] < values[i]) for j in candidates)
        if not dominated:
            keep.append(int(i))
    unique = {tuple(values[i]): i for i in sorted(keep, reverse=True)}  # one design per point, the first found
    return sorted(unique.values(), key=lambda i: tuple(values[i]))


class _Memo:
    """Every design evaluated once: the optimiser asks for constraints, then objectives, of the same points."""

    def __init__(self, problem: Problem, evaluate: Evaluate):
        self.problem, self.evaluate = problem, evaluate
        self.index: dict[tuple[float, ...], int] = {}
        self.designs: list[tuple[float, ...]] = []
        self.metrics: dict[str, list[np.ndarray]] = {m: [] for m in problem.metrics}
        self.calls = 0

    def __call__(self, points: np.ndarray) -> dict[str, np.ndarray]:
        rows = [tuple(map(float, p)) for p in np.atleast_2d(points)]
        new = list(dict.fromkeys(r for r in rows if r not in self.index))
        if new:
            self.calls += 1
            result = self.evaluate([dict(zip(self.problem.keys, r)) for r in new])
            for k, row in enumerate(new):
                self.index[row] = len(self.designs)
                self.designs.append(row)
                for m in self.metrics:
                    self.metrics[m].append(np.asarray(result[m], dtype=float)[k])
        at = [self.index[r] for r in rows]
        return {m: np.array(values)[at] for m, values in self.metrics.items()}

    def arrays(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        return np.array(self.designs), {m: np.array(v) for m, v in self.metrics.items()}


def search(problem: Problem, evaluate: Evaluate, popsize: int = 8, maxiter: int = 10, seed: int = 0,
           tol: float = 0.01, start: dict[str, float] | None = None) -> Outcome:
    """Minimise the first objective over the box of `problem.vary`; every evaluation is kept (for the front).

    start: a design for the first population (the scenario as given, so the best is never worse than
    it); left out when outside the box."""
    from scipy.optimize import NonlinearConstraint, differential_evolution

    memo = _Memo(problem, evaluate)

    def primary(x: np.ndarray) -> np.ndarray:  # x: (D, S), the generation
        values = memo(x.T)[problem.objectives[0]].mean(axis=1)
        return np.where(np.isfinite(values), values, np.inf)

    def constraint(x: np.ndarray) -> np.ndarray:  # (M, S), <= 0 where satisfied
        if x.ndim == 1:  # scipy's probe of the output shape, before the first generation: not a design to run
            return np.zeros(len(problem.constraints))
        return violations(problem, memo(x.T)).T

    constraints = (NonlinearConstraint(constraint, -np.inf, 0.0),) if problem.constraints else ()
    x0 = None
    if start is not None and all(v.low <= start[v.key] <= v.high for v in problem.vary):
        x0 = np.array([start[v.key] for v in problem.vary])
    result = differential_evolution(primary, [(v.low, v.high) for v in problem.vary], popsize=popsize,
                                    maxiter=maxiter, tol=tol, seed=seed, polish=False, init="latinhypercube",
                                    updating="deferred", vectorized=True, constraints=constraints, x0=x0)
    designs, metrics = memo.arrays()
    outcome = Outcome(problem, designs, metrics, 0, bool(result.success), str(result.message), int(result.nit))
    outcome.best = _best(outcome)
    return outcome


def _best(outcome: Outcome) -> int:
    """The lowest first objective among feasible designs, else the least infeasible design."""
    first = outcome.objective_values()[:, 0]
    feasible = outcome.feasible()
    if feasible.any():
        return int(np.flatnonzero(feasible)[np.argmin(first[feasible])])
    return int(np.argmin(violations(outcome.problem, outcome.metrics).sum(axis=1)))


def robustness(outcome: Outcome, evaluate: Evaluate, baseline: dict[str, float], conditions: Conditions) -> list[dict]:
    """The best design and the baseline re-run under each condition (e.g. other tissue properties)."""
    problem = outcome.problem
    best = outcome.design(outcome.best)
    rows, labels = [], []
    for which, design in (("best", best), ("baseline", baseline)):
        for label, extra in conditions(design):
            rows.append({**design, **extra})
            labels.append((which, label, extra))
    metrics = evaluate(rows)
    table: dict[str, dict] = {}
    for k, (which, label, extra) in enumerate(labels):
        entry = table.setdefault(label, {"condition": label, "overrides": extra})
        entry[which] = {m: metrics[m][k].tolist() for m in problem.metrics}
        entry[f"{which}_objective"] = float(np.mean(metrics[problem.objectives[0]][k]))
        entry[f"{which}_feasible"] = bool(violations(problem, {m: metrics[m][k:k + 1] for m in problem.metrics}).sum() == 0)
    for entry in table.values():
        entry["best_beats_baseline"] = bool(entry["best_objective"] < entry["baseline_objective"])
    outcome.robustness = list(table.values())
    return outcome.robustness
