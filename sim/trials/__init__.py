"""Recorded trials, read once into footsim's ground frame (x forward, y left, z up, SI units).

    trial = read_trial("../shared/data/running/hamner2013_s04/run300_grf.mot", side="L")
    for source in list_bundled_trials("../shared/data"):
        trial = source.load()

Each reader module documents the frame decisions for its format. Bad input (missing file,
unknown format or option, malformed columns, truncated C3D) raises sim.errors.InputError with
a one-line message that names the file.
"""

import dataclasses
import inspect
from pathlib import Path

from sim.trials._common import Trial, fail, lowpass_trial, open_text, require_file, to_belt_frame
from sim.trials.alcantara import read_alcantara
from sim.trials.baines import read_baines
from sim.trials.c3d import read_c3d
from sim.trials.catalog import TrialSource, list_bundled_trials
from sim.trials.fukuchi import read_fukuchi_forces
from sim.trials.opensim import read_opensim
from sim.trials.plain_csv import read_csv, write_csv

__all__ = ["Trial", "TrialSource", "list_bundled_trials", "read_trial", "write_csv", "READERS"]

READERS = {
    "opensim": read_opensim,
    "c3d": read_c3d,
    "fukuchi": read_fukuchi_forces,
    "alcantara": read_alcantara,
    "baines": read_baines,
    "csv": read_csv,
}
# Options every format accepts: they set the Trial's fields after reading. lowpass_hz filters
# force, COP and free moment as a plate's force and moment (sim.trials._common.lowpass_trial);
# treadmill=True with a speed moves the COP to the belt frame (see Trial).
METADATA_OPTIONS = ("name", "mass_kg", "height_m", "speed_m_s", "side", "strike", "footwear",
                    "filtered_hz", "treadmill", "lowpass_hz")


def detect_format(path):
    """Format name of a file from its name (and, for .csv, its first line)."""
    name = Path(path).name.lower()
    if name.endswith((".mot", ".sto")):
        return "opensim"
    if name.endswith(".c3d"):
        return "c3d"
    if name.endswith("forces.txt"):
        return "fukuchi"
    if name.endswith((".gai", ".gai.gz")):
        return "baines"
    if name.endswith((".csv", ".csv.gz")):
        with open_text(path) as stream:
            first_line = stream.readline()
        # footsim's CSV starts with '# key: value' lines or the column names; the Alcantara
        # table has neither, only numbers.
        return "csv" if first_line.startswith("#") or "time_s" in first_line else "alcantara"
    raise fail(path, f"unknown trial format; pass format= one of {', '.join(READERS)}")


def read_trial(path, format=None, **options):
    """Read one trial; `format` is detected from the file name when None.

    options: the reader's own (see READERS[format]) and METADATA_OPTIONS.
    """
    path = require_file(path)
    format = format or detect_format(path)
    if format not in READERS:
        raise fail(path, f"format={format!r}; allowed: {', '.join(READERS)}")
    reader = READERS[format]
    accepted = set(inspect.signature(reader).parameters) - {"path"}
    unknown = sorted(set(options) - accepted - set(METADATA_OPTIONS))
    if unknown:
        allowed = ", ".join(sorted(accepted | set(METADATA_OPTIONS)))
        problem = f"unknown option(s) {', '.join(unknown)} for format {format!r}"
        raise fail(path, f"{problem}; allowed: {allowed}")
    trial = reader(path, **{key: value for key, value in options.items() if key in accepted})
    fields = {
        key: options[key]
        for key in METADATA_OPTIONS
        if key in options and key not in accepted and key not in ("treadmill", "lowpass_hz")
    }
    meta = dict(trial.meta, treadmill=options.get("treadmill", trial.meta.get("treadmill", False)))
    trial = dataclasses.replace(trial, **fields, meta=meta)
    if options.get("lowpass_hz"):
        trial = lowpass_trial(trial, options["lowpass_hz"])
    return to_belt_frame(trial) if meta["treadmill"] else trial
