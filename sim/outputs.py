"""The one-run HDF5 file (DESIGN 5.1): every variable with the unit and meaning sim/variables.py declares.

Written to a temporary file beside the target and renamed into place, so an interrupted run
never leaves a partial file under the requested name.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import h5py
import numpy as np

from . import __version__
from .articulated import SEGMENT_NAMES
from .errors import InputError
from .foot import REGION_NAMES
from .frames import write_frames
from .scenario import to_toml
from .summary import region_mean, region_records
from .variables import (ELEMENT_RECORDS, JOINTS, MEAN_RECORDS, MESH, RUN_SCALES, RUN_SERIES, SUMMARY, Variable,
                        region_mean_record, region_record)

COMPRESSION = dict(compression="gzip", compression_opts=4, shuffle=True)


def write_run(path: str | Path, result) -> Path:
    """Write a `StanceResult` to `path` in the DESIGN 5.1 layout; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    image = _image(partial, result)
    try:  # plain file I/O: a full disk is an OSError here, never a half-written HDF5 file the library cannot close
        with open(partial, "wb") as handle:
            handle.write(image)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        reason = "no space left on device" if exc.errno == 28 else (exc.strerror or str(exc))
        raise InputError(f"{path}: cannot write ({reason})") from None
    os.replace(partial, path)
    return path


def _image(partial: Path, result) -> bytes:
    """The whole file built in memory (a run's file is a few hundred kB) and returned as bytes."""
    with h5py.File(partial, "w", driver="core", backing_store=False, libver=("v110", "v110")) as f:
        f.attrs["footsim_version"] = __version__
        f.attrs["created_utc"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        f.attrs["scenario"] = to_toml(result.scenario)
        f.attrs["outcome"] = result.outcome
        f.attrs["units"] = "SI (m, s, kg, N, Pa, J); ground frame x forward, y left, z up"
        time = _scale(f, "time", result.time_s, RUN_SERIES["time"])
        axis, plane, pose = (_scale(f, name, np.arange(n), RUN_SCALES[name])
                             for name, n in (("axis", 3), ("plane_axis", 2), ("pose_component", 7)))
        for name, values, second in (("grf", result.grf_n, axis), ("cop", result.cop_m, plane),
                                     ("free_moment", result.free_moment_nm, None), ("foot_pose", result.foot_pose, pose)):
            ds = _dataset(f, name, values, RUN_SERIES[name])
            ds.dims[0].attach_scale(time)
            if second is not None:
                ds.dims[1].attach_scale(second)
        for name, values in result.joints.items():
            _dataset(f, f"joints/{name}", values, JOINTS[name]).dims[0].attach_scale(time)
        mesh = result.mesh
        element = {g: _scale(f, f"{g}/element", np.arange(mesh.n_elements), RUN_SCALES["element"])
                   for g in ("mesh", "elements")}
        for name, values in (("x", mesh.x), ("y", mesh.y), ("area", mesh.area_m2), ("thickness", mesh.thickness_m),
                             ("region", mesh.region.astype(np.int32))):
            _dataset(f, f"mesh/{name}", values, MESH[name]).dims[0].attach_scale(element["mesh"])
        names = np.array(REGION_NAMES, dtype=h5py.string_dtype())
        f["mesh/region"].attrs["names"] = names
        if result.segment is not None:
            segment = _dataset(f, "mesh/segment", result.segment.astype(np.int32), MESH["segment"])
            segment.dims[0].attach_scale(element["mesh"])
            segment.attrs["names"] = np.array(SEGMENT_NAMES, dtype=h5py.string_dtype())
        f["mesh"].attrs["side"] = mesh.side
        region_scale = _scale(f, "regions/region", np.arange(len(REGION_NAMES)), RUN_SCALES["region"])
        region_scale.attrs["names"] = names
        per_region = region_records(mesh.region, result.elements)
        for name in result.elements:
            _dataset(f, f"elements/{name}", result.elements[name], ELEMENT_RECORDS[name]).dims[0].attach_scale(element["elements"])
            _dataset(f, f"regions/{name}", per_region[name], region_record(name)).dims[0].attach_scale(region_scale)
        for name in MEAN_RECORDS:
            mean = region_mean(mesh.region, mesh.area_m2, result.elements[name])
            _dataset(f, f"regions/{name}_mean", mean, region_mean_record(name)).dims[0].attach_scale(region_scale)
        f["regions"].attrs["names"] = names
        if result.frames is not None:
            write_frames(f, result.frames)
        for key, value in result.summary.items():
            _dataset(f, f"summary/{key}", np.float64(value), SUMMARY[key])
        f.flush()
        return f.id.get_file_image()


def _scale(f, name, values, variable: Variable):
    ds = _dataset(f, name, values, variable)
    ds.make_scale(name.rsplit("/", 1)[-1])
    return ds


def _dataset(f, name, values, variable: Variable):
    values = np.asarray(values)
    options = COMPRESSION if values.size > 64 else {}
    ds = f.create_dataset(name, data=values, **options)
    ds.attrs.update(variable.attrs)
    return ds


def read_summary(path: str | Path) -> dict[str, float]:
    with h5py.File(path, "r") as f:
        return {k: float(v[()]) for k, v in f["summary"].items()}


def append_series(path: str | Path, group: str, series: dict, attrs: dict | None = None) -> None:
    """Add time series beside a run file's own: name -> (values (T, ...), unit, meaning), on its time axis."""
    with h5py.File(path, "a") as f:
        for name, (values, unit, meaning) in series.items():
            ds = _dataset(f, f"{group}/{name}", values, Variable(name, unit, ("time",), meaning))
            ds.dims[0].attach_scale(f["time"])
        for key, value in (attrs or {}).items():
            f[group].attrs[key] = value
