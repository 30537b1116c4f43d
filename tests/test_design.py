"""`footsim design` (issue 16): differential evolution over scenario keys finds known optima of
synthetic objectives (the evaluator is injected, so these take a second), respects constraints,
draws the Pareto front, checks robustness; the command runs on the sweep machinery and resumes."""

import json
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.design.problem import parse_problem
from sim.design.search import pareto_front, robustness, search

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHEAR, RATE = "heel_posterolateral_peak_shear_kpa", "loading_rate_bw_s"
E0, BEVEL = "footwear.midsole.e0_pa", "footwear.geometry.heel_bevel_deg"
VARY = [f"{E0}=1e5..1e6", f"{BEVEL}=0..20"]


def synthetic(formulas, strikes=1):
    """An evaluator: metric -> f(e0 in MPa, bevel in deg) on every row, the same for each strike pattern."""
    calls = []

    def evaluate(rows):
        calls.append(len(rows))
        e0 = np.array([r[E0] for r in rows]) / 1e6
        bevel = np.array([r[BEVEL] for r in rows])
        return {m: np.repeat(f(e0, bevel)[:, None], strikes, axis=1) for m, f in formulas.items()}

    evaluate.calls = calls
    return evaluate


def test_search__finds_the_known_optimum_of_a_two_parameter_objective():
    bowl = synthetic({SHEAR: lambda e0, bevel: 30 + 50 * (e0 - 0.42) ** 2 + 0.05 * (bevel - 7.5) ** 2})
    outcome = search(parse_problem(["heel_posterolateral.peak_shear_kpa"], VARY), bowl, popsize=10, maxiter=60, seed=3,
                     tol=1e-8)
    best = outcome.design(outcome.best)
    assert best[E0] == pytest.approx(4.2e5, rel=0.02) and best[BEVEL] == pytest.approx(7.5, abs=0.3)
    assert outcome.metrics[SHEAR][outcome.best, 0] == pytest.approx(30.0, abs=0.01)
    # one evaluator call per generation (the whole generation at once, for the worker pool)
    assert len(bowl.calls) <= outcome.generations + 1 and max(bowl.calls) == 20


def test_search__a_constraint_moves_the_optimum_onto_its_boundary():
    # unconstrained optimum (0.8 MPa, 15 deg); rate = 100 e0 + 2 bevel <= 80 cuts it off; on the
    # boundary (Lagrange) the shear (e0 - 0.8)^2 + ((bevel - 15) / 25)^2 is least at e0 = 0.56, bevel = 12
    problem = parse_problem(["heel_posterolateral.peak_shear_kpa"], VARY, ["loading_rate_bw_s<=80"])
    evaluate = synthetic({SHEAR: lambda e0, bevel: (e0 - 0.8) ** 2 + ((bevel - 15) / 25) ** 2,
                          RATE: lambda e0, bevel: 100 * e0 + 2 * bevel})
    outcome = search(problem, evaluate, popsize=15, maxiter=80, seed=1, tol=1e-8)
    best = outcome.design(outcome.best)
    assert outcome.feasible()[outcome.best] and outcome.metrics[RATE][outcome.best, 0] <= 80
    assert best[E0] == pytest.approx(5.6e5, rel=0.02) and best[BEVEL] == pytest.approx(12.0, abs=0.5)


def test_search__two_objectives_give_a_front_of_non_dominated_designs():
    # shear falls and loading rate rises with midsole stiffness: every e0 is a trade-off; bevel
    # 10 deg is best for both, so the front lies along bevel = 10
    problem = parse_problem(["heel_posterolateral.peak_shear_kpa", "loading_rate_bw_s"], VARY)
    evaluate = synthetic({SHEAR: lambda e0, bevel: 60 - 20 * e0 + 0.1 * (bevel - 10) ** 2,
                          RATE: lambda e0, bevel: 50 + 60 * e0 + 0.1 * (bevel - 10) ** 2})
    outcome = search(problem, evaluate, popsize=10, maxiter=15, seed=0)
    front = outcome.pareto()
    values = outcome.objective_values()[front]
    assert len(front) >= 5
    assert np.all(np.diff(values[:, 0]) > 0) and np.all(np.diff(values[:, 1]) < 0)  # a trade-off curve
    assert all(abs(outcome.design(i)[BEVEL] - 10) < 3 for i in front[len(front) // 2:])


def test_pareto_front__keeps_exactly_the_non_dominated_feasible_points():
    values = np.array([[1, 5], [2, 3], [3, 4], [4, 1], [2, 3], [0, 0]], dtype=float)
    feasible = np.array([True, True, True, True, True, False])
    assert pareto_front(values, feasible) == [0, 1, 3]


def test_search__several_strikes_average_the_objective_and_a_failed_run_is_infeasible():
    def evaluate(rows):
        e0 = np.array([r[E0] for r in rows]) / 1e6
        shear = np.stack([(e0 - 0.3) ** 2, (e0 - 0.7) ** 2], axis=1)  # two strike patterns disagree
        shear[e0 > 0.9] = np.nan  # the model fails there
        return {SHEAR: shear}

    problem = parse_problem(["heel_posterolateral.peak_shear_kpa"], [f"{E0}=1e5..1e6"], strikes="rearfoot,forefoot")
    outcome = search(problem, evaluate, popsize=15, maxiter=40, seed=2, tol=1e-8)
    assert outcome.design(outcome.best)[E0] == pytest.approx(5e5, rel=0.02)
    assert not outcome.feasible()[np.isnan(outcome.metrics[SHEAR]).any(axis=1)].any()


def test_robustness__re_runs_best_and_baseline_under_every_condition():
    problem = parse_problem(["heel_posterolateral.peak_shear_kpa"], VARY)
    evaluate = synthetic({SHEAR: lambda e0, bevel: (e0 - 0.4) ** 2 + 0.01 * bevel})
    outcome = search(problem, evaluate, popsize=8, maxiter=20, seed=0)

    def scaled(rows):  # the condition multiplies the dose: the ranking of designs cannot change
        base = evaluate(rows)[SHEAR]
        return {SHEAR: base * np.array([r["tissue.g0_pa"] for r in rows])[:, None] / 1e5}

    conditions = lambda design: [(f"G0 {g:g}", {"tissue.g0_pa": g}) for g in (5e4, 1e5, 5e5)]
    table = robustness(outcome, scaled, {E0: 1e6, BEVEL: 0.0}, conditions)
    assert [r["condition"] for r in table] == ["G0 50000", "G0 100000", "G0 500000"]
    assert all(r["best_beats_baseline"] for r in table)
    assert table[2]["best_objective"] == pytest.approx(5 * table[1]["best_objective"])


FAST = ["--set", "numerics.dt_s=2e-4", "--set", "numerics.mesh_spacing_mm=8"]


@pytest.mark.slow
def test_design_command__runs_on_sweeps_reports_json_and_resumes(tmp_path, capsys):
    args = ["design", str(SCENARIOS / "rearfoot_barefoot.toml"), "--set", "footwear.preset=cushioned_trainer", *FAST,
            "--objective", "heel_posterolateral.peak_shear_kpa", "--objective", "loading_rate_bw_s",
            "--vary", f"{E0}=1e5..1e6", "--constraint", "loading_rate_bw_s<=200", "--strike", "rearfoot,forefoot",
            "--popsize", "3", "--maxiter", "1", "--workers", "2", "--out", str(tmp_path / "d")]
    assert main([*args, "--json", str(tmp_path / "first.json")]) == 0
    first = json.loads((tmp_path / "first.json").read_text())
    assert first["strikes"] == ["rearfoot", "forefoot"] and first["evaluations"] >= 3
    assert first["vary"] == [{"key": E0, "low": 1e5, "high": 1e6, "unit": "Pa"}]
    assert set(first["best"]["metrics"][SHEAR]) == {"rearfoot", "forefoot"}
    assert first["baseline"]["design"] == {E0: 3e5}  # the preset's own midsole
    rob = first["robustness"]
    assert rob["of"] == 9 and len(rob["conditions"]) == 10 and rob["conditions"][0]["condition"] == "nominal"
    assert {c["overrides"]["tissue.g0_pa"] for c in rob["conditions"][1:]} == {5e4, 1e5, 5e5}
    assert first["pareto"] and (tmp_path / "d" / "pareto.png").stat().st_size > 5_000
    assert "Robustness" in (tmp_path / "d" / "design.md").read_text()
    assert first["runs_computed"] > 0
    assert main([*args, "--json", str(tmp_path / "again.json")]) == 0
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["runs_computed"] == 0 and again["best"] == first["best"]  # every evaluation was kept


@pytest.mark.parametrize("args, says", [
    (["--objective", "heel_pl.peak_shear_kpa", "--vary", f"{E0}=1e5..1e6"], "unknown region 'heel_pl'"),
    (["--objective", "heel_posterolateral.shear", "--vary", f"{E0}=1e5..1e6"], "closest known: 'peak_shear_kpa'"),
    (["--objective", "loading_rate_bw_s", "--vary", f"{BEVEL}=0..60"], "heel_bevel_deg = 60.0: allowed a number in [0, 45] degree"),
    (["--objective", "loading_rate_bw_s", "--vary", "midsole.e0_pa=1e5..1e6"], "closest known: 'footwear.midsole.e0_pa'"),
    (["--objective", "loading_rate_bw_s", "--vary", f"{E0}=1e6..1e5"], "empty interval"),
    (["--objective", "loading_rate_bw_s", "--vary", f"{E0}=1e5"], "expected KEY=LOW..HIGH"),
    (["--objective", "loading_rate_bw_s", "--vary", f"{E0}=1e5..1e6", "--constraint", "rate<80"], "expected METRIC<=VALUE"),
    (["--objective", "loading_rate_bw_s", "--vary", f"{E0}=1e5..1e6", "--strike", "heel"], "--strike 'heel'"),
    (["--objective", "loading_rate_bw_s", "--vary", f"{E0}=1e5..1e6"], "set footwear.preset to a shoe"),
])
def test_design_command__bad_input_is_one_line_and_status_2(tmp_path, capsys, args, says):
    assert main(["design", str(SCENARIOS / "rearfoot_barefoot.toml"), *args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1, err


def test_search__starts_from_the_scenario_as_given_so_the_best_is_never_worse():
    # a needle at the given design: a small population in few generations would miss it
    needle = synthetic({SHEAR: lambda e0, bevel: 1.0 - np.exp(-((e0 - 0.3) ** 2 + ((bevel - 0.0) / 20) ** 2) / 1e-6)})
    given = {E0: 3e5, BEVEL: 0.0}
    outcome = search(parse_problem(["heel_posterolateral.peak_shear_kpa"], VARY), needle, popsize=3, maxiter=2,
                     seed=0, start=given)
    assert outcome.design(outcome.best) == given


def test_worked_example__findings_name_only_keys_past_the_screening_margin():
    from sim.design.worked_example import _findings

    base = {"shear": 50.0, "work_per_area": 20.0}
    by_key = {"midsole.e0_pa": {"levels": [1e5, 1e6], "shear": [47.0, 50.0], "work_per_area": [20.0, 10.0],
                                "loading_rate": [90.0, 170.0]},
              "insole.mu_skin": {"levels": [0.3, 1.0], "shear": [49.0, 50.0], "work_per_area": [19.0, 20.0],
                                 "loading_rate": [126.0, 126.0]}}
    text = _findings(by_key, base)
    assert text == ("`midsole.e0_pa` = 1e+06 cuts the work per area by 50 % (loading rate 170 BW/s); "
                    "`midsole.e0_pa` = 100000 cuts the peak shear by 6 % (loading rate 90 BW/s).")
    assert "mu_skin" not in text
