"""The result of one stance with named fields, and the force-plate signals derived from the trace."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .foot import PlantarMesh
from .kernels import layout as L
from .kernels import stance as S
from .model import GRAVITY
from .scenario import Scenario
from .summary import summarize


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
    joints: dict[str, np.ndarray] = field(default_factory=dict)  # articulated foot: angles (rad) over time
    segment: np.ndarray | None = None  # articulated foot: segment index per element (articulated.SEGMENT_NAMES)

    @property
    def body_weight_n(self) -> float:
        return self.scenario["runner"]["body_mass_kg"] * GRAVITY


def cop_and_free_moment(grf_n: np.ndarray, ground_moment_nm: np.ndarray, min_fz_n: float):
    """COP on the ground plane and the free moment about it, from the net moment about the origin.

    M0 = r_cop x F + Tz z  =>  x = -M0y / Fz, y = M0x / Fz, Tz = M0z - (x Fy - y Fx).
    COP is meaningless where Fz is small: NaN there, and Tz is 0.
    """
    fz = grf_n[:, 2]
    loaded = fz > min_fz_n
    safe = np.where(loaded, fz, 1.0)
    x = np.where(loaded, -ground_moment_nm[:, 1] / safe, np.nan)
    y = np.where(loaded, ground_moment_nm[:, 0] / safe, np.nan)
    tz = np.where(loaded, ground_moment_nm[:, 2] - (x * grf_n[:, 1] - y * grf_n[:, 0]), 0.0)
    return np.stack([x, y], axis=1), tz


def assemble_result(scenario: Scenario, mesh: PlantarMesh, trace: np.ndarray, records: np.ndarray,
                    outcome: str) -> StanceResult:
    grf = trace[:, S.T_FX:S.T_FX + 3].copy()
    bw = scenario["runner"]["body_mass_kg"] * GRAVITY
    cop, tz = cop_and_free_moment(grf, trace[:, S.T_MGX:S.T_MGX + 3], 0.02 * bw)
    pose = trace[:, S.T_POS:S.T_POS + 7].copy()
    elements = {name: records[:, k].copy() for k, name in enumerate(L.RECORDS)}
    result = StanceResult(scenario, mesh, trace[:, S.T_TIME].copy(), grf, cop, tz, pose,
                          trace[:, S.T_HIP:S.T_HIP + 3].copy(), elements, outcome)
    result.summary = summarize(result)
    return result
