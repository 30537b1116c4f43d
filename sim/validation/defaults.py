"""New defaults proposed from the calibrations, and the check that the runner's tests still pass.

sim/params.py is the lead engineer's; this module only proposes. The proposal:
- a subject-level parameter that every fit identified gets the mean of the fits, scaled by body
  mass to the registry's default runner where it scales with mass (leg stiffness: Farley &
  Gonzalez 1996 report it roughly proportional to body mass), and is kept where every fit ran to
  the same bound as the default (leg damping at 0);
- a parameter no fit could identify (sim.validation.calibrate.screen) keeps its default;
- touchdown defaults that depend on the strike angle (overstride and push-off at the forefoot and
  rearfoot ends, sim.scenario.resolve) are solved again for a steady default stance with the new
  values, at the step time of the current default stance, so the default runner stays steady.

`python -m sim.validation.defaults [--calibration results/validation/calibration.json]` runs
tests/test_runner.py with the proposal applied to every scenario the tests load, as --set
overrides would (a scenario's own overrides still win), and prints pytest's summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from sim.grf_metrics import grf_metrics
from sim.params import BY_NAME, PATTERN_STRIKE_ANGLE_DEG
from sim.runner import run_stance
from sim.scenario import load_scenario

from .calibrate import STEADY_KEYS, steady_touchdown
from .drive import Subject

REPO = Path(__file__).resolve().parents[2]
MASS_SCALED = ("runner.leg_stiffness_n_m",)
# The strike-angle ends between which sim.scenario.resolve interpolates the touchdown defaults.
ENDS = {"forefoot": -10.0, "rearfoot": 15.0}
TOUCHDOWN_KEYS = STEADY_KEYS[:2]  # overstride and push-off; the hip velocity default stays


@dataclasses.dataclass
class Proposal:
    """Candidate default values (dotted keys: the median of the fits for every key some fit
    identified), which of them are recommended, the touchdown ends re-solved for the candidates,
    and the evidence. The candidates are what the report and the test check run with."""

    candidates: dict[str, float]
    recommended: list[str]
    touchdown_ends: dict[str, dict[str, float]]   # pattern -> {key: value} at its strike angle
    evidence: dict[str, Any]

    def overrides_for(self, foot_strike_angle_deg: float) -> dict[str, float]:
        """--set overrides for a scenario of this strike angle (touchdown interpolated as resolve does)."""
        out = dict(self.candidates)
        if not self.touchdown_ends:
            return out
        angles = [ENDS["forefoot"], ENDS["rearfoot"]]
        for key in TOUCHDOWN_KEYS:
            ends = [self.touchdown_ends["forefoot"][key], self.touchdown_ends["rearfoot"][key]]
            out[key] = round(float(np.interp(foot_strike_angle_deg, angles, ends)), 6)
        return out

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def default_subject(pattern: str, step_time_s: float | None = None) -> Subject:
    mass, height, speed = (BY_NAME[f"runner.{k}"].default for k in ("body_mass_kg", "height_m", "speed_m_s"))
    return Subject(mass_kg=mass, height_m=height, speed_m_s=speed, strike=pattern, activity="running", side="R",
                   footwear="barefoot", step_time_s=step_time_s, stance_time_s=np.nan, peak_load_bw=np.nan,
                   sources={"all": "registry defaults"})


def propose(calibrations: list[dict[str, Any]]) -> Proposal:
    """The proposal from calibration records (`Calibration.as_json()`).

    A subject-level key's candidate is the median of the fits that identified it (per kg x the
    default mass where it scales with mass); the median, because one odd fit (a parameter at a
    bound) should not move it. It is recommended only when the default lies outside the fits'
    range: a default inside the range is as well supported by these trials as the candidate.
    """
    default_mass = BY_NAME["runner.body_mass_kg"].default
    values, recommended, evidence = {}, [], {}
    subject_keys = sorted({k for c in calibrations for k, level in c["levels"].items() if level == "subject"})
    for key in subject_keys:
        fits = [c for c in calibrations if key in c["parameters"]]
        fitted = [c for c in fits if key not in c["held"]]
        default = BY_NAME[key].default
        record = {"fits": {c["trial"]: c["parameters"][key] for c in fitted},
                  "held_in": [c["trial"] for c in fits if key in c["held"]], "default": default}
        if not fitted:
            record["proposal"] = "keep the default: no fit could identify it"
            evidence[key] = record
            continue
        scale = [default_mass / c["subject"]["mass_kg"] if key in MASS_SCALED else 1.0 for c in fitted]
        scaled = [c["parameters"][key] * k for c, k in zip(fitted, scale)]
        candidate = float(np.median(scaled))
        values[key] = round(candidate, -2) if candidate > 1e3 else round(candidate, 4)
        record.update(scaled_to_default_runner=scaled, candidate=values[key],
                      scaling=f"x {default_mass:g} kg / subject mass" if key in MASS_SCALED else "none")
        span = f"{min(scaled):.4g} to {max(scaled):.4g}" + (" scaled to the default runner" if key in MASS_SCALED else "")
        tolerance = 1e-3 * (fitted[0]["bounds"][key][1] - fitted[0]["bounds"][key][0])  # a fit at a bound is on it
        if min(scaled) - tolerance <= default <= max(scaled) + tolerance:
            record["proposal"] = f"keep the default: the fits span {span}"
        else:
            recommended.append(key)
            record["proposal"] = f"adopt the median of the fits: the default lies outside their span, {span}"
        evidence[key] = record
    if not values:
        return Proposal({}, [], {}, evidence)
    ends = {}
    for pattern, angle in ENDS.items():
        current = run_stance(load_scenario(text="", overrides=[f"strike.pattern={pattern}"]))
        runner = current.scenario["runner"]
        impulse = grf_metrics(current.time_s, current.grf_n, runner["body_mass_kg"], runner["height_m"])
        subject = default_subject(pattern, step_time_s=impulse["vertical_impulse_bw_s"])
        solved, remaining = steady_touchdown(subject, {**values, "strike.foot_strike_angle_deg": angle},
                                             keys=TOUCHDOWN_KEYS)
        ends[pattern] = {k: round(v, 4) for k, v in solved.items()}
        # the same solve with the current values must give back the registry's own ends
        check, _ = steady_touchdown(subject, {"strike.foot_strike_angle_deg": angle}, keys=TOUCHDOWN_KEYS)
        evidence[f"touchdown_{pattern}"] = {
            "step_time_s": subject.step_time_s, "remaining": remaining,
            "registry_ends": {k: current.scenario[k.split(".")[0]][k.split(".")[1]] for k in TOUCHDOWN_KEYS},
            "solved_with_current_values": {k: round(v, 4) for k, v in check.items()}}
    return Proposal(values, recommended, ends, evidence)


class ProposalPlugin:
    """pytest plugin: every load_scenario call gets the proposal's overrides first."""

    def __init__(self, proposal: Proposal):
        self.proposal = proposal

    def pytest_configure(self, config):
        import sim.scenario as scenario_module

        original = scenario_module.load_scenario
        proposal = self.proposal

        def load_with_proposal(path=None, overrides=(), text=None):
            overrides = list(overrides)
            angle = original(path, overrides=overrides, text=text)["strike"]["foot_strike_angle_deg"]
            proposed = [f"{k}={v}" for k, v in proposal.overrides_for(angle).items()]
            return original(path, overrides=proposed + overrides, text=text)

        scenario_module.load_scenario = load_with_proposal


def check_runner_tests(proposal: Proposal, tests: Path = REPO / "tests" / "test_runner.py") -> int:
    """Run the runner's tests with the proposal applied; pytest's exit status."""
    import pytest

    return int(pytest.main(["-q", "-p", "no:cacheprovider", str(tests)], plugins=[ProposalPlugin(proposal)]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.validation.defaults", description=__doc__.split("\n")[0])
    parser.add_argument("--calibration", default=str(REPO / "results" / "validation" / "calibration.json"))
    args = parser.parse_args(argv)
    record = json.loads(Path(args.calibration).read_text())
    proposal = Proposal(**record["proposal"])
    print("candidates:", json.dumps(proposal.candidates), "recommended:", proposal.recommended or "none")
    print("touchdown ends:", json.dumps(proposal.touchdown_ends))
    for pattern, angle in {**ENDS, "midfoot": PATTERN_STRIKE_ANGLE_DEG["midfoot"]}.items():
        print(f"  {pattern} ({angle:g} deg):", " ".join(f"--set {k}={v}" for k, v in proposal.overrides_for(angle).items()))
    return check_runner_tests(proposal)


if __name__ == "__main__":
    sys.exit(main())
