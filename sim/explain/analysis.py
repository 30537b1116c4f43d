"""The numbers of an explain study, read from its sweep files: Sobol indices, one-at-a-time curves,
the region's shear direction, and the cumulative load per kilometre.

Everything here is a function of the HDF5 files (and the base scenario for speed and touchdown
velocity), so the report can be checked against them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import xarray as xr

from ..foot import REGION_NAMES
from ..sweeps.layout import STATUS_DONE
from ..sweeps.report import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE, store_sobol
from ..sweeps.sobol import SobolIndices, saltelli_split, sobol_indices
from ..dose import step_timing
from ..variables import REGION_SUMMARY
from .factors import Factor
from .study import SOBOL, Study, oat_name, sweep_paths


def _with_units(labels):
    return tuple((suffix, what, REGION_SUMMARY[suffix][1]) for suffix, what in labels)


# per-region summary metrics (suffix of the sweep variable `<region>_<suffix>`, what, unit from sim/variables.py)
REGION_METRICS = _with_units((("peak_shear_kpa", "peak shear stress"), ("slip_mm", "slip distance"),
                              ("friction_work_mj", "frictional work"), ("shear_time_integral_kpa_s", "shear-time integral")))
ROW_METRICS = REGION_METRICS + _with_units((("peak_pressure_kpa", "peak pressure"), ("contact_time_ms", "contact time")))
# Slip and frictional work span orders of magnitude across a design, and the variance of the raw
# values belongs to the few runs where the whole foot skids; on a log scale the indices say which
# factor changes them by the largest factors. Zero (no contact) would be -inf: values below
# LOG_FLOOR x the design's median positive value count as that.
LOG_SUFFIXES = ("slip_mm", "friction_work_mj")
LOG_FLOOR = 1e-3
LOG_PREFIX = "log10_"
# the indices' outputs: (key, what, unit)
SOBOL_METRICS = REGION_METRICS + tuple((LOG_PREFIX + s, f"{what}, log10", f"log10 {unit}")
                                       for s, what, unit in REGION_METRICS if s in LOG_SUFFIXES)
PRIMARY = REGION_METRICS[0][0]


def open_file(path: str | Path) -> xr.Dataset:
    """A sweep file, lazily (Sobol files with per-element records are large)."""
    return xr.open_dataset(path, engine="h5netcdf")


def shear_direction(shear_pa: np.ndarray, dir_x: np.ndarray, dir_y: np.ndarray) -> dict:
    """Mean direction of the ground's traction on the skin at peak shear over some elements, weighted by peak shear.

    Foot frame of the simulated right foot: angle 0 = toward the toes, +90 = medial (+y), -90 = lateral,
    +-180 = toward the back of the heel. `medial_component` = sin(angle); `resultant` = length of the
    weighted mean of the unit vectors (1 when every element agrees, 0 when they cancel).
    """
    total = float(np.sum(shear_pa))
    if total <= 0.0:
        return {"angle_deg": math.nan, "medial_component": math.nan, "resultant": 0.0}
    mx, my = float(np.sum(shear_pa * dir_x) / total), float(np.sum(shear_pa * dir_y) / total)
    length = math.hypot(mx, my)
    if length == 0.0:
        return {"angle_deg": math.nan, "medial_component": math.nan, "resultant": 0.0}
    return {"angle_deg": math.degrees(math.atan2(my, mx)), "medial_component": my / length, "resultant": length}


def row_record(ds: xr.Dataset, index: int, region: str, speed_m_s: float, touchdown_vz_m_s: float,
               toe_out_deg: float) -> dict:
    """The region's numbers for one scenario of a sweep file that holds per-element records."""
    if int(ds.status.values[index]) != STATUS_DONE:
        return {"status": "failed", "message": str(ds["message"].values[index]) if "message" in ds else ""}
    out = {"status": "done"}
    for suffix, _, _ in ROW_METRICS:
        out[suffix] = float(ds[f"{region}_{suffix}"].values[index])
    # every region's worst element, to say whether this region is where the foot is loaded most
    out["all_regions"] = {name: {suffix: float(ds[f"{name}_{suffix}"].values[index])
                                 for suffix in ("peak_shear_kpa", "peak_pressure_kpa")} for name in REGION_NAMES}
    mask = ds.mesh_region.values == REGION_NAMES.index(region)
    area = ds.mesh_area.values[mask]
    element = {name: ds[f"element_{name}"][index].values[mask] for name in
               ("peak_shear_stress_pa", "peak_shear_dir_x", "peak_shear_dir_y", "friction_work_j", "contact_time_s")}
    direction = shear_direction(element["peak_shear_stress_pa"], element["peak_shear_dir_x"], element["peak_shear_dir_y"])
    # with the foot yawed by the toe-out at touchdown; twist turns it later in stance
    direction["ground_angle_deg"] = direction["angle_deg"] - toe_out_deg
    out["direction"] = direction
    out["touched_fraction"] = float(np.mean(element["contact_time_s"] > 0))
    out["region_friction_work_j"] = float(np.sum(element["friction_work_j"]))
    out["peak_friction_work_j_m2"] = float(np.max(element["friction_work_j"] / area))
    timing = step_timing(float(ds.stance_time_s.values[index]), speed_m_s, touchdown_vz_m_s)
    out["timing"] = timing
    km = timing["contacts_per_km"]
    out["per_km"] = {"region_friction_work_j": out["region_friction_work_j"] * km,
                     "peak_friction_work_kj_m2": out["peak_friction_work_j_m2"] * km * 1e-3,
                     "peak_shear_time_integral_kpa_s": out["shear_time_integral_kpa_s"] * km}
    return out


def _row_context(study: Study) -> tuple[float, float]:
    runner = study.base_scenario()["runner"]
    return runner["speed_m_s"], runner["hip_vertical_velocity_m_s"]


def _toe_out(ds: xr.Dataset, index: int, default: float) -> float:
    return float(ds["strike.toe_out_deg"].values[index]) if "strike.toe_out_deg" in ds.variables else default


def oat_numbers(study: Study, folder: Path, factor: Factor) -> dict:
    """One factor's curve: its levels, the region's numbers at each, and which level is the base."""
    _, h5 = sweep_paths(folder, oat_name(factor))
    speed, vz = _row_context(study)
    base_toe_out = study.base_scenario()["strike"]["toe_out_deg"]
    base = study.base_value(factor)
    with open_file(h5) as ds:
        values = ds[factor.key].values.astype(float)
        rows = [row_record(ds, i, study.region, speed, vz, _toe_out(ds, i, base_toe_out)) for i in range(len(values))]
    return {"key": factor.key, "values": values.tolist(), "base_index": int(np.argmin(np.abs(values - base))),
            "rows": rows}


def log_values(values: np.ndarray, floor_fraction: float = LOG_FLOOR) -> np.ndarray:
    """log10 of non-negative outputs, with values below floor_fraction x the median positive value raised to it; NaN stays."""
    values = np.asarray(values, dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size == 0:
        return np.where(np.isfinite(values), 0.0, np.nan)
    return np.log10(np.maximum(values, floor_fraction * np.median(positive)))


def sobol_outputs(ds: xr.Dataset, region: str) -> dict[str, np.ndarray]:
    """Each Sobol output of SOBOL_METRICS over the sweep's rows; NaN where a run is not done."""
    done = ds.status.values == STATUS_DONE
    raw = {s: np.where(done, ds[f"{region}_{s}"].values, np.nan) for s, _, _ in REGION_METRICS}
    return {key: log_values(raw[key[len(LOG_PREFIX):]]) if key.startswith(LOG_PREFIX) else raw[key]
            for key, _, _ in SOBOL_METRICS}


def sobol_result(study: Study, folder: Path) -> tuple[list[str], list[str], SobolIndices, dict]:
    """(outputs, axis keys, indices with bootstrap intervals, the outputs' values) of the study's Sobol file.

    The estimator and its bootstrap are sim.sweeps.sobol's, with `footsim report`'s settings."""
    _, h5 = sweep_paths(folder, SOBOL)
    with open_file(h5) as ds:
        axes = ds.attrs["axes"].split()
        outputs = sobol_outputs(ds, study.region)
    return list(outputs), axes, indices_of(outputs, len(axes)), outputs


def indices_of(outputs: dict[str, np.ndarray], n_axes: int) -> SobolIndices:
    """Sobol indices of each output over rows in Saltelli's layout, with bootstrap intervals."""
    f_a, f_b, f_ab = saltelli_split(np.stack(list(outputs.values()), axis=1), n_axes)
    return sobol_indices(f_a, f_b, f_ab, n_resamples=BOOTSTRAP_RESAMPLES, confidence_level=CONFIDENCE,
                         seed=BOOTSTRAP_SEED)


def sobol_numbers(study: Study, folder: Path) -> dict:
    """Indices of the region's metrics for each factor (stored back into the Sobol file as sobol_*)."""
    _, h5 = sweep_paths(folder, SOBOL)
    names, keys, result, outputs = sobol_result(study, folder)
    with open_file(h5) as ds:
        factor_values = {key: ds[key].values for key in keys}
    store_sobol(h5, [f"{study.region}_{name}" for name in names], keys, result)
    by_key = {f.key: f.name for f in study.factors}
    table = {}
    for k, name in enumerate(names):
        finite = np.isfinite(outputs[name])
        values = outputs[name][finite]
        spread = {q: float(np.quantile(values, p)) if values.size else math.nan
                  for q, p in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))}
        if values.size:
            largest = int(np.flatnonzero(finite)[np.argmax(values)])
            spread["max"] = float(outputs[name][largest])
            spread["max_at"] = {by_key[key]: float(factor_values[key][largest]) for key in keys}
        rows = [{"factor": by_key[key], "key": key,
                 "first_order": float(result.first_order[k, i]),
                 "first_order_interval": [float(v) for v in result.first_order_interval[k, i]],
                 "total_order": float(result.total_order[k, i]),
                 "total_order_interval": [float(v) for v in result.total_order_interval[k, i]]}
                for i, key in enumerate(keys)]
        rows.sort(key=lambda r: -r["total_order"] if math.isfinite(r["total_order"]) else math.inf)
        table[name] = {"n_used": int(result.n_used[k]), "ranking": rows, "spread": spread}
    done = np.isfinite(outputs[PRIMARY])
    return {"file": str(h5), "scenarios": int(done.size), "done": int(done.sum()), "failed": int((~done).sum()),
            "confidence_level": result.confidence_level, "log_floor_fraction": LOG_FLOOR, "metrics": table}


def study_numbers(study: Study, folder: str | Path) -> dict:
    """Every number the study's report shows (JSON-ready)."""
    folder = Path(folder)
    oat = {f.name: oat_numbers(study, folder, f) for f in study.factors}
    first = oat[study.factors[0].name]
    base = first["rows"][first["base_index"]]
    # the base case sits on every curve; it must be the same run everywhere
    spread = max(abs(c["rows"][c["base_index"]].get(PRIMARY, math.nan) - base.get(PRIMARY, math.nan))
                 for c in oat.values())
    return {"study": study.describe(), "base": base, "base_repeat_max_difference_kpa": spread,
            "sobol": sobol_numbers(study, folder), "oat": oat}
