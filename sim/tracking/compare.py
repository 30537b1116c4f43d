"""Model against plate for one tracked stance: the per-stance errors of `footsim track --json`.

COP errors are taken in the foot's heading frame (AP along the foot, ML across it, on the ground)
over the middle 80 % of stance, where both COPs are defined; forces in body weights over the
whole stance; impulses of the negative (braking) and positive (propulsive) AP force in BW s.
"""

from __future__ import annotations

import numpy as np

from .drive import rotation_matrices

COP_WINDOW = (0.10, 0.90)
FREE_MOMENT_MIN_FZ_BW = 0.20


def heading_frame_cop(cop_m, position_m, quat):
    """(T,2) COP relative to the ankle along (AP) and across (ML, + left) the foot's heading."""
    forward = rotation_matrices(quat)[:, :2, 0]
    forward /= np.linalg.norm(forward, axis=1, keepdims=True)
    left = np.column_stack([-forward[:, 1], forward[:, 0]])
    arm = cop_m - position_m[:, :2]
    return np.column_stack([np.sum(arm * forward, axis=1), np.sum(arm * left, axis=1)])


def _rms(values):
    values = values[np.isfinite(values)]
    return float(np.sqrt(np.mean(values**2))) if len(values) else float("nan")


def impulses_bw_s(fx_n, dt, bw_n):
    return {"braking": float(-np.sum(np.minimum(fx_n, 0.0)) * dt / bw_n),
            "propulsive": float(np.sum(np.maximum(fx_n, 0.0)) * dt / bw_n)}


def _halves(fx_n, dt, bw_n):
    """Net AP impulse (BW s) of the first and the second half of stance: braking, then propulsion."""
    half = len(fx_n) // 2
    return [float(np.sum(fx_n[:half]) * dt / bw_n), float(np.sum(fx_n[half:]) * dt / bw_n)]


def stance_errors(stance) -> dict:
    """The per-stance record (keys of the issue-15 JSON contract, plus free moment and offset)."""
    result, recorded = stance.result, stance.recorded
    bw = result.body_weight_n
    t = result.time_s
    dt = float(t[1] - t[0]) if len(t) > 1 else 0.0
    phase = (t - t[0]) / max(t[-1] - t[0], dt)
    middle = (phase >= COP_WINDOW[0]) & (phase <= COP_WINDOW[1])
    position, quat = result.foot_pose[:, :3], result.foot_pose[:, 3:]
    cop_model = heading_frame_cop(result.cop_m, position, quat)
    cop_plate = heading_frame_cop(recorded["cop_m"], position, quat)
    cop_error = np.where(middle[:, None], cop_model - cop_plate, np.nan)
    force_error = (result.grf_n - recorded["grf_n"]) / bw
    loaded = recorded["grf_n"][:, 2] > FREE_MOMENT_MIN_FZ_BW * bw
    model_impulse = impulses_bw_s(result.grf_n[:, 0], dt, bw)
    plate_impulse = impulses_bw_s(recorded["grf_n"][:, 0], dt, bw)
    offset = stance.vertical_offset_m
    return {
        "side": stance.side,
        "touchdown_s": stance.touchdown_s,
        "toe_off_s": stance.toe_off_s,
        "cop_ap_rms_m": _rms(cop_error[:, 0]),
        "cop_ml_rms_m": _rms(cop_error[:, 1]),
        "vertical_rms_bw": _rms(force_error[:, 2]),
        "ap_rms_bw": _rms(force_error[:, 0]),
        "ml_rms_bw": _rms(force_error[:, 1]),
        "braking_impulse_bw_s": {"model": model_impulse["braking"], "plate": plate_impulse["braking"]},
        "propulsive_impulse_bw_s": {"model": model_impulse["propulsive"], "plate": plate_impulse["propulsive"]},
        "ap_impulse_halves_bw_s": {"model": _halves(result.grf_n[:, 0], dt, bw), "plate": _halves(recorded["grf_n"][:, 0], dt, bw)},
        "free_moment_rms_nm": _rms(np.where(loaded, result.free_moment_nm - recorded["free_moment_nm"], np.nan)),
        "vertical_offset_mm": {"mean": float(np.mean(offset) * 1e3), "min": float(np.min(offset) * 1e3),
                               "max": float(np.max(offset) * 1e3)},
        "run_file": None,
    }


def runner_model_errors(model_result, recorded_time_s, recorded_grf_n, recorded_free_moment_nm, side: str) -> dict:
    """ML force (BW) and free moment (N m) RMS errors of a runner-model stance (a right foot,
    mirrored for the left) against one recorded stance, on the recorded stance's phase."""
    bw = model_result.body_weight_n
    model_t = model_result.time_s - model_result.time_s[0]
    phase = recorded_time_s / recorded_time_s[-1] * model_t[-1]
    sign = 1.0 if side == "right" else -1.0
    ml = sign * np.interp(phase, model_t, model_result.grf_n[:, 1])
    tz = sign * np.interp(phase, model_t, model_result.free_moment_nm)
    loaded = recorded_grf_n[:, 2] > FREE_MOMENT_MIN_FZ_BW * bw
    return {"ml_rms_bw": _rms((ml - recorded_grf_n[:, 1]) / bw),
            "free_moment_rms_nm": _rms(np.where(loaded, tz - recorded_free_moment_nm, np.nan))}
