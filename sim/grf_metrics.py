"""Stance metrics of a ground reaction force curve, computed alike for recorded data and the model.

All inputs are in footsim's ground frame (DESIGN.md section 2): x forward, y left, z up, force of
the ground on the foot, SI units. Body-weight (BW) normalisation uses BW = body_mass_kg * GRAVITY_M_S2 (sim/variables.py).

`grf_metrics` takes ONE stance (a window that may include some swing samples around it); use
`split_stances` first when a record holds several. Every metric is a float and NaN when it is not
defined (no impact peak, a missing force column, no COP, a flat curve): nothing here raises on
data, so one odd stance cannot stop a validation report.
"""

import numpy as np

from .variables import GRAVITY_M_S2, GRF_METRICS

# the metrics computed here; their units and meanings are declared in sim/variables.py
METRICS = GRF_METRICS

# An impact peak must be followed by a dip of at least this fraction of the active peak:
# smaller ripples on the rising edge of raw data are noise, not an impact.
IMPACT_MIN_DIP_FRACTION = 0.01
# The active peak after an impact's dip must reach this fraction of the impact peak: in raw plate
# data a forefoot striker's single peak can fall inside the impact window, and the noise of the
# unloading tail then "rises again" by more than the minimum dip (Fukuchi S001: 2.2 BW "impacts"
# with 0.14 BW "active peaks").
ACTIVE_MIN_FRACTION_OF_IMPACT = 0.5
# Window for the impact peak, as a fraction of stance. Lieberman et al. 2010 put the impact
# transient in the first 15 %, but the recorded rearfoot impacts bundled here lie at 10-26 % of
# stance counted from the 20 N threshold (Alcantara level runs 13-20 %, Fukuchi 15 % median; 25-55
# ms), while a forefoot striker's heel coming down lies at 30 % and later (the model's origin case
# 31-33 % at any toe-out). A dip-and-rise peak after the window, up to HEEL_TOUCH_WINDOW_FRACTION,
# is that heel touch, not an impact.
IMPACT_WINDOW_FRACTION = 0.25
HEEL_TOUCH_WINDOW_FRACTION = 0.40
# Lieberman et al. 2010: loading rate starts at 200 N; without impact peak it ends at the force
# at 6.2 % of stance (the mean time of the impact peak in their rearfoot strikes).
LOADING_RATE_START_N = 200.0
LOADING_RATE_IMPACT_FRACTION = 0.90
LOADING_RATE_NO_IMPACT_STANCE_FRACTION = 0.062
FREE_MOMENT_MIN_FZ_BW = 0.20
# COP is meaningless where the vertical force is small (DESIGN.md 5.4): the one cut-off for recorded
# data and the model alike (sim/result.py). 20 N is the stance threshold of `split_stances` and
# `grf_metrics`, the usual force-plate contact threshold. For recordings only, 5 % of the peak as
# well: plate noise moves the COP by centimetres at low load.
COP_MIN_FZ_N = 20.0
COP_MIN_FZ_FRACTION_OF_PEAK = 0.05
# Below this AP extent (m) the COP did not travel and the strike index is undefined.
STRIKE_INDEX_MIN_RANGE_M = 1e-3


def cop_valid(fz_n, min_fz_n=COP_MIN_FZ_N, min_fraction_of_peak=COP_MIN_FZ_FRACTION_OF_PEAK):
    """Samples where the COP is meaningful: Fz >= max(min_fz_n, min_fraction_of_peak * max Fz).

    fz_n: (T,) vertical force, N. Returns a (T,) bool array (False where Fz is NaN).
    """
    fz = np.asarray(fz_n, dtype=float)
    finite = np.isfinite(fz)
    if not finite.any():
        return np.zeros(fz.shape, dtype=bool)
    level = max(min_fz_n, min_fraction_of_peak * np.max(fz[finite]))
    return finite & (np.where(finite, fz, -np.inf) >= level)


def lowpass(signal_values, fs_hz, cutoff_hz, order=4):
    """Zero-lag Butterworth low-pass (forward-backward), to give the model a data set's filter.

    signal_values: (T,) or (T, k), filtered along axis 0; columns that are all NaN stay NaN.
    The forward-backward pass squares the magnitude response: gain 0.5 at cutoff_hz.
    Second-order sections (`sosfiltfilt`) are the numerically safe form of `filtfilt` for low
    cutoff-to-sampling ratios; the result is the same filter.
    """
    values = np.asarray(signal_values, dtype=float)
    if not 0.0 < cutoff_hz < fs_hz / 2.0:
        raise ValueError(f"cutoff_hz={cutoff_hz} must lie between 0 and fs_hz/2={fs_hz / 2.0}")
    from scipy import signal  # imported here: 0.35 s of every sweep worker's start-up otherwise

    sos = signal.butter(order, cutoff_hz, btype="low", fs=fs_hz, output="sos")
    columns = values.reshape(len(values), -1)
    out = np.full_like(columns, np.nan)
    for k in range(columns.shape[1]):
        column = columns[:, k]
        if np.isnan(column).all():
            continue
        if np.isnan(column).any():
            raise ValueError(f"column {k} has NaN samples: filter before masking")
        out[:, k] = signal.sosfiltfilt(sos, column)
    return out.reshape(values.shape)


def split_stances(time_s, fz_n, threshold_n=20.0, min_duration_s=0.05, complete_only=True):
    """Index ranges (i0, i1) of the stances in a record, for slicing `x[i0:i1]`.

    A stance is a run of samples with Fz > threshold_n lasting at least min_duration_s (shorter
    runs are noise). Each range is widened by one sample on each side, so that it holds the
    threshold crossings and `grf_metrics` can interpolate touchdown and toe-off. With
    complete_only, stances cut by the start or end of the record are dropped.
    """
    t = np.asarray(time_s, dtype=float)
    fz = np.nan_to_num(np.asarray(fz_n, dtype=float), nan=-np.inf)
    above = np.concatenate(([False], fz > threshold_n, [False]))
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    starts, stops = edges[0::2], edges[1::2]
    n = len(t)
    ranges = []
    for i0, i1 in zip(starts, stops):
        if t[i1 - 1] - t[i0] < min_duration_s:
            continue
        if complete_only and (i0 == 0 or i1 == n):
            continue
        ranges.append((int(max(i0 - 1, 0)), int(min(i1 + 1, n))))
    return ranges


def _crossing_time(t, f, level, k):
    """Time where f crosses level between samples k-1 and k (linear interpolation), or t[k]
    when there is no such crossing to interpolate (k = 0, a NaN neighbour, both on one side)."""
    if k == 0 or not np.isfinite(f[k - 1]) or (f[k - 1] - level) * (f[k] - level) > 0:
        return t[k]
    if f[k] == f[k - 1]:
        return t[k]
    return t[k - 1] + (level - f[k - 1]) / (f[k] - f[k - 1]) * (t[k] - t[k - 1])


def _stance_samples(t, values, seg, t_on, t_off):
    """Times and values over exactly [t_on, t_off]: the stance samples plus interpolated ends,
    so that impulses do not depend on where the sampling grid falls."""
    times = np.concatenate(([t_on], t[seg], [t_off]))
    ends = np.interp([t_on, t_off], t, values)
    return times, np.concatenate(([ends[0]], values[seg], [ends[1]]))


def _first_rise(t, f, level, start, stop):
    """Interpolated time of the first sample in [start, stop] with f >= level, or NaN."""
    hits = np.flatnonzero(f[start : stop + 1] >= level)
    if len(hits) == 0:
        return np.nan
    return _crossing_time(t, f, level, start + hits[0])


def _transient(f, t_rel, t_from, t_to):
    """(peak, active) indices of the first local maximum with t_from < t_rel <= t_to after which Fz
    dips by at least min_dip and then rises again by at least min_dip to the active peak, the
    maximum after that dip, which must reach ACTIVE_MIN_FRACTION_OF_IMPACT of the peak; or None.
    The peak may exceed the active peak (downhill running)."""
    min_dip = IMPACT_MIN_DIP_FRACTION * np.max(f)
    for i in range(1, len(f) - 1):
        if t_rel[i] > t_to:
            break
        if t_rel[i] <= t_from or not (f[i] >= f[i - 1] and f[i] > f[i + 1]):
            continue
        lowest = np.minimum.accumulate(f[i:])
        rises_again = (f[i] - lowest >= min_dip) & (f[i:] - lowest >= min_dip)
        if rises_again.any():
            dip = i + int(np.argmin(f[i : i + int(np.argmax(rises_again)) + 1]))
            active = dip + int(np.argmax(f[dip:]))
            if f[active] >= ACTIVE_MIN_FRACTION_OF_IMPACT * f[i]:
                return i, active
    return None


def _vertical_peaks(f, t_rel, stance_time_s):
    """Indices (impact or None, heel touch or None, active) of the vertical force peaks of one stance:
    the impact within IMPACT_WINDOW_FRACTION of stance; without one, a heel touch up to
    HEEL_TOUCH_WINDOW_FRACTION (a rearfoot striker's heel is down already: a later bump there is
    the pad's rebound); the active peak after either (the stance's maximum without them)."""
    impact = _transient(f, t_rel, -np.inf, IMPACT_WINDOW_FRACTION * stance_time_s)
    heel = None if impact else _transient(f, t_rel, IMPACT_WINDOW_FRACTION * stance_time_s,
                                          HEEL_TOUCH_WINDOW_FRACTION * stance_time_s)
    last = heel or impact
    active = last[1] if last else int(np.argmax(f))
    return (impact[0] if impact else None), (heel[0] if heel else None), active


def _nan_metrics():
    return {key: np.nan for key in METRICS}


def _strike_index(x, foot_length_m):
    """Strike index from the valid COP x samples of one stance (see METRICS).

    Without foot_length_m the heel and toe ends are the ends of the COP path. That is exact for
    a heel strike but reads midfoot and forefoot strikes too low, because their COP never goes
    back to the heel; with foot_length_m the toe end is the most anterior COP (toe-off) and the
    heel end lies one foot length behind it.
    """
    toe_m = np.max(x)
    heel_m = np.min(x) if foot_length_m is None else toe_m - foot_length_m
    if toe_m - heel_m <= STRIKE_INDEX_MIN_RANGE_M:
        return np.nan
    return float(np.clip((x[0] - heel_m) / (toe_m - heel_m), 0.0, 1.0))


def grf_metrics(
    time_s,
    grf_n,
    body_mass_kg,
    height_m,
    cop_m=None,
    free_moment_nm=None,
    threshold_n=20.0,
    foot_length_m=None,
):
    """Stance metrics (keys and units in METRICS) of one stance in the ground frame.

    time_s: (T,) s. grf_n: (T, 3) N, force of the ground on the foot, x forward, y left, z up; a
    column may be all NaN when a trial lacks it. cop_m: (T, 2) m or None; masked here as well
    (see cop_valid). free_moment_nm: (T,) N m or None. body_mass_kg / height_m may be None: the
    metrics scaled by them are then NaN. Touchdown and toe-off are where Fz crosses threshold_n.
    foot_length_m, when known, anchors the strike index (see _strike_index).
    """
    t = np.asarray(time_s, dtype=float)
    grf = np.asarray(grf_n, dtype=float)
    fz_all = grf[:, 2]
    bw_n = GRAVITY_M_S2 * body_mass_kg if body_mass_kg else np.nan
    bw_height_nm = bw_n * height_m if height_m else np.nan
    result = _nan_metrics()

    on = np.flatnonzero(np.nan_to_num(fz_all, nan=-np.inf) > threshold_n)
    if len(on) < 2:
        return result
    i0, i1 = on[0], on[-1]
    t_on = _crossing_time(t, fz_all, threshold_n, i0)
    t_off = _crossing_time(t, fz_all, threshold_n, i1 + 1) if i1 + 1 < len(t) else t[i1]
    stance_time_s = t_off - t_on
    seg = slice(i0, i1 + 1)
    fz_clean = np.nan_to_num(fz_all, nan=0.0)
    ts, fz = t[seg], fz_clean[seg]
    t_rel = ts - t_on
    stance_times, fz_stance = _stance_samples(t, fz_clean, seg, t_on, t_off)

    i_impact, i_heel, i_active = _vertical_peaks(fz, t_rel, stance_time_s)
    result.update(
        stance_time_s=stance_time_s,
        active_peak_bw=fz[i_active] / bw_n,
        active_peak_time_s=t_rel[i_active],
        vertical_impulse_bw_s=np.trapezoid(fz_stance, stance_times) / bw_n,
    )

    # Search for the 200 N crossing from the sample before touchdown so it can be interpolated.
    t_200 = _first_rise(t, fz_all, LOADING_RATE_START_N, max(i0 - 1, 0), i1)
    if i_heel is not None:
        result.update(heel_touch_peak_bw=fz[i_heel] / bw_n, heel_touch_time_s=t_rel[i_heel])
    if i_impact is not None:
        impact_n = fz[i_impact]
        result.update(impact_peak_bw=impact_n / bw_n, impact_peak_time_s=t_rel[i_impact])
        f_end = LOADING_RATE_IMPACT_FRACTION * impact_n
        t_end = _first_rise(t, fz_all, f_end, max(i0 - 1, 0), i0 + i_impact)
    else:
        t_end = t_on + LOADING_RATE_NO_IMPACT_STANCE_FRACTION * stance_time_s
        f_end = np.interp(t_end, ts, fz)
    if f_end > LOADING_RATE_START_N and t_end > t_200:
        result["loading_rate_bw_s"] = (f_end - LOADING_RATE_START_N) / bw_n / (t_end - t_200)

    fx = _stance_samples(t, grf[:, 0], seg, t_on, t_off)[1]
    if np.isfinite(fx).all():
        braking, propulsive = np.minimum(fx, 0.0), np.maximum(fx, 0.0)
        result.update(
            peak_braking_bw=-np.min(braking) / bw_n,
            peak_propulsive_bw=np.max(propulsive) / bw_n,
            braking_impulse_bw_s=-np.trapezoid(braking, stance_times) / bw_n,
            propulsive_impulse_bw_s=np.trapezoid(propulsive, stance_times) / bw_n,
            net_ap_impulse_bw_s=np.trapezoid(fx, stance_times) / bw_n,
        )
    fy = grf[seg, 1]
    if np.isfinite(fy).any():
        result["ml_range_bw"] = (np.nanmax(fy) - np.nanmin(fy)) / bw_n

    if free_moment_nm is not None:
        tz = np.asarray(free_moment_nm, dtype=float)[seg]
        loaded = (fz > FREE_MOMENT_MIN_FZ_BW * bw_n) & np.isfinite(tz)
        if loaded.any():
            peak_nm = np.max(np.abs(tz[loaded]))
            result.update(
                peak_free_moment_nm=peak_nm, peak_free_moment_bw_height=peak_nm / bw_height_nm
            )

    if cop_m is not None:
        cop = np.asarray(cop_m, dtype=float)[seg]
        valid = cop_valid(fz) & np.isfinite(cop).all(axis=1)
        if valid.sum() >= 2:
            steps = np.diff(cop, axis=0)
            both_valid = valid[1:] & valid[:-1]
            path_m = np.hypot(steps[both_valid, 0], steps[both_valid, 1])
            result["cop_path_length_m"] = np.sum(path_m)
            result["strike_index"] = _strike_index(cop[valid, 0], foot_length_m)
    return {key: float(value) for key, value in result.items()}
