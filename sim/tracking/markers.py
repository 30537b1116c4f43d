"""Foot markers of a motion-capture trial, mapped to the landmarks the pose fit uses.

Markers come from a C3D file (through sim.trials.read_c3d, which also decides the lab-to-ground
rotation from the plate and the markers) or a TRC file (OpenSim's marker table). Labels are
mapped to landmarks by the built-in marker sets (Fukuchi/BMClab, Plug-in Gait) or by
`LANDMARK=LABEL` overrides. The nominal position of each landmark on the foot, as a fraction of
foot length (s from the heel, w to the left for a right foot), places the model's mesh under the
markers; their heights come from the data (the shoe and the marker radius differ per lab).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..trials._common import fail, load_numbers, open_text, require_file

# landmark -> (s, w) on a right foot: s from the heel (fraction of foot length L), w = y / L
# (+ medial). The markers sit on the shoe's surface: behind the heel, at the sides of the ball.
LANDMARK_POSITION = {
    "heel": (-0.03, 0.0),
    "heel_lateral": (0.12, -0.15),
    "heel_top": (0.05, 0.0),
    "mth1": (0.74, 0.20),
    "mth5": (0.65, -0.20),
    "toe": (0.80, 0.03),
    "ankle_lateral": (0.20, -0.14),
    "ankle_medial": (0.20, 0.14),
}
REQUIRED = ("heel",)
MIN_LANDMARKS = 3
# Built-in marker sets: landmark -> label template, {S} the side letter.
MARKER_SETS = {
    "Fukuchi/BMClab": {"heel": "{S}.Heel.Bottom", "heel_lateral": "{S}.Heel.Lateral", "heel_top": "{S}.Heel.Top",
                       "mth1": "{S}.MT1", "mth5": "{S}.MT5"},
    "Plug-in Gait": {"heel": "{S}HEE", "toe": "{S}TOE", "ankle_lateral": "{S}ANK"},
}
LENGTH_TO_M = {"mm": 1e-3, "cm": 1e-2, "m": 1.0}
# TRC files from OpenSim: x forward, y up, z right; footsim: x forward, y left, z up.
OPENSIM_TO_GROUND = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


@dataclass
class FootMarkers:
    """One foot's landmark trajectories in the ground frame (m), NaN where occluded."""

    side: str                       # "right" or "left"
    rate_hz: float
    positions_m: dict[str, np.ndarray]  # landmark -> (P, 3)
    labels: dict[str, str]          # landmark -> marker label in the file
    notes: list[str]

    def stack(self) -> tuple[list[str], np.ndarray]:
        names = list(self.positions_m)
        return names, np.stack([self.positions_m[n] for n in names], axis=1)


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`--markers LANDMARK=LABEL` (the label may hold {S} for the side letter)."""
    mapping = {}
    for item in items:
        landmark, _, label = item.partition("=")
        landmark = landmark.strip().lower()
        if not label or landmark not in LANDMARK_POSITION:
            raise InputError(f"--markers {item!r}: expected LANDMARK=LABEL with LANDMARK one of "
                             f"{', '.join(LANDMARK_POSITION)}")
        mapping[landmark] = label.strip()
    return mapping


def map_landmarks(source, markers_m: dict[str, np.ndarray], side: str, overrides: dict[str, str]):
    """Landmark -> (label, trajectory) for one foot; InputError naming what is needed and found."""
    letter = side[0].upper()
    found = {}
    for template in MARKER_SETS.values():
        for landmark, label in template.items():
            name = label.format(S=letter)
            if name in markers_m and landmark not in found:
                found[landmark] = name
    for landmark, label in overrides.items():
        found[landmark] = label.format(S=letter)
    missing_labels = [label for label in found.values() if label not in markers_m]
    enough = all(k in found for k in REQUIRED) and len(found) >= MIN_LANDMARKS
    if missing_labels or not enough:
        have = ", ".join(f"{k}={v}" for k, v in found.items()) or "none"
        problem = (f"marker(s) {', '.join(missing_labels)} not in the file" if missing_labels else
                   f"the {side} foot needs landmark heel and {MIN_LANDMARKS - 1} more of "
                   f"{', '.join(k for k in LANDMARK_POSITION if k != 'heel')}; mapped: {have}")
        raise fail(source, f"{problem}; the file's markers: {', '.join(sorted(markers_m))}; "
                   "map them with --markers LANDMARK=LABEL")
    return {landmark: (label, markers_m[label]) for landmark, label in found.items()}


def foot_markers(source, markers_m, rate_hz, side, overrides) -> FootMarkers:
    """The foot's landmarks; MTH1 and MTH5 exchanged when the file has them the wrong way round.

    A marker set labels the first metatarsal head medial; if, at mid-heights of the trial, the
    marker called MT1 lies lateral of the one called MT5 (seen from the heel, up), the labels
    are swapped in the file (Fukuchi S001's right foot), and the note says so.
    """
    mapped = map_landmarks(source, markers_m, side, overrides)
    positions = {k: v[1] for k, v in mapped.items()}
    labels = {k: v[0] for k, v in mapped.items()}
    notes = []
    if "mth1" in positions and "mth5" in positions:
        forward = 0.5 * (positions["mth1"] + positions["mth5"]) - positions["heel"]
        across = positions["mth1"] - positions["mth5"]
        medial = np.cross(np.array([0.0, 0.0, 1.0]), forward)  # left of the heading
        if side == "left":
            medial = -medial
        if np.nanmedian(np.sum(across * medial, axis=1)) < 0:
            positions["mth1"], positions["mth5"] = positions["mth5"], positions["mth1"]
            labels["mth1"], labels["mth5"] = labels["mth5"], labels["mth1"]
            notes.append(f"{labels['mth5']} lies lateral of {labels['mth1']}: the labels are swapped in the "
                         f"file; used {labels['mth1']} as MTH1")
    return FootMarkers(side, rate_hz, positions, labels, notes)


def check_marker_axes(source, feet: list[FootMarkers]) -> None:
    """The feet point forward (+x) and stand above the ground (+z), else the axes are unknown."""
    for foot in feet:
        names, points = foot.stack()
        heel = foot.positions_m["heel"]
        ahead = np.nanmedian(np.nanmean(points[:, [k for k, n in enumerate(names) if n != "heel"]], axis=1)[:, 0]
                             - heel[:, 0])
        height = np.nanmedian(heel[:, 2])
        if not (ahead > 0.03 and 0.0 < height < 1.0):
            raise fail(source, f"cannot tell the marker axes: the {foot.side} foot's markers lie {ahead * 1e3:.0f} mm "
                       f"ahead of its heel and the heel {height * 1e3:.0f} mm above the floor (need forward > 30 mm, "
                       "height 0-1000 mm); pass --marker-axes (e.g. x,-z,y)")


def c3d_point_unit(path) -> float:
    """Metres per POINT:UNITS of a C3D file; InputError when the unit is missing or unknown."""
    import ezc3d

    c3d = ezc3d.c3d(str(path), extract_forceplat_data=False)
    unit = c3d["parameters"]["POINT"].get("UNITS", {}).get("value", [""])
    unit = str(unit[0] if len(unit) else "").strip().lower()
    if unit not in LENGTH_TO_M:
        raise fail(path, f"marker unit POINT:UNITS={unit!r} cannot be told; allowed: {', '.join(LENGTH_TO_M)}")
    return LENGTH_TO_M[unit]


def axes_matrix(spec: str) -> np.ndarray:
    """'x,-z,y' -> rows mapping file axes to ground (x forward, y left, z up)."""
    parts = [p.strip().lower() for p in spec.split(",")]
    rows = []
    for p in parts:
        if not re.fullmatch(r"[+-]?[xyz]", p):
            rows = []
            break
        row = np.zeros(3)
        row["xyz".index(p[-1])] = -1.0 if p.startswith("-") else 1.0
        rows.append(row)
    matrix = np.array(rows)
    if matrix.shape != (3, 3) or abs(abs(np.linalg.det(matrix)) - 1.0) > 1e-9:
        raise InputError(f"--marker-axes {spec!r}: expected three signed file axes for ground x, y, z, e.g. x,-z,y")
    return matrix


def read_trc(path, axes: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], float]:
    """Markers (label -> (P,3) m, ground frame) and rate of a TRC file (OpenSim axes by default)."""
    path = require_file(Path(path))
    with open_text(path) as stream:
        lines = stream.read().splitlines()
    if len(lines) < 6 or not lines[0].startswith("PathFileType"):
        raise fail(path, "not a TRC file (first line should start with PathFileType)")
    header = dict(zip(lines[1].split("\t"), lines[2].split("\t")))
    unit = header.get("Units", "").strip().lower()
    if unit not in LENGTH_TO_M:
        raise fail(path, f"marker unit Units={unit!r} cannot be told; allowed: {', '.join(LENGTH_TO_M)}")
    try:
        rate_hz = float(header["DataRate"])
    except (KeyError, ValueError):
        raise fail(path, "no DataRate in the TRC header") from None
    names = [n for n in lines[3].split("\t")[2:] if n.strip()]
    table = load_numbers(path, [line for line in lines[5:] if line.strip()], delimiter="\t")
    if table.shape[1] < 2 + 3 * len(names):
        raise fail(path, f"{table.shape[1]} columns where {len(names)} markers need {2 + 3 * len(names)}")
    rotation = OPENSIM_TO_GROUND if axes is None else axes
    coords = table[:, 2:2 + 3 * len(names)].reshape(len(table), len(names), 3) * LENGTH_TO_M[unit]
    return {name: coords[:, k] @ rotation.T for k, name in enumerate(names)}, rate_hz


def write_trc(path, markers_m: dict[str, np.ndarray], rate_hz: float) -> None:
    """A TRC file in mm on OpenSim axes (the inverse of read_trc), for tests and exchange."""
    names = list(markers_m)
    n = len(next(iter(markers_m.values())))
    data = np.stack([markers_m[k] @ OPENSIM_TO_GROUND for k in names], axis=1).reshape(n, -1) * 1e3
    lines = [f"PathFileType\t4\t(X/Y/Z)\t{Path(path).name}",
             "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits",
             f"{rate_hz:g}\t{rate_hz:g}\t{n}\t{len(names)}\tmm",
             "Frame#\tTime\t" + "\t".join(f"{k}\t\t" for k in names),
             "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(names)))]
    for i in range(n):
        lines.append(f"{i + 1}\t{i / rate_hz:.6f}\t" + "\t".join(f"{v:.4f}" for v in data[i]))
    Path(path).write_text("\n".join(lines) + "\n")
