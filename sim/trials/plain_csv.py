"""footsim's own plain CSV trial format, for data from any other source.

    # mass_kg: 70.0
    # side: R
    time_s,fx_n,fy_n,fz_n,cop_x_m,cop_y_m,tz_nm
    0.000,-1.2,0.4,25.0,0.051,0.002,0.01

Already in the ground frame (x forward, y left, z up, force of the ground on the foot, SI).
`time_s` and `fz_n` are required; missing force columns are NaN, missing COP or free moment
columns give None. Header keys: those in HEADER_KEYS; any other key goes to meta.
"""

from pathlib import Path

import numpy as np

from sim.trials._common import fail, load_numbers, mask_by_vertical_force, open_text, plate_trial, sample_rate_hz

COLUMNS = ("time_s", "fx_n", "fy_n", "fz_n", "cop_x_m", "cop_y_m", "tz_nm")
REQUIRED = ("time_s", "fz_n")
HEADER_KEYS = {
    "name": str,
    "mass_kg": float,
    "height_m": float,
    "speed_m_s": float,
    "side": str,
    "strike": str,
    "footwear": str,
    "filtered_hz": float,
}


def _header_value(path, key, text):
    convert = HEADER_KEYS.get(key, str)
    try:
        return convert(text)
    except ValueError:
        raise fail(path, f"header key {key!r}: {text!r} is not a number") from None


def _check_columns(path, labels):
    unknown = [label for label in labels if label not in COLUMNS]
    missing = [label for label in REQUIRED if label not in labels]
    if unknown:
        problem = f"unknown {unknown}"
    elif missing:
        problem = f"missing {missing}"
    elif len(set(labels)) != len(labels):
        problem = "repeated"
    else:
        return
    allowed = f"allowed: {', '.join(COLUMNS)}; required: {', '.join(REQUIRED)}"
    raise fail(path, f"columns {problem}; {allowed}")


def read_csv(path):
    """Trial from a plain CSV file (format in the module docstring)."""
    path = Path(path)
    header = {}
    with open_text(path) as stream:
        line = stream.readline()
        while line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            if colon:
                header[key.strip()] = _header_value(path, key.strip(), value.strip())
            line = stream.readline()
        labels = [label.strip() for label in line.split(",")]
        _check_columns(path, labels)
        table = load_numbers(path, stream, delimiter=",", columns=len(labels))

    def column(name):
        return table[:, labels.index(name)] if name in labels else np.full(len(table), np.nan)

    time_s = column("time_s")
    fs_hz = sample_rate_hz(path, time_s)
    grf_n = np.column_stack([column("fx_n"), column("fy_n"), column("fz_n")])
    has_cop = "cop_x_m" in labels and "cop_y_m" in labels
    cop_m = np.column_stack([column("cop_x_m"), column("cop_y_m")]) if has_cop else None
    free_moment_nm = column("tz_nm") if "tz_nm" in labels else None
    cop_m, free_moment_nm = mask_by_vertical_force(grf_n[:, 2], cop_m, free_moment_nm)
    fields = {key: header.pop(key) for key in list(header) if key in HEADER_KEYS}
    return plate_trial(path, "csv", fields.pop("name", path.stem), grf_n, fs_hz, time_s, cop_m, free_moment_nm,
                       meta=header, **fields)


def write_csv(trial, path):
    """Write a Trial in the plain CSV format (NaN as 'nan'); read_csv reads it back."""
    header = [f"# {key}: {getattr(trial, key)}" for key in HEADER_KEYS]
    header = [line for line, key in zip(header, HEADER_KEYS) if getattr(trial, key) is not None]
    names, columns = ["time_s", "fx_n", "fy_n", "fz_n"], [trial.time_s[:, None], trial.grf_n]
    if trial.cop_m is not None:
        names, columns = names + ["cop_x_m", "cop_y_m"], columns + [trial.cop_m]
    if trial.free_moment_nm is not None:
        names, columns = names + ["tz_nm"], columns + [trial.free_moment_nm[:, None]]
    header_text = "\n".join(header + [",".join(names)])
    table = np.hstack(columns)
    np.savetxt(path, table, delimiter=",", fmt="%.10g", header=header_text, comments="")
