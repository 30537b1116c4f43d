"""The Trial record and the helpers every reader shares (frames, masks, sides, input errors)."""

import dataclasses
import gzip
import warnings
from pathlib import Path

import numpy as np

from sim.errors import InputError
from sim.grf_metrics import GRAVITY_M_S2, cop_valid, lowpass, split_stances

# Stances for side assignment: the same threshold as the metrics, and long enough to be a step.
STANCE_THRESHOLD_N = 20.0
SIDES = ("R", "L")


@dataclasses.dataclass
class Trial:
    """One recorded trial in footsim's ground frame: x forward, y left, z up, SI units.

    grf_n is the force of the ground on the foot (or feet: `side` says which; "both" when a
    single treadmill plate records alternating steps, see meta["stance_sides"]). cop_m and
    free_moment_nm are NaN where the vertical force is too small for them to mean anything
    (see sim.grf_metrics.cop_valid). On a treadmill COP x is given in the belt frame when
    meta["cop_frame"] == "belt" (lab x + belt speed * time), so it moves from heel to toe as it
    would over ground. meta holds the source file, frame decisions and per-data-set details.
    """

    name: str
    time_s: np.ndarray
    grf_n: np.ndarray
    cop_m: np.ndarray | None
    free_moment_nm: np.ndarray | None
    fs_hz: float
    mass_kg: float | None = None
    height_m: float | None = None
    speed_m_s: float | None = None
    side: str | None = None
    strike: str | None = None
    footwear: str | None = None
    filtered_hz: float | None = None
    meta: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        n = len(self.time_s)
        if self.grf_n.shape != (n, 3):
            raise ValueError(f"grf_n has shape {self.grf_n.shape}, expected ({n}, 3)")
        if self.cop_m is not None and self.cop_m.shape != (n, 2):
            raise ValueError(f"cop_m has shape {self.cop_m.shape}, expected ({n}, 2)")
        if self.free_moment_nm is not None and self.free_moment_nm.shape != (n,):
            raise ValueError(f"free_moment_nm has shape {self.free_moment_nm.shape}")

    @property
    def body_weight_n(self):
        return np.nan if self.mass_kg is None else self.mass_kg * GRAVITY_M_S2

    def stances(self, threshold_n=STANCE_THRESHOLD_N, **options):
        """Index ranges of the complete stances (sim.grf_metrics.split_stances)."""
        return split_stances(self.time_s, self.grf_n[:, 2], threshold_n, **options)


def force_columns(fz_n, fx_n=None, fy_n=None):
    """(T, 3) ground-frame force from its components; a component the data set lacks is NaN."""
    missing = np.full_like(fz_n, np.nan)
    return np.column_stack([missing if fx_n is None else fx_n, missing if fy_n is None else fy_n, fz_n])


def plate_trial(path, data_format, name, grf_n, fs_hz, time_s=None, cop_m=None, free_moment_nm=None, meta=(),
                **fields):
    """The Trial every reader returns: plate signals in the ground frame (COP and free moment already
    masked), time from the sample rate when the file has none, meta naming the source file and format."""
    time_s = np.arange(len(grf_n)) / fs_hz if time_s is None else time_s
    return Trial(name, time_s, grf_n, cop_m, free_moment_nm, fs_hz,
                 meta={"source": str(path), "format": data_format, **dict(meta)}, **fields)


def fail(path, problem):
    """The InputError every reader raises: one line naming the file and the problem."""
    return InputError(f"{path}: {problem}")


def require_file(path):
    path = Path(path)
    if not path.is_file():
        raise fail(path, "no such file")
    return path


def open_text(path):
    """Open a text file, gzipped or not (by the .gz suffix)."""
    path = require_file(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def load_numbers(path, lines, delimiter=None, columns=None):
    """Parse lines of numbers into a 2-D float array; InputError on anything malformed."""
    try:
        table = np.loadtxt(lines, delimiter=delimiter, ndmin=2, dtype=float)
    except ValueError as error:
        raise fail(path, f"malformed numeric data ({error})") from None
    if table.size == 0:
        raise fail(path, "no data rows")
    if columns is not None and table.shape[1] != columns:
        raise fail(path, f"{table.shape[1]} data columns where the header names {columns}")
    return table


def sample_rate_hz(path, time_s):
    """Sampling rate of a time column; InputError unless it is strictly increasing."""
    if len(time_s) < 2 or np.any(np.diff(time_s) <= 0):
        raise fail(path, "time column is not strictly increasing")
    return float(1.0 / np.median(np.diff(time_s)))


def rotation_to_ground(forward, up):
    """Rows of the rotation that maps lab vectors to ground-frame (x forward, y left, z up).

    forward, up: unit lab vectors (orthogonal). Left = up x forward keeps the frame right-handed,
    so the ML sign follows from the AP and vertical choices and is never guessed on its own.
    """
    forward, up = np.asarray(forward, dtype=float), np.asarray(up, dtype=float)
    return np.vstack([forward, np.cross(up, forward), up])


def axis_vector(spec):
    """'+X', '-Y', ... -> lab unit vector."""
    vector = np.zeros(3)
    vector["XYZ".index(spec[1].upper())] = -1.0 if spec[0] == "-" else 1.0
    return vector


def mask_by_vertical_force(fz_n, cop_m, free_moment_nm):
    """NaN the COP and free moment where the vertical force is too small (DESIGN.md 5.4)."""
    invalid = ~cop_valid(fz_n)
    if cop_m is not None:
        cop_m = cop_m.copy()
        cop_m[invalid] = np.nan
    if free_moment_nm is not None:
        free_moment_nm = free_moment_nm.copy()
        free_moment_nm[invalid] = np.nan
    return cop_m, free_moment_nm


def stance_sides_from_cop(time_s, fz_n, cop_y_m, threshold_n=STANCE_THRESHOLD_N):
    """Side of each stance on a single plate from the ML COP: ranges and 'R'/'L' labels.

    Steps alternate, so within a run of consecutive steps (no step missing: gaps under 1.5
    median step times) one decision labels them all: the parity (even or odd steps) whose COP
    lies further left (+y) is the left foot. The sum over all steps outvotes the step-to-step
    noise of a narrow step width, where a step-by-step comparison would not.
    """
    ranges = split_stances(time_s, fz_n, threshold_n, complete_only=False)
    sides = [None] * len(ranges)
    if len(ranges) < 2:
        return ranges, sides
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = np.array([np.nanmedian(cop_y_m[i0:i1]) for i0, i1 in ranges])
    onsets = np.array([time_s[i0] for i0, _ in ranges])
    gaps = np.diff(onsets) > 1.5 * np.median(np.diff(onsets))
    for run in np.split(np.arange(len(ranges)), np.flatnonzero(gaps) + 1):
        run = run[np.isfinite(y[run])]
        if len(run) < 2:
            continue
        parity = (run - run[0]) % 2
        even_is_left = np.mean(y[run][parity == 0]) > np.mean(y[run][parity == 1])
        for k, p in zip(run, parity):
            sides[k] = "L" if (p == 0) == even_is_left else "R"
    return ranges, sides


def keep_side(path, grf_n, cop_m, free_moment_nm, ranges, sides, side):
    """Zero the force of the other foot's stances (that foot carries no load then).

    Returns grf, cop, free moment and the Trial's side label: `side` when one was chosen,
    otherwise "both" / "R" / "L" / None from the labels found.
    """
    found = {s for s in sides if s is not None}
    if side is None:
        label = "both" if len(found) == 2 else (found.pop() if found else None)
        return grf_n, cop_m, free_moment_nm, label
    if side not in SIDES:
        raise fail(path, f"side={side!r}; allowed: 'R', 'L' or None")
    if side not in found:
        raise fail(path, f"no stance of side {side!r} could be identified")
    keep = np.zeros(len(grf_n), dtype=bool)
    for (i0, i1), stance_side in zip(ranges, sides):
        if stance_side == side:
            keep[i0:i1] = True
    grf_n = np.where(keep[:, None], grf_n, 0.0)
    if cop_m is not None:
        cop_m = np.where(keep[:, None], cop_m, np.nan)
    if free_moment_nm is not None:
        free_moment_nm = np.where(keep, free_moment_nm, np.nan)
    return grf_n, cop_m, free_moment_nm, side


def to_belt_frame(trial):
    """COP x from the lab to the belt frame of a treadmill: x + speed * (t - t0).

    On a treadmill the foot rides backwards with the belt during stance, so lab COP runs from
    toe to heel whatever the strike; in the belt frame it moves as over ground.
    """
    if trial.cop_m is None or trial.meta.get("cop_frame") != "lab" or not trial.speed_m_s:
        return trial
    cop = trial.cop_m.copy()
    cop[:, 0] += trial.speed_m_s * (trial.time_s - trial.time_s[0])
    meta = dict(trial.meta, cop_frame="belt")
    return dataclasses.replace(trial, cop_m=cop, meta=meta)


def _fill_gaps(values):
    """Linear interpolation over NaN samples of each column (held at the ends); all-NaN -> 0."""
    filled = np.zeros_like(values)
    index = np.arange(len(values))
    for k in range(values.shape[1]):
        valid = np.isfinite(values[:, k])
        if valid.any():
            filled[:, k] = np.interp(index, index[valid], values[valid, k])
    return filled


def lowpass_trial(trial, cutoff_hz, order=4):
    """The trial low-passed (sim.grf_metrics.lowpass) as a plate would be: force and moment.

    Raw plate data are noisy, the COP most of all at low loads. The moment about a point near
    the COP, M = (r - r0) x F + Tz e_z, is rebuilt from the stored COP (gaps interpolated; F is
    near zero there, so M is too), force and moment are filtered, then COP and free moment are
    recomputed and masked again. Call it before moving the COP to the belt frame.
    """
    source = trial.meta.get("source", trial.name)
    if not 0.0 < cutoff_hz < trial.fs_hz / 2.0:
        raise fail(source, f"lowpass_hz={cutoff_hz}; allowed: 0 < lowpass_hz < {trial.fs_hz / 2.0}")
    force = trial.grf_n
    column_nan = np.isnan(force).any(axis=0)
    if (column_nan & ~np.isnan(force).all(axis=0)).any():
        raise fail(source, "lowpass_hz needs force columns without gaps (NaN samples)")
    filtered_force = lowpass(force, trial.fs_hz, cutoff_hz, order)
    cop_m, free_moment_nm = trial.cop_m, trial.free_moment_nm
    # The COP needs all three force components; without them it is only masked again.
    if cop_m is not None and not column_nan.any():
        reference = np.nanmedian(cop_m, axis=0) if np.isfinite(cop_m).any() else np.zeros(2)
        arm = _fill_gaps(cop_m) - reference
        tz = np.zeros(len(force)) if free_moment_nm is None else np.nan_to_num(free_moment_nm)
        fx, fy, fz = force.T
        moment = np.column_stack(
            [arm[:, 1] * fz, -arm[:, 0] * fz, arm[:, 0] * fy - arm[:, 1] * fx + tz]
        )
        mx, my, mz = lowpass(moment, trial.fs_hz, cutoff_hz, order).T
        fx, fy, fz = filtered_force.T
        with np.errstate(divide="ignore", invalid="ignore"):
            arm = np.column_stack([-my / fz, mx / fz])
            tz = mz - (arm[:, 0] * fy - arm[:, 1] * fx)
        cop_m = reference + arm
        free_moment_nm = None if free_moment_nm is None else tz
    cop_m, free_moment_nm = mask_by_vertical_force(filtered_force[:, 2], cop_m, free_moment_nm)
    meta = dict(trial.meta, lowpass_hz=cutoff_hz)
    return dataclasses.replace(
        trial,
        grf_n=filtered_force,
        cop_m=cop_m,
        free_moment_nm=free_moment_nm,
        filtered_hz=min(cutoff_hz, trial.filtered_hz or np.inf),
        meta=meta,
    )


def number_or_none(text):
    """A table cell as a float, None when empty or not a number ('NA')."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None
