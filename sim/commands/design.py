"""`footsim design SCENARIO.toml --objective REGION.DOSE [--objective METRIC] --vary KEY=LOW..HIGH ...
[--constraint METRIC<=X ...] [--strike rearfoot,forefoot] [--set KEY=VALUE ...] [--out DIR] [--json FILE]
[--workers N | --scheduler ADDRESS] [--popsize K] [--maxiter G] [--seed S]`.

Searches the box of the varied keys with differential evolution (sim.design), then re-runs the best
design and the scenario as given under tissue uncertainty. Writes DIR/design.json, DIR/design.md,
DIR/pareto.png for two objectives, and the evaluations as sweep files (DIR/evaluations/), so the same
command again resumes instead of recomputing.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..params import BY_NAME
from ..design.evaluate import SweepEvaluator, base_scenario
from ..design.problem import parse_problem
from ..design.search import Outcome, robustness, search
from ..sweeps.execute import worker_pool


def add_arguments(p) -> None:
    p.add_argument("scenario", help="base scenario TOML (for a shoe: one with footwear.preset set, or --set it)")
    p.add_argument("--objective", action="append", required=True, metavar="REGION.DOSE",
                   help="to minimise, e.g. heel_posterolateral.peak_shear_kpa; a second one gives a Pareto front")
    p.add_argument("--vary", action="append", required=True, metavar="KEY=LOW..HIGH",
                   help="a scenario key and its search interval, e.g. footwear.midsole.e0_pa=1e5..1e6")
    p.add_argument("--constraint", action="append", default=[], metavar="METRIC<=X",
                   help="e.g. loading_rate_bw_s<=80 (must hold for every strike pattern)")
    p.add_argument("--strike", default="", help="comma-separated strike patterns (default: the scenario's)")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a parameter")
    p.add_argument("--out", help="folder for the report and the evaluations (default results/design/<scenario>)")
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON here")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: the number of cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (scheduler address or JSON file)")
    p.add_argument("--popsize", type=int, default=6, help="population per varied key (differential evolution)")
    p.add_argument("--maxiter", type=int, default=8, help="generations at most")
    p.add_argument("--seed", type=int, default=0, help="seed of the search (the same seed resumes the same search)")


def report(outcome: Outcome, evaluator, wall_s: float) -> dict:
    problem, strikes = outcome.problem, list(evaluator.strikes)
    objectives = outcome.objective_values()

    def per_strike(index: int) -> dict:
        return {m: dict(zip(strikes, map(float, outcome.metrics[m][index]))) for m in problem.metrics}

    beats = [r["best_beats_baseline"] for r in outcome.robustness[1:]]
    spread = [r["best_objective"] for r in outcome.robustness[1:]]
    return {
        "objectives": list(problem.objectives), "strikes": strikes, "constraints": [str(c) for c in problem.constraints],
        "vary": [{"key": v.key, "low": v.low, "high": v.high, "unit": BY_NAME[v.key].unit} for v in problem.vary],
        "evaluations": int(len(outcome.designs)), "generations": outcome.generations, "converged": outcome.converged,
        "message": outcome.message, "batches": evaluator.batches, "runs_computed": evaluator.computed,
        "wall_s": round(wall_s, 1),
        "best": {"design": outcome.design(outcome.best), "feasible": bool(outcome.feasible()[outcome.best]),
                 "objectives": dict(zip(problem.objectives, map(float, objectives[outcome.best]))),
                 "metrics": per_strike(outcome.best)},
        "baseline": {"design": evaluator.baseline(), "metrics": outcome.robustness[0]["baseline"] if outcome.robustness else {}},
        "pareto": [{"design": outcome.design(i), "objectives": dict(zip(problem.objectives, map(float, objectives[i])))}
                   for i in outcome.pareto()] if len(problem.objectives) == 2 else [],
        "robustness": {"conditions": outcome.robustness, "best_beats_baseline": int(sum(beats)), "of": len(beats),
                       "best_objective_range": [float(min(spread)), float(max(spread))] if spread else []},
    }


def markdown(result: dict) -> str:
    objective = result["objectives"][0]
    lines = [f"# footsim design: minimise {' and '.join(result['objectives'])}", "",
             f"Strike patterns {', '.join(result['strikes'])} (objective: their mean); constraints: "
             f"{', '.join(result['constraints']) or 'none'}; {result['evaluations']} designs in "
             f"{result['generations']} generations ({result['message']}).", "",
             "| key | low | high | best | scenario as given |", "|---|---|---|---|---|"]
    for v in result["vary"]:
        lines.append(f"| `{v['key']}` ({v['unit']}) | {v['low']:g} | {v['high']:g} | "
                     f"{result['best']['design'][v['key']]:.4g} | {result['baseline']['design'][v['key']]:.4g} |")
    lines += ["", f"Best {objective}: {result['best']['objectives'][objective]:.4g}"
              + ("" if result["best"]["feasible"] else " (no design met every constraint: the least infeasible)"), ""]
    if result["pareto"]:
        first, second = result["objectives"]
        lines += [f"Pareto front ({len(result['pareto'])} designs):", "", f"| {first} | {second} | design |", "|---|---|---|"]
        lines += [f"| {p['objectives'][first]:.4g} | {p['objectives'][second]:.4g} | "
                  + ", ".join(f"{k} = {v:.4g}" for k, v in p["design"].items()) + " |" for p in result["pareto"]]
        lines.append("")
    rob = result["robustness"]
    lines += [f"Robustness: the best design beats the scenario as given in {rob['best_beats_baseline']} of {rob['of']} "
              "tissue conditions.", "", f"| condition | best {objective} | as given | best feasible |", "|---|---|---|---|"]
    lines += [f"| {r['condition']} | {r['best_objective']:.4g} | {r['baseline_objective']:.4g} | {r['best_feasible']} |"
              for r in rob["conditions"]]
    return "\n".join(lines) + "\n"


def pareto_figure(outcome: Outcome, path: Path) -> None:
    from ..plots import plt

    values, feasible, front = outcome.objective_values(), outcome.feasible(), outcome.pareto()
    first, second = outcome.problem.objectives
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.scatter(values[~feasible, 0], values[~feasible, 1], s=10, c="0.8", label="infeasible")
    ax.scatter(values[feasible, 0], values[feasible, 1], s=12, c="tab:blue", label="feasible")
    ax.plot(values[front, 0], values[front, 1], "o-", c="tab:red", label="Pareto front")
    ax.set_xlabel(first)
    ax.set_ylabel(second)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def run(args) -> int:
    for flag in ("popsize", "maxiter", "workers"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            raise InputError(f"--{flag} {value}: allowed a whole number >= 1")
    problem = parse_problem(args.objective, args.vary, args.constraint, args.strike)
    base = base_scenario(args.scenario, args.set)
    out = Path(args.out) if args.out else Path("results") / "design" / base["name"]
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        pool = None if args.scheduler else stack.enter_context(worker_pool(args.workers))
        evaluator = SweepEvaluator(problem, base, out, pool, args.scheduler)
        outcome = search(problem, evaluator, popsize=args.popsize, maxiter=args.maxiter, seed=args.seed,
                         start=evaluator.baseline())
        robustness(outcome, evaluator, evaluator.baseline(), evaluator.conditions)
    result = report(outcome, evaluator, time.perf_counter() - start)
    out.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(result, indent=2, default=float)
    (out / "design.json").write_text(payload)
    if args.json:
        Path(args.json).write_text(payload)
    text = markdown(result)
    (out / "design.md").write_text(text)
    if len(problem.objectives) == 2:
        pareto_figure(outcome, out / "pareto.png")
    print(text, end="")
    print(f"wrote {out / 'design.json'} and design.md; {result['runs_computed']} runs computed in "
          f"{result['wall_s']:.0f} s ({np.sum(outcome.feasible())} feasible designs)")
    return 0
