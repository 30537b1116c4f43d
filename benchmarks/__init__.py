"""footsim benchmarks: speed measured on this machine, as ratios taken in one run.

Run everything with `footsim bench [--json FILE] [--quick]` or `python -m benchmarks.run_all`;
each module also runs on its own (`python -m benchmarks.bench_kernel`, ...).
"""

import os

# One thread for every library that would start a pool (BLAS under numpy's matmul): the figures
# are per core. Effective only when numpy is not yet imported; `common.machine_info` says which.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
