"""The variables of a sweep file (DESIGN 5.2), declared once, and one scenario's results as workers send them.

A worker packs a scenario into two parts that the journal keeps and the HDF5 writer stores as they are:
- a float64 vector: summary metrics, then the worst element per region;
- rows: each per-element record (when the mesh is the same for the whole sweep) and each time
  series (with --timeseries) as one finished HDF5 chunk, compressed by the worker exactly as
  HDF5's shuffle and deflate filters would (`encode_row`). The writer stores the chunk with
  `write_direct_chunk`: compression, the writer's largest cost (~1.4 ms a scenario; these
  records shrink only ~1.5x), runs in parallel in the workers, and one writer keeps up with
  about three times as many of them.
The numbers in the file are the bytes the worker computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import zlib

import numpy as np

from ..foot import REGION_NAMES
from ..outputs import ELEMENT_VARIABLES
from ..summary import GRF_SUMMARY, REGION_SUMMARY, region_worst

TIME_STEP_S = 1e-3  # the time series grid (1 kHz, a force plate's usual rate)
GZIP_LEVEL = 1      # on these records 1.5x smaller, as level 4, at 10 % less time

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


def encode_row(values: np.ndarray) -> bytes:
    """One float64 row as an HDF5 chunk with the shuffle then deflate filters applied (filter mask 0)."""
    shuffled = np.ascontiguousarray(values, dtype="<f8").view(np.uint8).reshape(-1, 8).T
    return zlib.compress(shuffled.tobytes(), GZIP_LEVEL)


def decode_row(chunk: bytes) -> np.ndarray:
    """The inverse of `encode_row`."""
    shuffled = np.frombuffer(zlib.decompress(chunk), np.uint8).reshape(8, -1)
    return np.ascontiguousarray(shuffled.T).view("<f8").ravel()


@dataclass(frozen=True)
class Layout:
    """Sizes that fix what is stored: elements (0 = not stored) and time-grid points (0 = no series)."""

    n_elements: int
    n_time: int

    @property
    def size(self) -> int:
        """Length of the float vector."""
        return len(SUMMARY_METRICS) + len(REGION_METRICS) * len(REGION_NAMES)

    def vector_variables(self) -> list[Variable]:
        """Variables of the float vector, in its order."""
        out = [Variable(m, (), summary_unit(m), summary_meaning(m)) for m in SUMMARY_METRICS]
        out += [Variable(f"region_{m}", ("region",), ELEMENT_VARIABLES[m][0],
                         f"worst element per region: {ELEMENT_VARIABLES[m][1]}") for m in REGION_METRICS]
        return out

    def row_variables(self) -> list[Variable]:
        """Variables stored as one compressed chunk per scenario, in the order of the rows."""
        out = []
        if self.n_elements:
            out += [Variable(f"element_{m}", ("element",), *ELEMENT_VARIABLES[m]) for m in ELEMENT_METRICS]
        if self.n_time:
            out += [Variable(name, ("time",), *unit_meaning) for name, unit_meaning in TIMESERIES.items()]
        return out

    def variables(self) -> list[Variable]:
        return self.vector_variables() + self.row_variables()

    def pack(self, result) -> tuple[np.ndarray, tuple[bytes, ...]]:
        """One `StanceResult` as the float vector and the compressed rows."""
        if set(result.summary) != set(SUMMARY_METRICS):
            raise RuntimeError(f"summary keys changed: {sorted(set(result.summary) ^ set(SUMMARY_METRICS))}; "
                               "update sim/sweeps/layout.py")
        region = result.mesh.region
        vector = np.concatenate([np.array([result.summary[m] for m in SUMMARY_METRICS], dtype=np.float64)]
                                + [region_worst(region, result.elements[m]) for m in REGION_METRICS])
        rows = []
        if self.n_elements:
            if result.mesh.n_elements != self.n_elements:
                raise RuntimeError(f"{result.scenario['name']}: {result.mesh.n_elements} elements, "
                                   f"the sweep file holds {self.n_elements}")
            rows += [result.elements[m] for m in ELEMENT_METRICS]
        if self.n_time:
            grid = np.arange(self.n_time) * TIME_STEP_S
            series = (result.grf_n[:, 0], result.grf_n[:, 1], result.grf_n[:, 2], result.cop_m[:, 0],
                      result.cop_m[:, 1], result.free_moment_nm)
            rows += [np.interp(grid, result.time_s, s, left=np.nan, right=np.nan) for s in series]
        return vector, tuple(encode_row(r) for r in rows)

    def unpack(self, vectors: np.ndarray) -> dict[str, np.ndarray]:
        """(k, size) float vectors -> name -> (k,) or (k, regions) arrays for the vector variables."""
        vectors = np.asarray(vectors, dtype=np.float64).reshape(-1, self.size)
        n_summary, n_region = len(SUMMARY_METRICS), len(REGION_NAMES)
        out = {m: vectors[:, k] for k, m in enumerate(SUMMARY_METRICS)}
        regions = vectors[:, n_summary:].reshape(len(vectors), len(REGION_METRICS), n_region)
        out.update({f"region_{m}": regions[:, k] for k, m in enumerate(REGION_METRICS)})
        return out
