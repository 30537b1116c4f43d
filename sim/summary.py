"""Summary scalars of one stance (DESIGN 5.1 /summary): force-plate metrics and the worst element per region."""

from __future__ import annotations

import numpy as np

from .foot import REGION_NAMES
from .grf_metrics import grf_metrics
from .variables import DIRECTION_RECORDS, GRF_SUMMARY, REGION_MEAN_SUMMARY, REGION_SUMMARY, TIMING_SUMMARY


def region_worst(region: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The largest element value in each region, (R,)."""
    out = np.zeros(len(REGION_NAMES))
    np.maximum.at(out, region, values)
    return out


def region_mean(region: np.ndarray, area: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per region (R,): the area-weighted mean of an intensive record over the region's elements."""
    n = len(REGION_NAMES)
    total = np.bincount(region, weights=area, minlength=n)
    weighted = np.bincount(region, weights=area * values, minlength=n)
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 0.0)


def region_records(region: np.ndarray, elements: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per region (R,): the worst element of every record, except the peak-shear direction, which
    is the direction at the element of the region's largest peak shear (a worst direction
    component would mix elements)."""
    out = {name: region_worst(region, values) for name, values in elements.items()}
    shear = elements["peak_shear_stress_pa"]
    for k in range(len(REGION_NAMES)):
        members = np.nonzero(region == k)[0]
        peak = members[np.argmax(shear[members])] if len(members) else None
        for name in DIRECTION_RECORDS:
            out[name][k] = elements[name][peak] if peak is not None else 0.0
    return out


def stance_metrics(result) -> dict[str, float]:
    """The force-plate metrics of the result's stance (sim.grf_metrics)."""
    runner = result.scenario["runner"]
    return grf_metrics(result.time_s, result.grf_n, runner["body_mass_kg"], runner["height_m"],
                       cop_m=result.cop_m, free_moment_nm=result.free_moment_nm)


def summarize(result, metrics: dict[str, float], timing: dict[str, float]) -> dict[str, float]:
    """Scalars a person reads first (units in sim/variables.py SUMMARY): the stance's force-plate
    `metrics`, the step `timing` (sim.dose.step_timing), region figures and the energy balance."""
    out = {key: float(metrics[key]) for key in GRF_SUMMARY}
    out.update({key: float(timing[key]) for key in TIMING_SUMMARY})
    region = result.mesh.region
    for suffix, (record, _, scale) in REGION_SUMMARY.items():
        worst = region_worst(region, result.elements[record]) * scale
        for name, value in zip(REGION_NAMES, worst):
            out[f"{name}_{suffix}"] = float(value)
    for suffix in REGION_MEAN_SUMMARY:
        record, _, scale = REGION_SUMMARY[suffix]
        mean = region_mean(region, result.mesh.area_m2, result.elements[record]) * scale
        for name, value in zip(REGION_NAMES, mean):
            out[f"{name}_{suffix}_mean"] = float(value)
    shear = region_worst(region, result.elements["peak_shear_stress_pa"])
    out["worst_shear_region_index"] = float(np.argmax(shear))
    out.update(energy_balance(result.mesh.area_m2, result.elements))
    return out


def energy_balance(area: np.ndarray, elements: dict[str, np.ndarray]) -> dict[str, float]:
    """The stance's energy bookkeeping of the contact layer (J): the work the foot did on the tissue
    equals the losses (compression, bristle damping, friction) plus what the tissue still holds."""
    total = {key: float(area @ elements[record]) for key, record in (
        ("tissue_work_j", "tissue_work_j_m2"), ("compression_loss_j", "compression_loss_j_m2"),
        ("shear_damping_loss_j", "shear_damping_loss_j_m2"), ("friction_loss_j", "friction_work_j_m2"),
        ("stored_energy_end_j", "stored_energy_j_m2"))}
    accounted = (total["compression_loss_j"] + total["shear_damping_loss_j"] + total["friction_loss_j"]
                 + total["stored_energy_end_j"])
    total["energy_residual_fraction"] = (total["tissue_work_j"] - accounted) / max(abs(total["tissue_work_j"]), 1e-300)
    return total


def worst_of_regions(summary: dict[str, float], regions, suffix: str) -> float:
    """The largest summary value `<region>_<suffix>` over `regions` (e.g. HEEL_REGIONS, "peak_pressure_kpa")."""
    return max(summary[f"{name}_{suffix}"] for name in regions)


def worst_shear_region(summary: dict[str, float]) -> str:
    return REGION_NAMES[int(summary["worst_shear_region_index"])]
