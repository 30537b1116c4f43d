"""A contact simulated in the sagittal plane, as both engines report it (footsim's traces are cut to this)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..kernels.rotation import quat_to_matrix

NO_CONTACT_END_S = 0.002  # contact must stay lost this long to count as ended (a rigid foot chatters)


@dataclass
class SagittalTrace:
    """One simulated contact in the sagittal plane, on a fixed time step (SI, ground frame x, z)."""

    time_s: np.ndarray          # (T,)
    grf_n: np.ndarray           # (T, 2) ground on foot: x (forward), z (up)
    hip_m: np.ndarray           # (T, 2)
    ankle_m: np.ndarray         # (T, 2)
    foot_angle_rad: np.ndarray  # (T,) + = toes up
    foot_velocity_m_s: np.ndarray  # (2,) at the end
    foot_omega_rad_s: float        # at the end
    outcome: str
    ankle_torque_nm: np.ndarray | None = None  # (T,) ankle spring on the foot, + = toes up (twin stance only)
    # (T, 2) arch and MTP angles, + = the distal segment toes up on the proximal one (articulated foot only)
    joint_angles_rad: np.ndarray | None = None

    @property
    def dt_s(self) -> float:
        return float(self.time_s[1] - self.time_s[0])

    def coarsened(self, k: int) -> SagittalTrace:
        """The trace on a k times longer step: forces averaged over it (impulses kept), poses at its start."""
        start = np.arange(0, len(self.time_s), k)

        def mean(a):
            return None if a is None else np.add.reduceat(a, start, axis=0) / k

        def first(a):
            return None if a is None else a[start]

        return replace(self, time_s=self.time_s[start], grf_n=mean(self.grf_n), hip_m=first(self.hip_m),
                       ankle_m=first(self.ankle_m), foot_angle_rad=first(self.foot_angle_rad),
                       ankle_torque_nm=mean(self.ankle_torque_nm), joint_angles_rad=first(self.joint_angles_rad))

    def impulse_n_s(self) -> np.ndarray:
        return self.grf_n.sum(axis=0) * self.dt_s

    def com_m(self, body_mass_kg: float, foot_mass_kg: float) -> np.ndarray:
        return (body_mass_kg * self.hip_m + foot_mass_kg * self.ankle_m) / (body_mass_kg + foot_mass_kg)

    def contact_time_s(self) -> float:
        loaded = np.nonzero(self.grf_n[:, 1] > 0.0)[0]
        return float((loaded[-1] - loaded[0] + 1) * self.dt_s) if len(loaded) else 0.0


def pitch_from_quat(quat: np.ndarray) -> float:
    """Sagittal foot angle (rad, + = toes up) of a unit quaternion with no yaw or roll."""
    rot = np.zeros((3, 3))
    quat_to_matrix(np.ascontiguousarray(quat, dtype=float), rot)
    return math.atan2(rot[2, 0], rot[0, 0])
