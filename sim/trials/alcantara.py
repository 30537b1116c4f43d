"""Alcantara et al. 2022 (PeerJ 10:e12752) treadmill GRF: one trial per row of GRF_*.csv(.gz).

Each row is the treadmill-normal GRF in body weights, 500 Hz, both feet in turn on one belt;
there are no horizontal forces (NaN) and no COP. The matching Sub_Info_*.csv gives, per row,
mass, height (cm), speed, slope and the shares of rearfoot / midfoot / forefoot steps.
"""

import csv
from pathlib import Path

from sim.grf_metrics import GRAVITY_M_S2
from sim.trials._common import fail, force_columns, load_numbers, number_or_none, open_text, plate_trial

SAMPLE_RATE_HZ = 500.0
STRIKE_SHARES = {"RFS": "rearfoot", "MFS": "midfoot", "FFS": "forefoot"}


def _subject_rows(path):
    info_path = path.parent / path.name.replace("GRF", "Sub_Info", 1).removesuffix(".gz")
    if info_path == path or not info_path.is_file():
        return info_path, []
    with open_text(info_path) as stream:
        return info_path, list(csv.DictReader(stream))


def read_alcantara(path, index=0, mass_kg=None):
    """Trial of row `index` (0-based); mass_kg is needed when no Sub_Info file gives it."""
    path = Path(path)
    with open_text(path) as stream:
        table = load_numbers(path, stream, delimiter=",")
    if not 0 <= index < len(table):
        raise fail(path, f"index={index}; the file has {len(table)} trials (rows)")
    info_path, rows = _subject_rows(path)
    row = rows[index] if index < len(rows) else {}
    mass_kg = mass_kg or number_or_none(row.get("Mass"))
    if not mass_kg:
        raise fail(path, f"forces in body weights and no mass in {info_path.name}: pass mass_kg")
    shares = {name: number_or_none(row.get(key)) or 0.0 for key, name in STRIKE_SHARES.items()}
    height_cm = number_or_none(row.get("Height"))
    grf_n = force_columns(table[index] * mass_kg * GRAVITY_M_S2)
    return plate_trial(
        path, "alcantara", f"{path.parent.name}/trial{index:02d}", grf_n, SAMPLE_RATE_HZ,
        mass_kg=mass_kg,
        height_m=height_cm and height_cm / 100.0,
        speed_m_s=number_or_none(row.get("Speed")),
        side="both",
        strike=max(shares, key=shares.get) if any(shares.values()) else None,
        footwear="shod",
        meta={
            "row": index,
            "treadmill": True,
            "slope_deg": number_or_none(row.get("Slope")),
            "strike_shares_percent": shares,
            "vertical": "normal to the treadmill belt (not gravity-vertical on a slope)",
        },
    )
