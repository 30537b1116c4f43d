"""The variables of a sweep file (DESIGN 5.2), declared once, and one scenario's results as a flat vector.

Workers send, the journal keeps and the HDF5 writer unpacks the same float64 vector per
scenario: summary metrics, then worst element per region, then per-element records (when the
mesh is the same for the whole sweep), then time series on a fixed grid (with --timeseries).
One vector, one order: the numbers in the file are the bytes the worker computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..foot import REGION_NAMES
from ..outputs import ELEMENT_VARIABLES
from ..summary import GRF_SUMMARY, REGION_SUMMARY, region_worst

TIME_STEP_S = 1e-3  # the time series grid (1 kHz, a force plate's usual rate)

# summary key -> unit where the suffix alone is ambiguous or absent
_GRF_UNITS = {
    "loading_rate_bw_s": "BW/s", "braking_impulse_bw_s": "BW s", "propulsive_impulse_bw_s": "BW s",
    "net_ap_impulse_bw_s": "BW s", "peak_free_moment_bw_height": "BW height", "strike_index": "1",
}
_SUFFIX_UNITS = (("_kpa_s", "kPa s"), ("_kpa", "kPa"), ("_mm", "mm"), ("_mj", "mJ"), ("_ms", "ms"),
                 ("_bw", "BW"), ("_nm", "N m"), ("_s", "s"))

SUMMARY_METRICS: tuple[str, ...] = (
    tuple(GRF_SUMMARY)
    + tuple(f"{region}_{suffix}" for suffix, _, _ in REGION_SUMMARY for region in REGION_NAMES)
    + ("worst_shear_region_index",)
)
ELEMENT_METRICS: tuple[str, ...] = tuple(ELEMENT_VARIABLES)
# the worst of a direction component is no direction: regions keep the magnitudes only
REGION_METRICS: tuple[str, ...] = tuple(m for m in ELEMENT_METRICS if not m.startswith("peak_shear_dir"))
TIMESERIES = {
    "grf_x": ("N", "ground reaction force on the foot, forward (ground frame)"),
    "grf_y": ("N", "ground reaction force on the foot, to the left"),
    "grf_z": ("N", "ground reaction force on the foot, vertical"),
    "cop_x": ("m", "centre of pressure, forward; NaN where the foot is unloaded"),
    "cop_y": ("m", "centre of pressure, to the left; NaN where the foot is unloaded"),
    "free_moment": ("N m", "vertical torque of the ground on the foot about the COP"),
}
STATUS_PENDING, STATUS_DONE, STATUS_FAILED = 0, 1, 2
STATUS_NAMES = ("pending", "done", "failed")


def summary_unit(metric: str) -> str:
    if metric in _GRF_UNITS:
        return _GRF_UNITS[metric]
    for suffix, unit in _SUFFIX_UNITS:
        if metric.endswith(suffix):
            return unit
    return "1"


def summary_meaning(metric: str) -> str:
    for suffix, record, _ in REGION_SUMMARY:
        for region in REGION_NAMES:
            if metric == f"{region}_{suffix}":
                return f"{region}: worst element, {ELEMENT_VARIABLES[record][1]}"
    if metric == "worst_shear_region_index":
        return "region of the largest peak shear stress (index into the region coordinate)"
    return metric.replace("_", " ")


@dataclass(frozen=True)
class Variable:
    """One variable of the sweep file: name, dimensions after `scenario`, unit, meaning."""

    name: str
    dims: tuple[str, ...]
    units: str
    long_name: str


@dataclass(frozen=True)
class Layout:
    """Sizes that fix the vector: elements stored (0 = not stored) and time-grid points (0 = no series)."""

    n_elements: int
    n_time: int

    def blocks(self) -> list[tuple[str, tuple[int, ...]]]:
        out = [("summary", (len(SUMMARY_METRICS),)), ("region", (len(REGION_METRICS), len(REGION_NAMES)))]
        if self.n_elements:
            out.append(("element", (len(ELEMENT_METRICS), self.n_elements)))
        if self.n_time:
            out.append(("timeseries", (len(TIMESERIES), self.n_time)))
        return out

    @property
    def size(self) -> int:
        return sum(int(np.prod(shape)) for _, shape in self.blocks())

    def variables(self) -> list[Variable]:
        """The per-scenario float variables, in vector order."""
        out = [Variable(m, (), summary_unit(m), summary_meaning(m)) for m in SUMMARY_METRICS]
        out += [Variable(f"region_{m}", ("region",), ELEMENT_VARIABLES[m][0],
                         f"worst element per region: {ELEMENT_VARIABLES[m][1]}") for m in REGION_METRICS]
        if self.n_elements:
            out += [Variable(f"element_{m}", ("element",), *ELEMENT_VARIABLES[m]) for m in ELEMENT_METRICS]
        if self.n_time:
            out += [Variable(name, ("time",), *unit_meaning) for name, unit_meaning in TIMESERIES.items()]
        return out

    def pack(self, result) -> np.ndarray:
        """One `StanceResult` as the flat vector."""
        if set(result.summary) != set(SUMMARY_METRICS):
            raise RuntimeError(f"summary keys changed: {sorted(set(result.summary) ^ set(SUMMARY_METRICS))}; "
                               "update sim/sweeps/layout.py")
        parts = [np.array([result.summary[m] for m in SUMMARY_METRICS], dtype=np.float64)]
        region = result.mesh.region
        parts.append(np.stack([region_worst(region, result.elements[m]) for m in REGION_METRICS]).ravel())
        if self.n_elements:
            if result.mesh.n_elements != self.n_elements:
                raise RuntimeError(f"{result.scenario['name']}: {result.mesh.n_elements} elements, "
                                   f"the sweep file holds {self.n_elements}")
            parts.append(np.stack([result.elements[m] for m in ELEMENT_METRICS]).ravel())
        if self.n_time:
            grid = np.arange(self.n_time) * TIME_STEP_S
            series = (result.grf_n[:, 0], result.grf_n[:, 1], result.grf_n[:, 2], result.cop_m[:, 0],
                      result.cop_m[:, 1], result.free_moment_nm)
            parts.append(np.concatenate([np.interp(grid, result.time_s, s, left=np.nan, right=np.nan)
                                         for s in series]))
        return np.concatenate(parts).astype(np.float64, copy=False)

    def unpack(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """(k, size) vectors -> variable name -> (k, *dims) arrays, names as in `variables()`."""
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, self.size)
        names = iter(v.name for v in self.variables())
        out, at = {}, 0
        for _, shape in self.blocks():
            count = int(np.prod(shape))
            block = rows[:, at:at + count].reshape(len(rows), *shape)
            for k in range(shape[0]):
                out[next(names)] = block[:, k]
            at += count
        return out
