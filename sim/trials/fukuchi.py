"""Fukuchi et al. 2017 running data set (PeerJ 5:e3298): `RBDS<subject>runT<speed>[<n>]forces.txt`.

Treadmill with one force plate under both feet, 300 Hz, tab separated: `Time` (frame index),
`Fx` antero-posterior, `Fy` vertical, `Fz` medio-lateral (N), `COPx`, `COPz` (mm), `Ty` free
moment (N mm). Lab frame: X along the belt in the direction of travel (every stance of the
bundled files brakes with Fx < 0 before it propels; the C3D of the same lab, whose axes are
found from the data, agrees), Y up, Z to the right (right-handed; the C3D markers confirm it).
So (x, y, z)_ground = (X, -Z, Y) and the free moment about Y is Tz unchanged.
Subject data come from RBDSinfo.txt (data set table) or info.csv (BMClab table) beside the file.
"""

import csv
import re
from pathlib import Path

import numpy as np

from sim.trials._common import (
    fail, keep_side, load_numbers, mask_by_vertical_force, number_or_none, open_text, plate_trial,
    stance_sides_from_cop
)

SAMPLE_RATE_HZ = 300.0
FILE_NAME = re.compile(r"^RBDS(\d+)run[Tt](\d)(\d)", re.IGNORECASE)
COLUMNS = ("Time", "Fx", "Fy", "Fz", "COPx", "COPz", "Ty")


def _rows(path, delimiter):
    with open_text(path) as stream:
        return list(csv.DictReader(stream, delimiter=delimiter))


def subject_info(path):
    """Mass, height, speed and strike (per side) of a Fukuchi file, from its name and tables."""
    path = Path(path)
    match = FILE_NAME.match(path.name)
    if not match:
        return {}
    subject_digits, speed_code = match.group(1), match.group(2) + match.group(3)
    info = {"speed_m_s": int(speed_code) / 10.0, "subject": subject_digits}
    row = {}
    if (path.parent / "RBDSinfo.txt").is_file():
        rows = _rows(path.parent / "RBDSinfo.txt", "\t")
        same_file = [r for r in rows if r.get("FileName") == path.name]
        same_subject = [r for r in rows if r.get("Subject") == str(int(subject_digits))]
        row = (same_file or same_subject or [{}])[0]
    elif (path.parent / "info.csv").is_file():
        rows = _rows(path.parent / "info.csv", ",")
        row = next((r for r in rows if r.get("ID", "").endswith(subject_digits)), {})
    for side in ("R", "L"):
        info[f"strike_{side}"] = (row.get(f"{side}FSI{speed_code}") or "").strip().lower() or None
    height_cm = number_or_none(row.get("Height"))
    info.update(mass_kg=number_or_none(row.get("Mass")), height_m=height_cm and height_cm / 100.0)
    return info


def read_fukuchi_forces(path, side=None):
    """Trial from a Fukuchi forces.txt; side None keeps both feet, 'R'/'L' one of them."""
    path = Path(path)
    with open_text(path) as stream:
        labels = stream.readline().split()
        missing = [name for name in COLUMNS if name not in labels]
        if missing:
            raise fail(path, f"missing columns {', '.join(missing)}")
        table = load_numbers(path, stream, columns=len(labels))
    column = {name: table[:, labels.index(name)] for name in COLUMNS}
    time_s = (column["Time"] - column["Time"][0]) / SAMPLE_RATE_HZ
    grf_n = np.column_stack([column["Fx"], -column["Fz"], column["Fy"]])
    cop_m = np.column_stack([column["COPx"], -column["COPz"]]) * 1e-3
    cop_m, free_moment_nm = mask_by_vertical_force(grf_n[:, 2], cop_m, column["Ty"] * 1e-3)

    ranges, sides = stance_sides_from_cop(time_s, grf_n[:, 2], cop_m[:, 1])
    grf_n, cop_m, free_moment_nm, side_label = keep_side(
        path, grf_n, cop_m, free_moment_nm, ranges, sides, side
    )
    info = subject_info(path)
    strikes = {info.get("strike_R"), info.get("strike_L")}
    if side_label in ("R", "L"):
        strike = info.get(f"strike_{side_label}")
    else:
        strike = strikes.pop() if len(strikes) == 1 else None
    return plate_trial(
        path, "fukuchi", f"{path.parent.name}/{path.name.removesuffix('.txt')}" + (f"_{side}" if side else ""), grf_n,
        SAMPLE_RATE_HZ, time_s, cop_m, free_moment_nm,
        mass_kg=info.get("mass_kg"),
        height_m=info.get("height_m"),
        speed_m_s=info.get("speed_m_s"),
        side=side_label,
        strike=strike,
        footwear="shod",
        meta={
            "treadmill": True,
            "cop_frame": "lab",
            "frame": "lab X forward, Y up, Z right -> (X, -Z, Y)",
            "stance_sides": sides,
            "side_method": "alternation of the ML COP",
            "subject": info.get("subject"),
        },
    )
