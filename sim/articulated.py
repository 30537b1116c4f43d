"""The articulated foot above its kernel: segments, joint geometry and parameters, one stance (DESIGN 3.4b).

Segments by region: hindfoot (heel and midfoot), forefoot (metatarsal heads), toes (hallux, lesser
toes), each cut at its joint line so that every element moves with the bones above it: the midfoot
skin ahead of the midfoot joint (under the metatarsal bases, which the regions count to the
midfoot) moves with the forefoot, and the skin distal of the MTP axis (under the proximal
phalanges, which the regions count to the metatarsal heads) with the toes. The mesh is sorted once by segment so that the kernel calls the contact step on one slice
per segment; each element's points are expressed in its segment's frame, whose origin is the
segment's proximal joint: the ankle, the midfoot joint point, the MTP axis at the first metatarsal
head. Joint points sit on the foot's skeleton at fixed fractions of the foot length (s = distance
from the heel / L): the midfoot joint at s = 0.55 (tarsometatarsal line), 0.1 L above the plantar
plane; the MTP axis through the first (s 0.73, medial 0.12 L) and fifth (s 0.64, lateral 0.13 L)
metatarsal heads, 0.08 L up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .foot import ANKLE_FROM_HEEL, PlantarMesh
from .frames import frame_buffer
from .kernels import articulated as A
from .kernels import stance as S
from .kernels.contact import new_contact_state
from .kernels.rotation import align_z_to, quat_to_matrix
from .model import body_vector, contact_model, touchdown_state
from .scenario import Scenario

SEGMENT_NAMES = ("hindfoot", "forefoot", "toes")
# region index (foot.REGION_NAMES) -> segment: heel and midfoot regions, metatarsal heads, toes
SEGMENT_OF_REGION = np.array([A.HINDFOOT] * 6 + [A.FOREFOOT] * 3 + [A.TOES] * 2)

MIDFOOT_JOINT_S, MIDFOOT_JOINT_UP = 0.55, 0.10
MTH1_S, MTH1_W, MTH5_S, MTH5_W, MTP_UP = 0.73, 0.12, 0.64, -0.13, 0.08


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _axis(up_deg: float, medial_deg: float) -> np.ndarray:
    """Unit axis pointing forward, `up_deg` above the plantar plane, `medial_deg` medial (+y) of x_F."""
    up, medial = np.radians(up_deg), np.radians(medial_deg)
    return np.array([np.cos(up) * np.cos(medial), np.cos(up) * np.sin(medial), np.sin(up)])


def joint_points(mesh: PlantarMesh) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Midfoot joint point, MTP axis point (first metatarsal head) and MTP axis, hindfoot frame (m)."""
    length, floor = mesh.foot_length_m, mesh.plantar_plane_z_m
    mid = np.array([(MIDFOOT_JOINT_S - ANKLE_FROM_HEEL) * length, 0.0, floor + MIDFOOT_JOINT_UP * length])
    mth1 = np.array([(MTH1_S - ANKLE_FROM_HEEL) * length, MTH1_W * length, floor + MTP_UP * length])
    mth5 = np.array([(MTH5_S - ANKLE_FROM_HEEL) * length, MTH5_W * length, floor + MTP_UP * length])
    return mid, mth1, _unit(mth1 - mth5)


def joint_vector(scenario: Scenario, mesh: PlantarMesh) -> np.ndarray:
    f = scenario["foot"]
    incline, turn = np.radians(f["talocrural_inclination_deg"]), np.radians(f["talocrural_rotation_deg"])
    j = np.zeros(A.N_JOINT)
    # through the malleoli: the medial (+y) end higher and further forward than the lateral end
    j[A.J_A_TC:A.J_A_TC + 3] = [np.sin(turn) * np.cos(incline), np.cos(turn) * np.cos(incline), np.sin(incline)]
    j[A.J_A_ST:A.J_A_ST + 3] = _axis(f["subtalar_elevation_deg"], f["subtalar_deviation_deg"])
    mid, mtp_point, mtp_axis = joint_points(mesh)
    j[A.J_O_MID:A.J_O_MID + 3] = mid
    j[A.J_A_ARCH:A.J_A_ARCH + 3] = [0.0, 1.0, 0.0]
    j[A.J_A_EV:A.J_A_EV + 3] = _axis(f["midfoot_axis_elevation_deg"], f["midfoot_axis_deviation_deg"])
    j[A.J_O_MTP:A.J_O_MTP + 3] = mtp_point
    j[A.J_A_MTP:A.J_A_MTP + 3] = mtp_axis
    for index, key in ((A.J_K_TC, "talocrural_stiffness_n_m_rad"), (A.J_K_ST, "subtalar_stiffness_n_m_rad"),
                       (A.J_K_RES, "ankle_residual_stiffness_n_m_rad"), (A.J_C_ANKLE, "ankle_damping_n_m_s_rad"),
                       (A.J_C_DF, "dorsiflexor_braking_n_m_s_rad"), (A.J_M_PF, "plantarflexor_moment_n_m"),
                       (A.J_K_ARCH, "arch_stiffness_n_m_rad"), (A.J_C_ARCH, "arch_damping_n_m_s_rad"),
                       (A.J_K_EV, "forefoot_inversion_stiffness_n_m_rad"),
                       (A.J_C_EV, "forefoot_inversion_damping_n_m_s_rad"),
                       (A.J_K_MTP, "mtp_stiffness_n_m_rad"), (A.J_C_MTP, "mtp_damping_n_m_s_rad"),
                       (A.J_K_LIMB, "limb_rotation_stiffness_n_m_rad"), (A.J_C_LIMB, "limb_rotation_damping_n_m_s_rad"),
                       (A.J_T_LIMB, "twist_torque_limit_n_m"),
                       (A.J_TRICEPS_INVERSION, "triceps_subtalar_inversion_ratio")):
        j[index] = f[key]
    return j


@dataclass(frozen=True)
class SegmentedContact:
    """The contact arrays sorted by segment, points in their segment's frame."""

    mesh: PlantarMesh          # sorted by segment
    arrays: tuple              # kernel_arrays() of the contact model, sorted, points shifted
    bounds: np.ndarray         # (4,) int64 slice ends

    @property
    def segment(self) -> np.ndarray:
        return np.repeat(np.arange(A.N_SEGMENTS), np.diff(self.bounds))


def segment_labels(mesh: PlantarMesh, joints: np.ndarray) -> np.ndarray:
    """Segment index per element: by region, the hindfoot cut at the midfoot joint's transverse line
    and the forefoot at the MTP axis."""
    segment = SEGMENT_OF_REGION[mesh.region]
    axis = joints[A.J_A_MTP:A.J_A_MTP + 3]
    distal = np.array([axis[1], -axis[0]])  # in the plantar plane, across the axis towards the toes
    beyond = (mesh.position_m[:, :2] - joints[A.J_O_MTP:A.J_O_MTP + 2]) @ distal > 0.0
    segment = np.where((segment == A.FOREFOOT) & beyond, A.TOES, segment)
    ahead = mesh.position_m[:, 0] > joints[A.J_O_MID]
    return np.where((segment == A.HINDFOOT) & ahead, A.FOREFOOT, segment)


def segment_contact(contact, joints: np.ndarray) -> SegmentedContact:
    """Sort every per-element array of `contact.kernel_arrays()` by segment; (E,3) arrays are points
    and move into their segment's frame (so a new per-element array needs no change here)."""
    mesh = contact.mesh
    segment = segment_labels(mesh, joints)
    order = np.argsort(segment, kind="stable")
    n = mesh.n_elements
    origins = np.stack([np.zeros(3), joints[A.J_O_MID:A.J_O_MID + 3], joints[A.J_O_MTP:A.J_O_MTP + 3]])
    shift = origins[segment[order]]
    arrays = []
    for a in contact.kernel_arrays():
        if a.ndim >= 1 and a.shape[0] == n:
            a = np.ascontiguousarray(a[order])
            if a.shape[1:] == (3,):
                a = a - shift
        arrays.append(a)
    bounds = np.searchsorted(segment[order], np.arange(A.N_SEGMENTS + 1)).astype(np.int64)
    sorted_mesh = replace(mesh, position_m=mesh.position_m[order], area_m2=mesh.area_m2[order],
                          normal=mesh.normal[order], thickness_m=mesh.thickness_m[order], region=mesh.region[order])
    return SegmentedContact(sorted_mesh, tuple(arrays), bounds)


def rest_posture(y0: np.ndarray) -> np.ndarray:
    """The hindfoot's touchdown orientation in the shank frame (leg direction, heading the line of travel)."""
    rot, shank = np.zeros((3, 3)), np.zeros((3, 3))
    quat_to_matrix(y0[S.FOOT_QUAT:S.FOOT_QUAT + 4], rot)
    leg = y0[S.HIP_POS:S.HIP_POS + 3] - y0[S.FOOT_POS:S.FOOT_POS + 3]
    align_z_to(leg / np.linalg.norm(leg), 0.0, shank)
    return shank.T @ rot


def articulated_touchdown(rigid_y0: np.ndarray) -> np.ndarray:
    """The rigid model's touchdown state with the foot at rest: no spin, joints at zero."""
    y0 = np.zeros(A.N_STATE)
    y0[:S.FOOT_OMEGA] = rigid_y0[:S.FOOT_OMEGA]
    y0[A.TISSUE_POS:A.TISSUE_VEL + 3] = rigid_y0[S.TISSUE_POS:S.TISSUE_VEL + 3]
    return y0


@dataclass
class ArticulatedRun:
    segmented: SegmentedContact
    joints: np.ndarray
    trace: np.ndarray          # (steps, N_TRACE)
    y0: np.ndarray
    y_end: np.ndarray
    state: np.ndarray
    flags: np.ndarray
    records: np.ndarray
    steps: int
    outcome: int
    at: int
    frames: np.ndarray         # (F, E, N_FRAME) the element state every frame stride, elements in segment order


def simulate(scenario: Scenario, body: np.ndarray | None = None, y0: np.ndarray | None = None,
             joints: np.ndarray | None = None, stride: int | None = None) -> ArticulatedRun:
    """One articulated stance of the scenario: the kernel's raw arrays. body, y0 and joints replace the
    scenario's body vector, touchdown state and joint vector when given (the verification cases hold
    the foot; the pymunk cross-check turns the MTP axis transverse); with stride the element state
    is kept every stride steps (sim.frames)."""
    contact = contact_model(scenario)
    joints = joint_vector(scenario, contact.mesh) if joints is None else joints
    segmented = segment_contact(contact, joints)
    body = body_vector(scenario) if body is None else body
    y0 = articulated_touchdown(touchdown_state(scenario, contact.position_m)) if y0 is None else y0
    dt = scenario["numerics"]["dt_s"]
    n_max = int(round(scenario["numerics"]["duration_s"] / dt))
    trace = np.zeros((n_max, A.N_TRACE))
    state, flags, records = new_contact_state(segmented.mesh.n_elements)
    y_end = np.zeros(A.N_STATE)
    frames = frame_buffer(segmented.mesh.n_elements, n_max, stride)
    steps, outcome, at = A.simulate_articulated(*segmented.arrays, segmented.bounds, body, joints, rest_posture(y0),
                                                y0, dt, n_max, trace, state, flags, records, frames, stride or 1, y_end)
    return ArticulatedRun(segmented, joints, trace[:steps], y0, y_end, state, flags, records, steps, outcome, at,
                          frames)


def joint_traces(trace: np.ndarray) -> dict[str, np.ndarray]:
    """Joint angles over time (rad) by name, and the hindfoot's eversion relative to the shank."""
    out = {name: trace[:, A.T_JOINTS + k].copy() for k, name in enumerate(A.JOINT_NAMES)}
    out["rearfoot_eversion"] = trace[:, A.T_EVERSION].copy()
    return out
