"""Compiled kernels: numba functions on plain arrays, SI units, nothing above them imported."""
