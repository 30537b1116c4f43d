"""Calibration of the model to one recorded trial, and prediction of the subject's other trials.

The fit (`calibrate`) is `scipy.optimize.least_squares`, bounded, on every recorded GRF
component of the trial's mean stance (sim.validation.compare: absolute time from touchdown, 1 ms
grid over 1.5 recorded stances, so that the residual's length is fixed). Each component's
residual is scaled by its target (DESIGN 6: 0.15 BW vertical, 0.05 BW AP; ML as AP) and by
1/sqrt(samples): the cost is a sum of (RMS / target)^2. A trial without AP force (Alcantara)
cannot say where braking ends, so its fit also asks for a steady stance: net AP impulse zero
within STEADY_AP_TOLERANCE_BW_S.

The parameters (`CALIBRATABLE`) are those DESIGN marks (calibrate) and the touchdown state of
DESIGN 3.4, less the heel pad's E0, a and c, which were fitted to the heel drop (sim.params) and
are freed only on request (`pad=True`; the report then re-checks the heel drop). A start with
`foot.model = "articulated"` fits the articulated foot, with its talocrural stiffness free within
DESIGN 3.4's range (its other joints are assumed, so they stay at their defaults). Each has a level:
- "subject": a property of the runner (leg spring and damper, skin shear stiffness), carried to
  the subject's other trials unchanged;
- "touchdown": the landing of this trial. For another trial of the subject (`predict_parameters`)
  overstride, push-off and hip velocity are solved for a steady stance at that trial's speed and
  cadence (net AP impulse 0, vertical impulse = BW x step time, the hip falling for half the
  flight time); the foot's velocities and strike angle are carried when the strike pattern is
  the same, else they take that pattern's defaults.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from sim.errors import InputError
from sim.grf_metrics import GRAVITY_M_S2, grf_metrics

from .compare import COMPONENTS, GRID_STEP_S, residual_bw
from .drive import PreparedTrial, model_mean_stance, run_model, scenario_for
from .evaluate import evaluate


@dataclasses.dataclass(frozen=True)
class Calibratable:
    name: str      # dotted scenario key
    low: float     # bounds of the fit: physiological, narrower than the registry's ranges
    high: float
    level: str     # "subject" | "touchdown" | "pad"
    needs_horizontal: bool = False  # identifiable only from AP/ML force
    why: str = ""
    foot_model: str | None = None   # the foot model that has the parameter (None: both)


CALIBRATABLE: tuple[Calibratable, ...] = (
    Calibratable("runner.leg_stiffness_n_m", 8e3, 45e3, "subject",
                 why="Farley & Gonzalez 1996: 7-30 kN/m; pad, foot and ankle in series need more"),
    Calibratable("runner.leg_damping_n_s_m", 0.0, 1500.0, "subject"),
    Calibratable("tissue.g0_pa", 50e3, 500e3, "subject", True, why="DESIGN 3.3 plausible range"),
    Calibratable("tissue.shear_exponent", 0.0, 5.0, "subject", True),
    Calibratable("runner.overstride_m", 0.10, 0.45, "touchdown"),
    Calibratable("runner.hip_vertical_velocity_m_s", -1.0, 0.0, "touchdown"),
    Calibratable("runner.push_off_extension_m", -0.08, 0.08, "touchdown"),
    Calibratable("strike.foot_descent_velocity_m_s", 0.2, 2.5, "touchdown"),
    Calibratable("strike.foot_velocity_m_s", -1.0, 1.0, "touchdown", True,
                 why="DESIGN 3.4: forward (sliding) or backward (pawing) foot velocity at touchdown"),
    Calibratable("runner.step_width_m", 0.0, 0.15, "touchdown", True,
                 why="sets the leg's lean in the frontal plane, hence the ML force"),
    Calibratable("strike.foot_strike_angle_deg", -20.0, 25.0, "touchdown",
                 why="narrowed to the trial's strike class (STRIKE_ANGLE_BOUNDS_DEG)"),
    # of the articulated foot's joints only the talocrural stiffness has a range in DESIGN (3.4: the
    # sagittal ankle in running); the others are assumed and stay at their defaults
    Calibratable("foot.talocrural_stiffness_n_m_rad", 300.0, 450.0, "subject", foot_model="articulated",
                 why="DESIGN 3.4: 300-450 N m/rad in running"),
    Calibratable("tissue.e0_pa", 50e3, 1e6, "pad", why="fitted to the heel drop; freed only with pad=True"),
    Calibratable("tissue.exponent", 2.0, 10.0, "pad"),
    Calibratable("tissue.damping_s_m", 0.0, 3.0, "pad"),
)
BY_KEY = {c.name: c for c in CALIBRATABLE}
# The fitted strike angle stays inside the trial's strike class (DESIGN 2: Altman & Davis 2012,
# Mo et al. 2021: rearfoot > 8 deg, forefoot < -1.6 deg).
STRIKE_ANGLE_BOUNDS_DEG = {"rearfoot": (8.0, 25.0), "midfoot": (-1.6, 8.0), "forefoot": (-20.0, -1.6)}
TARGET_RMS_BW = {"vertical": 0.15, "ap": 0.05, "ml": 0.05}
# The fit and the steady-stance solve run at a coarser step and mesh (10x faster in a shoe): on the
# rearfoot scenario, barefoot and in cushioned_trainer, impact and active peaks, loading rate and
# braking peak change by < 1.1 % and stance time by < 1 ms. Reported RMS errors and metrics are
# always those of the registry's numerics.
FIT_NUMERICS = {"numerics.dt_s": 3e-4, "numerics.mesh_spacing_mm": 8.0}
# A parameter that moves no component's RMS error by this much between its bounds cannot be
# identified from the trial: it is held at its start value and reported as such.
IDENTIFIABLE_BW = 0.01
STEADY_AP_TOLERANCE_BW_S = 0.005
GRID_STANCES = 1.5
STEADY_KEYS = ("runner.overstride_m", "runner.push_off_extension_m", "runner.hip_vertical_velocity_m_s")
LANDING_KEYS = ("strike.foot_descent_velocity_m_s", "strike.foot_velocity_m_s", "strike.foot_strike_angle_deg",
                "runner.step_width_m")


@dataclasses.dataclass
class Calibration:
    """A fit's provenance: trial, fitted values with their bounds, start, residual, solver record."""

    trial: str
    subject: dict[str, Any]
    strike: str
    parameters: dict[str, float]          # every calibrated key -> fitted value
    start: dict[str, float]
    bounds: dict[str, tuple[float, float]]
    levels: dict[str, str]
    components: tuple[str, ...]           # the recorded components fitted
    rms_bw: dict[str, float | None]       # at the fitted values (sim.validation.compare.rms_bw)
    rms_bw_start: dict[str, float | None]
    cost: float
    nfev: int
    status: int
    message: str
    seconds: float
    at_bound: list[str]
    held: dict[str, dict[str, Any]]       # not identifiable: value held, largest RMS change (BW)
    foot_model: str = "rigid"

    def subject_parameters(self) -> dict[str, float]:
        return {k: v for k, v in self.parameters.items() if self.levels[k] in ("subject", "pad")}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "Calibration":
        return cls(**{**record, "bounds": {k: tuple(v) for k, v in record["bounds"].items()},
                      "components": tuple(record["components"])})

    def as_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["bounds"] = {k: list(v) for k, v in self.bounds.items()}
        out["components"] = list(self.components)
        return out


def bounds(name: str, strike: str) -> tuple[float, float]:
    if name == "strike.foot_strike_angle_deg":
        return STRIKE_ANGLE_BOUNDS_DEG[strike]
    return BY_KEY[name].low, BY_KEY[name].high


def default_value(name: str, subject) -> float:
    """The registry's (or derived) value of a key in this subject's scenario."""
    section, key = name.split(".")
    return float(scenario_for(subject)[section][key])


def has_horizontal(prepared: PreparedTrial) -> bool:
    return any(not np.isnan(prepared.mean.phase_grf_n[:, k]).all() for k in (0, 1))


def free_parameters(prepared: PreparedTrial, pad: bool = False, names: list[str] | None = None,
                    foot_model: str = "rigid") -> list[str]:
    """The keys a fit to this trial can identify: no shear parameters without horizontal force, no
    joint of another foot model."""
    allowed = [c.name for c in CALIBRATABLE if c.foot_model in (None, foot_model)]
    chosen = names or [n for n in allowed if BY_KEY[n].level != "pad" or pad]
    unknown = [n for n in chosen if n not in allowed]
    if unknown:
        raise InputError(f"cannot calibrate {', '.join(unknown)} with foot.model = {foot_model!r}: allowed "
                         f"{', '.join(allowed)}")
    return [n for n in chosen if has_horizontal(prepared) or not BY_KEY[n].needs_horizontal]


class _Objective:
    """The residual of the fit in normalised coordinates u in [0, 1]^n (one scale for the solver's
    finite-difference steps whatever the parameter's unit)."""

    def __init__(self, prepared: PreparedTrial, names: list[str], fixed: dict[str, Any]):
        self.prepared, self.names, self.fixed = prepared, names, fixed
        self.low, self.high = np.array([bounds(n, prepared.subject.strike) for n in names]).T
        self.bw = prepared.subject.mass_kg * GRAVITY_M_S2
        self.grid = np.arange(0.0, GRID_STANCES * prepared.mean.stance_time_s, GRID_STEP_S)
        present = residual_bw(prepared.mean, prepared.mean, self.bw, self.grid)
        self.components = tuple(c for c in COMPONENTS if present[c] is not None)
        self.steady = "ap" not in self.components
        self.scale = 1.0 / np.sqrt(len(self.grid))

    def values(self, u: np.ndarray) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.names, self.low + np.clip(u, 0, 1) * (self.high - self.low))}

    def normalise(self, values: dict[str, float]) -> np.ndarray:
        x = np.array([values[n] for n in self.names])
        return np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)

    def __call__(self, u: np.ndarray) -> np.ndarray:
        return self.residual_at({**self.fixed, **self.values(u)})

    def rms_at(self, parameters: dict[str, Any]) -> np.ndarray:
        """RMS (BW) of each fitted component: the first pieces of the residual, unscaled."""
        residual = self.residual_at(parameters)
        n = len(self.grid)
        return np.array([np.sqrt(np.mean((residual[k * n:(k + 1) * n] / self.scale * TARGET_RMS_BW[c]) ** 2))
                         for k, c in enumerate(self.components)])

    def residual_at(self, parameters: dict[str, Any]) -> np.ndarray:
        parameters = {**FIT_NUMERICS, **parameters}
        try:
            result = run_model(scenario_for(self.prepared.subject, parameters))
            model = model_mean_stance(result, self.prepared)[2]
            net_ap = result.summary["net_ap_impulse_bw_s"]
        except InputError:
            # a failed or stanceless run: the data against no force at all, a large finite
            # residual the solver backs away from
            model = dataclasses.replace(self.prepared.mean, phase_grf_n=self.prepared.mean.phase_grf_n * 0.0)
            net_ap = 1.0
        residual = residual_bw(self.prepared.mean, model, self.bw, self.grid)
        pieces = [residual[name] * self.scale / TARGET_RMS_BW[name] for name in self.components]
        if self.steady:
            pieces.append(np.array([net_ap / STEADY_AP_TOLERANCE_BW_S]))
        return np.concatenate(pieces)


def screen(objective: "_Objective", start: dict[str, float]) -> dict[str, float]:
    """Largest change (BW) of any component's RMS error when one parameter moves from its start to
    either bound, the others held: a one-at-a-time identifiability check."""
    base = objective.rms_at(start)
    change = {}
    for name, low, high in zip(objective.names, objective.low, objective.high):
        moved = [objective.rms_at({**start, name: float(bound)}) for bound in (low, high)]
        change[name] = float(max(np.max(np.abs(m - base)) for m in moved))
    return change


def calibrate(prepared: PreparedTrial, start: dict[str, Any] | None = None, pad: bool = False,
              names: list[str] | None = None, max_nfev: int = 30, diff_step: float = 0.02) -> Calibration:
    """Fit the calibratable parameters to one running trial (see the module docstring).

    start: values to start from (and to hold, for keys that are not free); defaults otherwise.
    max_nfev counts residual evaluations without the finite-difference ones (scipy's convention),
    so a fit runs the model up to max_nfev x (1 + number of parameters) times.
    """
    if prepared.subject.activity != "running":
        raise InputError(f"{prepared.trial.name}: calibration needs a running trial (the walking roll-over is prescribed)")
    foot_model = (start or {}).get("foot.model", "rigid")
    candidates = free_parameters(prepared, pad, names, foot_model)
    start_values = {n: float((start or {}).get(n, default_value(n, prepared.subject))) for n in candidates}
    fixed = {k: v for k, v in (start or {}).items() if k not in candidates}
    began = time.perf_counter()
    change = screen(_Objective(prepared, candidates, fixed), {**fixed, **start_values})
    held = {n: {"value": start_values[n], "largest_rms_change_bw": change[n]}
            for n in candidates if change[n] < IDENTIFIABLE_BW}
    free = [n for n in candidates if n not in held]
    fixed.update({n: h["value"] for n, h in held.items()})
    objective = _Objective(prepared, free, fixed)
    u0 = objective.normalise(start_values)
    fit = least_squares(objective, u0, bounds=(0.0, 1.0), diff_step=diff_step, max_nfev=max_nfev, method="trf")
    seconds = time.perf_counter() - began
    fitted = objective.values(fit.x)
    rms_start = evaluate(prepared, {**fixed, **objective.values(u0)}).rms_bw
    rms = evaluate(prepared, {**fixed, **fitted}).rms_bw
    at_bound = [n for n, u in zip(free, fit.x) if u <= 0.01 or u >= 0.99]  # within 1 % of the range
    return Calibration(
        trial=prepared.trial.name, subject=prepared.subject.as_json(), strike=prepared.subject.strike,
        parameters={n: fitted.get(n, start_values[n]) for n in candidates}, start=start_values,
        bounds={n: bounds(n, prepared.subject.strike) for n in candidates},
        levels={n: BY_KEY[n].level for n in candidates}, components=objective.components, rms_bw=rms,
        rms_bw_start=rms_start, cost=float(fit.cost), nfev=int(fit.nfev), status=int(fit.status),
        message=str(fit.message), seconds=seconds, at_bound=at_bound, held=held, foot_model=foot_model)


def steady_touchdown(subject, parameters: dict[str, Any], keys: tuple[str, ...] = STEADY_KEYS,
                     max_nfev: int = 20) -> tuple[dict[str, float], dict[str, float]]:
    """Touchdown values (`keys`, from STEADY_KEYS) for a steady stance at the subject's speed and
    cadence (sim.validation.drive.Subject with step_time_s).

    Conditions: net AP impulse 0; vertical impulse = step time (in BW s); and, when the hip
    velocity is among the keys, hip velocity at touchdown = -g (step time - stance time) / 2 (a
    symmetric flight). Returns the values and the remaining errors; ({}, {}) without a cadence.
    """
    step = subject.step_time_s
    if step is None:
        return {}, {}
    solve_hip = STEADY_KEYS[2] in keys
    tolerances = np.array([STEADY_AP_TOLERANCE_BW_S, 0.01 * step, 0.02][:3 if solve_hip else 2])

    def errors(x):
        values = dict(zip(keys, x))
        try:
            result = run_model(scenario_for(subject, {**FIT_NUMERICS, **parameters, **values}))
        except InputError:
            return np.full(len(tolerances), 10.0)
        s = grf_metrics(result.time_s, result.grf_n, subject.mass_kg, subject.height_m)
        out = [s["net_ap_impulse_bw_s"], s["vertical_impulse_bw_s"] - step]
        if solve_hip:
            out.append(values[STEADY_KEYS[2]] + GRAVITY_M_S2 * (step - s["stance_time_s"]) / 2)
        return np.array(out) / tolerances

    low, high = np.array([bounds(k, subject.strike) for k in keys]).T
    x0 = np.clip([float(parameters.get(k, default_value(k, subject))) for k in keys], low, high)
    fit = least_squares(errors, x0, bounds=(low, high), x_scale=high - low, diff_step=0.01, max_nfev=max_nfev)
    remaining = errors(fit.x) * tolerances
    names = ("net_ap_impulse_bw_s", "vertical_impulse_minus_step_time_s", "hip_velocity_error_m_s")
    return {k: float(v) for k, v in zip(keys, fit.x)}, {n: float(v) for n, v in zip(names, remaining)}


def predict_parameters(calibration: Calibration, prepared: PreparedTrial) -> tuple[dict[str, float], dict[str, Any]]:
    """Parameters for another trial of the calibrated subject, without refitting (module docstring),
    and a note of how its touchdown was set."""
    parameters: dict[str, Any] = dict(calibration.subject_parameters())
    if calibration.foot_model != "rigid":
        parameters["foot.model"] = calibration.foot_model
    same_strike = prepared.subject.strike == calibration.strike
    if same_strike:
        parameters.update({k: v for k, v in calibration.parameters.items() if k in LANDING_KEYS})
    landing = "carried from the calibration" if same_strike else f"{prepared.subject.strike} defaults"
    carried_steady = {k: v for k, v in calibration.parameters.items() if k in STEADY_KEYS}
    values, remaining = steady_touchdown(prepared.subject, {**parameters, **carried_steady})
    if not values:
        parameters.update(carried_steady)
        return parameters, {"landing": landing, "touchdown": "carried from the calibration (no cadence)"}
    parameters.update(values)
    return parameters, {"landing": landing,
                        "touchdown": f"steady stance at {prepared.subject.speed_m_s:g} m/s, step time "
                                     f"{prepared.subject.step_time_s:.3f} s",
                        "steady_errors": remaining}
