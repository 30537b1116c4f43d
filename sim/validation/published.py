"""The model against every entry of ../shared/data/published.toml and the heel drop (DESIGN 6).

Each entry becomes one or more `TargetRow`s: the quantity, the published value or range, the
model's value, and a verdict. The model runs the bundled scenarios (scenarios/*.toml) with the
parameter set given (the registry defaults, or a proposed set of new defaults), so the same
table shows what a change of defaults would do. A row is one of:
- "prediction": the model computes it; pass or fail against the target (the tolerance is stated
  where the source gives no spread);
- "input": the target is a parameter footsim takes from that source; the row checks the value;
- "needs footwear": the condition is shod and footsim has no shoe yet.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from pathlib import Path
from typing import Any, Callable

import numpy as np

from sim.bundled import scenario_path
from sim.errors import InputError
from sim.foot import HEEL_REGIONS, in_regions
from sim.grf_metrics import grf_metrics
from sim.kernels.rotation import quat_to_matrix
from sim.model import GRAVITY
from sim.runner import run_stance
from sim.scenario import load_scenario
from sim.summary import worst_of_regions

from .drive import SHOD_PRESET

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data"
FOOTWEAR_NEEDED = "needs footwear"
FOREFOOT_REGIONS = ("mth1", "mth2_3", "mth4_5")
# Tolerances for targets published without a spread (stated in the report beside each row).
NO_SPREAD_TOLERANCE = 0.20          # +/- 20 % of a value read from a figure or regression
HEEL_STRAIN_TOLERANCE = 0.10        # +/- 0.10 strain: De Clercq et al.'s 60 % is approximate
ORDER_OF_MAGNITUDE_FACTOR = 2.0     # a single mean from another task (gait initiation)


@dataclasses.dataclass
class TargetRow:
    source: str        # published.toml entry (or "kinoshita1993.heel_drop")
    quantity: str
    target: str        # as published, with units
    model: float | None
    verdict: str       # "pass" | "fail" | "input" | FOOTWEAR_NEEDED | "input (fail)"
    note: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def passed(self) -> bool | None:
        return {"pass": True, "fail": False}.get(self.verdict)


def read_published(data_root: Path = DEFAULT_DATA) -> dict[str, Any]:
    path = Path(data_root) / "published.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the published targets ({exc})") from None


class ScenarioRuns:
    """Bundled scenarios run once each per parameter set (the same run serves several rows).

    parameters: --set style overrides for every scenario; derived: overrides that depend on the
    scenario's strike angle (a proposal's touchdown defaults, sim.validation.defaults), applied
    first so that the scenario's own and `parameters` win.
    """

    def __init__(self, parameters: dict[str, Any], derived: Callable[[float], dict[str, Any]] | None = None):
        self.parameters, self.derived = parameters, derived
        self._cache: dict[tuple, Any] = {}

    def scenario(self, name: str, **extra):
        path = scenario_path(name)
        overrides = [f"{k}={v}" for k, v in {**self.parameters, **extra}.items()]
        if self.derived is None:
            return load_scenario(path, overrides=overrides)
        angle = load_scenario(path, overrides=overrides)["strike"]["foot_strike_angle_deg"]
        return load_scenario(path, overrides=[f"{k}={v}" for k, v in self.derived(angle).items()] + overrides)

    def run(self, name: str, **extra):
        key = (name, tuple(sorted(extra.items())))
        if key not in self._cache:
            self._cache[key] = run_stance(self.scenario(name, **extra))
        return self._cache[key]


def _within(value, low, high) -> str:
    return "pass" if value is not None and math.isfinite(value) and low <= value <= high else "fail"


def _mean_sd_row(source, quantity, mean, sd, unit, model, note="") -> TargetRow:
    return TargetRow(source, quantity, f"{mean:g} +/- {sd:g} {unit}", model, _within(model, mean - sd, mean + sd),
                     note, mean - sd, mean + sd)


def _band_row(source, quantity, low, high, unit, model, note="", kind="prediction") -> TargetRow:
    verdict = _within(model, low, high)
    if kind == "input":
        verdict = "input" if verdict == "pass" else "input (fail)"
    return TargetRow(source, quantity, f"{low:g}-{high:g} {unit}", model, verdict, note, low, high)


def _value_row(source, quantity, value, unit, model, tolerance, note) -> TargetRow:
    low, high = value * (1 - tolerance), value * (1 + tolerance)
    return TargetRow(source, quantity, f"{value:g} {unit}", model, _within(model, low, high),
                     f"{note}; pass band +/- {tolerance:.0%}".lstrip("; "), low, high)


def peak_heel_strain(result) -> float:
    """Largest compressive strain of any heel element over the stance (penetration / thickness)."""
    heel = in_regions(result.mesh.region, HEEL_REGIONS)
    position, thickness = result.mesh.position_m[heel], result.mesh.thickness_m[heel]
    rotation = np.zeros((3, 3))
    peak = 0.0
    for pose in result.foot_pose:
        quat_to_matrix(pose[3:], rotation)
        depth = -(pose[2] + position @ rotation[2])
        peak = max(peak, float(np.max(depth / thickness)))
    return peak


def strike_index(result) -> float:
    """Strike index of a model stance with its foot length (sim.grf_metrics), which reads midfoot and
    forefoot strikes correctly where the COP range alone (the summary's) reads them too low."""
    runner = result.scenario["runner"]
    return grf_metrics(result.time_s, result.grf_n, runner["body_mass_kg"], runner["height_m"], cop_m=result.cop_m,
                       foot_length_m=runner["foot_length_m"])["strike_index"]


def footwear_preset() -> str | None:
    """The shoe of the shod conditions (sim.validation.drive.SHOD_PRESET) when the scenario reader
    accepts it (footsim has footwear now), else None."""
    try:
        load_scenario(text="", overrides=[f"footwear.preset={SHOD_PRESET}"])
    except InputError:
        return None
    return SHOD_PRESET


def _shod() -> dict[str, str]:
    """The override that puts a scenario in the shod conditions' shoe ({} before footwear exists)."""
    preset = footwear_preset()
    return {"footwear.preset": preset} if preset else {}


def heel_strain_bound(result) -> float:
    """Upper bound on the largest heel pad strain, from the heel's peak pressure: the elastic law
    inverted, e = ln(1 + a p / E0) / a. At the deepest compression the pad is momentarily still, so
    its pressure is elastic there; the peak pressure can only be higher (damping while loading).
    Used in a shoe, where the pad's own compression is not the foot's depth below the ground."""
    tissue = result.scenario["tissue"]
    heel = in_regions(result.mesh.region, HEEL_REGIONS)
    pressure = float(np.max(result.elements["peak_pressure_pa"][heel]))
    return float(np.log1p(tissue["exponent"] * pressure / tissue["e0_pa"]) / tissue["exponent"])


def heel_drop_rows(published: dict, parameters: dict[str, Any]) -> list[TargetRow]:
    from sim.model import leg_tissue, tissue_vector
    from sim.verify.cases import heel_drop

    ref = published["kinoshita1993"]["heel_drop"]
    pad = load_scenario(text="", overrides=[f"{k}={v}" for k, v in parameters.items() if k.startswith("tissue.")])
    cases = heel_drop(tissue_vector(pad), leg_tissue(pad), ref)
    rows = []
    for case in cases:
        low, high = case.expected - case.tolerance * (1 if case.absolute else case.expected), \
            case.expected + case.tolerance * (1 if case.absolute else case.expected)
        quantity = case.name.removeprefix("heel drop: ")
        target = f"{ref['energy_absorbed_fraction']:g} ({low:g}-{high:g})" if case.absolute else \
            f"{case.expected:g} (+/- {case.tolerance:.0%})"
        rows.append(TargetRow("kinoshita1993.heel_drop", quantity, target, case.measured,
                              "pass" if case.passed else "fail", case.note, low, high))
    return rows


def lieberman_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    rows = []
    for condition, scenario in (("barefoot_rearfoot", "rearfoot_barefoot"), ("barefoot_forefoot", "forefoot_barefoot"),
                                ("shod_rearfoot", None)):
        ref = published["lieberman2010"][condition]
        source = f"lieberman2010.{condition}"
        if scenario is None:
            preset = footwear_preset()
            if preset is None:
                rows += [TargetRow(source, "impact peak", f"{ref['impact_peak_bw']:g} +/- {ref['impact_peak_sd_bw']:g} BW",
                                   None, FOOTWEAR_NEEDED, "footsim has no shoe yet"),
                         TargetRow(source, "loading rate (200 N to 90 % of impact)",
                                   f"{ref['loading_rate_bw_s']:g} +/- {ref['loading_rate_sd_bw_s']:g} BW/s",
                                   None, FOOTWEAR_NEEDED, "footsim has no shoe yet")]
                continue
            summary = runs.run("rearfoot_barefoot", **{"footwear.preset": preset}).summary
            note = f"rearfoot_barefoot.toml with footwear.preset = {preset}"
        else:
            summary = runs.run(scenario).summary
            note = f"scenarios/{scenario}.toml"
        impact = summary["impact_peak_bw"]
        impact_note = note if math.isfinite(impact) else f"{note}; no impact peak in the model's curve"
        rows.append(_mean_sd_row(source, "impact peak", ref["impact_peak_bw"], ref["impact_peak_sd_bw"], "BW",
                                 impact if math.isfinite(impact) else None, impact_note))
        rows.append(_mean_sd_row(source, "loading rate (200 N to 90 % of impact)", ref["loading_rate_bw_s"],
                                 ref["loading_rate_sd_bw_s"], "BW/s", summary["loading_rate_bw_s"], note))
    return rows


def cavanagh_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    ref = published["cavanagh1980"]
    speed = 4.5
    shod = _shod()
    s = runs.run("rearfoot_barefoot", **{"runner.speed_m_s": speed}, **shod).summary
    note = f"rearfoot_barefoot.toml at {speed} m/s, " + (f"in {shod['footwear.preset']}" if shod else
                                                            "barefoot model (the runners were shod)")
    return [
        _value_row("cavanagh1980", "vertical peak (peak-to-peak)", ref["vertical_peak_to_peak_bw"], "BW",
                   s["active_peak_bw"], NO_SPREAD_TOLERANCE, note),
        _value_row("cavanagh1980", "AP peak-to-peak", ref["ap_peak_to_peak_bw"], "BW",
                   s["peak_braking_bw"] + s["peak_propulsive_bw"], NO_SPREAD_TOLERANCE, note),
        _value_row("cavanagh1980", "ML peak-to-peak", ref["ml_peak_to_peak_bw"], "BW", s["ml_range_bw"],
                   NO_SPREAD_TOLERANCE, note),
    ]


def munro_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    ref = published["munro1987"]
    rows = []
    shod = _shod()
    for speed in (3.0, 4.0, 5.0):
        s = runs.run("rearfoot_barefoot", **{"runner.speed_m_s": speed}, **shod).summary
        note = f"rearfoot_barefoot.toml at {speed:g} m/s" + (f" in {shod['footwear.preset']}" if shod else ", barefoot")
        rows.append(_band_row("munro1987", f"active peak at {speed:g} m/s", *ref["active_peak_bw"], "BW",
                              s["active_peak_bw"], note))
        rows.append(_band_row("munro1987", f"stance time at {speed:g} m/s", *ref["stance_time_s"], "s",
                              s["stance_time_s"], note))
    return rows


def free_moment_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    ref = published["free_moment"]
    model = runs.run("rearfoot_barefoot").summary["peak_free_moment_bw_height"]
    note = "rearfoot_barefoot.toml (toe-out 10 deg, no twist)"
    rows = [_band_row("free_moment", "peak free moment (DESIGN band)", 6e-3, 9e-3, "BW x height", model, note)]
    for study in ("holden1991", "milner2006", "creaby2008"):
        rows.append(_mean_sd_row("free_moment", f"peak free moment ({study})", ref[f"{study}_peak_bw_height"],
                                 ref[f"{study}_sd_bw_height"], "BW x height", model, note))
    by_toe_out = [runs.run("forefoot_barefoot", **{"strike.toe_out_deg": a}).summary["peak_free_moment_bw_height"]
                  for a in (0.0, 15.0, 30.0)]
    rising = all(a < b for a, b in zip(by_toe_out, by_toe_out[1:]))
    rows.append(TargetRow("free_moment", "rises with toe-out (0, 15, 30 deg)", "rising", by_toe_out[-1],
                          "pass" if rising else "fail",
                          "forefoot_barefoot.toml: " + ", ".join(f"{v * 1e3:.2f}e-3" for v in by_toe_out)))
    return rows


def _isolated_pad_loss(runs: ScenarioRuns) -> float:
    from sim.model import tissue_vector
    from sim.verify.cases import pad_loss

    return pad_loss(tissue_vector(runs.scenario("rearfoot_barefoot")), 2.0)


def heel_pad_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    ref = published["heel_pad"]
    heel_mm = runs.scenario("rearfoot_barefoot")["tissue"]["heel_thickness_mm"]
    strain = peak_heel_strain(runs.run("rearfoot_barefoot"))
    target = ref["barefoot_running_strain"]
    return [
        _band_row("heel_pad", "unloaded heel pad thickness", *ref["unloaded_thickness_range_mm"], "mm", heel_mm,
                  "tissue.heel_thickness_mm", kind="input"),
        _band_row("heel_pad", "isolated pad energy loss", *ref["isolated_energy_loss_fraction"], "",
                  _isolated_pad_loss(runs), "the pad alone, a 2 Hz cycle to 50 % strain (its viscous branch and "
                  "damping; DESIGN 3.2)"),
        TargetRow("heel_pad", "peak heel pad strain, barefoot heel-strike running", f"{target:g} (approximate)",
                  strain, _within(strain, target - HEEL_STRAIN_TOLERANCE, target + HEEL_STRAIN_TOLERANCE),
                  f"rearfoot_barefoot.toml; pass band +/- {HEEL_STRAIN_TOLERANCE:g}",
                  target - HEEL_STRAIN_TOLERANCE, target + HEEL_STRAIN_TOLERANCE),
        _shod_strain_row(ref, runs),
    ]


def _shod_strain_row(ref: dict, runs: ScenarioRuns) -> TargetRow:
    target = ref["shod_running_strain"]
    shod = _shod()
    if not shod:
        return TargetRow("heel_pad", "peak heel pad strain, shod running", f"{target:g}", None, FOOTWEAR_NEEDED)
    strain = heel_strain_bound(runs.run("rearfoot_barefoot", **shod))
    return TargetRow("heel_pad", "peak heel pad strain, shod running", f"{target:g} (approximate)", strain,
                     _within(strain, target - HEEL_STRAIN_TOLERANCE, target + HEEL_STRAIN_TOLERANCE),
                     f"rearfoot_barefoot.toml in {shod['footwear.preset']}; upper bound from the heel's peak pressure "
                     f"(heel_strain_bound); pass band +/- {HEEL_STRAIN_TOLERANCE:g}",
                     target - HEEL_STRAIN_TOLERANCE, target + HEEL_STRAIN_TOLERANCE)


def walking_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    shear, pressure = published["plantar_shear"], published["heel_pressure"]
    walk = runs.run("walking_barefoot")
    speed = walk.scenario["runner"]["speed_m_s"]
    s = walk.summary
    note = f"walking_barefoot.toml (kinematic roll-over, {speed:g} m/s, barefoot)"
    speeds = sorted((float(k.removesuffix("_m_s")), v)
                    for k, v in pressure["barefoot_walking_peak_kpa"].items())
    expected = float(np.interp(speed, [v for v, _ in speeds], [p for _, p in speeds]))
    shod = _shod()
    in_shoe = f" in {shod['footwear.preset']}" if shod else ""
    running = runs.run("rearfoot_barefoot", **shod).summary
    walk_shod = runs.run("walking_barefoot", **shod).summary
    running_pressure = worst_of_regions(running, HEEL_REGIONS, "peak_pressure_kpa")
    forefoot_shear = worst_of_regions(s, FOREFOOT_REGIONS, "peak_shear_kpa")
    forefoot_target = shear["forefoot_barefoot_gait_initiation_peak_kpa"]
    return [
        _value_row("heel_pressure", f"heel peak pressure, barefoot walking at {speed:g} m/s",
                   round(expected, 1), "kPa", worst_of_regions(s, HEEL_REGIONS, "peak_pressure_kpa"), NO_SPREAD_TOLERANCE,
                   f"{note}; target interpolated from " + ", ".join(f"{p:g} kPa at {v:g} m/s" for v, p in speeds)),
        _value_row("heel_pressure", "heel peak pressure, in-shoe running", pressure["in_shoe_running_peak_kpa"], "kPa",
                   running_pressure, NO_SPREAD_TOLERANCE, f"rearfoot_barefoot.toml{in_shoe}")
        if shod else TargetRow("heel_pressure", "heel peak pressure, in-shoe running",
                               f"{pressure['in_shoe_running_peak_kpa']:g} kPa", running_pressure, FOOTWEAR_NEEDED,
                               "model value is barefoot, for information"),
        _band_row("plantar_shear", "heel peak shear, walking in shoes", *shear["heel_walking_in_shoe_peak_kpa"], "kPa",
                  worst_of_regions(walk_shod, HEEL_REGIONS, "peak_shear_kpa"),
                  f"walking_barefoot.toml{in_shoe} (Hosein & Lord 2000 measured in shoes)"
                  + ("" if shod else f"; barefoot model: like-for-like {FOOTWEAR_NEEDED}")),
        TargetRow("plantar_shear", "forefoot peak shear, barefoot gait", f"{forefoot_target:g} kPa (gait initiation)",
                  forefoot_shear, _within(forefoot_shear, forefoot_target / ORDER_OF_MAGNITUDE_FACTOR,
                                          forefoot_target * ORDER_OF_MAGNITUDE_FACTOR),
                  f"{note}; steady walking, not gait initiation: pass within a factor {ORDER_OF_MAGNITUDE_FACTOR:g}",
                  forefoot_target / ORDER_OF_MAGNITUDE_FACTOR, forefoot_target * ORDER_OF_MAGNITUDE_FACTOR),
    ]


def strike_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    ref, progression = published["foot_strike_angle"], published["foot_progression_angle"]
    rear, fore = runs.run("rearfoot_barefoot"), runs.run("forefoot_barefoot")
    rear_fsa, fore_fsa = (r.scenario["strike"]["foot_strike_angle_deg"] for r in (rear, fore))
    return [
        TargetRow("foot_strike_angle", "rearfoot strike angle", f"> {ref['rearfoot_above_deg']:g} deg", rear_fsa,
                  "input" if rear_fsa > ref["rearfoot_above_deg"] else "input (fail)", "strike.pattern = rearfoot"),
        TargetRow("foot_strike_angle", "forefoot strike angle", f"< {ref['forefoot_below_deg']:g} deg", fore_fsa,
                  "input" if fore_fsa < ref["forefoot_below_deg"] else "input (fail)", "strike.pattern = forefoot"),
        TargetRow("foot_strike_angle", "strike index, rearfoot model", f"< {ref['strike_index_rearfoot_below']:g}",
                  strike_index(rear), _within(strike_index(rear), 0.0, ref["strike_index_rearfoot_below"]),
                  "COP at touchdown, fraction of foot length from the heel"),
        TargetRow("foot_strike_angle", "strike index, forefoot model", f"> {ref['strike_index_forefoot_above']:g}",
                  strike_index(fore), _within(strike_index(fore), ref["strike_index_forefoot_above"], 1.0),
                  "COP at touchdown, fraction of foot length from the heel"),
        _band_row("foot_progression_angle", "default toe-out", *progression["typical_toe_out_deg"], "deg",
                  rear.scenario["strike"]["toe_out_deg"], "strike.toe_out_deg", kind="input"),
    ]


def parameter_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    scenario = runs.scenario("rearfoot_barefoot")
    friction = published["skin_friction"]
    fraction = published["clark2017"]["impact_mass_fraction"]
    model_fraction = scenario["runner"]["impact_mass_fraction"]
    return [
        TargetRow("clark2017", "impact mass fraction", f"{fraction:g}", model_fraction,
                  "input" if abs(model_fraction - fraction) < 1e-9 else "input (fail)", "runner.impact_mass_fraction"),
        _band_row("skin_friction", "static skin friction", *friction["dry_range"], "", scenario["tissue"]["mu_static"],
                  f"tissue.mu_static; typical dry {friction['dry_typical']:g}, in vivo {friction['in_vivo_mean']:g} "
                  f"+/- {friction['in_vivo_sd']:g}", kind="input"),
        _band_row("skin_friction", "kinetic skin friction", *friction["dry_range"], "", scenario["tissue"]["mu_kinetic"],
                  "tissue.mu_kinetic", kind="input"),
    ]


def running_pressure_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    ref = published["running_plantar_pressure"]
    bare, shod_ref = ref["barefoot"], ref["shod_rearfoot"]
    rows = []
    for scenario in ("rearfoot_barefoot", "forefoot_barefoot"):
        s = runs.run(scenario).summary
        rows.append(_mean_sd_row("running_plantar_pressure.barefoot", f"forefoot maximum, {scenario}",
                                 bare["forefoot_max_kpa"], bare["forefoot_max_sd_kpa"], "kPa",
                                 worst_of_regions(s, FOREFOOT_REGIONS, "peak_pressure_kpa"),
                                 f"scenarios/{scenario}.toml (3.5 m/s; De Cock: 3.3 m/s, 215 runners)"))
    shod = _shod()
    if not shod:
        return rows + [TargetRow("running_plantar_pressure.shod_rearfoot", "in-shoe pressures", "", None,
                                 FOOTWEAR_NEEDED)]
    s = runs.run("rearfoot_barefoot", **shod).summary
    note = f"rearfoot_barefoot.toml in {shod['footwear.preset']} at 3.5 m/s; a weaker source (order of magnitude)"
    for quantity, key, value in (("heel", "heel_kpa", worst_of_regions(s, HEEL_REGIONS, "peak_pressure_kpa")),
                                 ("MTH2-3", "mth2_3_kpa", s["mth2_3_peak_pressure_kpa"]),
                                 ("hallux", "hallux_kpa", s["hallux_peak_pressure_kpa"])):
        rows.append(_band_row("running_plantar_pressure.shod_rearfoot", f"in-shoe {quantity} peak pressure",
                              *shod_ref[key], "kPa", value, note))
    return rows


def toe_out_free_moment_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    """Almosnino 2009: the same walkers at three foot angles; the peak free moment rises with toe-out."""
    ref = published["free_moment"]["toe_out_walking"]
    source = "free_moment.toe_out_walking"
    angles = ref["foot_angle_deg"]
    model = [runs.run("walking_barefoot", **{"strike.toe_out_deg": a}).summary["peak_free_moment_bw_height"]
             for a in angles]
    rows = [_value_row(source, f"peak free moment, walking at {a:g} deg", value, "BW x height", m,
                       NO_SPREAD_TOLERANCE, "walking_barefoot.toml (kinematic roll-over)")
            for a, value, m in zip(angles, ref["peak_bw_height"], model)]
    rising = model[-1] > model[1]
    rows.append(TargetRow(source, f"larger at {angles[-1]:g} than at {angles[1]:g} deg", "rising", model[-1] / model[1],
                          "pass" if rising else "fail", "ratio of the model's peaks (recorded: "
                          f"{ref['peak_bw_height'][-1] / ref['peak_bw_height'][1]:.2f})"))
    return rows


def pad_hysteresis_rows(published: dict, runs: ScenarioRuns, drop_rows: list[TargetRow]) -> list[TargetRow]:
    from sim.model import leg_tissue, tissue_vector
    from sim.verify.cases import drop_test, pad_loss

    ref = published["heel_pad"]["hysteresis"]
    scenario = runs.scenario("rearfoot_barefoot")
    tissue = tissue_vector(scenario)
    running_rate = ref["isolated_running_rate_loss_fraction"]
    loss = pad_loss(tissue, 2.0)
    # the pendulum impact of an isolated pad: the drop on the pad alone, nothing behind it
    _, _, impact_loss = drop_test(tissue, (0.0, 0.0))
    absorbed = next(r.model for r in drop_rows if r.quantity.startswith("energy"))
    source = "heel_pad.hysteresis"
    return [
        _band_row(source, "isolated pad loss, running-rate cycle (2 Hz, to 50 % strain)", running_rate - 0.05,
                  running_rate + 0.05, "", loss, "the pad's viscous branch and damping (DESIGN 3.2); fitted with the drop"),
        _value_row(source, "isolated pad loss, impact (the drop on the pad alone)",
                   ref["isolated_pendulum_impact_loss_fraction"], "", impact_loss, NO_SPREAD_TOLERANCE,
                   "Kinoshita's mass on the pad with nothing behind it; Ker 1996's pendulum"),
        _value_row(source, "in-vivo drop absorbed (pad and leg tissue)", ref["in_vivo_drop_absorbed_fraction"], "",
                   absorbed, NO_SPREAD_TOLERANCE, f"the heel drop with the leg tissue behind the pad "
                   f"({leg_tissue(scenario)[1]:g} N s/m)"),
    ]


def blister_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    """What footsim takes from the blister literature is the mechanism of its fatigue dose (DESIGN 3.7)."""
    ref = published["friction_blisters"]
    tissue = runs.scenario("forefoot_toeout30_barefoot")["tissue"]
    return [
        TargetRow("friction_blisters", "mechanism: stick-phase shear fatigue", ref["mechanism"],
                  None, "input", "the fatigue dose counts stick-phase shear strain cycles (rainflow) with exponent "
                  f"m = {tissue['fatigue_exponent']:g} and gamma_ref = {tissue['fatigue_reference_strain']:g} "
                  "(uncertain, sampled in studies); slip is booked apart"),
        TargetRow("friction_blisters", "heel rig: 77 % blistered after 18 min of cyclic shear at 70 kPa",
                  f"{ref['heel_rig_blistered_fraction']:g} at {ref['heel_rig_kpa']:g} kPa", None, "input",
                  "context for the dose's scale; footsim's dose ranks and maps, it has no blister threshold"),
    ]


def eversion_rotation_coupling(result) -> float:
    """Shank internal rotation per hindfoot eversion (deg/deg) from touchdown to peak eversion: the
    slope of the least-squares line through the two angles, as an angle-angle coupling coefficient."""
    eversion, rotation = result.joints["rearfoot_eversion"], result.joints["limb_rotation"]
    peak = int(np.argmax(eversion))
    return float(np.polyfit(eversion[:peak + 1], rotation[:peak + 1], 1)[0])


def arch_energy_fraction(result) -> tuple[float, float, float]:
    """(fraction, arch J, step J): the arch spring's largest stored energy over the mechanical energy
    the body loses from touchdown to its lowest point (Ker et al. 1987's 'stored and returned'); the
    body as the model's two point masses, the trunk at the hip and the impact mass at the ankle."""
    runner = result.scenario["runner"]
    arch = 0.5 * result.scenario["foot"]["arch_stiffness_n_m_rad"] * result.joints["arch"] ** 2
    energy = np.zeros(len(result.time_s))
    impact = runner["impact_mass_fraction"] * runner["body_mass_kg"]
    for mass, path in ((runner["body_mass_kg"] - impact, result.hip_m), (impact, result.foot_pose[:, :3])):
        velocity = np.gradient(path, result.time_s, axis=0)
        energy += mass * (0.5 * (velocity ** 2).sum(axis=1) + GRAVITY * path[:, 2])
    step = float(energy[0] - energy.min())
    return float(arch.max()) / step, float(arch.max()), step


def foot_rows(published: dict, runs: ScenarioRuns) -> list[TargetRow]:
    """Joint axes (inputs of the articulated foot, foot.model = 'articulated') and rearfoot eversion
    (a prediction of it; the rigid one-piece foot, the default, has no subtalar joint)."""
    joints = published["foot_joints"]
    foot = runs.scenario("rearfoot_barefoot", **{"foot.model": "articulated"})["foot"]
    longitudinal = joints["midtarsal_longitudinal_axis_deg"]
    note = "foot.{} (the articulated foot)"

    def axis_row(quantity, published_value, key):
        low, high = (published_value, published_value) if np.isscalar(published_value) else published_value
        return _band_row("foot_joints", quantity, low, high, "deg", foot[key], note.format(key), kind="input")

    rows = [axis_row("subtalar axis, up from the plantar plane", joints["subtalar_axis_up_from_plantar_deg"],
                     "subtalar_elevation_deg"),
            axis_row("subtalar axis, medial of the foot's long axis", joints["subtalar_axis_medial_of_long_axis_deg"],
                     "subtalar_deviation_deg"),
            axis_row("midtarsal longitudinal axis, up", longitudinal["up"], "midfoot_axis_elevation_deg"),
            axis_row("midtarsal longitudinal axis, medial", longitudinal["medial"], "midfoot_axis_deviation_deg")]
    rows.append(TargetRow("foot_joints", "midtarsal oblique axis", "52 deg up, 57 deg medial", None, "input (fail)",
                          "not a parameter of the articulated foot: one midfoot axis for arch bending, one for "
                          "inversion"))
    eversion = published["rearfoot_eversion"]["barefoot_running"]
    result = runs.run("rearfoot_barefoot", **{"foot.model": "articulated"})
    coupling = joints["calcaneal_eversion_to_tibial_rotation"]
    rows.append(_band_row("foot_joints", "tibial rotation per calcaneal eversion", coupling - 0.15, coupling + 0.15,
                          "deg/deg", eversion_rotation_coupling(result),
                          f"published {coupling:g} +/- 0.15 (in vitro, eversion imposed); model: the shank's internal "
                          "rotation against the hindfoot's eversion, touchdown to peak eversion, rearfoot_barefoot.toml, "
                          "foot.model = articulated"))
    fraction, arch_j, step_j = arch_energy_fraction(result)
    rows.append(_value_row("foot_joints", "arch spring, fraction of a step's stored energy",
                           joints["arch_spring_work_fraction"], "of it", fraction, 0.5,
                           f"model: {arch_j:.1f} J in the arch at most, against {step_j:.0f} J the body loses from "
                           "touchdown to its lowest point; rearfoot_barefoot.toml, foot.model = articulated, 3.5 m/s "
                           "(Ker et al. 1987: 4.5 m/s)"))
    peak = float(np.degrees(result.joints["rearfoot_eversion"].max()))
    rows.append(_band_row("rearfoot_eversion.barefoot_running", "peak rearfoot eversion (hindfoot to shank)",
                          *eversion["peak_deg"], "deg", peak,
                          "rearfoot_barefoot.toml, foot.model = articulated, 3.5 m/s (published: jogging 2.65 m/s); "
                          "the rigid foot has no subtalar joint"))
    return rows


def published_targets(parameters: dict[str, Any] | None = None, data_root: Path = DEFAULT_DATA,
                      derived: Callable[[float], dict[str, Any]] | None = None) -> list[TargetRow]:
    """Every published target and the heel drop, with the model run at `parameters` (dotted keys)
    and `derived` strike-angle-dependent overrides (see ScenarioRuns)."""
    published = read_published(data_root)
    runs = ScenarioRuns(dict(parameters or {}), derived)
    drop = heel_drop_rows(published, runs.parameters)
    return [*drop, *lieberman_rows(published, runs), *cavanagh_rows(published, runs), *munro_rows(published, runs),
            *free_moment_rows(published, runs), *heel_pad_rows(published, runs), *walking_rows(published, runs),
            *strike_rows(published, runs), *parameter_rows(published, runs), *running_pressure_rows(published, runs),
            *toe_out_free_moment_rows(published, runs), *pad_hysteresis_rows(published, runs, drop),
            *blister_rows(published, runs), *foot_rows(published, runs)]
