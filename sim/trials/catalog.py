"""Every bundled recorded trial, with the reader and options that load it (for validation).

Facts about a data set that its files do not carry (speed, treadmill, footwear, a subject mass
given only in a paper) are options here, each with the data README as source.
"""

import dataclasses
import gzip
from pathlib import Path

from sim.trials.fukuchi import subject_info


@dataclasses.dataclass(frozen=True)
class TrialSource:
    """Where a bundled trial lives and how to read it: `read_trial(path, format, **options)`."""

    name: str
    path: Path
    format: str
    options: dict
    activity: str
    note: str = ""

    def load(self):
        from sim.trials import read_trial

        return read_trial(self.path, self.format, **self.options)


HAMNER_SPEEDS_M_S = {"run200": 2.0, "run300": 3.0, "run400": 4.0, "run500": 5.0}
# Rajagopal et al. 2016 example data: "treadmill running about 3.5 m/s, subject 72.84 kg".
RAJAGOPAL = {"speed_m_s": 3.5, "mass_kg": 72.84, "treadmill": True, "footwear": "shod"}
# Baines et al. 2018 subject 10: static trial TN000001 reads 1064 N, i.e. 108.5 kg.
BAINES_MASS_KG = 108.5
BAINES_TRIALS = {
    "TN000001": ("standing", {"zero_baseline": False}, "static trial: body weight on the plate"),
    "TN000003": ("walking", {}, "normal speed"),
    "TN000005": ("walking", {}, "normal speed; only part of the stance is on the plate"),
    "TN000012": ("walking", {}, "slow"),
}
BMCLAB_SPEED_M_S = 1.42
FUKUCHI_EXTRA = {
    "fukuchi_BMC0041": (
        {"strike": "rearfoot"},
        "strike not labelled, rearfoot from its impact peaks (data README); averaged over whole "
        "strides the plate weighs 78 kg, info.csv gives 63.1 kg (BW-scaled metrics 24 % high)",
    ),
}


def _alcantara(folder):
    grf = folder / "GRF_one_sub.csv.gz"
    if not grf.is_file():
        return []
    with gzip.open(grf, "rt") as stream:
        rows = sum(1 for line in stream if line.strip())
    return [
        TrialSource(f"{folder.name}/trial{k:02d}", grf, "alcantara", {"index": k}, "running")
        for k in range(rows)
    ]


def _fukuchi(folder):
    sources = []
    for path in sorted(folder.glob("RBDS*forces.txt")):
        options, note = FUKUCHI_EXTRA.get(folder.name, ({}, ""))
        name = f"{folder.name}/{path.stem}"
        sources.append(TrialSource(name, path, "fukuchi", options, "running", note))
    for path in sorted(folder.glob("RBDS*.c3d")):
        info = subject_info(path)
        options = {key: info[key] for key in ("mass_kg", "height_m", "speed_m_s") if info.get(key)}
        if info.get("strike_R") and info.get("strike_R") == info.get("strike_L"):
            options["strike"] = info["strike_R"]
        options.update(treadmill=True, footwear="shod")
        sources.append(TrialSource(f"{folder.name}/{path.stem}", path, "c3d", options, "running"))
    return sources


def _opensim(folder, extra, speeds=None):
    sources = []
    for path in sorted(folder.glob("*.mot")):
        options = dict(extra)
        key = path.stem.split("_")[0]
        if speeds and key in speeds:
            options["speed_m_s"] = speeds[key]
        for side in ("R", "L"):
            name = f"{folder.name}/{path.stem}_{side}"
            sources.append(TrialSource(name, path, "opensim", dict(options, side=side), "running"))
    return sources


def _baines(folder):
    sources = []
    for trial, (activity, options, note) in BAINES_TRIALS.items():
        for path in folder.glob(f"*_{trial}.gai.gz"):
            name = f"{folder.name}/{path.name.split('.')[0]}"
            options = dict(options, mass_kg=BAINES_MASS_KG)
            sources.append(TrialSource(name, path, "baines", options, activity, note))
    return sources


def _bmclab(folder):
    path = folder / "Gait.c3d"
    if not path.is_file():
        return []
    options = {"speed_m_s": BMCLAB_SPEED_M_S}
    note = "overground; subject mass not in the file"
    return [
        TrialSource(f"{folder.name}/Gait_fp{k}", path, "c3d", dict(options, platform=k), "walking",
                    note)
        for k in (0, 1)
    ]


def list_bundled_trials(data_root):
    """TrialSource for every trial under data_root/running and data_root/walking that exists."""
    root = Path(data_root)
    running, walking = root / "running", root / "walking"
    hamner = {"treadmill": True, "footwear": "shod", "strike": "rearfoot"}
    return [
        *_alcantara(running / "alcantara2022_sub2"),
        *_fukuchi(running / "fukuchi2017_S001"),
        *_fukuchi(running / "fukuchi_BMC0041"),
        *_opensim(running / "hamner2013_s04", hamner, HAMNER_SPEEDS_M_S),
        *_opensim(running / "rajagopal2016", dict(RAJAGOPAL, strike="rearfoot")),
        *_baines(walking / "baines2018_barefoot_s10"),
        *_bmclab(walking / "bmclab_gait"),
    ]
