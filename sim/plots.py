"""Pictures (DESIGN 5.3): plantar maps with region outlines, GRF/COP/free moment over stance. Headless PNG."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .foot import REGION_NAMES, PlantarMesh  # noqa: E402

# short names drawn on the maps, in the order of REGION_NAMES
REGION_LABELS = ("heel PL", "heel PM", "heel L", "heel M", "mid L", "mid M", "MTH1", "MTH2-3", "MTH4-5", "hallux",
                 "toes")
LOG_DECADES = 2.5  # colour range of a log map: its largest value down to 1/300 of it


def outline_regions(ax, mesh: PlantarMesh, spacing: float, labels: np.ndarray | None = None, colour: str = "k",
                     width: float = 0.6) -> None:
    """Borders between labels (the regions unless given): the grid edges between neighbouring
    elements of different labels."""
    from matplotlib.collections import LineCollection

    labels = mesh.region if labels is None else labels
    x0, y0 = mesh.x.min(), mesh.y.min()
    ix = np.round((mesh.x - x0) / spacing).astype(int)
    iy = np.round((mesh.y - y0) / spacing).astype(int)
    cell = {(i, j): r for i, j, r in zip(ix, iy, labels)}
    segments = []
    for (i, j), r in cell.items():
        x, y = x0 + i * spacing, y0 + j * spacing
        if cell.get((i + 1, j), r) != r:
            segments.append([(x + spacing / 2, y - spacing / 2), (x + spacing / 2, y + spacing / 2)])
        if cell.get((i, j + 1), r) != r:
            segments.append([(x - spacing / 2, y + spacing / 2), (x + spacing / 2, y + spacing / 2)])
    # plot coordinates: seen from below, (-y, x) in mm
    lines = [[(-b * 1e3, a * 1e3) for a, b in seg] for seg in segments]
    ax.add_collection(LineCollection(lines, colors=colour, linewidths=width))


def grid_spacing(mesh: PlantarMesh) -> float:
    return float(np.sqrt(np.median(mesh.area_m2)))


def element_squares(mesh: PlantarMesh, spacing: float):
    """One square per element in plot coordinates: seen from below, toes up, (-y, x) in mm."""
    from matplotlib.collections import PolyCollection

    h = spacing / 2 * 1e3
    cx, cy = -mesh.y * 1e3, mesh.x * 1e3
    corners = np.array([[-h, -h], [h, -h], [h, h], [-h, h]])
    return PolyCollection(np.stack([cx, cy], axis=1)[:, None, :] + corners[None], linewidths=0)


def plantar_axes(ax, mesh: PlantarMesh) -> None:
    ax.set_xlim(-mesh.y.max() * 1e3 - 6, -mesh.y.min() * 1e3 + 6)
    ax.set_ylim(mesh.x.min() * 1e3 - 6, mesh.x.max() * 1e3 + 6)
    ax.set_aspect("equal")
    ax.set_xlabel("medial  <-  mm  ->  lateral" if mesh.side == "right" else "lateral  <-  mm  ->  medial")
    ax.set_ylabel("mm from the ankle (toes up)")


def label_regions(ax, mesh: PlantarMesh) -> None:
    """Each region's short name at its centre, legible on any colour."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=1.5, foreground="k")]
    for k, label in enumerate(REGION_LABELS):
        members = mesh.region == k
        if members.any():
            ax.text(-mesh.y[members].mean() * 1e3, mesh.x[members].mean() * 1e3, label, ha="center", va="center",
                    fontsize=6, color="w", path_effects=halo)


def log_norm(values: np.ndarray):
    """A log colour scale over LOG_DECADES below the largest value: the heel's tens of kPa stay
    visible beside a forefoot's MPa."""
    from matplotlib.colors import LogNorm

    vmax = float(np.nanmax(values, initial=0.0)) or 1.0
    return LogNorm(vmin=vmax * 10.0**-LOG_DECADES, vmax=vmax, clip=True)


def plantar_map(ax, mesh: PlantarMesh, values: np.ndarray, label: str, cmap: str = "viridis",
                arrows: np.ndarray | None = None, symmetric: bool = False, log: bool = False,
                segments: np.ndarray | None = None):
    """Elements coloured by `values`, seen from below with the toes up, regions outlined and named;
    with log, on a log colour scale, elements at zero grey; the articulated foot's segments (an index
    per element) outlined thick in cyan when given. Returns the element collection."""
    spacing = grid_spacing(mesh)
    squares = element_squares(mesh, spacing)
    squares.set_cmap(plt.get_cmap(cmap).with_extremes(bad="0.85"))
    squares.set_array(np.ma.masked_less_equal(values, 0.0) if log else values)
    if log:
        squares.set_norm(log_norm(values))
    if symmetric:
        vmax = float(np.nanmax(np.abs(values))) or 1.0
        squares.set_clim(-vmax, vmax)
    ax.add_collection(squares)
    outline_regions(ax, mesh, spacing)
    label_regions(ax, mesh)
    if segments is not None:
        outline_regions(ax, mesh, spacing, segments, "c", 2.0)
    if arrows is not None:
        step = max(1, int(round(0.008 / spacing)))
        keep = (np.round(mesh.x / spacing) % step == 0) & (np.round(mesh.y / spacing) % step == 0)
        keep &= np.isfinite(values) & (np.abs(values) > 0.2 * np.nanmax(np.abs(values)))
        ax.quiver(-mesh.y[keep] * 1e3, mesh.x[keep] * 1e3, -arrows[keep, 1], arrows[keep, 0], color="w",
                  scale=25, width=0.004)
    plantar_axes(ax, mesh)
    plt.colorbar(squares, ax=ax, label=label, shrink=0.8)
    return squares


def mesh_picture(mesh: PlantarMesh, path: str | Path) -> None:
    fig, ax = plt.subplots(figsize=(7.5, 8))
    cmap = plt.get_cmap("tab20", len(REGION_NAMES))
    spacing = grid_spacing(mesh)
    squares = element_squares(mesh, spacing)
    squares.set_facecolor(cmap(mesh.region))
    ax.add_collection(squares)
    outline_regions(ax, mesh, spacing)
    for k, name in enumerate(REGION_NAMES):
        ax.plot([], [], "s", color=cmap(k), label=name)
    plantar_axes(ax, mesh)
    ax.set_title(f"{mesh.side} foot, plantar view, {mesh.n_elements} elements, {spacing * 1e3:g} mm")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def stance_signals(result, path: str | Path, data=None) -> None:
    """GRF (BW), COP (mm) and free moment (N m) over stance; recorded data drawn beneath when given."""
    bw = result.body_weight_n
    t_ms = result.time_s * 1e3
    fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
    for k, (name, colour) in enumerate((("AP (x)", "C0"), ("ML (y)", "C2"), ("vertical (z)", "C3"))):
        if data is not None:
            axes[0].plot(data.time_s * 1e3, data.grf_n[:, k] / bw, color=colour, alpha=0.35, lw=3)
        axes[0].plot(t_ms, result.grf_n[:, k] / bw, color=colour, label=name)
    axes[0].set_ylabel("GRF (BW)")
    axes[0].legend(fontsize=8)
    axes[0].axhline(0, color="k", lw=0.5)
    axes[1].plot(t_ms, result.cop_m[:, 0] * 1e3, label="COP x (forward)")
    axes[1].plot(t_ms, result.cop_m[:, 1] * 1e3, label="COP y (left)")
    axes[1].set_ylabel("COP (mm, ground frame)")
    axes[1].legend(fontsize=8)
    axes[2].plot(t_ms, result.free_moment_nm)
    axes[2].set_ylabel("free moment Tz (N m)")
    axes[2].set_xlabel("time from start (ms)")
    axes[0].set_title(result.scenario["name"])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def element_maps(result, path: str | Path) -> None:
    """Plantar maps of peak pressure, peak shear stress with its direction, and frictional work."""
    el, mesh = result.elements, result.mesh
    arrows = np.stack([el["peak_shear_dir_x"], el["peak_shear_dir_y"]], axis=1)
    segments = result.segment
    fig, axes = plt.subplots(1, 3, figsize=(15, 7.5))
    plantar_map(axes[0], mesh, el["peak_pressure_pa"] / 1e3, "peak pressure (kPa, log scale)", "magma", log=True,
                segments=segments)
    plantar_map(axes[1], mesh, el["peak_shear_stress_pa"] / 1e3, "peak skin shear stress (kPa, log scale)", "viridis",
                arrows=arrows, log=True, segments=segments)
    plantar_map(axes[2], mesh, el["friction_work_j_m2"], "frictional work (J/m2, log scale)", "inferno", log=True,
                segments=segments)
    axes[1].set_title("arrows: ground's pull on the skin at peak")
    if segments is not None:
        axes[0].set_title("cyan: hindfoot | forefoot | toes")
    fig.suptitle(f"{result.scenario['name']}: plantar view of the {mesh.side} foot")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
