"""`footsim track`: a recorded runner's stances through the contact layer alone (DESIGN 3.6).

The trial's markers give the foot's pose, its force plate the stances (touchdown and toe-off
where Fz crosses the threshold, as sim.grf_metrics finds them) and the check. On a treadmill
the stance foot rides backwards with the belt; markers and plate COP move to the belt frame
(x + belt speed x time since touchdown), where the ground stands still as the contact layer
assumes. The belt speed is the stance foot's backward speed at mid-stance (zero over ground).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..grf_metrics import GRAVITY_M_S2
from ..kinematic import kinematic_result
from ..model import contact_model
from ..scenario import load_scenario
from ..trials import read_trial
from ..trials._common import STANCE_THRESHOLD_N, fail
from ..trials.fukuchi import subject_info
from . import drive, poses
from .markers import FootMarkers, c3d_point_unit, check_marker_axes, foot_markers, read_trc

SIDES = {"R": "right", "L": "left"}
OVERGROUND_MAX_SPEED_M_S = 0.3
FORCE_CUTOFF_HZ = 30.0  # as footsim validate filters raw plate data


@dataclass
class TrackOptions:
    vertical: str = "recorded"
    sides: tuple = ("R", "L")
    mass_kg: float | None = None
    height_m: float | None = None
    foot_length_m: float | None = None
    belt_speed_m_s: float | None = None
    marker_cutoff_hz: float = poses.MARKER_CUTOFF_HZ
    force_cutoff_hz: float = FORCE_CUTOFF_HZ
    standing_frame: int | None = None
    max_stances: int | None = None
    marker_overrides: dict = field(default_factory=dict)
    marker_axes: np.ndarray | None = None
    forces: str | None = None
    scenario: str | None = None
    overrides: list = field(default_factory=list)


@dataclass
class TrackedStance:
    side: str             # "right" / "left"
    touchdown_s: float
    toe_off_s: float
    result: object        # StanceResult, time from touchdown, belt frame
    recorded: dict        # name -> array on the result's time grid (grf_n, cop_m, free_moment_nm)
    vertical_offset_m: np.ndarray  # (T,) solved height minus the markers' height
    reference_frame: int


@dataclass
class Tracking:
    source: str
    vertical: str
    mass_kg: float
    stances: list
    notes: list


def _crossing(t, f, level, k):
    """Time where f crosses level between samples k-1 and k."""
    return t[k - 1] + (level - f[k - 1]) / (f[k] - f[k - 1]) * (t[k] - t[k - 1])


def stance_times(trial) -> list[tuple[float, float]]:
    """Touchdown and toe-off (s) of every complete stance of the trial's foot."""
    t, fz = trial.time_s, trial.grf_n[:, 2]
    return [(_crossing(t, fz, STANCE_THRESHOLD_N, i0 + 1), _crossing(t, fz, STANCE_THRESHOLD_N, i1 - 1))
            for i0, i1 in trial.stances()]


def _markers(path: Path, options: TrackOptions, trial):
    """All markers (label -> (P,3) m, ground frame) and their rate."""
    if path.suffix.lower() == ".trc":
        return read_trc(path, options.marker_axes)
    if options.marker_axes is not None:
        raise fail(path, "--marker-axes is for TRC files; a C3D file's axes follow from its force plate")
    c3d_point_unit(path)
    return trial.meta.get("markers_m") or {}, trial.meta["marker_rate_hz"]


def _read_forces(path: Path, options: TrackOptions, letter: str):
    source = Path(options.forces) if options.forces else path
    if source.suffix.lower() == ".trc":
        raise fail(path, "a TRC file holds no force plate: pass the same trial's forces with --forces FILE")
    chosen = {"lowpass_hz": options.force_cutoff_hz} if options.force_cutoff_hz else {}
    if letter:
        chosen["side"] = letter
    try:
        return read_trial(source, **chosen)
    except InputError as error:
        if "no stance of side" in str(error):
            return None
        raise


def body_mass(path: Path, options: TrackOptions, both_feet_trial, notes) -> float:
    """--mass, else the data set's subject table, else the mean vertical force over whole strides."""
    if options.mass_kg:
        return options.mass_kg
    info = subject_info(path)
    if info.get("mass_kg"):
        notes.append(f"mass {info['mass_kg']:g} kg from the data set's subject table")
        return info["mass_kg"]
    stances = both_feet_trial.stances()
    sides = {s for s in both_feet_trial.meta.get("stance_sides", []) if s}
    if len(stances) >= 5 and len(sides) == 2:
        i0, i1 = stances[0][0], stances[-1][0]
        mass = float(np.mean(both_feet_trial.grf_n[i0:i1, 2]) / GRAVITY_M_S2)
        notes.append(f"mass {mass:.1f} kg: the mean vertical force over {len(stances) - 1} steps / g")
        return mass
    raise fail(path, "body mass unknown (no subject table, no run of steps of both feet); pass --mass KG")


def belt_speed(foot: FootMarkers, times) -> float:
    """The stance foot's backward speed at mid-stance (m/s, median over stances)."""
    names, points = foot.stack()
    centre = points.mean(axis=1)
    velocity = np.gradient(centre[:, 0]) * foot.rate_hz
    speeds = []
    for t_on, t_off in times:
        lo, hi = int((t_on + 0.3 * (t_off - t_on)) * foot.rate_hz), int((t_on + 0.7 * (t_off - t_on)) * foot.rate_hz)
        speeds.append(np.median(velocity[lo:hi + 1]))
    speed = -float(np.median(speeds))
    return speed if abs(speed) > OVERGROUND_MAX_SPEED_M_S else 0.0


def track_stance(contact, scenario, foot: FootMarkers, trial, t_on, t_off, speed, options, foot_length_m):
    """One stance: poses on the kernel's time grid, the contact layer driven, signals compared."""
    from scipy.interpolate import CubicSpline

    dt = scenario["numerics"]["dt_s"]
    names, points = foot.stack()
    rate = foot.rate_hz
    k_on, k_off = int(np.floor(t_on * rate)), int(np.ceil(t_off * rate))
    k0, k1 = max(k_on - 3, 0), min(k_off + 3, len(points) - 1)
    if options.standing_frame is not None:
        if not 0 <= options.standing_frame < len(points):
            raise InputError(f"--standing-frame {options.standing_frame}: allowed 0 to {len(points) - 1}")
        k_ref = options.standing_frame
    else:
        k_ref = poses.reference_frame(points, rate, k_on, k_off)
    flat_rotation, flat_height = drive.flat_pose(contact)
    offsets = poses.marker_offsets(points[k_ref], names, foot.side, foot_length_m, flat_rotation, flat_height)
    frames = np.arange(k0, k1 + 1)
    belt = points[frames] + np.array([1.0, 0.0, 0.0]) * speed * (frames / rate - t_on)[:, None, None]
    time = t_on + np.arange(int(np.floor((t_off - t_on) / dt)) + 1) * dt
    grid_points = CubicSpline(frames / rate, belt, axis=0)(time)
    position, quat = poses.fit_poses(grid_points, offsets)

    fz = np.interp(time, trial.time_s, trial.grf_n[:, 2])
    if options.vertical == "recorded":
        loads, solved, contact_state = drive.drive_recorded(contact, time, position, quat, fz, dt)
    else:
        impulse = float(np.sum(fz) * dt)
        loads, solved, contact_state = drive.drive_markers(contact, time, position, quat, impulse, dt)
    outcome = f"tracked from markers, vertical {options.vertical}"
    result = kinematic_result(scenario, contact, time - t_on, solved, quat, loads, contact_state, outcome)
    recorded = {
        "grf_n": np.column_stack([np.interp(time, trial.time_s, trial.grf_n[:, k]) for k in range(3)]),
        "cop_m": np.column_stack([np.interp(time, trial.time_s, trial.cop_m[:, 0]) + speed * (time - t_on),
                                  np.interp(time, trial.time_s, trial.cop_m[:, 1])]),
        "free_moment_nm": np.interp(time, trial.time_s, trial.free_moment_nm),
    }
    return TrackedStance(foot.side, float(t_on), float(t_off), result, recorded, solved[:, 2] - position[:, 2], k_ref)


def track(path, options: TrackOptions) -> Tracking:
    """Every complete stance of the chosen feet, tracked; see the module docstring."""
    path = Path(path)
    if options.vertical not in ("recorded", "markers"):
        raise InputError(f"--vertical {options.vertical!r}: allowed recorded, markers")
    notes = []
    first = _read_forces(path, dataclasses.replace(options, force_cutoff_hz=0.0), None)
    markers_m, rate_hz = _markers(path, options, first)
    mass = body_mass(path, options, first, notes)
    info = subject_info(path)
    height = options.height_m or info.get("height_m")
    feet, missing = {}, None
    for letter in SIDES:
        try:
            feet[letter] = foot_markers(path, markers_m, rate_hz, SIDES[letter], options.marker_overrides)
        except InputError as error:
            missing = missing or error
    if not feet or any(letter not in feet for letter in options.sides if len(options.sides) == 1):
        raise missing
    # markers of one foot only: every stance on the plate is that foot's
    one_foot = len(feet) == 1
    feet = {letter: foot for letter, foot in feet.items() if letter in options.sides}
    check_marker_axes(path, list(feet.values()))
    stances = []
    for letter, raw_foot in feet.items():
        notes += raw_foot.notes
        trial = _read_forces(path, options, None if one_foot else letter)
        times = stance_times(trial) if trial is not None else []
        if not times:
            continue
        if options.max_stances:
            times = times[:options.max_stances]
        foot = poses.filtered(raw_foot, options.marker_cutoff_hz)
        speed = options.belt_speed_m_s if options.belt_speed_m_s is not None else belt_speed(foot, times)
        foot_frames = np.concatenate([np.arange(int(a * rate_hz), int(b * rate_hz)) for a, b in times])
        foot_length = options.foot_length_m or poses.foot_length_from_markers(foot, foot_frames)
        notes.append(f"{SIDES[letter]} foot: {len(times)} stance(s), belt speed {speed:.2f} m/s"
                     f"{' (over ground)' if speed == 0 else ''}, foot length {foot_length * 1e3:.0f} mm"
                     f"{'' if options.foot_length_m else ' from the markers'}")
        settings = [f"runner.body_mass_kg={mass}", f"runner.foot_length_m={foot_length!r}", f"runner.speed_m_s={speed or 3.0}"]
        if height:
            settings.append(f"runner.height_m={height}")
        scenario = load_scenario(options.scenario, overrides=settings + list(options.overrides))
        scenario["name"] = f"{path.stem}_{SIDES[letter]}"
        contact = contact_model(scenario, SIDES[letter])
        for t_on, t_off in times:
            stances.append(track_stance(contact, scenario, foot, trial, t_on, t_off, speed, options, foot_length))
    if not stances:
        raise fail(path, f"no complete stance of the {' or '.join(SIDES[s] for s in options.sides)} foot on the "
                   f"force plate (Fz above {STANCE_THRESHOLD_N:g} N, with flight before and after)")
    stances.sort(key=lambda s: s.touchdown_s)
    return Tracking(str(path), options.vertical, mass, stances, notes)
