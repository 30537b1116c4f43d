"""The one place for compiler options (numba) and the cache location.

numba's `cache=True` needs a writable folder: when neither the package folder nor HOME is
writable, the cache goes to a temporary folder instead of failing the import (DESIGN 5.4).
"""

import os
import tempfile


def _ensure_writable_cache() -> None:
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    package_dir = os.path.dirname(os.path.abspath(__file__))
    if not os.access(package_dir, os.W_OK):
        os.environ["NUMBA_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), "footsim-numba-cache")


_ensure_writable_cache()

import numba  # noqa: E402  (after the cache folder is chosen)

# fastmath stays off: the kernels must match their numpy references to 1e-12.
JIT = dict(cache=True, fastmath=False, nogil=True)


def jit(fn):
    """Compile a kernel with the project's options."""
    return numba.njit(**JIT)(fn)
