"""A run's stance as a pressure-insole viewer shows it: plantar pressure and shear arrows frame by
frame, beside the ground reaction force with the frame's time marked. GIF (Pillow) or MP4 (ffmpeg)."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from .errors import InputError
from .foot import PlantarMesh
from .frames import SLIPPING, Frames, read_frames
from .kernels.rotation import quat_to_matrix
from .model import GRAVITY
from .plots import grid_spacing, plantar_map, plt

WRITERS = {".gif": "pillow", ".mp4": "ffmpeg"}
ARROW_SPACING_M = 0.012  # one shear arrow per this grid step
ARROW_PERCENTILE, ARROW_REFERENCE_MM, ARROW_CAP = 90.0, 8.0, 2.5  # that stress is 8 mm; arrows end at 2.5x it


@dataclass
class RunFile:
    """What the viewer needs from a run file."""

    name: str
    mesh: PlantarMesh
    time_s: np.ndarray
    grf_bw: np.ndarray      # (T, 3)
    foot_quat: np.ndarray   # (T, 4)
    frames: Frames


def read_run(path: Path) -> RunFile:
    frames = read_frames(path)
    with h5py.File(path, "r") as f:
        scenario = tomllib.loads(f.attrs["scenario"])
        mesh_group = f["mesh"]
        x, y = mesh_group["x"][:], mesh_group["y"][:]
        mesh = PlantarMesh(np.column_stack([x, y, np.zeros_like(x)]), mesh_group["area"][:], np.zeros((len(x), 3)),
                           mesh_group["thickness"][:], mesh_group["region"][:], float(np.ptp(x)),
                           str(mesh_group.attrs["side"]))
        bw = scenario["runner"]["body_mass_kg"] * GRAVITY
        return RunFile(scenario["name"], mesh, f["time"][:], f["grf"][:] / bw, f["foot_pose"][:, 3:7], frames)


def foot_frame_shear(run: RunFile) -> np.ndarray:
    """(F, E, 2) the ground's traction on the skin in the foot frame, as the plantar map is drawn."""
    rows = np.searchsorted(run.time_s, run.frames.time_s - 1e-12)
    out = np.zeros_like(run.frames.shear_pa)
    rotation = np.zeros((3, 3))
    for k, row in enumerate(rows):
        quat_to_matrix(np.ascontiguousarray(run.foot_quat[row]), rotation)
        out[k] = run.frames.shear_pa[k] @ rotation[:2, :2]  # rows of R^T t for a ground-plane t
    return out


def animate(path: str | Path, out: str | Path, every: int = 1, fps: float = 20.0) -> int:
    """Write the animation of the run file at `path` to `out` (.gif or .mp4); returns the frames drawn."""
    from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter

    out = Path(out)
    if out.suffix not in WRITERS:
        raise InputError(f"--out {out}: allowed a .gif or .mp4 file")
    if out.suffix == ".mp4" and shutil.which("ffmpeg") is None:
        raise InputError(f"--out {out}: an .mp4 needs ffmpeg on the PATH; write a .gif instead")
    run = read_run(Path(path))
    mesh, frames = run.mesh, run.frames
    shown = np.arange(0, len(frames.time_s), every)
    pressure_kpa = frames.pressure_pa / 1e3
    shear = foot_frame_shear(run)

    fig, (ax_map, ax_grf) = plt.subplots(1, 2, figsize=(8.6, 6.2), gridspec_kw={"width_ratios": [1.15, 1.0]})
    # the colour scale of the whole stance: drawn at the peaks, then each frame's values
    squares = plantar_map(ax_map, mesh, pressure_kpa.max(axis=0), "pressure (kPa, log scale)", "magma", log=True)
    spacing = grid_spacing(mesh)
    step = max(1, int(round(ARROW_SPACING_M / spacing)))
    pick = np.flatnonzero((np.round(mesh.x / spacing) % step == 0) & (np.round(mesh.y / spacing) % step == 0))
    magnitude = np.linalg.norm(shear, axis=2)
    peak_shear = float(np.max(magnitude, initial=0.0))
    # arrows scaled to a typical stress (a percentile of the loaded elements), longer ones capped:
    # a forefoot's MPa would otherwise leave the heel's arrows invisible
    reference = float(np.percentile(magnitude[magnitude > 0], ARROW_PERCENTILE)) if peak_shear > 0 else 1.0
    capped = np.minimum(magnitude, ARROW_CAP * reference) / np.where(magnitude > 0, magnitude, 1.0)
    shown_shear = shear * capped[..., None]
    # plot coordinates are (-y, x) mm: the arrow of a foot-frame (sx, sy) is (-sy, sx)
    arrows = ax_map.quiver(-mesh.y[pick] * 1e3, mesh.x[pick] * 1e3, np.zeros(len(pick)), np.zeros(len(pick)),
                           color="deepskyblue", angles="xy", scale=reference / ARROW_REFERENCE_MM, scale_units="xy",
                           width=0.006)
    ax_map.quiverkey(arrows, 0.2, 1.03, reference, f"{reference / 1e3:.0f} kPa shear", labelpos="E",
                     fontproperties={"size": 7})
    slipping = ax_map.scatter([], [], s=4, c="w", marker=".", label="slipping")
    ax_map.legend(loc="lower right", fontsize=7, markerscale=3)

    t_ms = run.time_s * 1e3
    for k, (label, colour) in enumerate((("AP (x)", "C0"), ("ML (y)", "C2"), ("vertical (z)", "C3"))):
        ax_grf.plot(t_ms, run.grf_bw[:, k], color=colour, label=label)
    ax_grf.axhline(0, color="k", lw=0.5)
    cursor = ax_grf.axvline(0, color="k", lw=1)
    ax_grf.set_xlabel("time from start (ms)")
    ax_grf.set_ylabel("ground reaction force (BW)")
    ax_grf.legend(fontsize=8, loc="upper right")
    title = fig.suptitle(run.name)

    def draw(k):
        squares.set_array(np.ma.masked_less_equal(pressure_kpa[k], 0.0))
        arrows.set_UVC(-shown_shear[k, pick, 1], shown_shear[k, pick, 0])
        slips = frames.contact_state[k] == SLIPPING
        slipping.set_offsets(np.column_stack([-mesh.y[slips] * 1e3, mesh.x[slips] * 1e3]))
        cursor.set_xdata([frames.time_s[k] * 1e3] * 2)
        title.set_text(f"{run.name}: t = {frames.time_s[k] * 1e3:5.1f} ms; arrows: the ground's pull on the skin "
                       f"(peak {peak_shear / 1e3:.0f} kPa)")
        return squares, arrows, slipping, cursor, title

    draw(shown[0])
    fig.tight_layout()
    animation = FuncAnimation(fig, draw, frames=shown, blit=False)
    writer = PillowWriter(fps=fps) if out.suffix == ".gif" else FFMpegWriter(fps=fps)
    animation.save(out, writer=writer, dpi=80)
    plt.close(fig)
    return len(shown)
