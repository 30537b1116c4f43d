"""C3D force platforms, read with ezc3d.

Labs differ in which axis is up and which way the subject travels, so the axes come from the
file and the data, and are recorded in meta["lab_to_ground"]:
- vertical: the axis normal to the plate (its corners share that coordinate); it points up on
  the side where the markers are (labs put the origin on the floor), or, without markers, on
  the side the vertical force points (a force of the ground on the foot pushes up). A file
  whose vertical force points down stores the force on the plate; it is negated.
- forward: the horizontal axis, and its sign, along which each stance shows braking before
  propulsion (Fx negative in the first half of stance, positive in the second) summed over all
  stances; `forward_axis` ('+X', '-Y', ...) overrides it. Left = up x forward.
Units come from the platform (N; N mm or N m; mm or m) and POINT:UNITS. The zero baseline in
FORCE_PLATFORM:ZERO (point frames, 1-based) is subtracted unless the plate was loaded then.
COP and free moment are computed here from force and moment about the plate centre, after the
baseline, in the ground frame: COP = centre + (-My/Fz, Mx/Fz), Tz = Mz - (cop x F)_z.
"""

import re
import struct
import warnings
from pathlib import Path

import numpy as np

from sim.trials._common import (
    STANCE_THRESHOLD_N, axis_vector, fail, keep_side, mask_by_vertical_force, plate_trial, require_file,
    rotation_to_ground, stance_sides_from_cop
)
from sim.grf_metrics import split_stances

LENGTH_TO_M = {"mm": 1e-3, "cm": 1e-2, "m": 1.0}
MOMENT_TO_NM = {"nmm": 1e-3, "nm": 1.0}
AXES = ("+X", "-X", "+Y", "-Y", "+Z", "-Z")
FOOT_MARKER = re.compile(r"^([RL])[._ ]?(hee|toe|mt|met)", re.IGNORECASE)
# A zero baseline taken while the plate carries more than this share of the peak load is a
# person standing on it, not an offset.
ZERO_MAX_LOAD_FRACTION = 0.10


def _open(path):
    try:
        import ezc3d
    except ImportError:
        raise fail(path, "reading C3D needs the ezc3d package (pip install ezc3d)") from None
    try:
        c3d = ezc3d.c3d(str(path), extract_forceplat_data=True)
    except (RuntimeError, OSError, ValueError, IndexError) as error:
        raise fail(path, f"not a readable C3D file ({error})") from None
    declared = _declared_size(path, c3d.c3d_swig.header().scaleFactor())
    size = path.stat().st_size
    if size < declared:
        raise fail(path, f"truncated C3D: {size} bytes, the header describes {declared}")
    return c3d


def _declared_size(path, scale_factor):
    """File size in bytes that the C3D header promises (up to the end of the last frame).

    ezc3d reads a truncated file without complaint (it shortens its own frame count, or fills
    with garbage), so the raw header is read here: word 2 points, word 3 analog values per
    frame, words 4-5 first and last frame, word 9 the first data block; integers in the byte
    order of the processor type stored in the parameter section (86 = MIPS, big-endian).
    """
    with open(path, "rb") as stream:
        header = stream.read(512)
        stream.seek((header[0] - 1) * 512 + 3)
        processor = stream.read(1)
    order = ">" if processor == b"\x56" else "<"
    points, analogs, first_frame, last_frame = struct.unpack(order + "4H", header[2:10])
    (data_start_block,) = struct.unpack(order + "H", header[16:18])
    bytes_per_value = 4 if scale_factor < 0 else 2
    frame_bytes = bytes_per_value * (4 * points + analogs)
    return (data_start_block - 1) * 512 + (last_frame - first_frame + 1) * frame_bytes


def _unit_factor(path, table, unit, what):
    factor = table.get(str(unit).strip().lower())
    if factor is None:
        raise fail(path, f"unknown {what} unit {unit!r}; allowed: {', '.join(table)}")
    return factor


def _platform(path, c3d, index):
    """Force (T,3) N, moment about the plate centre (T,3) N m, corners (3,4) m, metres per
    position unit; lab frame."""
    platforms = c3d["data"]["platform"]
    if not 0 <= index < len(platforms):
        raise fail(path, f"platform={index}; the file has {len(platforms)} force platform(s)")
    plate = platforms[index]
    if str(plate["unit_force"]).strip().upper() != "N":
        raise fail(path, f"force unit {plate['unit_force']!r}; only N is supported")
    to_m = _unit_factor(path, LENGTH_TO_M, plate["unit_position"], "position")
    to_nm = _unit_factor(path, MOMENT_TO_NM, plate["unit_moment"], "moment")
    force = plate["force"].T.astype(float)
    moment = plate["moment"].T.astype(float) * to_nm
    corners = plate["corners"].astype(float) * to_m
    return force, moment, corners, to_m


def _zero_baseline(c3d, force, moment, analog_per_frame):
    """Subtract the FORCE_PLATFORM:ZERO baseline; returns force, moment and what was done."""
    zero = c3d["parameters"]["FORCE_PLATFORM"].get("ZERO", {}).get("value", [0, 0])
    first, last = int(zero[0]), int(zero[-1])
    if first < 1 or last < first:
        return force, moment, "none (FORCE_PLATFORM:ZERO unset)"
    window = slice((first - 1) * analog_per_frame, last * analog_per_frame)
    baseline_f, baseline_m = force[window].mean(axis=0), moment[window].mean(axis=0)
    peak = np.max(np.linalg.norm(force, axis=1))
    if np.linalg.norm(baseline_f) > ZERO_MAX_LOAD_FRACTION * peak:
        return force, moment, f"skipped: plate loaded during frames {first}-{last}"
    note = f"frames {first}-{last}, force offset {np.round(baseline_f, 2).tolist()} N"
    return force - baseline_f, moment - baseline_m, note


def _markers(c3d, to_m):
    """Marker labels and positions (P, n, 3) in m, lab frame (NaN where occluded).

    to_m: the platform's position unit, which ezc3d also takes from POINT:UNITS.
    """
    points = c3d["data"]["points"]
    labels = list(c3d["parameters"]["POINT"]["LABELS"]["value"])
    return labels, np.transpose(points[:3], (2, 1, 0)) * to_m


def _lab_axes(force, corners, markers, forward_axis, fs_hz):
    """Lab unit vectors (forward, up), the sign that makes the force act on the foot, a note."""
    vertical = int(np.argmin(np.ptp(corners, axis=1)))
    up = np.eye(3)[vertical]
    heights = markers[..., vertical]
    if np.isfinite(heights).any():
        up = up if np.nanmean(heights) >= 0 else -up
    elif force[:, vertical].sum() < 0:
        up = -up
    force_sign = 1.0 if (force @ up).sum() >= 0 else -1.0
    if forward_axis is not None:
        forward = axis_vector(forward_axis)
        if abs(forward @ up) > 0.5:
            return None, up, force_sign, f"forward_axis={forward_axis!r} is the vertical axis"
        return forward, up, force_sign, "given"
    fz = force_sign * force @ up
    ranges = split_stances(np.arange(len(force)) / fs_hz, fz, STANCE_THRESHOLD_N)
    braking_first = np.zeros(3)
    for i0, i1 in ranges:
        half = (i0 + i1) // 2
        braking_first += force_sign * (force[half:i1].sum(axis=0) - force[i0:half].sum(axis=0))
    braking_first[vertical] = 0.0
    if not ranges:
        axis = 1 if vertical == 0 else 0
        return np.eye(3)[axis], up, force_sign, f"no complete stance: +{'XYZ'[axis]} assumed"
    axis = int(np.argmax(np.abs(braking_first)))
    forward = np.eye(3)[axis] * np.sign(braking_first[axis])
    return forward, up, force_sign, f"braking before propulsion in {len(ranges)} stance(s)"


def _sides_from_markers(labels, markers, point_rate_hz, time_s, ranges, up):
    """Side of each stance: the foot whose markers (heel, toe, metatarsals) are lower in the
    middle third of the stance; the other foot is swinging then. None without such markers."""
    feet = {"R": [], "L": []}
    for k, label in enumerate(labels):
        match = FOOT_MARKER.match(label)
        if match:
            feet[match.group(1).upper()].append(k)
    if not feet["R"] or not feet["L"]:
        return None
    height = markers @ up
    sides = []
    for i0, i1 in ranges:
        third = (i1 - i0) // 3
        first, last = time_s[i0 + third], time_s[i1 - third - 1]
        frames = slice(int(first * point_rate_hz), int(last * point_rate_hz) + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            foot_height = {side: np.nanmean(height[frames][:, k]) for side, k in feet.items()}
        known = all(np.isfinite(h) for h in foot_height.values())
        sides.append(min(foot_height, key=foot_height.get) if known else None)
    return sides


def _axis_name(row):
    """'+X', '-Y', ... for a row of the lab-to-ground rotation."""
    k = int(np.argmax(np.abs(row)))
    return ("-" if row[k] < 0 else "+") + "XYZ"[k]


def read_c3d(path, platform=0, side=None, forward_axis=None):
    """Trial from force platform `platform` (0-based) of a C3D file; see the module docstring.

    side: None keeps every stance on the plate; 'R' or 'L' keeps that foot's stances (sides
    from the foot markers, or from the alternation of the COP when there are none).
    meta["markers_m"]: every marker (P, 3) on the ground-frame axes, lab origin, m.
    """
    path = require_file(Path(path))
    c3d = _open(path)
    force, moment, corners, to_m = _platform(path, c3d, platform)
    fs_hz = float(c3d["header"]["analogs"]["frame_rate"])
    point_rate_hz = float(c3d["header"]["points"]["frame_rate"])
    analog_per_frame = max(int(round(fs_hz / point_rate_hz)), 1)
    force, moment, zero_note = _zero_baseline(c3d, force, moment, analog_per_frame)
    labels, markers = _markers(c3d, to_m)
    if forward_axis is not None and forward_axis not in AXES:
        raise fail(path, f"forward_axis={forward_axis!r}; allowed: {', '.join(AXES)}")
    forward, up, force_sign, forward_note = _lab_axes(force, corners, markers, forward_axis, fs_hz)
    if forward is None:
        raise fail(path, forward_note)
    rotation = rotation_to_ground(forward, up)
    centre = corners.mean(axis=1)

    grf_n = force_sign * force @ rotation.T
    moment_g = force_sign * moment @ rotation.T
    centre_g = rotation @ centre
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = np.column_stack([-moment_g[:, 1], moment_g[:, 0]]) / grf_n[:, 2:3]
        cop_torque_nm = offset[:, 0] * grf_n[:, 1] - offset[:, 1] * grf_n[:, 0]
        free_moment_nm = moment_g[:, 2] - cop_torque_nm
    cop_m = centre_g[:2] + offset
    cop_m, free_moment_nm = mask_by_vertical_force(grf_n[:, 2], cop_m, free_moment_nm)

    time_s = np.arange(len(grf_n)) / fs_hz
    ranges = split_stances(time_s, grf_n[:, 2], STANCE_THRESHOLD_N, complete_only=False)
    sides = _sides_from_markers(labels, markers, point_rate_hz, time_s, ranges, up)
    side_method = "foot markers lower at mid-stance"
    if sides is None:
        ranges, sides = stance_sides_from_cop(time_s, grf_n[:, 2], cop_m[:, 1])
        side_method = "alternation of the ML COP"
    grf_n, cop_m, free_moment_nm, side_label = keep_side(
        path, grf_n, cop_m, free_moment_nm, ranges, sides, side
    )
    several_plates = len(c3d["data"]["platform"]) > 1
    return plate_trial(
        path, "c3d", f"{path.parent.name}/{path.stem}" + (f"_fp{platform}" if several_plates else ""), grf_n, fs_hz,
        time_s, cop_m, free_moment_nm, side=side_label,
        meta={
            "platform": platform,
            "cop_frame": "lab",
            "lab_to_ground": {axis: _axis_name(row) for axis, row in zip("xyz", rotation)},
            "forward_axis_from": forward_note,
            "force_sign": "as stored" if force_sign > 0 else "negated (file stores force on plate)",
            "zero_baseline": zero_note,
            "stance_sides": sides,
            "side_method": side_method,
            "markers_m": {label: markers[:, k] @ rotation.T for k, label in enumerate(labels)},
            "marker_rate_hz": point_rate_hz,
        },
    )
