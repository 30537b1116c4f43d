"""Parameter sweeps (DESIGN 4.2, 5.2, 8): sweep files, local and Dask execution, one resumable HDF5 file.

- `load_sweep(path)`: parse and check a sweep file; scenario order and ids are fixed by the file.
- `run_sweep(sweep, out, workers=..., scheduler=...)`: compute what the journal beside `out` lacks.
- `sobol_indices(f_A, f_B, f_AB)`, `saltelli_design`, `saltelli_split`: variance-based sensitivity
  on precomputed runs (scipy's estimators, tolerant of failed runs).
"""

from .execute import SweepAborted, SweepStats, run_sweep
from .sobol import SobolIndices, saltelli_design, saltelli_split, sobol_indices
from .spec import Axis, Sweep, load_sweep

__all__ = ["Axis", "SobolIndices", "Sweep", "SweepAborted", "SweepStats", "load_sweep", "run_sweep",
           "saltelli_design", "saltelli_split", "sobol_indices"]
