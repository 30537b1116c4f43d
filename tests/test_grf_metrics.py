"""Stance metrics on curves whose answers are known exactly (sim.grf_metrics)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.grf_metrics import METRICS, cop_valid, grf_metrics, lowpass, split_stances

MASS_KG = 70.0
HEIGHT_M = 1.75
BW_N = MASS_KG * 9.81


def piecewise_linear(vertices_ms, values, fs_hz=10_000.0, pad_ms=10.0):
    """Time (s) and a piecewise-linear signal through (ms, value) vertices lying on the grid."""
    t_ms = np.arange(-pad_ms, vertices_ms[-1] + pad_ms + 1e-9, 1000.0 / fs_hz)
    return t_ms / 1000.0, np.interp(t_ms, vertices_ms, values, left=0.0, right=0.0)


def crossing_ms(t0_ms, t1_ms, f0, f1, level):
    """Where the straight line from (t0, f0) to (t1, f1) crosses level."""
    return t0_ms + (level - f0) / (f1 - f0) * (t1_ms - t0_ms)


# A rearfoot-like stance: impact 1.6 BW at 25 ms, dip to 1.3 BW, active peak 2.5 BW at 110 ms.
FZ_MS, FZ_BW = [0, 25, 45, 110, 250], [0, 1.6, 1.3, 2.5, 0]
FX_MS, FX_BW = [0, 60, 125, 190, 250], [0, -0.4, 0, 0.35, 0]
FY_MS, FY_BW = [0, 30, 150, 250], [0, -0.05, 0.08, 0]
# Free moment: 9 N m at 150 ms, and a 30 N m spike at 248 ms where Fz < 20 % BW (ignored).
TZ_MS, TZ_NM = [0, 40, 150, 246, 248, 250], [0, -5, 9, 0, 30, 0]
# COP: lands at 0.10 m, rolls back to 0.05 m, forward to 0.25 m (a forefoot-like path).
COP_MS, COP_X_M = [0, 20, 50, 220, 250], [0.10, 0.10, 0.05, 0.25, 0.25]


@pytest.fixture(scope="module")
def two_hump():
    t, fz = piecewise_linear(FZ_MS, np.multiply(FZ_BW, BW_N))
    fx = piecewise_linear(FX_MS, np.multiply(FX_BW, BW_N))[1]
    fy = piecewise_linear(FY_MS, np.multiply(FY_BW, BW_N))[1]
    tz = piecewise_linear(TZ_MS, TZ_NM)[1]
    cop_x = np.interp(t * 1000.0, COP_MS, COP_X_M)
    cop = np.column_stack([cop_x, np.full_like(cop_x, 0.01)])
    metrics = grf_metrics(
        t, np.column_stack([fx, fy, fz]), MASS_KG, HEIGHT_M, cop_m=cop, free_moment_nm=tz
    )
    return t, np.column_stack([fx, fy, fz]), cop, tz, metrics


def test_grf_metrics__returns_every_registered_key_as_float(two_hump):
    metrics = two_hump[-1]
    assert set(metrics) == set(METRICS)
    assert all(isinstance(value, float) for value in metrics.values())


def test_grf_metrics__piecewise_linear_stance_time_from_threshold_crossings(two_hump):
    metrics = two_hump[-1]
    t_on = crossing_ms(0, 25, 0, 1.6 * BW_N, 20.0)
    t_off = crossing_ms(110, 250, 2.5 * BW_N, 0, 20.0)
    assert_allclose(metrics["stance_time_s"], (t_off - t_on) / 1000.0, rtol=1e-12)


def test_grf_metrics__impact_and_active_peak_at_the_vertices(two_hump):
    metrics = two_hump[-1]
    t_on_s = crossing_ms(0, 25, 0, 1.6 * BW_N, 20.0) / 1000.0
    assert_allclose(metrics["impact_peak_bw"], 1.6, rtol=1e-12)
    assert_allclose(metrics["impact_peak_time_s"], 0.025 - t_on_s, rtol=1e-9)
    assert_allclose(metrics["active_peak_bw"], 2.5, rtol=1e-12)
    assert_allclose(metrics["active_peak_time_s"], 0.110 - t_on_s, rtol=1e-9)


def test_grf_metrics__loading_rate_is_the_slope_of_the_impact_ramp(two_hump):
    # 200 N and 90 % of the impact peak both lie on the first ramp: 1.6 BW in 25 ms.
    assert_allclose(two_hump[-1]["loading_rate_bw_s"], 1.6 / 0.025, rtol=1e-9)


def test_grf_metrics__impulses_are_polygon_areas_over_the_stance(two_hump):
    metrics = two_hump[-1]
    t_on_ms = crossing_ms(0, 25, 0, 1.6 * BW_N, 20.0)
    t_off_ms = crossing_ms(110, 250, 2.5 * BW_N, 0, 20.0)
    polygon_bw_ms = np.trapezoid(FZ_BW, FZ_MS)
    below_threshold_bw_ms = 0.5 * (20.0 / BW_N) * (t_on_ms + 250 - t_off_ms)
    assert_allclose(metrics["vertical_impulse_bw_s"], (polygon_bw_ms - below_threshold_bw_ms) / 1000, rtol=1e-9)
    # Fx triangles, less the slivers before touchdown and after toe-off.
    braking_sliver = 0.5 * t_on_ms * (0.4 * t_on_ms / 60)
    propulsive_sliver = 0.5 * (250 - t_off_ms) * (0.35 * (250 - t_off_ms) / 60)
    braking_bw_s = (0.5 * 125 * 0.4 - braking_sliver) / 1000
    propulsive_bw_s = (0.5 * 125 * 0.35 - propulsive_sliver) / 1000
    assert_allclose(metrics["braking_impulse_bw_s"], braking_bw_s, rtol=1e-9)
    assert_allclose(metrics["propulsive_impulse_bw_s"], propulsive_bw_s, rtol=1e-9)
    assert_allclose(metrics["net_ap_impulse_bw_s"], propulsive_bw_s - braking_bw_s, rtol=1e-9)
    assert_allclose(metrics["peak_braking_bw"], 0.4, rtol=1e-12)
    assert_allclose(metrics["peak_propulsive_bw"], 0.35, rtol=1e-12)
    assert_allclose(metrics["ml_range_bw"], 0.13, rtol=1e-12)


def test_grf_metrics__free_moment_peak_ignores_lightly_loaded_samples(two_hump):
    metrics = two_hump[-1]
    assert_allclose(metrics["peak_free_moment_nm"], 9.0, rtol=1e-12)
    assert_allclose(metrics["peak_free_moment_bw_height"], 9.0 / (BW_N * HEIGHT_M), rtol=1e-12)


def test_grf_metrics__cop_path_and_strike_index_of_a_known_path(two_hump):
    t, grf, cop, tz, metrics = two_hump
    assert_allclose(metrics["cop_path_length_m"], 0.05 + 0.20, rtol=1e-9)
    # Lands 0.05 m ahead of the rearmost COP on a 0.20 m path.
    assert_allclose(metrics["strike_index"], 0.25, rtol=1e-9)
    # With a 0.25 m foot the heel lies 0.25 m behind the toe-off COP at 0.25 m.
    anchored = grf_metrics(t, grf, MASS_KG, HEIGHT_M, cop_m=cop, foot_length_m=0.25)
    assert_allclose(anchored["strike_index"], 0.10 / 0.25, rtol=1e-9)


def test_grf_metrics__half_sine_has_no_impact_and_uses_the_6_2_percent_rule():
    peak_n, stance_s, fs_hz = 2.4 * BW_N, 0.25, 20_000.0
    t = np.arange(-0.01, stance_s + 0.01, 1.0 / fs_hz)
    inside = (t > 0) & (t < stance_s)
    fz = np.where(inside, peak_n * np.sin(np.pi * t / stance_s), 0.0)
    fx = np.where(inside, -0.3 * BW_N * np.sin(2 * np.pi * t / stance_s), 0.0)
    metrics = grf_metrics(t, np.column_stack([fx, np.full_like(t, np.nan), fz]), MASS_KG, HEIGHT_M)

    def time_at(force_n):
        return stance_s / np.pi * math.asin(force_n / peak_n)

    t_on = time_at(20.0)
    contact_s = stance_s - 2 * t_on
    t_end = t_on + 0.062 * contact_s
    f_end = peak_n * math.sin(np.pi * t_end / stance_s)
    expected_rate = (f_end - 200.0) / BW_N / (t_end - time_at(200.0))
    assert math.isnan(metrics["impact_peak_bw"]) and math.isnan(metrics["impact_peak_time_s"])
    assert math.isnan(metrics["ml_range_bw"])
    assert_allclose(metrics["stance_time_s"], contact_s, rtol=1e-6)
    assert_allclose(metrics["loading_rate_bw_s"], expected_rate, rtol=1e-6)
    assert_allclose(metrics["active_peak_bw"], 2.4, rtol=1e-9)
    assert_allclose(metrics["active_peak_time_s"], stance_s / 2 - t_on, rtol=1e-6)
    impulse_n_s = 2 * peak_n * stance_s / np.pi * math.cos(np.pi * t_on / stance_s)
    assert_allclose(metrics["vertical_impulse_bw_s"], impulse_n_s / BW_N, rtol=1e-6)
    half_impulse_n_s = 0.3 * BW_N * stance_s / (2 * np.pi) * (1 + math.cos(2 * np.pi * t_on / stance_s))
    assert_allclose(metrics["braking_impulse_bw_s"], half_impulse_n_s / BW_N, rtol=1e-6)
    assert_allclose(metrics["net_ap_impulse_bw_s"], 0.0, atol=1e-9)


def test_grf_metrics__impact_above_the_active_peak_as_in_downhill_running():
    t, fz = piecewise_linear([0, 30, 55, 80, 200], np.multiply([0, 2.8, 2.2, 2.5, 0], BW_N))
    metrics = grf_metrics(t, np.column_stack([np.zeros_like(t), np.zeros_like(t), fz]), MASS_KG, HEIGHT_M)
    assert_allclose(metrics["impact_peak_bw"], 2.8, rtol=1e-12)
    assert_allclose(metrics["active_peak_bw"], 2.5, rtol=1e-12)


def test_grf_metrics__small_forefoot_transient_is_an_impact_peak():
    t, fz = piecewise_linear([0, 10, 18, 100, 230], np.multiply([0, 0.6, 0.5, 2.3, 0], BW_N))
    metrics = grf_metrics(t, np.column_stack([np.zeros_like(t), np.zeros_like(t), fz]), MASS_KG, HEIGHT_M)
    assert_allclose(metrics["impact_peak_bw"], 0.6, rtol=1e-12)
    assert_allclose(metrics["loading_rate_bw_s"], 0.6 / 0.010, rtol=1e-9)


def test_grf_metrics__shoulder_without_a_dip_is_no_impact_peak():
    t, fz = piecewise_linear([0, 30, 50, 110, 250], np.multiply([0, 1.5, 1.6, 2.5, 0], BW_N))
    metrics = grf_metrics(t, np.column_stack([np.zeros_like(t), np.zeros_like(t), fz]), MASS_KG, HEIGHT_M)
    assert math.isnan(metrics["impact_peak_bw"])
    assert_allclose(metrics["active_peak_bw"], 2.5, rtol=1e-12)
    assert np.isfinite(metrics["loading_rate_bw_s"])


@pytest.mark.parametrize(
    "fz_n",
    [np.zeros(500), np.full(500, 10.0), np.full(500, np.nan), np.full(500, 800.0)],
    ids=["zero", "below_threshold", "nan", "constant_load"],
)
def test_grf_metrics__flat_curves_never_raise(fz_n):
    t = np.arange(500) / 1000.0
    grf = np.column_stack([np.zeros(500), np.zeros(500), fz_n])
    metrics = grf_metrics(t, grf, MASS_KG, HEIGHT_M, cop_m=np.zeros((500, 2)), free_moment_nm=np.zeros(500))
    assert set(metrics) == set(METRICS)
    assert math.isnan(metrics["impact_peak_bw"])
    if np.nanmax(fz_n, initial=0.0) <= 20.0:
        assert all(math.isnan(value) for value in metrics.values())


def test_grf_metrics__unknown_mass_gives_nan_only_for_scaled_metrics(two_hump):
    t, grf, cop, tz, metrics = two_hump
    unscaled = grf_metrics(t, grf, None, None, cop_m=cop, free_moment_nm=tz)
    assert math.isnan(unscaled["active_peak_bw"]) and math.isnan(unscaled["loading_rate_bw_s"])
    for key in ("stance_time_s", "impact_peak_time_s", "active_peak_time_s", "strike_index"):
        assert_allclose(unscaled[key], metrics[key], rtol=1e-12)


def multi_stance_signal(fs_hz=1000.0):
    """Half-sine stances of 0.25 s every 0.37 s, the first cut by the record start, the record
    ending in flight, plus a 5 ms noise blip above threshold in one flight phase."""
    t = np.arange(0.0, 2.1, 1.0 / fs_hz)
    phase = (t + 0.1) % 0.37
    fz = np.where(phase < 0.25, 2.2 * BW_N * np.sin(np.pi * phase / 0.25), 0.0)
    fz[(t >= 0.62) & (t < 0.625)] = 30.0
    return t, fz


def test_split_stances__drops_noise_and_the_cut_first_stance():
    t, fz = multi_stance_signal()
    ranges = split_stances(t, fz, 20.0)
    cut_included = split_stances(t, fz, 20.0, complete_only=False)
    onsets = 0.37 * np.arange(1, 7) - 0.1
    complete = onsets[onsets + 0.25 < t[-1]]
    assert len(ranges) == len(complete)
    assert len(cut_included) == len(complete) + 1
    for (i0, i1), onset in zip(ranges, complete):
        assert fz[i0] <= 20.0 and fz[i1 - 1] <= 20.0 and (fz[i0 + 1 : i1 - 1] > 20.0).all()
        assert abs(t[i0] - onset) < 0.01


def test_split_stances__each_range_gives_the_stance_time():
    t, fz = multi_stance_signal(fs_hz=5000.0)
    t_on = 0.25 / np.pi * math.asin(20.0 / (2.2 * BW_N))
    for i0, i1 in split_stances(t, fz, 20.0):
        grf = np.column_stack([np.zeros(i1 - i0), np.zeros(i1 - i0), fz[i0:i1]])
        metrics = grf_metrics(t[i0:i1], grf, MASS_KG, HEIGHT_M)
        assert_allclose(metrics["stance_time_s"], 0.25 - 2 * t_on, rtol=1e-5)


def test_lowpass__gain_one_half_at_cutoff_and_no_lag_below_it():
    fs_hz, cutoff_hz = 1000.0, 20.0
    t = np.arange(0.0, 4.0, 1.0 / fs_hz)
    middle = slice(1000, 3000)
    at_cutoff = lowpass(np.sin(2 * np.pi * cutoff_hz * t), fs_hz, cutoff_hz)
    amplitude = math.sqrt(2.0) * np.sqrt(np.mean(at_cutoff[middle] ** 2))
    assert_allclose(amplitude, 0.5, rtol=1e-3)
    slow = np.sin(2 * np.pi * 2.0 * t)
    assert_allclose(lowpass(slow, fs_hz, cutoff_hz)[middle], slow[middle], atol=1e-4)


def test_lowpass__all_nan_column_stays_nan_and_bad_input_raises():
    values = np.column_stack([np.ones(200), np.full(200, np.nan)])
    filtered = lowpass(values, 1000.0, 50.0)
    assert_allclose(filtered[:, 0], 1.0, rtol=1e-9)
    assert np.isnan(filtered[:, 1]).all()
    with pytest.raises(ValueError):
        lowpass(np.r_[np.ones(100), np.nan, np.ones(100)], 1000.0, 50.0)
    with pytest.raises(ValueError):
        lowpass(np.ones(200), 1000.0, 500.0)


def test_cop_valid__masks_below_20_n_and_5_percent_of_peak():
    fz = np.array([0.0, 19.0, 21.0, 49.0, 51.0, 1000.0, np.nan])
    assert cop_valid(fz).tolist() == [False, False, False, False, True, True, False]
    assert cop_valid(np.array([0.0, 21.0, 300.0])).tolist() == [False, True, True]


def test_grf_metrics__a_forefoot_strikers_later_heel_touch_is_not_an_impact_peak():
    """The origin case's heel comes down at about 30 % of stance: that bump was read as an "impact
    peak 2.09 BW" and cut the loading rate there; it is now its own metric, after the impact window."""
    t, fz = piecewise_linear([0, 75, 95, 130, 240], np.multiply([0, 2.1, 1.9, 2.4, 0], BW_N))
    metrics = grf_metrics(t, np.column_stack([np.zeros_like(t), np.zeros_like(t), fz]), MASS_KG, HEIGHT_M)
    assert math.isnan(metrics["impact_peak_bw"]) and math.isnan(metrics["impact_peak_time_s"])
    assert_allclose(metrics["heel_touch_peak_bw"], 2.1, rtol=1e-12)
    t_on = crossing_ms(0, 75, 0, 2.1 * BW_N, 20.0)
    assert_allclose(metrics["heel_touch_time_s"], (75 - t_on) / 1000.0, rtol=1e-9)
    assert_allclose(metrics["active_peak_bw"], 2.4, rtol=1e-12)
    # the loading rate of a stance without impact peak: 200 N to the force at 6.2 % of stance
    slope_n_ms = 2.1 * BW_N / 75
    assert_allclose(metrics["loading_rate_bw_s"], slope_n_ms * 1000.0 / BW_N, rtol=1e-6)


def test_grf_metrics__a_rearfoot_impact_has_no_heel_touch(two_hump):
    metrics = two_hump[-1]
    assert_allclose(metrics["impact_peak_bw"], 1.6, rtol=1e-12)
    assert math.isnan(metrics["heel_touch_peak_bw"]) and math.isnan(metrics["heel_touch_time_s"])
