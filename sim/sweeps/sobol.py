"""Variance-based sensitivity: Saltelli's sample layout and Sobol first-order and total indices.

The layout (Saltelli et al. 2010, section 5; the one `scipy.stats.sobol_indices` draws):
a scrambled Sobol sequence of dimension 2 d and n points (n a power of 2) gives two
independent n x d matrices A (first d columns) and B (last d columns); AB_i is A with column i
taken from B. A sweep stores the n (d + 2) rows in blocks: A, B, AB_1, ..., AB_d, so row
`block * n + j` is point j of that block. `saltelli_split` undoes it.

The estimators are scipy's (`scipy.stats.sobol_indices`, method "saltelli_2010"): outputs
centred on the mean of A and B, variance from A and B only,
    S_i  = mean_j f(B)_j (f(AB_i)_j - f(A)_j) / V          (Saltelli 2010, table 2 (b))
    ST_i = mean_j (f(A)_j - f(AB_i)_j)^2 / (2 V)           (Jansen 1999; Saltelli 2010, table 2 (f))
and an output of zero variance has indices 0. Unlike scipy's, `sobol_indices` accepts missing
runs (NaN, e.g. failed scenarios): point j is left out of an output's estimate when f(A)_j,
f(B)_j or any f(AB_i)_j is not finite, so n need not stay a power of 2. It also gives
percentile bootstrap intervals over the points j (a fixed seed, so reports are reproducible).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def saltelli_design(d: int, n: int, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Points of the unit cube in Saltelli's layout, (n (d + 2), d), and each row's block (0 A, 1 B, 1 + i AB_i)."""
    from scipy.stats import qmc

    base = qmc.Sobol(d=2 * d, scramble=True, bits=64, rng=np.random.default_rng(seed)).random(n)
    a, b = base[:, :d], base[:, d:]
    blocks = [a, b]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    block = np.repeat(np.arange(d + 2, dtype=np.int8), n)
    return np.concatenate(blocks), block


def saltelli_split(values: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f_A (s, n), f_B (s, n), f_AB (d, s, n) from outputs over the rows of a Saltelli layout.

    `values` is (n (d + 2),) for one output or (n (d + 2), s) for s outputs, rows in layout order.
    """
    values = np.asarray(values, dtype=float)
    values = values[:, None] if values.ndim == 1 else values
    rows, s = values.shape
    if rows % (d + 2):
        raise ValueError(f"{rows} rows do not form a Saltelli layout for d = {d} (need a multiple of d + 2)")
    n = rows // (d + 2)
    blocks = values.T.reshape(s, d + 2, n)
    return blocks[:, 0], blocks[:, 1], np.moveaxis(blocks[:, 2:], 1, 0)


@dataclass(frozen=True)
class SobolIndices:
    """Indices per output (rows) and input (columns); intervals (s, d, 2) when bootstrapped."""

    first_order: np.ndarray            # (s, d)
    total_order: np.ndarray            # (s, d)
    n_used: np.ndarray                 # (s,) points j that entered each output's estimate
    first_order_interval: np.ndarray | None = None
    total_order_interval: np.ndarray | None = None
    confidence_level: float | None = None
    n_resamples: int = 0
    seed: int | None = None


def _estimate(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One output: f_a, f_b (..., n), f_ab (..., d, n) -> S (..., d), ST (..., d); leading axes are resamples."""
    mean = np.mean(np.concatenate([f_a, f_b], axis=-1), axis=-1, keepdims=True)
    f_a, f_b, f_ab = f_a - mean, f_b - mean, f_ab - mean[..., None, :]
    var = np.var(np.concatenate([f_a, f_b], axis=-1), axis=-1)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(f_b[..., None, :] * (f_ab - f_a[..., None, :]), axis=-1) / var
        total = 0.5 * np.mean((f_a[..., None, :] - f_ab) ** 2, axis=-1) / var
    zero = var == 0
    return np.where(zero, 0.0, first), np.where(zero, 0.0, total)


def sobol_indices(f_A, f_B, f_AB, n_resamples: int = 0, confidence_level: float = 0.95,
                  seed: int = 0) -> SobolIndices:
    """First-order and total Sobol indices from precomputed runs of a Saltelli layout.

    f_A, f_B: (s, n) or (n,); f_AB: (d, s, n) or (d, n) -- the shapes `scipy.stats.sobol_indices`
    takes in its `func` dictionary. Non-finite values drop their point j from that output's
    estimate; an output with fewer than 2 usable points gets NaN. With `n_resamples` > 0, percentile
    bootstrap intervals at `confidence_level`, resampling the points j with a generator seeded by `seed`.
    """
    f_a, f_b = np.atleast_2d(np.asarray(f_A, dtype=float)), np.atleast_2d(np.asarray(f_B, dtype=float))
    f_ab = np.asarray(f_AB, dtype=float)
    f_ab = f_ab[:, None, :] if f_ab.ndim == 2 else f_ab
    d, s, n = f_ab.shape
    if f_a.shape != (s, n) or f_b.shape != (s, n):
        raise ValueError(f"f_A {f_a.shape} and f_B {f_b.shape} must be (s, n) = ({s}, {n}) to match f_AB {f_ab.shape}")
    first, total = np.full((s, d), np.nan), np.full((s, d), np.nan)
    n_used = np.zeros(s, dtype=np.int64)
    intervals = n_resamples > 0
    first_ci, total_ci = np.full((s, d, 2), np.nan), np.full((s, d, 2), np.nan)
    rng = np.random.default_rng(seed)
    tail = 100 * (1 - confidence_level) / 2
    for k in range(s):
        usable = np.isfinite(f_a[k]) & np.isfinite(f_b[k]) & np.all(np.isfinite(f_ab[:, k]), axis=0)
        n_used[k] = usable.sum()
        if n_used[k] < 2:
            continue
        a, b, ab = f_a[k, usable], f_b[k, usable], f_ab[:, k, usable]
        first[k], total[k] = _estimate(a, b, ab)
        if intervals:
            pick = rng.integers(0, n_used[k], size=(n_resamples, n_used[k]))
            boot_first, boot_total = _estimate(a[pick], b[pick], np.moveaxis(ab[:, pick], 0, 1))
            first_ci[k] = np.percentile(boot_first, [tail, 100 - tail], axis=0).T
            total_ci[k] = np.percentile(boot_total, [tail, 100 - tail], axis=0).T
    if not intervals:
        return SobolIndices(first, total, n_used)
    return SobolIndices(first, total, n_used, first_ci, total_ci, confidence_level, n_resamples, seed)
