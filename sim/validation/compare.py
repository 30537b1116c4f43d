"""Model and recorded trial side by side: the stances of one foot, their mean curve, the RMS
error per GRF component in body weights, and the metric table (sim.grf_metrics) of both.

Alignment (used by the RMS and the calibration): each recorded stance runs from touchdown to
toe-off, where Fz crosses the stance threshold (interpolated). The stances are time-normalised,
averaged sample by sample in phase, and the mean curve is stretched back to the mean stance
time. Model and data are then compared in absolute time from touchdown on a 1 ms grid that
spans the longer of the two stances, each curve zero outside its own stance: a stance that is
too short or too long is an error, as is an impact peak at the wrong millisecond.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from sim.grf_metrics import GRAVITY_M_S2, METRICS, grf_metrics, split_stances
from sim.trials import Trial
from sim.trials._common import STANCE_THRESHOLD_N

COMPONENTS = ("ap", "ml", "vertical")  # columns x, y, z of grf_n
PHASE_POINTS = 201
GRID_STEP_S = 1e-3
# Metrics in the tables and JSON, in this order (keys of sim.grf_metrics.METRICS).
TABLE_METRICS = tuple(METRICS)


@dataclasses.dataclass
class MeanStance:
    """The mean stance of one foot: force (PHASE_POINTS, 3) in N over phase 0..1 of the stance,
    the mean stance time (s), and the number of stances averaged."""

    phase_grf_n: np.ndarray
    stance_time_s: float
    n_stances: int

    def on_grid(self, time_s: np.ndarray) -> np.ndarray:
        """Force (len(time_s), 3) at times from touchdown; zero outside the stance, NaN columns kept."""
        phase = np.asarray(time_s) / self.stance_time_s
        inside = (phase >= 0.0) & (phase <= 1.0)
        out = np.zeros((len(phase), 3))
        grid = np.linspace(0.0, 1.0, PHASE_POINTS)
        for k in range(3):
            column = self.phase_grf_n[:, k]
            if np.isnan(column).all():
                out[:, k] = np.nan
            else:
                out[:, k] = np.where(inside, np.interp(phase, grid, column), 0.0)
        return out


def mirror(trial: Trial) -> Trial:
    """A left foot's trial as the right foot footsim simulates: y -> -y (ML force, COP y) and the
    free moment changes sign (DESIGN 2: the left foot is the right's mirror image)."""
    grf = trial.grf_n * np.array([1.0, -1.0, 1.0])
    cop = None if trial.cop_m is None else trial.cop_m * np.array([1.0, -1.0])
    tz = None if trial.free_moment_nm is None else -trial.free_moment_nm
    side = {"L": "R", "R": "L"}.get(trial.side, trial.side)
    return dataclasses.replace(trial, grf_n=grf, cop_m=cop, free_moment_nm=tz, side=side,
                               meta=dict(trial.meta, mirrored=True))


def foot_stances(trial: Trial, side: str = "R") -> tuple[list[tuple[int, int]], str]:
    """Complete stances of one foot: index ranges and a note on how they were chosen.

    A trial of one side gives all its stances. A plate under both feet ("both") gives the stances
    labelled `side` in meta["stance_sides"]; without labels (no COP, e.g. Alcantara's vertical
    force only) every stance counts, which is harmless for the vertical and AP forces.
    """
    fz = trial.grf_n[:, 2]
    complete = split_stances(trial.time_s, fz, STANCE_THRESHOLD_N)
    labels = trial.meta.get("stance_sides")
    if trial.side != "both":
        return complete, f"all {len(complete)} stances of the {trial.side or 'recorded'} foot"
    every = split_stances(trial.time_s, fz, STANCE_THRESHOLD_N, complete_only=False)
    if not labels or len(labels) != len(every):
        return complete, f"all {len(complete)} stances (both feet; no side labels)"
    chosen = [r for r, label in zip(every, labels) if label == side and r in complete]
    return chosen, f"{len(chosen)} stances of side {side} ({trial.meta.get('side_method', 'labelled')})"


def _touchdown_toe_off(t: np.ndarray, fz: np.ndarray, threshold_n: float) -> tuple[float, float]:
    above = np.flatnonzero(fz > threshold_n)
    i0, i1 = above[0], above[-1]

    def crossing(a, b):
        return t[a] + (threshold_n - fz[a]) / (fz[b] - fz[a]) * (t[b] - t[a])

    t_on = crossing(i0 - 1, i0) if i0 > 0 else t[i0]
    t_off = crossing(i1, i1 + 1) if i1 + 1 < len(t) else t[i1]
    return float(t_on), float(t_off)


def mean_stance(trial: Trial, ranges: list[tuple[int, int]], threshold_n: float = STANCE_THRESHOLD_N) -> MeanStance:
    """Ensemble mean over the given stances, in phase from touchdown (0) to toe-off (1)."""
    if not ranges:
        raise ValueError(f"{trial.name}: no complete stance to average")
    grid = np.linspace(0.0, 1.0, PHASE_POINTS)
    curves, durations = [], []
    for i0, i1 in ranges:
        t, f = trial.time_s[i0:i1], trial.grf_n[i0:i1]
        t_on, t_off = _touchdown_toe_off(t, np.nan_to_num(f[:, 2]), threshold_n)
        at = t_on + grid * (t_off - t_on)
        curves.append(np.column_stack([np.interp(at, t, f[:, k]) for k in range(3)]))
        durations.append(t_off - t_on)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.mean(curves, axis=0)
    return MeanStance(mean, float(np.mean(durations)), len(ranges))


def comparison_grid(*stances: MeanStance) -> np.ndarray:
    """The 1 ms grid from touchdown over the longest of the stances."""
    longest = max(s.stance_time_s for s in stances)
    return np.arange(0.0, longest + GRID_STEP_S / 2, GRID_STEP_S)


def residual_bw(data: MeanStance, model: MeanStance, body_weight_n: float,
                grid: np.ndarray | None = None) -> dict[str, np.ndarray | None]:
    """Model minus data in BW per component (None where data lack it), on `grid` (s from
    touchdown; default the comparison grid)."""
    grid = comparison_grid(data, model) if grid is None else grid
    d, m = data.on_grid(grid), model.on_grid(grid)
    out = {}
    for k, name in enumerate(COMPONENTS):
        out[name] = None if np.isnan(d[:, k]).all() else (m[:, k] - d[:, k]) / body_weight_n
    return out


def rms_bw(data: MeanStance, model: MeanStance, body_weight_n: float) -> dict[str, float | None]:
    """RMS error over the stance (comparison grid) per component, BW; None where data lack it."""
    return {name: None if r is None else float(np.sqrt(np.mean(r**2)))
            for name, r in residual_bw(data, model, body_weight_n).items()}


def stance_metrics(trial: Trial, ranges, mass_kg: float, height_m: float | None,
                   foot_length_m: float | None) -> list[dict[str, float]]:
    """sim.grf_metrics of each stance; the window holds the threshold crossings."""
    rows = []
    for i0, i1 in ranges:
        cop = None if trial.cop_m is None else trial.cop_m[i0:i1]
        tz = None if trial.free_moment_nm is None else trial.free_moment_nm[i0:i1]
        rows.append(grf_metrics(trial.time_s[i0:i1], trial.grf_n[i0:i1], mass_kg, height_m, cop_m=cop,
                                free_moment_nm=tz, foot_length_m=foot_length_m))
    return rows


@dataclasses.dataclass
class MetricSummary:
    """Each metric over the stances: mean and SD of the stances that define it (NaN where none
    does), and the share of stances that define it (an impact peak in 3 of 20 stances: 0.15)."""

    mean: dict[str, float]
    sd: dict[str, float]
    share: dict[str, float]


def summarise_metrics(rows: list[dict[str, float]]) -> MetricSummary:
    mean, sd, share = {}, {}, {}
    for key in TABLE_METRICS:
        values = np.array([row[key] for row in rows], dtype=float)
        finite = values[np.isfinite(values)]
        mean[key] = float(np.mean(finite)) if len(finite) else float("nan")
        sd[key] = float(np.std(finite, ddof=1)) if len(finite) > 1 else float("nan")
        share[key] = len(finite) / len(values) if len(values) else 0.0
    return MetricSummary(mean, sd, share)


def heel_transient(mean: MeanStance, window_s: float = 0.06) -> tuple[float, float] | None:
    """The heel-strike transient of a walking stance: the first local maximum of the mean
    vertical force within window_s of touchdown, as (force N, time s); None without one."""
    t = np.linspace(0.0, mean.stance_time_s, PHASE_POINTS)
    fz = mean.phase_grf_n[:, 2]
    for i in range(1, len(t) - 1):
        if t[i] > window_s:
            break
        if fz[i] >= fz[i - 1] and fz[i] > fz[i + 1]:
            return float(fz[i]), float(t[i])
    return None


def plate_body_mass_kg(trial: Trial) -> float | None:
    """Body mass the plate weighs: mean Fz over whole strides / g, for a plate under both feet.

    In steady running (or walking) the mean vertical force over a whole number of strides is
    the body weight; the window runs from one touchdown to the touchdown two steps (one stride)
    later, repeated. None when the plate carries one foot or fewer than three stances.
    """
    if trial.side != "both":
        return None
    ranges = split_stances(trial.time_s, trial.grf_n[:, 2], STANCE_THRESHOLD_N)
    strides = (len(ranges) - 1) // 2
    if strides < 1:
        return None
    i0, i1 = ranges[0][0] + 1, ranges[2 * strides][0] + 1
    return float(np.mean(np.nan_to_num(trial.grf_n[i0:i1, 2])) / GRAVITY_M_S2)


def two_plate_body_mass_kg(first: Trial, second: Trial) -> float | None:
    """Body mass from two consecutive steps on two plates (overground walking or running).

    In steady gait each foot's stance impulse is the body weight times the step time (the two
    feet share a stride's weight between them), so BW = mean stance impulse / time between the
    two touchdowns. None unless each plate holds exactly one complete stance.
    """
    impulses, onsets = [], []
    for trial in (first, second):
        ranges = split_stances(trial.time_s, trial.grf_n[:, 2], STANCE_THRESHOLD_N)
        if len(ranges) != 1:
            return None
        i0, i1 = ranges[0]
        impulses.append(np.trapezoid(np.nan_to_num(trial.grf_n[i0:i1, 2]), trial.time_s[i0:i1]))
        onsets.append(trial.time_s[i0])
    step = abs(onsets[1] - onsets[0])
    return float(np.mean(impulses) / step / GRAVITY_M_S2) if step > 0 else None


def step_time_s(trial: Trial) -> float | None:
    """Median time between touchdowns of alternate feet (cadence), None when not measurable.

    A plate under both feet gives consecutive steps directly; one foot's record gives strides,
    halved.
    """
    ranges = split_stances(trial.time_s, trial.grf_n[:, 2], STANCE_THRESHOLD_N)
    if len(ranges) < 2:
        return None
    onsets = np.array([trial.time_s[i0] for i0, _ in ranges])
    interval = float(np.median(np.diff(onsets)))
    return interval if trial.side == "both" else interval / 2.0
