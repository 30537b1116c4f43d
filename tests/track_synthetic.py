"""A motion-capture trial made from a footsim run: its foot poses as markers, its GRF as plate analogs.

The markers sit at the landmarks' nominal places (sim.tracking.markers.LANDMARK_POSITION), so the
tracked mesh lands where the run's was; frame 0..STANDING_FRAMES-1 is a standing frame, the
foot flat as sim.tracking.drive.flat_pose lays it, for the marker offsets.
"""

import numpy as np

from sim.tracking.drive import flat_pose
from sim.tracking.poses import nominal_positions
from sim.kernels.rotation import quat_to_matrix

LABELS = {"heel": "R.Heel.Bottom", "mth1": "R.MT1", "mth5": "R.MT5", "heel_top": "R.Heel.Top"}
HEIGHTS_M = {"heel": 0.035, "mth1": 0.04, "mth5": 0.04, "heel_top": 0.09}  # above the ground, standing
PAD_S = 0.1
STANDING_FRAMES = 20


def offsets_in_foot(contact, foot_length_m, side="right"):
    """(M,3) marker offsets in the foot frame, and the standing pose's rotation and ankle height."""
    names = list(LABELS)
    rotation, height = flat_pose(contact)
    nominal = nominal_positions(names, side, foot_length_m)
    ground_xy = (np.column_stack([nominal, np.zeros(len(names))]) @ rotation.T)[:, :2]
    standing = np.column_stack([ground_xy, [HEIGHTS_M[n] for n in names]])  # ankle at (0, 0, height)
    return (standing - np.array([0.0, 0.0, height])) @ rotation, rotation, height


def mirrored(result):
    """The run as the left foot would give it: y -> -y, the rotations reflected, the free moment negated."""
    import dataclasses

    pose = result.foot_pose * np.array([1, -1, 1, 1, -1, 1, -1])  # (x, -y, z); quaternion (w, -x, y, -z)
    return dataclasses.replace(result, foot_pose=pose, grf_n=result.grf_n * [1, -1, 1], cop_m=result.cop_m * [1, -1],
                               free_moment_nm=-result.free_moment_nm)


def write_run_as_c3d(path, result, contact, marker_rate_hz=1000.0, analog_rate_hz=2000.0, units="mm",
                     with_plate=True, side="right"):
    """The run's stance padded by PAD_S of flight on each side; Z up, X forward; returns file time of t=0.

    side="left": the run mirrored (a left foot), its markers labelled L.*; `contact` is then the left foot's.
    """
    import ezc3d
    from ezc3d import ezc3d as swig

    if side == "left":
        result = mirrored(result)
    offsets, rotation, height = offsets_in_foot(contact, result.mesh.foot_length_m, side)
    t_run = result.time_s - result.time_s[0]
    duration = t_run[-1] + 2 * PAD_S
    t_points = np.arange(int(duration * marker_rate_hz)) / marker_rate_hz
    t_analog = np.arange(len(t_points) * int(analog_rate_hz / marker_rate_hz)) / analog_rate_hz
    pose = result.foot_pose
    local = np.clip(t_points - PAD_S, 0.0, t_run[-1])
    position = np.column_stack([np.interp(local, t_run, pose[:, k]) for k in range(3)])
    quat = np.column_stack([np.interp(local, t_run, pose[:, 3 + k]) for k in range(4)])
    quat /= np.linalg.norm(quat, axis=1, keepdims=True)
    markers = np.zeros((len(t_points), len(offsets), 3))
    matrix = np.zeros((3, 3))
    for n in range(len(t_points)):
        quat_to_matrix(quat[n], matrix)
        markers[n] = position[n] + offsets @ matrix.T
    standing = np.array([position[0, 0], position[0, 1], height]) + offsets @ rotation.T
    markers[:STANDING_FRAMES] = standing
    scale = {"mm": 1e3, "m": 1.0}.get(units, 1e3)
    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [marker_rate_hz]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = tuple(v.replace("R.", side[0].upper() + ".") for v in LABELS.values())
    c3d["parameters"]["POINT"]["UNITS"]["value"] = (units,)
    points = np.ones((4, len(offsets), len(t_points)))
    points[:3] = np.transpose(markers, (2, 1, 0)) * scale
    c3d["data"]["points"] = points
    if with_plate:
        inside = (t_analog >= PAD_S) & (t_analog <= PAD_S + t_run[-1])
        grf = np.column_stack([np.where(inside, np.interp(t_analog - PAD_S, t_run, result.grf_n[:, k]), 0.0)
                               for k in range(3)])
        cop = np.column_stack([np.interp(t_analog - PAD_S, t_run, np.nan_to_num(result.cop_m[:, k])) for k in range(2)])
        tz = np.where(inside, np.interp(t_analog - PAD_S, t_run, result.free_moment_nm), 0.0)
        moment = np.column_stack([cop[:, 1] * grf[:, 2], -cop[:, 0] * grf[:, 2],
                                  cop[:, 0] * grf[:, 1] - cop[:, 1] * grf[:, 0] + tz])  # about the plate centre (origin)
        c3d["parameters"]["ANALOG"]["RATE"]["value"] = [analog_rate_hz]
        c3d["parameters"]["ANALOG"]["LABELS"]["value"] = ("Fx", "Fy", "Fz", "Mx", "My", "Mz")
        c3d["parameters"]["ANALOG"]["UNITS"]["value"] = ("N", "N", "N", "Nmm", "Nmm", "Nmm")
        c3d["data"]["analogs"] = np.concatenate([grf, moment * 1e3], axis=1).T[None]
        corners = np.array([[600, 300, 0], [-600, 300, 0], [-600, -300, 0], [600, -300, 0]], float) / 1e3 * scale
        c3d.add_parameter("FORCE_PLATFORM", "USED", [1])
        c3d.add_parameter("FORCE_PLATFORM", "TYPE", [2])
        c3d.add_parameter("FORCE_PLATFORM", "ZERO", [0, 0])
        c3d.add_parameter("FORCE_PLATFORM", "CORNERS", corners.T[:, :, None])
        c3d.add_parameter("FORCE_PLATFORM", "ORIGIN", np.zeros((3, 1)))
        c3d.add_parameter("FORCE_PLATFORM", "CHANNEL", np.arange(1.0, 7.0)[:, None])
        for name in ("USED", "TYPE", "ZERO", "CHANNEL"):
            # ezc3d's add_parameter stores numbers as floats; force platforms need integers.
            parameter = c3d["parameters"]["FORCE_PLATFORM"][name]
            parameter["type"], parameter["value"] = swig.INT, np.asarray(parameter["value"]).astype(int)
    c3d.write(str(path))
    return PAD_S
