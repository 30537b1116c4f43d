"""The one-run HDF5 file (DESIGN 5.1): every variable declared once with its unit and meaning.

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
from .scenario import to_toml
from .summary import region_records

# name -> (unit, meaning); the element records of DESIGN 3.3
ELEMENT_VARIABLES = {
    "peak_pressure_pa": ("Pa", "peak pad pressure"),
    "peak_shear_stress_pa": ("Pa", "peak skin shear stress magnitude"),
    "peak_shear_dir_x": ("1", "foot-frame x of the unit direction of the ground's traction on the skin at peak shear"),
    "peak_shear_dir_y": ("1", "foot-frame y of that direction"),
    "peak_shear_strain": ("1", "peak skin shear strain |u| / (h (1 - e))"),
    "slip_distance_m": ("m", "total slip distance of the skin anchor (at either interface of a shoe)"),
    "skin_slip_distance_m": ("m", "the part of the slip at the skin's own interface (skin-ground, or skin-insole in a shoe)"),
    "friction_work_j": ("J", "frictional work mu p A |slip|"),
    "shear_time_integral_pa_s": ("Pa s", "time integral of the shear stress magnitude"),
    "contact_time_s": ("s", "time in contact"),
    "stick_slip_transitions": ("1", "number of stick-to-slip transitions"),
}
SERIES_VARIABLES = {
    "time": ("s", "time from the start of the run"),
    "grf": ("N", "ground reaction force on the foot, ground frame (x forward, y left, z up)"),
    "cop": ("m", "centre of pressure on the ground plane, NaN where the foot is unloaded"),
    "free_moment": ("N m", "vertical torque of the ground on the foot about the COP"),
    "foot_pose": ("m, 1", "ankle position (x, y, z) and unit quaternion (w, x, y, z) of the foot"),
}
# the articulated foot (DESIGN 3.4b): joints/<name>, one angle per time step
JOINT_VARIABLES = {
    "talocrural": "talocrural hinge angle from the touchdown posture, + = plantarflexion",
    "subtalar": "subtalar hinge angle from the touchdown posture, + = inversion (supination)",
    "ankle_residual": "ankle rotation about the normal to both hinges (held by the stiff residual spring)",
    "arch": "midfoot sagittal bending of the forefoot on the hindfoot, - = forefoot up (the arch flattening)",
    "forefoot_inversion": "forefoot rotation about the longitudinal midtarsal axis, + = inversion",
    "mtp": "toe rotation about the oblique MTH1-MTH5 axis, - = dorsiflexion",
    "limb_rotation": "shank axial rotation about the leg, + = internal for the right foot",
    "rearfoot_eversion": "frontal angle of the hindfoot relative to the shank, + = eversion",
}
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
        time = _scale(f, "time", result.time_s, SERIES_VARIABLES["time"])
        axis = _scale(f, "axis", np.arange(3), ("1", "ground-frame axis: 0 x forward, 1 y left, 2 z up"))
        plane = _scale(f, "plane_axis", np.arange(2), ("1", "ground-plane axis: 0 x forward, 1 y left"))
        pose = _scale(f, "pose_component", np.arange(7), ("1", "x, y, z (m), then quaternion w, x, y, z"))
        for name, values, second in (("grf", result.grf_n, axis), ("cop", result.cop_m, plane),
                                     ("free_moment", result.free_moment_nm, None), ("foot_pose", result.foot_pose, pose)):
            ds = _dataset(f, name, values, SERIES_VARIABLES[name])
            ds.dims[0].attach_scale(time)
            if second is not None:
                ds.dims[1].attach_scale(second)
        for name, values in result.joints.items():
            _dataset(f, f"joints/{name}", values, ("rad", JOINT_VARIABLES[name])).dims[0].attach_scale(time)
        if result.segment is not None:
            segment = _dataset(f, "mesh/segment", result.segment.astype(np.int32),
                               ("1", "segment index of the articulated foot"))
            segment.attrs["names"] = np.array(SEGMENT_NAMES, dtype=h5py.string_dtype())
        mesh = result.mesh
        element = {g: _scale(f, f"{g}/element", np.arange(mesh.n_elements), ("1", "element index"))
                   for g in ("mesh", "elements")}
        for name, values, unit in (("x", mesh.x, "m"), ("y", mesh.y, "m"), ("area", mesh.area_m2, "m2"),
                                   ("thickness", mesh.thickness_m, "m")):
            _dataset(f, f"mesh/{name}", values, (unit, f"element {name}, foot frame")).dims[0].attach_scale(element["mesh"])
        if result.segment is not None:
            f["mesh/segment"].dims[0].attach_scale(element["mesh"])
        region = _dataset(f, "mesh/region", mesh.region.astype(np.int32), ("1", "region index"))
        region.dims[0].attach_scale(element["mesh"])
        region.attrs["names"] = np.array(REGION_NAMES, dtype=h5py.string_dtype())
        f["mesh"].attrs["side"] = mesh.side
        region_scale = _scale(f, "regions/region", np.arange(len(REGION_NAMES)), ("1", "region index"))
        region_scale.attrs["names"] = np.array(REGION_NAMES, dtype=h5py.string_dtype())
        per_region = region_records(mesh.region, result.elements)
        for name, (unit, meaning) in ELEMENT_VARIABLES.items():
            _dataset(f, f"elements/{name}", result.elements[name], (unit, meaning)).dims[0].attach_scale(element["elements"])
            which = "at the element of the region's peak shear" if name.startswith("peak_shear_dir") else "worst element"
            ds = _dataset(f, f"regions/{name}", per_region[name], (unit, f"{which} per region: {meaning}"))
            ds.dims[0].attach_scale(region_scale)
        f["regions"].attrs["names"] = np.array(REGION_NAMES, dtype=h5py.string_dtype())
        summary = f.create_group("summary")
        for key, value in result.summary.items():
            summary.create_dataset(key, data=np.float64(value))
        f.flush()
        return f.id.get_file_image()


def _scale(f, name, values, unit_meaning):
    ds = _dataset(f, name, values, unit_meaning)
    ds.make_scale(name.rsplit("/", 1)[-1])
    return ds


def _dataset(f, name, values, unit_meaning):
    unit, meaning = unit_meaning
    values = np.asarray(values)
    options = COMPRESSION if values.size > 64 else {}
    ds = f.create_dataset(name, data=values, **options)
    ds.attrs["units"] = unit
    ds.attrs["long_name"] = meaning
    return ds


def read_summary(path: str | Path) -> dict[str, float]:
    with h5py.File(path, "r") as f:
        return {k: float(v[()]) for k, v in f["summary"].items()}
