"""The contact layer driven by fitted foot poses, with the vertical position from the plate or the markers.

Skin markers do not give the sole's height to a millimetre, and a millimetre is a large share of
a pad's compression. Two ways to set it:
- recorded: at every step the ankle height is solved (Brent's method, 1-D) so that the model's
  vertical force equals the plate's; the markers give orientation and horizontal path, and
  nothing is fitted to the horizontal signals. The vertical velocity of the step follows from
  the solved heights (a backward difference), so the root is of one monotonic function.
- markers: the fitted poses as they are, shifted by one constant offset per stance, solved so
  that the model's vertical impulse equals the plate's.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..foot import REGION_NAMES
from ..kernels import layout as L
from ..kernels.contact import new_contact_state
from ..kinematic import follow_poses, poses_to_motion

HEEL_REGIONS = [REGION_NAMES.index(n) for n in REGION_NAMES if n.startswith("heel")]
FOREFOOT_REGIONS = [REGION_NAMES.index(n) for n in ("mth1", "mth2_3", "mth4_5")]
VERTICAL_TOLERANCE_M = 1e-9  # 1e-8 m left the horizontal forces 10 % off their converged values
SEARCH_STEP_M = 2e-4


def _pitch_matrix(pitch):
    c, s = np.cos(pitch), np.sin(pitch)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def flat_pose(contact) -> tuple[np.ndarray, float]:
    """Rotation that sets the sole flat (lowest heel and lowest forefoot point level) and the
    ankle height at which it then touches the ground.

    A shoe's heel-to-toe drop tilts the foot frame when the outsole lies flat; barefoot, the
    heel pad and the metatarsal heads are the two supports.
    """
    from scipy.optimize import brentq

    points, region = contact.position_m, contact.mesh.region
    heel, fore = np.isin(region, HEEL_REGIONS), np.isin(region, FOREFOOT_REGIONS)

    def difference(pitch):
        z = (points @ _pitch_matrix(pitch).T)[:, 2]
        return z[heel].min() - z[fore].min()

    pitch = brentq(difference, -0.4, 0.4, xtol=1e-10)
    rotation = _pitch_matrix(pitch)
    return rotation, float(-(points @ rotation.T)[:, 2].min())


def rotation_matrices(quat):
    """(T,3,3) foot-to-ground rotations of unit quaternions (T,4), w first."""
    from scipy.spatial.transform import Rotation

    return Rotation.from_quat(np.column_stack([quat[:, 1:], quat[:, :1]])).as_matrix()


def touch_heights(contact, quat) -> np.ndarray:
    """(T,) ankle height at which the lowest contact point just touches the ground."""
    return -np.einsum("tij,ej->tei", rotation_matrices(quat), contact.position_m)[:, :, 2].min(axis=1)


class _Stepper:
    """One kernel step at a trial height, on scratch copies of the contact state."""

    def __init__(self, contact, dt):
        self.contact, self.dt = contact, dt
        self.state, self.flags, self.records = new_contact_state(contact.mesh.n_elements)
        self.scratch = [a.copy() for a in (self.state, self.flags, self.records)]

    def trial(self, position, quat, velocity, omega):
        for kept, scratch in zip((self.state, self.flags, self.records), self.scratch):
            np.copyto(scratch, kept)
        return follow_poses(self.contact, position[None], quat[None], velocity[None], omega[None], self.dt,
                            *self.scratch)[0]

    def commit(self, position, quat, velocity, omega):
        return follow_poses(self.contact, position[None], quat[None], velocity[None], omega[None], self.dt,
                            self.state, self.flags, self.records)[0]


def drive_recorded(contact, time_s, position_m, quat, fz_target_n, dt):
    """Loads (T, N_LOAD), solved positions (T,3) and the contact (state, flags, records), Fz matched at every step."""
    from scipy.optimize import brentq

    velocity, omega = poses_to_motion(time_s, position_m, quat)
    touch = touch_heights(contact, quat)
    stepper = _Stepper(contact, dt)
    solved = position_m.copy()
    loads = np.zeros((len(time_s), L.N_LOAD))
    deepest = touch - 2.0 * float(contact.mesh.thickness_m.max()) - 0.05
    for n in range(len(time_s)):
        pos, vel = solved[n], velocity[n].copy()
        previous_z = solved[n - 1, 2] if n else None

        def excess(z):
            pos[2] = z
            if previous_z is not None:
                vel[2] = (z - previous_z) / dt
            return stepper.trial(pos, quat[n], vel, omega[n])[L.FORCE + 2] - fz_target_n[n]

        if fz_target_n[n] <= 0.0:
            z = touch[n]
        else:
            # a narrow bracket about the last step's height (few evaluations), else up to first touch
            start = min(previous_z if previous_z is not None else touch[n], touch[n])
            high = min(start + SEARCH_STEP_M, touch[n])
            if excess(high) >= 0.0:
                high = touch[n]
            low = start - SEARCH_STEP_M
            while excess(low) < 0.0:
                high, low = low, low - 2 * (high - low)
                if low < deepest[n]:
                    raise InputError(f"t = {time_s[n]:.4f} s: the model cannot carry the recorded "
                                     f"{fz_target_n[n]:.0f} N even through the whole pad")
            z = brentq(excess, low, high, xtol=VERTICAL_TOLERANCE_M)
        excess(z)
        loads[n] = stepper.commit(pos, quat[n], vel, omega[n])
    return loads, solved, (stepper.state, stepper.flags, stepper.records)


def run_poses(contact, position_m, quat, velocity, omega, dt):
    """The whole pose table from a fresh contact state: loads (T, N_LOAD) and the contact (state, flags, records)."""
    state, flags, records = new_contact_state(contact.mesh.n_elements)
    return follow_poses(contact, position_m, quat, velocity, omega, dt, state, flags, records), (state, flags, records)


def drive_markers(contact, time_s, position_m, quat, vertical_impulse_n_s, dt):
    """Loads, shifted positions and the contact state with one vertical offset for the stance (impulse matched)."""
    from scipy.optimize import brentq

    velocity, omega = poses_to_motion(time_s, position_m, quat)
    clear = float(np.max(touch_heights(contact, quat) - position_m[:, 2]))  # above this, no contact

    def impulse_excess(offset):
        shifted = position_m + np.array([0.0, 0.0, offset])
        loads, _ = run_poses(contact, shifted, quat, velocity, omega, dt)
        return loads[:, L.FORCE + 2].sum() * dt - vertical_impulse_n_s

    high, low = clear, clear - 0.005
    while impulse_excess(low) < 0.0:
        high, low = low, low - 0.005
        if clear - low > 0.1:
            raise InputError("no vertical offset within 100 mm gives the recorded vertical impulse")
    offset = brentq(impulse_excess, low, high, xtol=1e-7)
    shifted = position_m + np.array([0.0, 0.0, offset])
    loads, contact_state = run_poses(contact, shifted, quat, velocity, omega, dt)
    return loads, shifted, contact_state
