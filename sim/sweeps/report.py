"""`footsim report`: pictures of a sweep file, and its Sobol indices stored back into it.

- Response curves: each summary metric against each axis; one curve per strike pattern when
  `strike.pattern` is an axis. On a grid, the mean over the other axes with their min-max band;
  for sampled designs, the points and a binned mean.
- Plantar maps: the worst (largest) and the mean over finished scenarios of element records,
  for the whole sweep and for each strike pattern.
- Sobol (sobol designs): first-order and total indices of every summary metric with 95 %
  bootstrap intervals (`sim.sweeps.sobol`), stored as variables `sobol_*` over dimensions
  `sobol_metric` and `sobol_parameter`, written as CSV and drawn.
"""

from __future__ import annotations

import csv
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from ..errors import InputError
from ..foot import PlantarMesh
from ..plots import plantar_map, plt
from ..variables import SUMMARY
from .layout import SUMMARY_METRICS, STATUS_DONE
from .sobol import SobolIndices, saltelli_split, sobol_indices
from .store import FORMAT, STRING

PATTERN = "strike.pattern"
DEFAULT_METRICS = ("heel_posterolateral_peak_shear_kpa", "heel_posteromedial_peak_shear_kpa",
                   "heel_posterolateral_slip_mm", "heel_posterolateral_friction_work_mj",
                   "impact_peak_bw", "loading_rate_bw_s", "active_peak_bw", "peak_free_moment_bw_height")
MAPS = (("peak_pressure_pa", 1e-3, "peak pressure (kPa)", "magma"),
        ("peak_shear_stress_pa", 1e-3, "peak shear stress (kPa)", "viridis"),
        ("slip_distance_m", 1e3, "slip distance (mm)", "cividis"),
        ("friction_work_j", 1e3, "frictional work (mJ)", "inferno"))
# an index of a region is a label, not a quantity: no variance to apportion
SOBOL_METRICS = tuple(m for m in SUMMARY_METRICS if m != "worst_shear_region_index")
BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE = 1000, 0, 0.95


def open_sweep(path: str | Path) -> xr.Dataset:
    """The sweep file in memory (the file itself is closed again), or InputError naming what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with h5py.File(path, "r") as f:
            fmt = f.attrs.get("format")
    except OSError as exc:
        if getattr(exc, "errno", None) == 11 or "unable to lock file" in str(exc):  # not "sblock" (a truncated file)
            raise InputError(f"{path}: open for writing by another process (a sweep still running?)") from None
        raise InputError(f"{path}: not a readable HDF5 file ({exc})") from None
    if fmt != FORMAT:
        raise InputError(f"{path}: not a footsim sweep file (made by `footsim run`?); report reads `footsim sweep` output")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def _axes(ds: xr.Dataset) -> list[str]:
    return ds.attrs["axes"].split()


def _label(metric: str, units: dict[str, str] | None = None) -> str:
    """The metric with its unit: from `units` for outputs derived here (e.g. a log10), else sim/variables.py."""
    unit = units[metric] if units and metric in units else SUMMARY[metric].units
    return f"{metric} ({unit})"


def response_curves(ds: xr.Dataset, axis: str, metrics: list[str], path: Path) -> None:
    done = ds.status.values == STATUS_DONE
    groups = [None]
    if PATTERN in _axes(ds) and axis != PATTERN:
        groups = [p for p in dict.fromkeys(ds[PATTERN].values)]
    x_all = ds[axis].values
    categorical = x_all.dtype.kind in "OUS"
    levels = list(dict.fromkeys(x_all)) if categorical else None
    sampled = ds.attrs["design_method"] != "grid" and not categorical
    cols = min(4, len(metrics))
    rows = -(-len(metrics) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    for panel, metric in zip(axes.flat, metrics):
        for k, group in enumerate(groups):
            keep = done & (ds[PATTERN].values == group if group is not None else True)
            x, y = x_all[keep], ds[metric].values[keep]
            colour, label = f"C{k}", group or "all"
            if categorical:
                x = np.array([levels.index(v) for v in x], dtype=float)
            if sampled:
                panel.scatter(x, y, s=5, alpha=0.3, color=colour, linewidths=0)
                edges = np.unique(np.quantile(x, np.linspace(0, 1, 11))) if x.size else np.array([])
                centre, mean = [], []
                for lo, hi in zip(edges[:-1], edges[1:]):
                    sel = (x >= lo) & (x <= hi) & np.isfinite(y)
                    if sel.any():
                        centre.append(x[sel].mean())
                        mean.append(y[sel].mean())
                panel.plot(centre, mean, "-", color=colour, label=label)
            else:
                xs = np.unique(x)
                stats = [(np.nanmean(y[x == v]), np.nanmin(y[x == v]), np.nanmax(y[x == v]))
                         if np.isfinite(y[x == v]).any() else (np.nan,) * 3 for v in xs]
                mean, low, high = np.array(stats).T if stats else (np.array([]),) * 3
                panel.plot(xs, mean, "o-", ms=3, color=colour, label=label)
                if len(x) > len(xs):
                    panel.fill_between(xs, low, high, color=colour, alpha=0.15, linewidth=0)
        panel.set_title(_label(metric), fontsize=8)
        panel.set_xlabel(axis, fontsize=8)
        panel.tick_params(labelsize=7)
        if categorical:
            panel.set_xticks(range(len(levels)), levels)
        if groups != [None]:
            panel.legend(fontsize=7)
    for panel in list(axes.flat)[len(metrics):]:
        panel.set_visible(False)
    band = "; bands: min-max over the other axes" if not sampled and len(_axes(ds)) > 1 + (len(groups) > 1) else ""
    fig.suptitle(f"{ds.attrs['sweep_name']}: summary metrics against {axis}{band}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _mesh(ds: xr.Dataset) -> PlantarMesh:
    n = ds.sizes["element"]
    position = np.stack([ds.mesh_x.values, ds.mesh_y.values, np.zeros(n)], axis=1)
    normal = np.tile([0.0, 0.0, -1.0], (n, 1))
    length = float(ds.mesh_x.values.max() - ds.mesh_x.values.min())
    return PlantarMesh(position, ds.mesh_area.values, normal, np.full(n, np.nan), ds.mesh_region.values,
                       length, ds.attrs.get("mesh_side", "right"))


def plantar_maps(ds: xr.Dataset, keep: np.ndarray, title: str, path: Path) -> None:
    mesh = _mesh(ds)
    fig, axes = plt.subplots(2, len(MAPS), figsize=(4.2 * len(MAPS), 10))
    for col, (record, scale, label, cmap) in enumerate(MAPS):
        values = ds[f"element_{record}"].values[keep] * scale
        plantar_map(axes[0, col], mesh, np.nanmax(values, axis=0), f"worst {label}", cmap)
        plantar_map(axes[1, col], mesh, np.nanmean(values, axis=0), f"mean {label}", cmap)
    axes[0, 0].set_title("worst over the scenarios", loc="left", fontsize=9)
    axes[1, 0].set_title("mean over the scenarios", loc="left", fontsize=9)
    fig.suptitle(f"{title}: {int(keep.sum())} scenarios, plantar view of the {mesh.side} foot")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def sobol_from_sweep(ds: xr.Dataset, metrics=SOBOL_METRICS) -> tuple[list[str], list[str], SobolIndices]:
    """Indices of each metric for each axis from a sobol-design sweep; unfinished or failed rows drop their point."""
    axes = _axes(ds)
    values = np.stack([np.where(ds.status.values == STATUS_DONE, ds[m].values, np.nan) for m in metrics], axis=1)
    f_a, f_b, f_ab = saltelli_split(values, len(axes))
    return list(metrics), axes, sobol_indices(f_a, f_b, f_ab, n_resamples=BOOTSTRAP_RESAMPLES,
                                              confidence_level=CONFIDENCE, seed=BOOTSTRAP_SEED)


SOBOL_VARIABLES = {
    "sobol_first_order": "first-order Sobol index S_i (Saltelli 2010 estimator)",
    "sobol_total_order": "total Sobol index ST_i (Jansen estimator)",
    "sobol_first_order_low": "lower bound of the bootstrap interval of S_i",
    "sobol_first_order_high": "upper bound of the bootstrap interval of S_i",
    "sobol_total_order_low": "lower bound of the bootstrap interval of ST_i",
    "sobol_total_order_high": "upper bound of the bootstrap interval of ST_i",
}


def store_sobol(path: str | Path, metrics: list[str], parameters: list[str], result: SobolIndices) -> None:
    """Write (or replace) the indices as variables over (sobol_metric, sobol_parameter)."""
    arrays = {"sobol_first_order": result.first_order, "sobol_total_order": result.total_order}
    if result.first_order_interval is not None:
        arrays.update(sobol_first_order_low=result.first_order_interval[..., 0],
                      sobol_first_order_high=result.first_order_interval[..., 1],
                      sobol_total_order_low=result.total_order_interval[..., 0],
                      sobol_total_order_high=result.total_order_interval[..., 1])
    with h5py.File(path, "r+") as f:
        for name in list(SOBOL_VARIABLES) + ["sobol_n_used", "sobol_metric", "sobol_parameter"]:
            if name in f:
                del f[name]
        for dim, labels in (("sobol_metric", metrics), ("sobol_parameter", parameters)):
            scale = f.create_dataset(dim, data=np.array(labels, dtype=object).astype(STRING))
            scale.make_scale(dim)
        for name, values in arrays.items():
            ds = f.create_dataset(name, data=values)
            ds.dims[0].attach_scale(f["sobol_metric"])
            ds.dims[1].attach_scale(f["sobol_parameter"])
            ds.attrs.update(units="1", long_name=SOBOL_VARIABLES[name])
            if result.confidence_level is not None:
                ds.attrs.update(confidence_level=result.confidence_level, bootstrap_seed=result.seed,
                                bootstrap_resamples=result.n_resamples)
        used = f.create_dataset("sobol_n_used", data=result.n_used)
        used.dims[0].attach_scale(f["sobol_metric"])
        used.attrs.update(units="1", long_name="Saltelli points j with every run finished (the estimate's n)")


def sobol_pictures(metrics, parameters, result: SobolIndices, selected: list[str], out: Path, title: str,
                   units: dict[str, str] | None = None) -> list[Path]:
    rows = [metrics.index(m) for m in selected if m in metrics]
    cols = min(4, len(rows))
    nrows = -(-len(rows) // cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(4.4 * cols, 0.5 * len(parameters) * nrows + 1.6 * nrows),
                             squeeze=False)
    y = np.arange(len(parameters))
    for panel, k in zip(axes.flat, rows):
        for offset, values, interval, label in ((-0.2, result.first_order[k], result.first_order_interval[k], "first order"),
                                                (0.2, result.total_order[k], result.total_order_interval[k], "total")):
            error = np.abs(interval.T - values)
            panel.barh(y + offset, values, height=0.38, xerr=error, label=label, capsize=2)
        panel.set_yticks(y, parameters, fontsize=7)
        panel.set_xlim(min(-0.05, float(np.nanmin(result.first_order[k])) - 0.05), 1.05)
        panel.axvline(0, color="k", lw=0.5)
        panel.set_title(_label(metrics[k], units), fontsize=8)
        panel.tick_params(labelsize=7)
    axes.flat[0].legend(fontsize=7)
    for panel in list(axes.flat)[len(rows):]:
        panel.set_visible(False)
    fig.suptitle(f"{title}: Sobol indices, {CONFIDENCE:.0%} bootstrap intervals", fontsize=10)
    fig.tight_layout()
    bars = out / "sobol_bars.png"
    fig.savefig(bars, dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(2.2 + 1.1 * len(parameters), 1.5 + 0.17 * len(metrics)))
    image = ax.imshow(result.total_order, aspect="auto", cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(len(parameters)), parameters, rotation=30, ha="right", fontsize=7)
    ax.set_yticks(range(len(metrics)), metrics, fontsize=6)
    plt.colorbar(image, ax=ax, label="total Sobol index", shrink=0.6)
    ax.set_title(f"{title}: total indices of every summary metric", fontsize=9)
    fig.tight_layout()
    heatmap = out / "sobol_total_heatmap.png"
    fig.savefig(heatmap, dpi=100)
    plt.close(fig)
    return [bars, heatmap]


def write_sobol_csv(metrics, parameters, result: SobolIndices, path: Path) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["metric", "parameter", "first_order", "first_order_low", "first_order_high",
                         "total_order", "total_order_low", "total_order_high", "n_used"])
        for k, metric in enumerate(metrics):
            for i, parameter in enumerate(parameters):
                writer.writerow([metric, parameter, *(f"{v:.6g}" for v in (
                    result.first_order[k, i], *result.first_order_interval[k, i],
                    result.total_order[k, i], *result.total_order_interval[k, i])), int(result.n_used[k])])


def make_report(path: str | Path, out: str | Path, metrics: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """Write the pictures (and, for a sobol design, the indices into the file); returns (files, notes)."""
    ds = open_sweep(path)
    metrics = list(metrics or DEFAULT_METRICS)
    unknown = [m for m in metrics if m not in ds.data_vars or ds[m].dims != ("scenario",)]
    if unknown:
        raise InputError(f"--metrics {unknown[0]}: not a summary metric of {path}; e.g. {', '.join(DEFAULT_METRICS[:3])}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    notes: list[str] = []
    done = ds.status.values == STATUS_DONE
    name = ds.attrs["sweep_name"]
    if not done.any():
        return written, [f"{path}: no finished scenario to report"]
    if (ds.status.values != STATUS_DONE).any():
        notes.append(f"{int((~done).sum())} of {len(done)} scenarios are not done (pending or failed) and left out")
    for axis in _axes(ds):
        target = out / f"response_{axis}.png"
        response_curves(ds, axis, metrics, target)
        written.append(target)
    if "element" in ds.dims:
        target = out / "plantar_all.png"
        plantar_maps(ds, done, name, target)
        written.append(target)
        if PATTERN in _axes(ds):
            for pattern in dict.fromkeys(ds[PATTERN].values):
                keep = done & (ds[PATTERN].values == pattern)
                if keep.any():
                    target = out / f"plantar_{pattern}.png"
                    plantar_maps(ds, keep, f"{name}, {pattern}", target)
                    written.append(target)
    else:
        notes.append(ds.attrs.get("elements_note") or "no per-element records in the file")
    if ds.attrs["design_method"] == "sobol":
        ds.close()
        names, parameters, result = sobol_from_sweep(ds)
        store_sobol(path, names, parameters, result)
        csv_path = out / "sobol_indices.csv"
        write_sobol_csv(names, parameters, result, csv_path)
        written.append(csv_path)
        written += sobol_pictures(names, parameters, result, metrics, out, name)
        notes.append(f"Sobol indices of {len(names)} metrics stored in {path} (variables sobol_*)")
        notes += sobol_table(names, parameters, result, metrics[0])
    return written, notes


def sobol_table(metrics, parameters, result: SobolIndices, metric: str) -> list[str]:
    k = metrics.index(metric)
    order = np.argsort(-result.total_order[k])
    lines = [f"Sobol indices of {metric} (n = {result.n_used[k]} points): parameter, first order, total"]
    lines += [f"  {parameters[i]:<32} {result.first_order[k, i]:6.3f}  {result.total_order[k, i]:6.3f}" for i in order]
    return lines
