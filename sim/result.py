"""The result of one stance with named fields, and the force-plate signals derived from the trace."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .foot import PlantarMesh
from .grf_metrics import COP_MIN_FZ_N
from .frames import Frames
from .kernels import layout as L
from .kernels import stance as S
from .scenario import Scenario
from .dose import per_km, step_timing
from .summary import stance_metrics, summarize
from .variables import GRAVITY_M_S2


@dataclass
class StanceResult:
    """One stance: force-plate signals, foot pose, and per-element records (SI units)."""

    scenario: Scenario
    mesh: PlantarMesh
    time_s: np.ndarray          # (T,)
    grf_n: np.ndarray           # (T, 3) ground on foot, ground frame
    cop_m: np.ndarray           # (T, 2), NaN where the foot is unloaded
    free_moment_nm: np.ndarray  # (T,)
    foot_pose: np.ndarray       # (T, 7) position, unit quaternion (w, x, y, z)
    hip_m: np.ndarray           # (T, 3)
    elements: dict[str, np.ndarray]  # name -> (E,)
    outcome: str
    summary: dict[str, float] = field(default_factory=dict)
    frames: Frames | None = None  # element states over time, when asked for (footsim run --frames)
    joints: dict[str, np.ndarray] = field(default_factory=dict)  # articulated foot: angles (rad) over time
    segment: np.ndarray | None = None  # articulated foot: segment index per element (articulated.SEGMENT_NAMES)

    @property
    def body_weight_n(self) -> float:
        return self.scenario["runner"]["body_mass_kg"] * GRAVITY_M_S2


def cop_and_free_moment(grf_n: np.ndarray, ground_moment_nm: np.ndarray):
    """COP on the ground plane and the free moment about it, from the net moment about the origin.

    M0 = r_cop x F + Tz z  =>  x = -M0y / Fz, y = M0x / Fz, Tz = M0z - (x Fy - y Fx).
    COP is meaningless where Fz is small: NaN there, and Tz is 0. The cut-off is the one of
    recorded data (`grf_metrics.COP_MIN_FZ_N`); the model has no plate noise, so the recordings'
    extra guard (a fraction of the peak) is left out and the first contact keeps its COP.
    """
    fz = grf_n[:, 2]
    loaded = fz >= COP_MIN_FZ_N
    safe = np.where(loaded, fz, 1.0)
    x = np.where(loaded, -ground_moment_nm[:, 1] / safe, np.nan)
    y = np.where(loaded, ground_moment_nm[:, 0] / safe, np.nan)
    tz = np.where(loaded, ground_moment_nm[:, 2] - (x * grf_n[:, 1] - y * grf_n[:, 0]), 0.0)
    return np.stack([x, y], axis=1), tz


def assemble_result(scenario: Scenario, mesh: PlantarMesh, trace: np.ndarray, records: np.ndarray,
                    outcome: str, stored_j_m2: np.ndarray, frames: Frames | None = None,
                    foot_work: bool = True) -> StanceResult:
    """The named result of a stance; `stored_j_m2` (E,) is the elastic energy the tissue holds at its end;
    foot_work: the trace's pose is the whole foot's, so the contact's work on it can be taken from it."""
    grf = trace[:, S.T_FX:S.T_FX + 3].copy()
    cop, tz = cop_and_free_moment(grf, trace[:, S.T_MGX:S.T_MGX + 3])
    pose = trace[:, S.T_POS:S.T_POS + 7].copy()
    elements = {name: records[:, k].copy() for k, name in enumerate(L.RECORDS)}
    elements["stored_energy_j_m2"] = np.asarray(stored_j_m2, dtype=float).copy()
    result = StanceResult(scenario, mesh, trace[:, S.T_TIME].copy(), grf, cop, tz, pose,
                          trace[:, S.T_HIP:S.T_HIP + 3].copy(), elements, outcome, frames=frames)
    metrics = stance_metrics(result)
    runner = scenario["runner"]
    timing = step_timing(metrics["stance_time_s"], runner["speed_m_s"], runner["hip_vertical_velocity_m_s"])
    elements.update(per_km(elements, timing["contacts_per_km"]))
    result.summary = summarize(result, metrics, timing)
    if foot_work:
        result.summary["ground_work_on_foot_j"] = ground_work_on_foot(trace)
    return result


def ground_work_on_foot(trace: np.ndarray) -> float:
    """Work (J) of the contact force and moment on the foot over the stance, from the trace alone:
    the force of step n acts over the foot's motion from step n to n + 1 (as the integrator applies it).
    Minus this is the work done on the tissue, a check on the kernel's own bookkeeping."""
    force = trace[:-1, S.T_FX:S.T_FX + 3]
    origin = trace[:, S.T_POS:S.T_POS + 3]
    moment = trace[:-1, S.T_MFX:S.T_MFX + 3]
    q = trace[:, S.T_QUAT:S.T_QUAT + 4]
    # rotation from step n to n + 1 as a ground-frame rotation vector: 2 vec(q1 q0*) for small steps
    w0, v0, w1, v1 = q[:-1, :1], q[:-1, 1:], q[1:, :1], q[1:, 1:]
    dq_w = w1 * w0 + np.sum(v1 * v0, axis=1, keepdims=True)
    dq_v = w0 * v1 - w1 * v0 - np.cross(v1, v0)
    angle = 2 * np.arctan2(np.linalg.norm(dq_v, axis=1), dq_w[:, 0])
    axis = dq_v / np.maximum(np.linalg.norm(dq_v, axis=1, keepdims=True), 1e-300)
    rotation = axis * angle[:, None]
    return float(np.sum(force * np.diff(origin, axis=0)) + np.sum(moment * rotation))
