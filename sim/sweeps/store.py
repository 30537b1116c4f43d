"""The sweep's HDF5 file (DESIGN 5.2), written with h5py alone so that
`xarray.open_dataset(path, engine="h5netcdf")` shows named dimensions, coordinates and units.

Crash safety (DESIGN 5.2, 5.4): the file is built in a temporary file (structure, every row
pending, then whatever the journal already holds) and renamed into place before anything is
computed, so the file under its name always has every variable. The journal, not this file, is
the record: `Store` refuses a file it cannot open or whose structure is not the plan's, and the
caller rebuilds it from the journal (`build_store`), as it does after any unclean shutdown.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import h5py
import numpy as np

from .. import __version__
from ..foot import REGION_NAMES
from ..params import BY_NAME
from .layout import GZIP_LEVEL, STATUS_NAMES, STATUS_PENDING, TIME_STEP_S
from .plan import Plan
from .worker import Finished

FORMAT = "footsim-sweep-1"
COMPRESSION = dict(compression="gzip", compression_opts=GZIP_LEVEL, shuffle=True)
CHUNK_BYTES = 256 * 1024
STRING = h5py.string_dtype()


class StoreUnreadable(Exception):
    """The file cannot be opened for writing, or its structure is not the sweep's."""


def in_use(path: str | Path) -> bool:
    """Another process holds the file open for writing (HDF5's file lock; a killed writer's lock is gone)."""
    try:
        with h5py.File(path, "r"):
            return False
    except OSError as exc:
        return getattr(exc, "errno", None) == 11 or "unable to lock file" in str(exc)


def identify(path: str | Path) -> dict[str, str] | None:
    """The sweep identity attributes of a file, or None when it is not a readable footsim sweep file."""
    try:
        with h5py.File(path, "r") as f:
            if f.attrs.get("format") != FORMAT:
                return None
            return {key: str(f.attrs.get(key, "")) for key in ("sweep_name", "sweep_fingerprint")}
    except OSError:
        return None


def _chunks(n_scenarios: int, row_items: int) -> tuple[int, ...]:
    rows = max(1, min(n_scenarios, CHUNK_BYTES // (8 * row_items)))
    return (rows,) if row_items == 1 else (rows, row_items)


def _scale(f: h5py.File, name: str, values: np.ndarray, units: str, long_name: str):
    ds = f.create_dataset(name, data=values)
    ds.make_scale(name)
    if units:
        ds.attrs["units"] = units
    ds.attrs["long_name"] = long_name
    return ds


def _variable(f, name, shape, dtype, dims, units, long_name, coordinates="", fill=None, data=None, chunks=None):
    items = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    options = dict(chunks=chunks or _chunks(shape[0], items), **COMPRESSION) if shape[0] > 1 or chunks else {}
    if data is not None:
        ds = f.create_dataset(name, data=data, **options)
    else:
        ds = f.create_dataset(name, shape=shape, dtype=dtype, fillvalue=fill, **options)
    for k, dim in enumerate(dims):
        ds.dims[k].attach_scale(f[dim])
    if units:
        ds.attrs["units"] = units
    ds.attrs["long_name"] = long_name
    if coordinates:
        ds.attrs["coordinates"] = coordinates
    return ds


def build_store(path: str | Path, plan: Plan, batches: Iterable[list[Finished]] = ()) -> None:
    """Write the full structure and the given finished scenarios to a temporary file, then rename it to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        _build(partial, plan, batches)
    except BaseException:
        partial.unlink(missing_ok=True)  # a disk that filled up leaves no half-built file behind
        raise
    os.replace(partial, path)


def _build(partial: Path, plan: Plan, batches: Iterable[list[Finished]]) -> None:
    sweep, layout, n = plan.sweep, plan.layout, len(plan.sweep)
    with h5py.File(partial, "w", libver=("v110", "v110")) as f:
        attrs = {
            "format": FORMAT, "Conventions": "CF-1.8", "title": f"footsim sweep {sweep.name}",
            "footsim_version": __version__, "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sweep_name": sweep.name, "sweep_toml": sweep.text, "sweep_source": sweep.source,
            "sweep_fingerprint": plan.fingerprint, "base_scenario": _base_text(plan),
            "design_method": sweep.method, "axes": " ".join(a.name for a in sweep.axes),
            "elements_stored": np.int8(layout.n_elements > 0), "elements_note": plan.elements_note,
            "timeseries": np.int8(plan.timeseries),
            "units": "SI (m, s, kg, N, Pa, J) unless a variable's units say otherwise; BW = body weight",
        }
        if sweep.n is not None:  # a sampled design (a grid and explicit points have no n)
            attrs.update(design_n=np.int64(sweep.n), design_seed=np.int64(sweep.seed))
        if sweep.method == "sobol":
            attrs["sobol_layout"] = ("rows in blocks of design_n: A, B, AB_1 .. AB_d (AB_i = A with axis i from B), "
                                     "axes in the order of attribute `axes`; variable saltelli_block gives each row's block")
        f.attrs.update(attrs)
        _scale(f, "scenario", np.arange(n, dtype=np.int64), "", "scenario index (stable for the sweep file)")
        _scale(f, "region", np.array(REGION_NAMES, dtype=object).astype(STRING), "", "plantar region")
        coords = ["scenario_id"] + [a.name for a in sweep.axes]
        _variable(f, "scenario_id", (n,), STRING, ("scenario",), "", "stable id: digest of the row's index and axis values",
                  data=np.array(sweep.ids, dtype=object).astype(STRING))
        for axis in sweep.axes:
            values = sweep.columns[axis.name]
            data = values.astype(STRING) if axis.is_text else values.astype(np.float64)
            _variable(f, axis.name, (n,), data.dtype, ("scenario",), BY_NAME[axis.name].unit or "1",
                      f"swept parameter {axis.name}", data=data)
        if sweep.saltelli_block is not None:
            coords.append("saltelli_block")
            _variable(f, "saltelli_block", (n,), np.int8, ("scenario",), "1",
                      "Saltelli layout block: 0 = A, 1 = B, 1 + i = AB_i", data=sweep.saltelli_block)
        coordinates = " ".join(coords)
        status = _variable(f, "status", (n,), np.int8, ("scenario",), "1", "scenario status",
                           coordinates=coordinates, fill=STATUS_PENDING)
        status.attrs["flag_values"] = np.arange(len(STATUS_NAMES), dtype=np.int8)
        status.attrs["flag_meanings"] = " ".join(STATUS_NAMES)
        for name, meaning in (("message", "why the scenario failed (empty unless failed)"),
                              ("outcome", "how the stance ended (toe-off, duration reached, failed)")):
            _variable(f, name, (n,), STRING, ("scenario",), "", meaning, coordinates=coordinates,
                      data=np.full(n, "", dtype=object).astype(STRING))
        if layout.n_elements:
            mesh = plan.mesh
            _scale(f, "element", np.arange(layout.n_elements, dtype=np.int32), "", "plantar element")
            for name, values, units, meaning in (("mesh_x", mesh.x, "m", "element position, foot frame x (forward)"),
                                                 ("mesh_y", mesh.y, "m", "element position, foot frame y (left)"),
                                                 ("mesh_area", mesh.area_m2, "m2", "element area")):
                _variable(f, name, (layout.n_elements,), np.float64, ("element",), units, meaning, data=values)
            region = _variable(f, "mesh_region", (layout.n_elements,), np.int32, ("element",), "1",
                               "element region (index into the region coordinate)", data=mesh.region.astype(np.int32))
            region.attrs["flag_values"] = np.arange(len(REGION_NAMES), dtype=np.int32)
            region.attrs["flag_meanings"] = " ".join(REGION_NAMES)
            f.attrs["mesh_side"] = mesh.side
        if layout.n_time:
            _scale(f, "time", np.arange(layout.n_time) * TIME_STEP_S, "s", "time from the start of the run")
        for var in layout.vector_variables():
            sizes = tuple(len(f[d]) for d in var.dims)
            _variable(f, var.name, (n,) + sizes, np.float64, ("scenario",) + var.dims, var.units, var.long_name,
                      coordinates=coordinates, fill=np.nan)
        for var in layout.row_variables():  # one chunk per scenario: the rows the workers compressed
            size = len(f[var.dims[0]])
            _variable(f, var.name, (n, size), np.float64, ("scenario",) + var.dims, var.units, var.long_name,
                      coordinates=coordinates, fill=np.nan, chunks=(1, size))
    store = Store(partial, plan)
    try:
        for batch in batches:
            store.write(batch)
    finally:
        store.close()


def _base_text(plan: Plan) -> str:
    from ..errors import InputError
    from ..scenario import check_sections, resolve, to_toml

    try:
        return to_toml(resolve(check_sections(plan.sweep.base, "base")))
    except InputError as exc:
        return f"# the base alone does not resolve ({exc}); unresolved:\n{plan.sweep.base!r}\n"


class Store:
    """The open file and the writes of finished (or reset) scenarios."""

    def __init__(self, path: str | Path, plan: Plan):
        self.path, self.plan = Path(path), plan
        try:
            self.file = h5py.File(self.path, "r+")
        except OSError as exc:
            raise StoreUnreadable(f"cannot open for writing ({exc})") from None
        try:
            self._check()
        except StoreUnreadable:
            self.file.close()
            raise
        # Handles stay open: closing a dataset flushes its chunk cache, which would compress a
        # partly filled chunk again after every write.
        names = ["status", "message", "outcome"] + [v.name for v in plan.layout.vector_variables()]
        self.datasets = {name: self.file[name] for name in names}
        self.row_datasets = [self.file[v.name].id for v in plan.layout.row_variables()]

    def _check(self) -> None:
        f, n = self.file, len(self.plan.sweep)
        if f.attrs.get("sweep_fingerprint") != self.plan.fingerprint:
            raise StoreUnreadable("it holds another sweep")
        expected = [("status", (n,)), ("message", (n,)), ("outcome", (n,))]
        for var in self.plan.layout.variables():
            expected.append((var.name, (n,) + tuple(len(f[d]) for d in var.dims if d in f)))
        try:
            for name, shape in expected:
                if f[name].shape != shape:
                    raise StoreUnreadable(f"variable {name} has shape {f[name].shape}, expected {shape}")
            f["status"][:]
        except (KeyError, OSError) as exc:
            raise StoreUnreadable(f"damaged structure ({exc})") from None

    def statuses(self) -> np.ndarray:
        return self.datasets["status"][:]

    def write(self, finished: list[Finished]) -> None:
        """Write scenarios to their rows; contiguous indices go in one slice per variable."""
        layout = self.plan.layout
        nan = np.full(layout.size, np.nan)
        finished = sorted(finished, key=lambda r: r.index)
        start = 0
        while start < len(finished):
            stop = start + 1
            while stop < len(finished) and finished[stop].index == finished[stop - 1].index + 1:
                stop += 1
            run = finished[start:stop]
            rows = slice(run[0].index, run[-1].index + 1)
            vectors = np.stack([r.vector if r.vector.size else nan for r in run])
            for name, values in layout.unpack(vectors).items():
                self.datasets[name][rows] = values
            for r in run:
                for dataset, chunk in zip(self.row_datasets, r.rows):
                    dataset.write_direct_chunk((r.index, 0), chunk)
            self.datasets["message"][rows] = np.array([r.message for r in run], dtype=object)
            self.datasets["outcome"][rows] = np.array([r.outcome for r in run], dtype=object)
            # status last: a write cut short leaves the row pending, which the journal check catches
            self.datasets["status"][rows] = np.array([r.status for r in run], dtype=np.int8)
            start = stop

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        if self.file.id.valid:
            self.file.close()
