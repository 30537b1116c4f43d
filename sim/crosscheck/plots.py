"""Pictures of the cross-check: footsim and its pymunk twin over time, one PNG per case. Headless."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

SMOOTHING_S = 0.002  # pymunk's rigid contact gives one-step impulses: show forces averaged over 2 ms


def _smooth(values: np.ndarray, dt: float) -> np.ndarray:
    window = max(1, min(len(values), int(round(SMOOTHING_S / dt))))
    return np.convolve(values, np.ones(window) / window, "same")


def plot_case(case, path: Path) -> Path:
    """Vertical and fore-aft GRF, foot pitch, ankle height (and arch and MTP angles) of every trace of the case."""
    joints = all(trace.joint_angles_rad is not None for trace in case.traces.values())
    fig, axes = plt.subplots(6 if joints else 4, 1, figsize=(8, 14 if joints else 10), sharex=True)
    for label, trace in case.traces.items():
        style = "--" if "reaction" in label else "-"
        t = trace.time_s * 1e3
        axes[0].plot(t, _smooth(trace.grf_n[:, 1], trace.dt_s), style, label=label)
        axes[1].plot(t, _smooth(trace.grf_n[:, 0], trace.dt_s), style, label=label)
        axes[2].plot(t, np.degrees(trace.foot_angle_rad), style, label=label)
        axes[3].plot(t, trace.ankle_m[:, 1] * 1e3, style, label=label)
        if joints:
            axes[4].plot(t, np.degrees(trace.joint_angles_rad[:, 0]), style, label=label)
            axes[5].plot(t, np.degrees(trace.joint_angles_rad[:, 1]), style, label=label)
    axes[0].set_ylabel(f"vertical GRF (N,\n{SMOOTHING_S * 1e3:g} ms mean)")
    axes[1].set_ylabel(f"fore-aft GRF (N,\n{SMOOTHING_S * 1e3:g} ms mean)")
    axes[2].set_ylabel("foot pitch (deg,\n+ toes up)" if not joints else "hindfoot pitch (deg,\n+ toes up)")
    axes[3].set_ylabel("ankle height (mm)")
    if joints:
        axes[4].set_ylabel("arch (deg, + forefoot\nup on the hindfoot)")
        axes[5].set_ylabel("MTP (deg, + toes\nup on the forefoot)")
    axes[-1].set_xlabel("time (ms)")
    axes[0].legend(fontsize=8)
    axes[0].set_title(case.name, fontsize=9)
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_cases(cases, directory: Path) -> list[Path]:
    """One PNG per case that has traces, in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    return [plot_case(c, directory / f"crosscheck_{c.key}.png") for c in cases if c.traces]
