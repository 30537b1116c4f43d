"""Parameter sweeps (DESIGN 4.2, 5.2, 8): sweep files, local and Dask execution, one resumable HDF5 file.

- `load_sweep(path)`: parse and check a sweep file; scenario order and ids are fixed by the file.
- `run_sweep(sweep, out, workers=..., scheduler=...)`: compute what the journal beside `out` lacks.
- `sobol_indices(f_A, f_B, f_AB)`, `saltelli_design`, `saltelli_split`: variance-based sensitivity
  on precomputed runs (scipy's estimators, tolerant of failed runs).

Names load on first use (PEP 562): a worker process imports `sim.sweeps.worker` alone, without
h5py, sqlite3 or scipy.stats.
"""

import importlib

_HOMES = {
    "SweepAborted": "execute", "SweepStats": "execute", "SweepWriteFailed": "execute", "run_sweep": "execute",
    "SobolIndices": "sobol", "saltelli_design": "sobol", "saltelli_split": "sobol", "sobol_indices": "sobol",
    "Axis": "spec", "Sweep": "spec", "load_sweep": "spec",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
