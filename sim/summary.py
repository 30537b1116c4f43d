"""Summary scalars of one stance (DESIGN 5.1 /summary): force-plate metrics and the worst element per region."""

from __future__ import annotations

import numpy as np

from .foot import REGION_NAMES
from .grf_metrics import grf_metrics

# per-region summary: (summary suffix, element record, scale from SI)
REGION_SUMMARY = (
    ("peak_shear_kpa", "peak_shear_stress_pa", 1e-3),
    ("peak_pressure_kpa", "peak_pressure_pa", 1e-3),
    ("peak_shear_strain", "peak_shear_strain", 1.0),
    ("slip_mm", "slip_distance_m", 1e3),
    ("friction_work_mj", "friction_work_j", 1e3),
    ("shear_time_integral_kpa_s", "shear_time_integral_pa_s", 1e-3),
    ("contact_time_ms", "contact_time_s", 1e3),
)

GRF_SUMMARY = ("impact_peak_bw", "impact_peak_time_s", "heel_touch_peak_bw", "heel_touch_time_s", "loading_rate_bw_s",
               "active_peak_bw", "stance_time_s",
               "peak_braking_bw", "peak_propulsive_bw", "braking_impulse_bw_s", "propulsive_impulse_bw_s",
               "net_ap_impulse_bw_s", "ml_range_bw", "peak_free_moment_nm", "peak_free_moment_bw_height",
               "strike_index")


def region_worst(region: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The largest element value in each region, (R,)."""
    out = np.zeros(len(REGION_NAMES))
    np.maximum.at(out, region, values)
    return out


def region_records(region: np.ndarray, elements: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per region (R,): the worst element of every record, except the peak-shear direction, which
    is the direction at the element of the region's largest peak shear (a worst direction
    component would mix elements)."""
    out = {name: region_worst(region, values) for name, values in elements.items()}
    shear = elements["peak_shear_stress_pa"]
    for k in range(len(REGION_NAMES)):
        members = np.nonzero(region == k)[0]
        peak = members[np.argmax(shear[members])] if len(members) else None
        for name in ("peak_shear_dir_x", "peak_shear_dir_y"):
            out[name][k] = elements[name][peak] if peak is not None else 0.0
    return out


def summarize(result) -> dict[str, float]:
    """Scalars a person reads first; every key carries its unit."""
    runner = result.scenario["runner"]
    metrics = grf_metrics(result.time_s, result.grf_n, runner["body_mass_kg"], runner["height_m"],
                          cop_m=result.cop_m, free_moment_nm=result.free_moment_nm)
    out = {key: float(metrics[key]) for key in GRF_SUMMARY}
    region = result.mesh.region
    for suffix, record, scale in REGION_SUMMARY:
        worst = region_worst(region, result.elements[record]) * scale
        for name, value in zip(REGION_NAMES, worst):
            out[f"{name}_{suffix}"] = float(value)
    shear = region_worst(region, result.elements["peak_shear_stress_pa"])
    out["worst_shear_region_index"] = float(np.argmax(shear))
    return out


def worst_shear_region(summary: dict[str, float]) -> str:
    return REGION_NAMES[int(summary["worst_shear_region_index"])]
