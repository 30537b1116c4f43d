"""Drive the model like a recorded trial's runner, and give its output the data's form.

The trial supplies the subject (mass, height, speed, strike, cadence); the model runs one stance
of the right foot (DESIGN 2; left-foot data are mirrored, sim.validation.compare.mirror); the
model's force-plate signals are then sampled at the data's rate and low-passed with the data
set's filter, so that stance detection, metrics and RMS see both through the same lens.

Walking trials (a mean stance longer than WALKING_STANCE_S) cannot be run by the spring-mass
runner, which bounces: they use the bundled walking scenario's kinematic roll-over (DESIGN 3.6)
with the trial's stance time and peak vertical load as its inputs, so only the shape of the
curve and the contact quantities (heel transient, pressure, shear) are predictions there.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

from sim.bundled import scenario_path
from sim.errors import InputError
from sim.footwear import available_presets
from sim.grf_metrics import GRAVITY_M_S2
from sim.params import BY_NAME, STRIKE_PATTERNS
from sim.runner import SimulationError, run_stance
from sim.scenario import Scenario, load_scenario
from sim.trials import Trial
from sim.trials._common import lowpass_trial

from .compare import MeanStance, foot_stances, mean_stance, mirror, plate_body_mass_kg, step_time_s

# Cut-offs of data sets that were low-pass filtered before publication, for the data sets whose
# documentation gives none: estimated from the vertical force's power spectrum against the raw
# plate data of the Fukuchi sets (same kind of running): a 4th-order zero-lag Butterworth with
# this cut-off reproduces the fall of the filtered spectrum between 15 and 40 Hz (Hamner 24-25 Hz,
# Rajagopal 27 Hz); Alcantara's spectrum is flat to 30 Hz and falls by 4 decades by 38 Hz, a
# steeper filter than 4th order, taken as 30 Hz. A trial's own `filtered_hz` takes precedence.
WALKING_SCENARIO = scenario_path("walking_barefoot")
DATASET_FILTER_HZ = {
    "alcantara2022_sub2": 30.0,
    "hamner2013_s04": 25.0,
    "rajagopal2016": 25.0,
}
FILTER_ORDER = 4
WALKING_STANCE_S = 0.45  # running stances last 0.15-0.36 s (2-5 m/s), walking ones 0.5 s or more
# The plate weighs the runner over whole strides; a stated mass further off than this is flagged
# and the plate's weight drives the model (Fukuchi BMC0041: info.csv 63.1 kg, plate 78.4 kg).
MASS_MISMATCH_FRACTION = 0.10
MODEL_PAD_S = 0.15  # unloaded samples around the model's stance, so the filter sees the edges
# Shod trials run in this preset (scenarios/footwear/): the studies do not name their runners'
# shoes (Fukuchi: the runners' own), and a cushioned daily trainer is the common case.
SHOD_PRESET = "cushioned_trainer"


@dataclasses.dataclass
class Subject:
    """Who ran and how, as the model is driven; `sources` says where each value came from."""

    mass_kg: float
    height_m: float
    speed_m_s: float
    strike: str
    activity: str
    side: str | None
    footwear: str | None
    step_time_s: float | None
    stance_time_s: float
    peak_load_bw: float
    sources: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {"mass_kg": self.mass_kg, "height_m": self.height_m, "speed_m_s": self.speed_m_s,
                "strike": self.strike, "activity": self.activity, "side": self.side, "footwear": self.footwear,
                "step_time_s": self.step_time_s, "sources": self.sources}


@dataclasses.dataclass
class PreparedTrial:
    """A recorded trial ready for comparison: right-foot frame, stances of that foot, mean curve."""

    trial: Trial
    ranges: list[tuple[int, int]]
    stances_note: str
    mean: MeanStance
    subject: Subject
    filter_hz: float | None
    filter_note: str


def data_filter(trial: Trial) -> tuple[float | None, str]:
    """The low-pass cut-off (Hz) the data were filtered with, or None for raw data, and its source."""
    if trial.filtered_hz:
        return float(trial.filtered_hz), "the trial's filtered_hz"
    folder = Path(str(trial.meta.get("source", trial.name))).parent.name
    if folder in DATASET_FILTER_HZ:
        return DATASET_FILTER_HZ[folder], f"{folder}: estimated from the force spectrum (sim.validation.drive)"
    return None, "raw plate data (no filter applied to the model)"


def _positive(name: str, value: float | None) -> float | None:
    if value is not None and not (np.isfinite(value) and value > 0):
        raise InputError(f"--{name.replace('_', '-')} {value}: allowed a positive number")
    return value


def prepare(trial: Trial, mass_kg: float | None = None, height_m: float | None = None,
            speed_m_s: float | None = None, strike: str | None = None, activity: str | None = None) -> PreparedTrial:
    """Choose the right foot's stances (mirroring a left foot), average them, fix the subject.

    Explicit arguments override the trial's own values (the command line's --mass, --speed,
    --strike); activity ('running' or 'walking') is inferred from the stance time when None. Missing values: mass from the plate when it carries both feet, else an
    InputError; height 1.75 m and strike 'rearfoot' (the registry defaults), noted in sources.
    """
    for name, value in (("mass", mass_kg), ("height", height_m), ("speed", speed_m_s)):
        _positive(name, value)
    if strike is not None and strike not in STRIKE_PATTERNS:
        raise InputError(f"--strike {strike!r}: allowed one of {', '.join(STRIKE_PATTERNS)}")
    sources: dict[str, str] = {}
    plate_kg = plate_body_mass_kg(trial)
    if mass_kg is not None:
        sources["mass_kg"] = "option"
    elif trial.mass_kg and (plate_kg is None or abs(plate_kg / trial.mass_kg - 1) <= MASS_MISMATCH_FRACTION):
        mass_kg, sources["mass_kg"] = trial.mass_kg, "trial"
    elif plate_kg:
        stated = f"stated {trial.mass_kg:g} kg" if trial.mass_kg else "no mass stated"
        mass_kg, sources["mass_kg"] = round(plate_kg, 1), f"plate weight over whole strides ({stated})"
    else:
        raise InputError(f"{trial.name}: no body mass in the trial and the plate cannot weigh the runner: pass --mass KG")
    left = trial.side == "L"
    if left:
        trial = mirror(trial)
    ranges, note = foot_stances(trial, "R")
    if left:
        note = note.replace("of the R foot", "of the left foot, mirrored")
    if not ranges and trial.side == "both":
        trial = mirror(trial)
        ranges, note = foot_stances(trial, "R")
        note += " (left foot, mirrored)"
    if not ranges:
        raise InputError(f"{trial.name}: no complete stance (Fz above 20 N with unloaded samples on both sides)")
    mean = mean_stance(trial, ranges)
    if activity is None:
        activity = "walking" if mean.stance_time_s > WALKING_STANCE_S else "running"

    def pick(key, explicit, from_trial, default):
        if explicit is not None:
            sources[key] = "option"
            return explicit
        if from_trial is not None:
            sources[key] = "trial"
            return from_trial
        sources[key] = "default"
        return default

    height_m = pick("height_m", height_m, trial.height_m, BY_NAME["runner.height_m"].default)
    walking_speed = 1.4  # the bundled walking scenario's speed; the roll-over does not use it
    speed_m_s = pick("speed_m_s", speed_m_s, trial.speed_m_s,
                     walking_speed if activity == "walking" else BY_NAME["runner.speed_m_s"].default)
    strike = pick("strike", strike, trial.strike if trial.strike in STRIKE_PATTERNS else None,
                  BY_NAME["strike.pattern"].default)
    cutoff, filter_note = data_filter(trial)
    subject = Subject(mass_kg=float(mass_kg), height_m=float(height_m), speed_m_s=float(speed_m_s), strike=strike,
                      activity=activity, side=trial.side, footwear=trial.footwear, step_time_s=step_time_s(trial),
                      stance_time_s=mean.stance_time_s,
                      peak_load_bw=float(np.nanmax(mean.phase_grf_n[:, 2]) / (mass_kg * GRAVITY_M_S2)),
                      sources=sources)
    return PreparedTrial(trial, ranges, note, mean, subject, cutoff, filter_note)


def footwear_preset(footwear: str | None) -> str:
    """The footwear preset for a trial's footwear label: 'shod' -> SHOD_PRESET, a preset's own
    name -> itself, anything else (barefoot, unknown) -> barefoot."""
    if footwear == "shod":
        return SHOD_PRESET
    if footwear and footwear in available_presets():
        return footwear
    return "barefoot"


def subject_overrides(subject: Subject) -> dict[str, Any]:
    """The scenario keys the subject sets (dotted names)."""
    out: dict[str, Any] = {"runner.body_mass_kg": subject.mass_kg, "runner.height_m": subject.height_m,
                           "runner.speed_m_s": subject.speed_m_s, "strike.pattern": subject.strike,
                           "footwear.preset": footwear_preset(subject.footwear)}
    if subject.activity == "walking":
        out.update({"numerics.mode": "kinematic", "kinematic.stance_time_s": round(subject.stance_time_s, 4),
                    "kinematic.peak_load_bw": round(subject.peak_load_bw, 4)})
    return out


def scenario_for(subject: Subject, parameters: dict[str, Any] | None = None, name: str = "validation") -> Scenario:
    """The resolved scenario of the subject with model parameters (dotted names) on top.

    A runner starts from the registry defaults; a walker from the bundled walking scenario
    (WALKING_SCENARIO: its load profile, toe-out and heel slide), the subject's values on top.
    """
    values = {**subject_overrides(subject), **(parameters or {})}
    overrides = [f"{key}={value}" for key, value in values.items()]
    if subject.activity == "walking":
        scenario = load_scenario(WALKING_SCENARIO, overrides=overrides)
        scenario["name"] = name
        return scenario
    return load_scenario(text=f'name = "{name}"', overrides=overrides)


def run_model(scenario: Scenario):
    """run_stance, with a failed integration turned into the caller's InputError."""
    try:
        return run_stance(scenario)
    except SimulationError as exc:
        raise InputError(f"model run failed: {exc}") from None


def model_as_trial(result, fs_hz: float, cutoff_hz: float | None, name: str = "model") -> Trial:
    """The model's stance as a recorded trial: sampled at fs_hz with unloaded padding on both
    sides, then low-passed as the data were (sim.trials._common.lowpass_trial)."""
    t_model = result.time_s
    step = 1.0 / fs_hz
    time_s = np.arange(-MODEL_PAD_S, t_model[-1] + MODEL_PAD_S, step)
    inside = (time_s >= t_model[0]) & (time_s <= t_model[-1])
    grf = np.column_stack([np.where(inside, np.interp(time_s, t_model, result.grf_n[:, k]), 0.0) for k in range(3)])
    cop = np.column_stack([np.interp(time_s, t_model, result.cop_m[:, k], left=np.nan, right=np.nan) for k in range(2)])
    tz = np.where(inside, np.interp(time_s, t_model, result.free_moment_nm), 0.0)
    runner = result.scenario["runner"]
    trial = Trial(name=name, time_s=time_s, grf_n=grf, cop_m=cop, free_moment_nm=tz, fs_hz=fs_hz,
                  mass_kg=runner["body_mass_kg"], height_m=runner["height_m"], speed_m_s=runner["speed_m_s"],
                  side="R", strike=result.scenario["strike"]["pattern"], footwear=result.scenario["footwear"]["preset"],
                  meta={"source": "footsim model", "cop_frame": "ground"})
    if cutoff_hz is not None and cutoff_hz < fs_hz / 2.0:
        trial = lowpass_trial(trial, cutoff_hz, FILTER_ORDER)
    return trial


def model_mean_stance(result, prepared: PreparedTrial) -> tuple[Trial, list[tuple[int, int]], MeanStance]:
    """The model, in the data's form: trial, its one stance, its 'mean' stance."""
    trial = model_as_trial(result, prepared.trial.fs_hz, prepared.filter_hz)
    ranges, _ = foot_stances(trial, "R")
    if not ranges:
        raise InputError(f"model stance for {prepared.trial.name}: no stance above 20 N")
    # The model simulates one stance; a foot that bounces off and lands again within it (Fz
    # dipping under the threshold) is still that stance, from first touchdown to last toe-off.
    ranges = [(ranges[0][0], ranges[-1][1])]
    return trial, ranges, mean_stance(trial, ranges)
