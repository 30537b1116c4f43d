"""Pictures of an explain study: Sobol bars (sim.sweeps.report), one-at-a-time curves, plantar maps.

Small PNGs (they are committed with the case study): modest sizes and dpi.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.ticker import NullFormatter

from ..foot import HEEL_REGIONS, in_regions
from ..model import mesh_for
from ..plots import plantar_map, plt
from ..sweeps.report import sobol_pictures
from .analysis import REGION_METRICS, SOBOL_METRICS, open_file, sobol_result
from .factors import Factor
from .study import Study, oat_name, sweep_paths

DPI = 60


def save_figure(fig, path: Path, title: str) -> Path:
    """Title, lay out, write at the study's resolution and close: the last steps of every figure."""
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
CURVES = REGION_METRICS[:3]
ZOOM_MARGIN_M = 0.015


def rearfoot_map(ax, mesh, values: np.ndarray, label: str, arrows: np.ndarray | None = None) -> None:
    """A plantar map of the heel and the back of the midfoot only, on its own colour scale.

    The forefoot's shear is often ten times the heel's: on a whole-foot scale the heel is one dark colour and
    its direction arrows (drawn where the shear is within 5x of the map's largest) vanish."""
    heel = in_regions(mesh.region, HEEL_REGIONS)
    top = float(mesh.x[heel].max()) + ZOOM_MARGIN_M
    shown = np.where(mesh.x <= top, values, np.nan)
    plantar_map(ax, mesh, shown, label, "viridis", arrows=arrows)
    ax.set_ylim(float(mesh.x.min()) * 1e3 - 4, top * 1e3)


def sobol_figures(study: Study, folder: Path, out: Path) -> list[Path]:
    names, keys, result, _ = sobol_result(study, folder)
    labels = [f"{study.region}_{name}" for name in names]
    units = {f"{study.region}_{key}": unit for key, _, unit in SOBOL_METRICS}
    return sobol_pictures(labels, keys, result, labels, out, f"{study.title}, {study.region}", units)


def oat_curves(study: Study, numbers: dict, out: Path) -> Path:
    """Rows: factors; columns: the region's peak shear, slip, frictional work and shear direction."""
    factors = study.factors
    fig, axes = plt.subplots(len(factors), len(CURVES) + 1, figsize=(11, 2.0 * len(factors) + 0.6), squeeze=False)
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
                ticks = factor.levels(4) * factor.show_scale
                panel.set_xticks(ticks, [f"{t:.3g}" for t in ticks])
                panel.xaxis.set_minor_formatter(NullFormatter())
        row[-1].axhline(0, color="k", lw=0.5)
        row[-1].set_ylim(-180, 180)
        row[-1].set_yticks([-180, -90, 0, 90, 180])
    axes[0, 0].legend(fontsize=7)
    return save_figure(fig, out / "oat_curves.png", f"{study.title}: {study.region}, one factor at a time (others at the base); direction: "
                 "0 = toward the toes, +90 = medial, -90 = lateral")


def _maps(path: Path, index: int) -> dict[str, np.ndarray]:
    """The per-element records a map needs, of one row of a sweep file (one opening: each costs ~0.4 s)."""
    names = ("peak_pressure_pa", "peak_shear_stress_pa", "peak_shear_dir_x", "peak_shear_dir_y", "friction_work_j")
    with open_file(path) as ds:
        return {name: ds[f"element_{name}"][index].values for name in names}


def base_maps(study: Study, folder: Path, numbers: dict, out: Path) -> Path:
    """The base case: peak pressure, peak shear with the ground's pull on the skin, frictional work."""
    mesh = mesh_for(study.base_scenario())
    factor = study.factors[0]
    curve = numbers["oat"][factor.name]
    el = _maps(sweep_paths(folder, oat_name(factor))[1], curve["base_index"])
    arrows = np.stack([el["peak_shear_dir_x"], el["peak_shear_dir_y"]], axis=1)
    fig, axes = plt.subplots(1, 4, figsize=(15, 5.4))
    plantar_map(axes[0], mesh, el["peak_pressure_pa"] / 1e3, "peak pressure (kPa)", "magma")
    plantar_map(axes[1], mesh, el["peak_shear_stress_pa"] / 1e3, "peak shear stress (kPa)", "viridis", arrows=arrows)
    plantar_map(axes[2], mesh, el["friction_work_j"] * 1e3, "frictional work (mJ)", "inferno")
    rearfoot_map(axes[3], mesh, el["peak_shear_stress_pa"] / 1e3, "peak shear stress (kPa)", arrows=arrows)
    axes[1].set_title("arrows: ground's pull on the skin at peak", fontsize=8)
    axes[3].set_title("the heel on its own scale", fontsize=8)
    base = numbers["base"]
    return save_figure(fig, out / "maps_base.png", f"{study.title}, base case: {study.region} peak shear {base.get('peak_shear_kpa', np.nan):.1f} kPa, "
                 f"peak pressure {base.get('peak_pressure_kpa', np.nan):.0f} kPa")


def extreme_maps(study: Study, folder: Path, numbers: dict, out: Path) -> Path:
    """Peak shear stress maps with each factor at the low and the high end of its range, the others at the base."""
    mesh = mesh_for(study.base_scenario())
    factors: tuple[Factor, ...] = study.factors
    fig, axes = plt.subplots(2, len(factors), figsize=(2.9 * len(factors) + 0.4, 6.4), squeeze=False)
    for col, factor in enumerate(factors):
        curve = numbers["oat"][factor.name]
        path = sweep_paths(folder, oat_name(factor))[1]
        for row, index in enumerate((0, len(curve["values"]) - 1)):
            panel = axes[row, col]
            record = curve["rows"][index]
            el = _maps(path, index)
            rearfoot_map(panel, mesh, el["peak_shear_stress_pa"] / 1e3, "peak shear (kPa)",
                         arrows=np.stack([el["peak_shear_dir_x"], el["peak_shear_dir_y"]], axis=1))
            value = factor.show(curve["values"][index])
            region = f"{record['peak_shear_kpa']:.0f} kPa" if record["status"] == "done" else "failed"
            panel.set_title(f"{factor.name} = {value}\n{study.region}: {region}", fontsize=8)
            panel.set_xlabel("")
            panel.set_ylabel("")
            panel.tick_params(labelsize=6)
    return save_figure(fig, out / "maps_extremes.png", f"{study.title}: rearfoot peak shear stress (each panel on its own scale; arrows: the ground's pull on "
                 "the skin) with each factor at its range's ends (top: low, bottom: high)")


def study_figures(study: Study, folder: str | Path, numbers: dict) -> list[Path]:
    folder = Path(folder)
    return [*sobol_figures(study, folder, folder), oat_curves(study, numbers, folder),
            base_maps(study, folder, numbers, folder), extreme_maps(study, folder, numbers, folder)]
