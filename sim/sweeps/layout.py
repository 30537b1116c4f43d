"""The variables of a sweep file (DESIGN 5.2), from sim/variables.py, and one scenario's results as workers send them.

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

from dataclasses import dataclass, replace

import zlib

import numpy as np

from ..foot import REGION_NAMES
from ..summary import region_worst
from ..variables import DIRECTION_RECORDS, ELEMENT_RECORDS, SUMMARY, SWEEP_TIMESERIES, Variable, region_record

TIME_STEP_S = 1e-3  # the time series grid (1 kHz, a force plate's usual rate)
GZIP_LEVEL = 1      # on these records 1.5x smaller, as level 4, at 10 % less time

# the float vector's scalars, the /summary of a run (units and meanings in sim/variables.py)
SUMMARY_METRICS: tuple[str, ...] = tuple(SUMMARY)
ELEMENT_METRICS: tuple[str, ...] = tuple(ELEMENT_RECORDS)
# the worst of a direction component is no direction: regions keep the magnitudes only
REGION_METRICS: tuple[str, ...] = tuple(m for m in ELEMENT_METRICS if m not in DIRECTION_RECORDS)
STATUS_PENDING, STATUS_DONE, STATUS_FAILED = 0, 1, 2
STATUS_NAMES = ("pending", "done", "failed")


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
        return [SUMMARY[m] for m in SUMMARY_METRICS] + [replace(region_record(m), name=f"region_{m}")
                                                         for m in REGION_METRICS]

    def row_variables(self) -> list[Variable]:
        """Variables stored as one compressed chunk per scenario, in the order of the rows."""
        out = []
        if self.n_elements:
            out += [replace(ELEMENT_RECORDS[m], name=f"element_{m}") for m in ELEMENT_METRICS]
        if self.n_time:
            out += list(SWEEP_TIMESERIES.values())
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
