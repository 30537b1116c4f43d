"""Baines, Schwab & van Soest 2018 (PLoS ONE 13:e0202817): barefoot walking on a Kistler plate.

`.gai(.gz)` files: raw volts at 3000 Hz, tab separated, 9 columns x1 x2 y1 y2 z1 z2 z3 z4 trigger.
Calibration (the authors' processing, data README): vertical = (z1 + z2 + z3 + z4) * g_z with
g_z = 25.01 kg * 9.81 / mean(z sum) of the calibration trial TN000025 (about 132.6 N/V); the
horizontal pair (y1 + y2) * 62.5 N/V; the median of the first 50 samples is the zero baseline
(not for the static and calibration trials, loaded from the first sample).
Frame decisions, from the data:
- AP is the y pair: -(y1 + y2) * 62.5 N (the authors' Fy) is negative in the first part of
  every stance and positive in the second, braking before propulsion, so it is +x as it stands.
- The x pair is not a force: x1 and x2 are identical to each other and follow z4 with a
  correlation of 0.98-0.99 in every walking trial (up to 800 N "horizontal" force in TN000012),
  the signature of unconnected inputs picking up a neighbouring channel. ML force is NaN.
- No COP or free moment: the plate geometry needed for them is not in the files.
"""

import re
from pathlib import Path

import numpy as np

from sim.grf_metrics import GRAVITY_M_S2
from sim.trials._common import fail, force_columns, load_numbers, open_text, plate_trial

SAMPLE_RATE_HZ = 3000.0
HORIZONTAL_GAIN_N_PER_V = 62.5
CALIBRATION_MASS_KG = 25.01
CALIBRATION_TRIAL = "TN000025"
BASELINE_SAMPLES = 50


def _volts(path):
    with open_text(path) as stream:
        return load_numbers(path, stream, columns=9)


def _vertical_gain(path):
    calibration = path.parent / re.sub(r"TN\d+", CALIBRATION_TRIAL, path.name)
    if calibration == path or not calibration.is_file():
        raise fail(path, f"calibration {calibration.name} not found: pass vertical_gain_n_per_v")
    return CALIBRATION_MASS_KG * GRAVITY_M_S2 / np.mean(_volts(calibration)[:, 4:8].sum(axis=1))


def read_baines(path, zero_baseline=True, vertical_gain_n_per_v=None):
    """Trial from a .gai(.gz) file; zero_baseline=False for trials loaded from the start."""
    path = Path(path)
    volts = _volts(path)
    gain = vertical_gain_n_per_v or _vertical_gain(path)
    if zero_baseline:
        volts = volts - np.median(volts[:BASELINE_SAMPLES], axis=0)
    grf_n = force_columns(volts[:, 4:8].sum(axis=1) * gain, fx_n=-(volts[:, 2] + volts[:, 3]) * HORIZONTAL_GAIN_N_PER_V)
    return plate_trial(
        path, "baines", f"{path.parent.name}/{path.name.split('.')[0]}", grf_n, SAMPLE_RATE_HZ,
        strike="rearfoot",
        footwear="barefoot",
        meta={
            "vertical_gain_n_per_v": float(gain),
            "zero_baseline": zero_baseline,
            "frame": "x = -(y1 + y2) * 62.5 N (braking first); y NaN (x channels carry no force)",
        },
    )
