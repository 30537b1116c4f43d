"""The one place for compiler options (numba) and the kernel cache.

numba's `cache=True` keys a cached function by its own file only: a kernel that calls a changed
function in another file would load stale machine code (DESIGN 5.4; seen here when the contact
step changed under the cached stance loop). The cache folder is therefore named after a digest of
every kernel source file, so any change to any kernel starts a fresh cache. The folder is the
user's NUMBA_CACHE_DIR when set, else beside the package when writable, else in HOME, else in
the temporary folder, so importing never fails on a read-only install.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import numba

KERNEL_DIR = Path(__file__).resolve().parent / "kernels"


def _kernel_digest() -> str:
    digest = hashlib.sha256()
    for path in [Path(__file__).resolve(), *sorted(KERNEL_DIR.glob("*.py"))]:  # the options here count too
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(numba.__version__.encode())
    return digest.hexdigest()[:16]


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return os.access(folder, os.W_OK)
    except OSError:
        return False


def _cache_dir() -> str:
    candidates = [Path(os.environ["NUMBA_CACHE_DIR"])] if os.environ.get("NUMBA_CACHE_DIR") else []
    candidates += [KERNEL_DIR / "__pycache__" / "numba", Path.home() / ".cache" / "footsim",
                   Path(tempfile.gettempdir()) / "footsim-numba-cache"]
    base = next((c for c in candidates if _writable(c)), candidates[-1])
    return str(base / f"kernels-{_kernel_digest()}")


numba.config.CACHE_DIR = _cache_dir()

# fastmath stays off: the kernels must match their numpy references to 1e-12.
# error_model="numpy": divisions follow IEEE (inf/nan) instead of raising, which drops a zero check
# from every division in the hot loop (+1-3 %, bit-identical results; benchmarks/README).
JIT = dict(cache=True, fastmath=False, nogil=True, error_model="numpy")


def jit(fn):
    """Compile a kernel with the project's options."""
    return numba.njit(**JIT)(fn)
