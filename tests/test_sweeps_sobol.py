"""Sobol indices (sim.sweeps.sobol) against the Ishigami function's known indices and scipy's estimators."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from sim.sweeps import load_sweep, saltelli_design, saltelli_split, sobol_indices

A, B = 7.0, 0.1  # Ishigami constants (Ishigami & Homma 1990)


def ishigami(x1, x2, x3):
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def ishigami_indices():
    """Analytic first-order and total indices (Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


ISHIGAMI_SWEEP = """
[axes]
"strike.foot_strike_angle_deg" = {{ min = {lo}, max = {hi} }}
"strike.twist_deg" = {{ min = {lo}, max = {hi} }}
"strike.inversion_deg" = {{ min = {lo}, max = {hi} }}
[design]
method = "sobol"
n = {n}
seed = 11
""".format(lo=-np.pi, hi=np.pi, n=8192)


def test_sobol_indices__sweep_layout_recovers_ishigami_indices():
    # The whole path a sobol sweep takes: file -> Saltelli rows -> outputs per row -> split -> indices.
    s = load_sweep(text=ISHIGAMI_SWEEP)
    y = ishigami(*(s.columns[a.name] for a in s.axes))
    result = sobol_indices(*saltelli_split(y, len(s.axes)))
    first, total = ishigami_indices()
    assert_allclose(result.first_order[0], first, atol=0.02)
    assert_allclose(result.total_order[0], total, atol=0.02)
    assert result.n_used[0] == 8192


def test_sobol_indices__same_as_scipy_on_its_own_sample():
    n, seed = 1024, 5
    dists = [stats.uniform(loc=-np.pi, scale=2 * np.pi)] * 3
    reference = stats.sobol_indices(func=lambda x: ishigami(*x), n=n, dists=dists, rng=np.random.default_rng(seed))
    unit, _ = saltelli_design(3, n, seed)
    y = ishigami(*(-np.pi + 2 * np.pi * unit).T)
    result = sobol_indices(*saltelli_split(y, 3))
    assert_allclose(result.first_order[0], reference.first_order, rtol=1e-12, atol=1e-12)
    assert_allclose(result.total_order[0], reference.total_order, rtol=1e-12, atol=1e-12)


def test_sobol_indices__same_as_scipy_for_precomputed_outputs():
    rng = np.random.default_rng(2)
    f_a, f_b, f_ab = rng.normal(size=(4, 64)), rng.normal(size=(4, 64)), rng.normal(size=(3, 4, 64))
    reference = stats.sobol_indices(func={"f_A": f_a, "f_B": f_b, "f_AB": f_ab}, n=64)
    result = sobol_indices(f_a, f_b, f_ab)
    assert_allclose(result.first_order, reference.first_order, rtol=1e-12, atol=1e-13)
    assert_allclose(result.total_order, reference.total_order, rtol=1e-12, atol=1e-13)


def test_sobol_indices__missing_runs_drop_their_point():
    rng = np.random.default_rng(3)
    f_a, f_b, f_ab = rng.normal(size=(1, 40)), rng.normal(size=(1, 40)), rng.normal(size=(2, 1, 40))
    holed_a, holed_ab = f_a.copy(), f_ab.copy()
    holed_a[0, 5] = np.nan
    holed_ab[1, 0, 9] = np.inf
    keep = np.ones(40, bool)
    keep[[5, 9]] = False
    result = sobol_indices(holed_a, f_b, holed_ab)
    subset = sobol_indices(f_a[:, keep], f_b[:, keep], f_ab[:, :, keep])
    assert result.n_used[0] == 38
    assert_allclose(result.first_order, subset.first_order, rtol=1e-14)
    assert_allclose(result.total_order, subset.total_order, rtol=1e-14)


def test_sobol_indices__constant_output_has_zero_indices_and_no_data_nan():
    constant = sobol_indices(np.ones(8), np.ones(8), np.ones((2, 8)))
    assert np.all(constant.first_order == 0) and np.all(constant.total_order == 0)
    empty = sobol_indices(np.full(8, np.nan), np.ones(8), np.ones((2, 8)))
    assert np.all(np.isnan(empty.first_order)) and empty.n_used[0] == 0


def test_sobol_indices__bootstrap_intervals_reproducible_and_cover_ishigami():
    unit, _ = saltelli_design(3, 2048, 1)
    y = ishigami(*(-np.pi + 2 * np.pi * unit).T)
    first = sobol_indices(*saltelli_split(y, 3), n_resamples=300, seed=4)
    again = sobol_indices(*saltelli_split(y, 3), n_resamples=300, seed=4)
    assert np.array_equal(first.total_order_interval, again.total_order_interval)
    exact_first, exact_total = ishigami_indices()
    low, high = first.total_order_interval[0, :, 0], first.total_order_interval[0, :, 1]
    assert np.all(low <= first.total_order[0]) and np.all(first.total_order[0] <= high)
    assert np.all(low - 0.01 <= exact_total) and np.all(exact_total <= high + 0.01)
    assert first.first_order_interval.shape == (1, 3, 2)


def test_saltelli_split__rejects_rows_that_are_not_a_layout():
    with pytest.raises(ValueError, match="multiple of d \\+ 2"):
        saltelli_split(np.zeros(10), 2)
