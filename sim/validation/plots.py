"""Pictures of the validation (DESIGN 5.3): the model's GRF over the recorded mean stance, and the
published targets as bands with the model's value. Small headless PNGs."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .compare import COMPONENTS  # noqa: E402

LABELS = {"vertical": "vertical", "ap": "antero-posterior", "ml": "medio-lateral"}
DPI = 60


def overlay_grid(rows: list[tuple[str, dict, dict | None]], path: Path, components=("vertical", "ap", "ml"),
                 reference_label: str = "defaults", scale: float = 1.0, dpi: int = DPI) -> Path:
    """One row per trial, one column per component: data (black), model (red), and an optional
    second model (grey dashed, e.g. the defaults before calibration).

    rows: (title, curves, reference curves or None); curves as `Evaluation.curves()`. scale
    enlarges the figure (the report's many rows stay small; one trial's picture is larger).
    """
    fig, axes = plt.subplots(len(rows), len(components), squeeze=False,
                             figsize=(scale * 3.0 * len(components), scale * max(2.2, 1.6 * len(rows))))
    for r, (title, curves, reference) in enumerate(rows):
        for c, name in enumerate(components):
            ax = axes[r, c]
            k = COMPONENTS.index(name)
            if np.isnan(curves["data_bw"][:, k]).all():
                ax.text(0.5, 0.5, "not recorded", ha="center", va="center", transform=ax.transAxes, fontsize=8)
            else:
                ax.plot(curves["t_ms"], curves["data_bw"][:, k], "k", lw=1.2, label="data (mean stance)")
            if reference is not None:
                ax.plot(reference["t_ms"], reference["model_bw"][:, k], color="0.55", ls="--", lw=0.9,
                        label=reference_label)
            ax.plot(curves["t_ms"], curves["model_bw"][:, k], "r", lw=1.0, label="model")
            rms = curves["rms_bw"][name]
            ax.set_title(LABELS[name] + ("" if rms is None else f"  RMS {rms:.3f} BW"), fontsize=8)
            ax.tick_params(labelsize=7)
            if c == 0:
                ax.set_ylabel(f"{title}\nBW", fontsize=7)
            if r == len(rows) - 1:
                ax.set_xlabel("ms from touchdown", fontsize=7)
    axes[0, 0].legend(fontsize=6, loc="upper left")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=dpi, pil_kwargs={"optimize": True})
    plt.close(fig)
    return path


def target_bands(rows, path: Path, proposed: dict | None = None) -> Path:
    """The published targets with a numeric band: the band (grey), the model (dot, green pass / red
    fail) and, when given, the model with the proposed defaults (open circle). Each row is scaled
    so that the band spans 0..1."""
    numeric = [r for r in rows if r.low is not None and r.high is not None and r.model is not None
               and r.verdict in ("pass", "fail")]
    fig, ax = plt.subplots(figsize=(7.5, 0.24 * len(numeric) + 0.9))
    for i, row in enumerate(numeric):
        span = row.high - row.low
        ax.plot([0, 1], [i, i], color="0.8", lw=6, solid_capstyle="butt")
        x = (row.model - row.low) / span
        ax.plot(np.clip(x, -1.5, 2.5), i, "o", ms=5, color="tab:green" if row.verdict == "pass" else "tab:red")
        key = (row.source, row.quantity)
        if proposed and key in proposed and proposed[key].model is not None:
            ax.plot(np.clip((proposed[key].model - row.low) / span, -1.5, 2.5), i, "o", ms=7, mfc="none", color="k")
    ax.set_yticks(range(len(numeric)))
    ax.set_yticklabels([f"{r.source.split('.')[0]}: {r.quantity}"[:60] for r in numeric], fontsize=7)
    ax.set_xlim(-1.6, 2.6)
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["target low", "target high"], fontsize=7)
    ax.invert_yaxis()
    ax.set_title("published targets: dot = model with current defaults" + (", circle = proposed" if proposed else "")
                 + " (clipped at the edges)", fontsize=8)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=DPI, pil_kwargs={"optimize": True})
    plt.close(fig)
    return path
