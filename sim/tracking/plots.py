"""Pictures of a tracked stance: COP paths on the plantar map, AP/ML force and free moment, plantar maps."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..plots import element_maps, plantar_map  # noqa: E402
from .compare import heading_frame_cop  # noqa: E402


def stance_figure(stance, path: str | Path) -> None:
    """Left: peak pressure with the model's and the plate's COP paths (foot frame); right: vertical,
    AP and ML force (BW) and free moment (N m) over stance, model against plate."""
    result, recorded = stance.result, stance.recorded
    bw = result.body_weight_n
    position, quat = result.foot_pose[:, :3], result.foot_pose[:, 3:]
    fig = plt.figure(figsize=(12, 8.5))
    ax_map = fig.add_subplot(1, 2, 1)
    plantar_map(ax_map, result.mesh, result.elements["peak_pressure_pa"] / 1e3, "peak pressure (kPa)", "magma")
    for cop, colour, label in ((result.cop_m, "C0", "model COP"), (recorded["cop_m"], "w", "plate COP")):
        local = heading_frame_cop(cop, position, quat)
        ax_map.plot(-local[:, 1] * 1e3, local[:, 0] * 1e3, color=colour, lw=2, label=label)  # map: (-y, x) mm
    ax_map.legend(loc="lower right", fontsize=8)
    t_ms = result.time_s * 1e3
    rows = ((2, "vertical force (BW)", bw), (0, "AP force (BW)", bw), (1, "ML force (BW, + left)", bw))
    for k, (column, label, scale) in enumerate(rows):
        ax = fig.add_subplot(4, 2, 2 * k + 2)
        ax.plot(t_ms, recorded["grf_n"][:, column] / scale, color="k", alpha=0.5, lw=3, label="plate")
        ax.plot(t_ms, result.grf_n[:, column] / scale, color="C0", label="model")
        ax.axhline(0, color="k", lw=0.5)
        ax.set_ylabel(label)
        ax.legend(fontsize=8)
    ax = fig.add_subplot(4, 2, 8)
    ax.plot(t_ms, recorded["free_moment_nm"], color="k", alpha=0.5, lw=3, label="plate")
    ax.plot(t_ms, result.free_moment_nm, color="C0", label="model")
    ax.set_ylabel("free moment (N m)")
    ax.set_xlabel("time from touchdown (ms)")
    fig.suptitle(f"{result.scenario['name']}: stance at {stance.touchdown_s:.3f} s ({result.outcome})")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def stance_pictures(stance, directory: Path, stem: str) -> list[Path]:
    signals, maps = directory / f"{stem}_track.png", directory / f"{stem}_plantar.png"
    stance_figure(stance, signals)
    element_maps(stance.result, maps)
    return [signals, maps]
