"""The foot's pose over a stance from its markers: low-pass, marker offsets, per-frame Kabsch fit.

The foot is one rigid body (with heel, MTH1 and MTH5 the hindfoot and forefoot move as one).
Marker offsets in the foot frame come from one reference frame per stance (or one standing
frame for the trial): the mid-stance frame where the foot turns slowest, the foot-flat moment
between landing and push-off, when the sole is taken to lie flat on the ground. There the
mesh is placed under the markers by the landmarks' nominal positions (markers.LANDMARK_POSITION),
the yaw and horizontal position fitted in the ground plane, the sole level and touching. Every
frame's pose is then the least-squares rigid fit (Kabsch 1976) of those offsets to the markers.
"""

from __future__ import annotations

import numpy as np

from ..foot import ANKLE_FROM_HEEL
from ..grf_metrics import lowpass
from .markers import LANDMARK_POSITION, FootMarkers

MARKER_CUTOFF_HZ = 12.0  # the field's usual low-pass for running kinematics (4th order, zero lag)
REFERENCE_WINDOW = (0.15, 0.85)  # share of stance searched for the foot-flat frame


def filtered(markers: FootMarkers, cutoff_hz: float) -> FootMarkers:
    """Markers with gaps interpolated and low-passed (cutoff 0: unfiltered)."""
    out = {}
    for name, xyz in markers.positions_m.items():
        index = np.arange(len(xyz))
        filled = np.empty_like(xyz)
        for k in range(3):
            valid = np.isfinite(xyz[:, k])
            filled[:, k] = np.interp(index, index[valid], xyz[valid, k]) if valid.any() else np.nan
        out[name] = lowpass(filled, markers.rate_hz, cutoff_hz) if cutoff_hz else filled
    return FootMarkers(markers.side, markers.rate_hz, out, markers.labels, markers.notes)


def kabsch(reference: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotations (T,3,3) and translations (T,3) with points[t] ~ R[t] reference + p[t].

    reference (M,3) and points (T,M,3); least squares over the M markers (Kabsch 1976), proper
    rotations only (the determinant sign is corrected).
    """
    ref_mean = reference.mean(axis=0)
    pts_mean = points.mean(axis=1)
    h = np.einsum("mi,tmj->tij", reference - ref_mean, points - pts_mean[:, None, :])
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.einsum("tji,tkj->tik", vt, u)))
    fix = np.zeros((len(points), 3, 3))
    fix[:, 0, 0] = fix[:, 1, 1] = 1.0
    fix[:, 2, 2] = d
    rotation = np.einsum("tji,tjk,tlk->til", vt, fix, u)
    return rotation, pts_mean - np.einsum("tij,j->ti", rotation, ref_mean)


def nominal_positions(names: list[str], side: str, foot_length_m: float) -> np.ndarray:
    """(M,2) foot-frame x, y of the landmarks (left foot mirrored)."""
    sign = 1.0 if side == "right" else -1.0
    return np.array([[(LANDMARK_POSITION[n][0] - ANKLE_FROM_HEEL) * foot_length_m,
                      sign * LANDMARK_POSITION[n][1] * foot_length_m] for n in names])


def foot_length_from_markers(markers: FootMarkers, frames: np.ndarray) -> float:
    """Foot length that puts the landmarks at their nominal distance from the heel (median)."""
    names, points = markers.stack()
    heel = points[:, names.index("heel")]
    lengths = []
    for k, name in enumerate(names):
        span = LANDMARK_POSITION[name][0] - LANDMARK_POSITION["heel"][0]
        if name != "heel" and span > 0.4:  # the forefoot landmarks: long lever, small error
            lengths.append(np.linalg.norm((points[frames, k] - heel[frames])[:, :2], axis=1) / np.hypot(
                span, LANDMARK_POSITION[name][1]))
    return float(np.median(np.concatenate(lengths))) if lengths else float("nan")


def angular_speed(points: np.ndarray, rate_hz: float) -> np.ndarray:
    """(T,) rad/s of the rigid fit between consecutive frames (any reference works for it)."""
    rotation, _ = kabsch(points[0], points)
    relative = np.einsum("tij,tkj->tik", rotation[1:], rotation[:-1])
    cos = np.clip((np.trace(relative, axis1=1, axis2=2) - 1) / 2, -1.0, 1.0)
    speed = np.arccos(cos) * rate_hz
    return np.concatenate([speed, speed[-1:]])


def reference_frame(points: np.ndarray, rate_hz: float, first: int, last: int) -> int:
    """The frame of slowest rotation within REFERENCE_WINDOW of the stance frames [first, last]."""
    span = last - first
    lo, hi = first + int(REFERENCE_WINDOW[0] * span), first + max(int(REFERENCE_WINDOW[1] * span), 1)
    speed = angular_speed(points[lo:hi + 1], rate_hz)
    return lo + int(np.argmin(speed))


def marker_offsets(points_ref: np.ndarray, names: list[str], side: str, foot_length_m: float,
                   flat_rotation: np.ndarray, flat_height_m: float) -> np.ndarray:
    """(M,3) marker positions in the foot frame from one foot-flat frame's markers (M,3).

    The foot frame there: `flat_rotation` (the sole flat on the ground) after a yaw, the ankle
    `flat_height_m` above the ground, yaw and horizontal ankle position from the 2-D least-squares
    fit of the landmarks' nominal positions to the markers.
    """
    nominal = nominal_positions(names, side, foot_length_m)
    nominal_3d = np.column_stack([nominal, np.zeros(len(names))]) @ flat_rotation.T
    a, b = nominal_3d[:, :2], points_ref[:, :2]
    a0, b0 = a.mean(axis=0), b.mean(axis=0)
    h = (a - a0).T @ (b - b0)
    yaw = np.arctan2(h[0, 1] - h[1, 0], h[0, 0] + h[1, 1])
    c, s = np.cos(yaw), np.sin(yaw)
    yaw_matrix = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    ankle_xy = b0 - yaw_matrix[:2, :2] @ a0
    rotation = yaw_matrix @ flat_rotation
    ankle = np.array([ankle_xy[0], ankle_xy[1], flat_height_m])
    return (points_ref - ankle) @ rotation


def fit_poses(points: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ankle positions (T,3) and quaternions (T,4, w first) of the rigid fit of offsets to points."""
    from scipy.spatial.transform import Rotation

    rotation, position = kabsch(offsets, points)
    xyzw = Rotation.from_matrix(rotation).as_quat()
    quat = np.column_stack([xyzw[:, 3], xyzw[:, :3]])
    quat *= np.where(quat[:, :1] < 0, -1.0, 1.0)  # one hemisphere: w >= 0 keeps neighbours close
    return position, quat
