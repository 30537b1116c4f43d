"""OpenSim .mot / .sto ground reaction files.

Columns `<side>_ground_force_v{x,y,z}` (N), `_p{x,y,z}` (COP, m) and `<side>_ground_torque_y`
(N m, the free moment: the torque about the vertical axis applied at the COP). OpenSim's ground
frame is x forward, y up, z right; footsim's is x forward, y left, z up, so (x, y, z)_footsim =
(x, -z, y)_OpenSim, a proper rotation: the vertical torque maps unchanged. The data are forces
on the body (the calcaneus), so no sign change. Subject mass and height come from a
subject.json next to the file (AddBiomechanics' `massKg`, `heightM`) when there is one.
"""

import json
from pathlib import Path

import numpy as np

from sim.trials._common import fail, load_numbers, mask_by_vertical_force, open_text, plate_trial, sample_rate_hz

OPENSIM_TO_GROUND = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


def _read_table(path):
    """Header dict, column labels and the (rows, columns) data of a .mot/.sto file."""
    with open_text(path) as stream:
        header = {}
        for line in stream:
            if line.strip().lower() == "endheader":
                break
            key, _, value = line.partition("=")
            header[key.strip()] = value.strip()
        else:
            raise fail(path, "no 'endheader' line: not an OpenSim .mot/.sto file")
        labels = stream.readline().split()
        table = load_numbers(path, stream, columns=len(labels))
    return header, labels, table


def _subject(path):
    subject_file = path.parent / "subject.json"
    if not subject_file.is_file():
        return {}
    try:
        subject = json.loads(subject_file.read_text())
    except ValueError as error:
        raise fail(subject_file, f"not valid JSON ({error})") from None
    return {"mass_kg": subject.get("massKg"), "height_m": subject.get("heightM")}


def read_opensim(path, side="R"):
    """Trial of one foot (`side` 'R' or 'L') from an OpenSim .mot/.sto GRF file."""
    path = Path(path)
    header, labels, table = _read_table(path)
    if side not in ("R", "L"):
        raise fail(path, f"side={side!r}; allowed: 'R' or 'L'")
    names = [f"{side}_ground_force_v{a}" for a in "xyz"]
    names += [f"{side}_ground_force_p{a}" for a in "xyz"]
    names += [f"{side}_ground_torque_y", "time"]
    lookup = {label.lower(): k for k, label in enumerate(labels)}
    missing = [name for name in names if name.lower() not in lookup]
    if missing:
        raise fail(path, f"missing columns {', '.join(missing)}")
    column = {name: table[:, lookup[name.lower()]] for name in names}
    time_s = column["time"]
    fs_hz = sample_rate_hz(path, time_s)

    force_os = np.column_stack([column[name] for name in names[:3]])
    cop_os = np.column_stack([column[name] for name in names[3:6]])
    grf_n = force_os @ OPENSIM_TO_GROUND.T
    cop_m = (cop_os @ OPENSIM_TO_GROUND.T)[:, :2]
    cop_m, free_moment_nm = mask_by_vertical_force(
        grf_n[:, 2], cop_m, column[f"{side}_ground_torque_y"].copy()
    )
    subject = _subject(path)
    return plate_trial(
        path, "opensim", f"{path.parent.name}/{path.name.split('.')[0]}_{side}", grf_n, fs_hz, time_s, cop_m,
        free_moment_nm,
        mass_kg=subject.get("mass_kg"),
        height_m=subject.get("height_m"),
        side=side,
        meta={
            "cop_frame": "lab",
            "frame": "OpenSim (x forward, y up, z right) -> (x, -z, y)",
            "header": header,
        },
    )
