"""Pictures of an explain study: Sobol bars (sim.sweeps.report), one-at-a-time curves, plantar maps.

Small PNGs (they are committed with the case study): modest sizes and dpi.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..model import mesh_for
from ..plots import plantar_map, plt
from ..sweeps.report import sobol_pictures
from .analysis import REGION_METRICS, open_file, sobol_result
from .factors import Factor
from .study import Study, oat_name, sweep_paths

DPI = 70
CURVES = REGION_METRICS[:3]


def _element_row(path: Path, index: int, name: str) -> np.ndarray:
    with open_file(path) as ds:
        return ds[f"element_{name}"][index].values


def sobol_figures(study: Study, folder: Path, out: Path) -> list[Path]:
    names, keys, result, _ = sobol_result(study, folder)
    labels = [f"{study.region}_{name}" for name in names]
    return sobol_pictures(labels, keys, result, labels, out, f"{study.title}, {study.region}")


def oat_curves(study: Study, numbers: dict, out: Path) -> Path:
    """Rows: factors; columns: the region's peak shear, slip, frictional work and shear direction."""
    factors = study.factors
    fig, axes = plt.subplots(len(factors), len(CURVES) + 1, figsize=(12, 2.3 * len(factors) + 0.6), squeeze=False)
    for row, factor in zip(axes, factors):
        curve = numbers["oat"][factor.name]
        x = np.array(curve["values"]) * factor.show_scale
        done = [r["status"] == "done" for r in curve["rows"]]
        columns = [(f"{what} ({unit})", [r.get(suffix, np.nan) for r in curve["rows"]]) for suffix, what, unit in CURVES]
        columns.append(("shear direction (deg, foot frame)",
                        [r["direction"]["angle_deg"] if ok else np.nan for r, ok in zip(curve["rows"], done)]))
        for panel, (label, y) in zip(row, columns):
            panel.plot(x, y, "o-", ms=3)
            b = curve["base_index"]
            panel.plot(x[b], y[b], "o", color="C3", ms=6, label="base")
            panel.set_xlabel(factor.label(), fontsize=8)
            panel.set_ylabel(label, fontsize=8)
            panel.tick_params(labelsize=7)
            if factor.log:
                panel.set_xscale("log")
        row[-1].axhline(0, color="k", lw=0.5)
        row[-1].set_ylim(-180, 180)
        row[-1].set_yticks([-180, -90, 0, 90, 180])
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"{study.title}: {study.region}, one factor at a time (others at the base); direction: "
                 "0 = toward the toes, +90 = medial, -90 = lateral", fontsize=9)
    fig.tight_layout()
    path = out / "oat_curves.png"
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def _maps(path: Path, index: int) -> dict[str, np.ndarray]:
    names = ("peak_pressure_pa", "peak_shear_stress_pa", "peak_shear_dir_x", "peak_shear_dir_y", "friction_work_j")
    return {name: _element_row(path, index, name) for name in names}


def base_maps(study: Study, folder: Path, numbers: dict, out: Path) -> Path:
    """The base case: peak pressure, peak shear with the ground's pull on the skin, frictional work."""
    mesh = mesh_for(study.base_scenario())
    factor = study.factors[0]
    curve = numbers["oat"][factor.name]
    el = _maps(sweep_paths(folder, oat_name(factor))[1], curve["base_index"])
    fig, axes = plt.subplots(1, 3, figsize=(12, 5.4))
    plantar_map(axes[0], mesh, el["peak_pressure_pa"] / 1e3, "peak pressure (kPa)", "magma")
    plantar_map(axes[1], mesh, el["peak_shear_stress_pa"] / 1e3, "peak shear stress (kPa)", "viridis",
                arrows=np.stack([el["peak_shear_dir_x"], el["peak_shear_dir_y"]], axis=1))
    plantar_map(axes[2], mesh, el["friction_work_j"] * 1e3, "frictional work (mJ)", "inferno")
    axes[1].set_title("arrows: ground's pull on the skin at peak", fontsize=8)
    base = numbers["base"]
    fig.suptitle(f"{study.title}, base case: {study.region} peak shear {base.get('peak_shear_kpa', np.nan):.1f} kPa, "
                 f"peak pressure {base.get('peak_pressure_kpa', np.nan):.0f} kPa", fontsize=9)
    fig.tight_layout()
    path = out / "maps_base.png"
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def extreme_maps(study: Study, folder: Path, numbers: dict, out: Path) -> Path:
    """Peak shear stress maps with each factor at the low and the high end of its range, the others at the base."""
    mesh = mesh_for(study.base_scenario())
    factors: tuple[Factor, ...] = study.factors
    fig, axes = plt.subplots(2, len(factors), figsize=(3.1 * len(factors) + 0.4, 8.2), squeeze=False)
    for col, factor in enumerate(factors):
        curve = numbers["oat"][factor.name]
        path = sweep_paths(folder, oat_name(factor))[1]
        for row, index in enumerate((0, len(curve["values"]) - 1)):
            panel = axes[row, col]
            record = curve["rows"][index]
            shear = _element_row(path, index, "peak_shear_stress_pa") / 1e3
            plantar_map(panel, mesh, shear, "peak shear (kPa)", "viridis")
            value = factor.show(curve["values"][index])
            region = f"{record['peak_shear_kpa']:.0f} kPa" if record["status"] == "done" else "failed"
            panel.set_title(f"{factor.name} = {value}\n{study.region}: {region}", fontsize=8)
            panel.set_xlabel("")
            panel.set_ylabel("")
            panel.tick_params(labelsize=6)
    fig.suptitle(f"{study.title}: peak shear stress with each factor at its range's ends (top: low, bottom: high)",
                 fontsize=9)
    fig.tight_layout()
    path = out / "maps_extremes.png"
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def study_figures(study: Study, folder: str | Path, numbers: dict) -> list[Path]:
    folder = Path(folder)
    return [*sobol_figures(study, folder, folder), oat_curves(study, numbers, folder),
            base_maps(study, folder, numbers, folder), extreme_maps(study, folder, numbers, folder)]
