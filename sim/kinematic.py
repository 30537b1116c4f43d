"""Kinematic mode (DESIGN 3.6): the foot follows a prescribed roll-over; contact gives forces and shear.

The parametric roll-over: touchdown at the strike angle, rotation to flat over the first 20 % of
the stance about the first contact point, flat to mid-stance, then plantarflexion to the toe-off pitch about the metatarsal
heads; the depth is set so that the elastic pad load follows a half-sine (or walking's two humps)
of the peak load; a forward foot velocity at touchdown decays into a few mm of slide; yaw is the toe-out plus the twist after its onset. `poses_to_motion` turns
any pose table (a recorded foot trajectory) into the velocities the contact kernel needs.
"""

from __future__ import annotations

import numpy as np

from .foot import MIDFOOT_END_S, MTH_END_S, ANKLE_FROM_HEEL
from .kernels.contact import elastic_load, new_contact_state
from .kernels.rotation import euler_to_quat, quat_to_matrix, rotation_vector
from .articulated import joint_vector, segment_contact
from .kernels import articulated as A
from .kernels.articulated import JOINT_NAMES
from .kernels.stance import follow_trajectory, no_frames
from .kernels import layout as L
from .kernels import stance as S
from .frames import frame_buffer, frame_stride, frames_from_buffer
from .model import contact_model, stored_energy_of
from .result import assemble_result
from .scenario import Scenario
from .variables import GRAVITY_M_S2


def _smoothstep(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _elastic_load_n(points_z, depth, mesh, tissue) -> float:
    """Vertical elastic pad load (N) with the foot lowered by `depth` below first contact."""
    strain = np.maximum(depth - (points_z - points_z.min()), 0.0) / mesh.thickness_m
    return elastic_load(strain, mesh.area_m2, tissue[L.E0], tissue[L.EXPONENT], tissue[L.MAX_STRAIN])


def _depth_for_load(points_z, load_n, mesh, tissue) -> float:
    """Bisection for the depth whose elastic load is load_n (monotonic in depth)."""
    if load_n <= 0:
        return 0.0
    low, high = 0.0, 2.0 * float(mesh.thickness_m.max())
    for _ in range(40):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if _elastic_load_n(points_z, mid, mesh, tissue) < load_n else (low, mid)
    return 0.5 * (low + high)


SLIDE_TIME_S = 0.02


def load_shape(phase: np.ndarray, profile: str) -> np.ndarray:
    """Vertical load over the stance, peak 1: a half-sine (running), or walking's two humps
    (heel loading near 25 %, push-off near 75 %, a dip to about 0.7 at mid-stance)."""
    half_sine = np.sin(np.pi * np.clip(phase, 0.0, 1.0))
    if profile == "half_sine":
        return half_sine
    humps = half_sine**0.6 * (1.0 - 0.35 * np.exp(-(((phase - 0.5) / 0.14) ** 2)))
    return humps / humps.max()


def rollover_poses(scenario: Scenario, contact) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time (T,), ankle position (T,3) and quaternion (T,4) of the parametric roll-over.

    The depth for the load profile is solved on the pads alone: with a shoe the sole's give
    makes the real load lower than the profile's.
    """
    mesh, points = contact.mesh, contact.position_m
    k, s = scenario["kinematic"], scenario["strike"]
    dt = scenario["numerics"]["dt_s"]
    time = np.arange(int(round(k["stance_time_s"] / dt))) * dt
    phase = time / k["stance_time_s"]
    fsa = np.radians(s["foot_strike_angle_deg"])
    pitch = -fsa * (1 - _smoothstep(phase / 0.2)) + np.radians(k["toe_off_pitch_deg"]) * _smoothstep((phase - 0.5) / 0.5)
    twist = np.radians(s["twist_deg"]) * _smoothstep((phase - s["twist_onset_fraction"]) / (1 - s["twist_onset_fraction"]))
    yaw = -np.radians(s["toe_out_deg"]) - twist
    roll = np.radians(s["inversion_deg"]) * (1 - _smoothstep(phase / 0.3))
    quat = np.array([euler_to_quat(y, p, r) for y, p, r in zip(yaw, pitch, roll)])
    load_n = k["peak_load_bw"] * scenario["runner"]["body_mass_kg"] * GRAVITY_M_S2 * load_shape(phase, k["load_profile"])
    # the depth for the load profile, solved on a coarse grid and interpolated
    coarse = np.linspace(0, len(time) - 1, min(len(time), 60)).astype(int)
    rot = np.zeros((3, 3))
    tissue = contact.tissue
    depth = []
    for n in coarse:
        quat_to_matrix(quat[n], rot)
        depth.append(_depth_for_load((points @ rot.T)[:, 2], load_n[n], mesh, tissue))
    depth = np.interp(np.arange(len(time)), coarse, depth)
    # the foot rolls without sliding: about its first contact point until mid-stance, then about
    # the metatarsal heads; switching pivots keeps the ankle path continuous
    quat_to_matrix(quat[0], rot)
    first_contact = points[np.argmin((points @ rot.T)[:, 2])]
    mth = np.array([((MIDFOOT_END_S + MTH_END_S) / 2 - ANKLE_FROM_HEEL) * mesh.foot_length_m, 0.0,
                    points[:, 2].min()])
    ankle = np.zeros((len(time), 3))
    # the foot may arrive sliding forwards: its slide decays over SLIDE_TIME_S (a few mm of heel slip)
    v0 = s["foot_velocity_m_s"]
    slide = v0 * SLIDE_TIME_S * -np.expm1(-time / SLIDE_TIME_S)
    heading = np.array([1.0, 0.0])
    pivot, pivot_ground = first_contact, (rot @ first_contact)[:2]
    previous = rot.copy()
    for n, q in enumerate(quat):
        quat_to_matrix(q, rot)
        if phase[n] >= 0.5 and pivot is first_contact:
            # the metatarsal heads stay where they were on the ground at the previous step
            pivot, pivot_ground = mth, ankle[n - 1, :2] - slide[n - 1] * heading + (previous @ mth)[:2]
        previous[:] = rot
        ankle[n, :2] = pivot_ground - (rot @ pivot)[:2] + slide[n] * heading
        ankle[n, 2] = -(points @ rot.T)[:, 2].min() - depth[n]
    return time, ankle, quat


def poses_to_motion(time_s: np.ndarray, position_m: np.ndarray, quat: np.ndarray):
    """Velocity (T,3) and ground-frame angular velocity (T,3) of a pose table, by differences."""
    velocity = np.gradient(position_m, time_s, axis=0)
    omega = np.zeros_like(position_m)
    r0, r1 = np.zeros((3, 3)), np.zeros((3, 3))
    for n in range(len(time_s) - 1):
        quat_to_matrix(quat[n], r0)
        quat_to_matrix(quat[n + 1], r1)
        omega[n] = rotation_vector(r1 @ r0.T) / (time_s[n + 1] - time_s[n])
    omega[-1] = omega[-2] if len(time_s) > 1 else 0.0
    return velocity, omega


def follow_poses(contact, position_m, quat, velocity, omega, dt, state, flags, records, frames=None,
                 stride: int = 1) -> np.ndarray:
    """Advance the contact state along a pose table (T,3)/(T,4); the net load (T, N_LOAD) of each step.

    The one call of the kinematic kernel: everything that drives the contact layer with poses
    goes through here. frames: the element state every `stride` steps (sim.frames), or None.
    """
    loads = np.zeros((len(position_m), L.N_LOAD))
    frames = no_frames(contact.mesh.n_elements) if frames is None else frames
    follow_trajectory(*contact.kernel_arrays(), position_m, quat, velocity, omega, dt, state, flags, records, frames,
                      stride, loads)
    return loads


def _trace(time, position_m, quat, loads) -> np.ndarray:
    trace = np.zeros((len(time), S.N_TRACE))
    trace[:, S.T_TIME] = time
    trace[:, S.T_FX:S.T_FX + 3] = loads[:, L.FORCE:L.FORCE + 3]
    trace[:, S.T_MGX:S.T_MGX + 3] = loads[:, L.MOMENT_GROUND:L.MOMENT_GROUND + 3]
    trace[:, S.T_MFX:S.T_MFX + 3] = loads[:, L.MOMENT_FOOT:L.MOMENT_FOOT + 3]
    trace[:, S.T_POS:S.T_POS + 3] = position_m
    trace[:, S.T_QUAT:S.T_QUAT + 4] = quat
    trace[:, S.T_HIP:S.T_HIP + 3] = np.nan
    return trace


def kinematic_result(scenario: Scenario, contact, time, position_m, quat, loads, contact_state, outcome: str,
                     frames=None):
    """The StanceResult of a pose table and its loads (same outputs as forward dynamics); contact_state
    is the (state, flags, records) the poses left behind."""
    state, flags, records = contact_state
    trace = _trace(time, position_m, quat, loads)
    kept = None if frames is None else frames_from_buffer(*frames, trace)
    return assemble_result(scenario, contact.mesh, trace, records, outcome, contact.stored_energy(state, flags), kept)


def _segment_paths(scenario: Scenario, joints: np.ndarray, time, ankle, quat):
    """Origin (T,3) and quaternion (T,4) of each segment of the articulated roll-over, and the MTP
    angle (T,): after mid-stance the toes turn back about the oblique MTP axis by the pitch the rest
    of the foot gains rolling over the metatarsal heads (being oblique, the axis also rolls them
    onto their medial side); the midfoot joint stays at rest."""
    from scipy.spatial.transform import Rotation

    k = scenario["kinematic"]
    phase = time / k["stance_time_s"]
    mtp = -np.radians(k["toe_off_pitch_deg"]) * _smoothstep((phase - 0.5) / 0.5)
    hindfoot = Rotation.from_quat(np.column_stack([quat[:, 1:], quat[:, :1]]))
    toes = (hindfoot * Rotation.from_rotvec(np.outer(mtp, joints[A.J_A_MTP:A.J_A_MTP + 3]))).as_quat()
    paths = ((ankle, quat), (ankle + hindfoot.apply(joints[A.J_O_MID:A.J_O_MID + 3]), quat),
             (ankle + hindfoot.apply(joints[A.J_O_MTP:A.J_O_MTP + 3]), np.column_stack([toes[:, 3:], toes[:, :3]])))
    return paths, mtp


def _articulated_rollover(scenario: Scenario, contact, time, ankle, quat, stride: int | None):
    """The roll-over segment by segment: the toes left on the ground after mid-stance; with stride
    the element state every stride steps, elements in the result mesh's segment order."""
    dt = scenario["numerics"]["dt_s"]
    loads = np.zeros((len(time), L.N_LOAD))
    joints = joint_vector(scenario, contact.mesh)
    segmented = segment_contact(contact, joints)
    paths, mtp = _segment_paths(scenario, joints, time, ankle, quat)
    n = segmented.mesh.n_elements
    state, flags, records = new_contact_state(n)
    part_loads = np.zeros((len(time), L.N_LOAD))
    part_frames = []
    for seg, (origin, q) in enumerate(paths):
        part = slice(segmented.bounds[seg], segmented.bounds[seg + 1])
        arrays = [a[part] if np.ndim(a) and len(a) == n else a for a in segmented.arrays]
        part_frames.append(frame_buffer(part.stop - part.start, len(time), stride))
        follow_trajectory(*arrays, origin, q, *poses_to_motion(time, origin, q), dt, state[part], flags[part],
                          records[part], part_frames[-1], stride or 1, part_loads)
        loads[:, L.FORCE:L.MOMENT_GROUND + 3] += part_loads[:, L.FORCE:L.MOMENT_GROUND + 3]
    trace = _trace(time, ankle, quat, loads)
    frames = None if stride is None else frames_from_buffer(np.concatenate(part_frames, axis=1), stride, trace)
    _, _, _, thickness, tissue, stack = segmented.arrays
    # the trace's pose is the hindfoot's: the contact's work on the whole foot is not in it
    result = assemble_result(scenario, segmented.mesh, trace, records,
                             "prescribed roll-over", stored_energy_of(thickness, tissue, stack, state, flags), frames,
                             foot_work=False)
    result.joints = {name: np.zeros(len(time)) for name in JOINT_NAMES}
    result.joints["mtp"] = mtp
    result.segment = segmented.segment
    return result


def run_kinematic(scenario: Scenario, frame_rate_hz: float | None = None):
    """Contact along the parametric roll-over; same outputs as forward dynamics. The articulated
    foot rolls the same way with its toes left on the ground after mid-stance."""

    contact = contact_model(scenario)
    dt = scenario["numerics"]["dt_s"]
    time, ankle, quat = rollover_poses(scenario, contact)
    stride = None if frame_rate_hz is None else frame_stride(frame_rate_hz, dt)
    if scenario["foot"]["model"] == "articulated":
        return _articulated_rollover(scenario, contact, time, ankle, quat, stride)
    velocity, omega = poses_to_motion(time, ankle, quat)
    state, flags, records = new_contact_state(contact.mesh.n_elements)
    frames = frame_buffer(contact.mesh.n_elements, len(time), stride)
    loads = follow_poses(contact, ankle, quat, velocity, omega, dt, state, flags, records, frames, stride or 1)
    return kinematic_result(scenario, contact, time, ankle, quat, loads, (state, flags, records), "prescribed roll-over",
                            None if stride is None else (frames, stride))
