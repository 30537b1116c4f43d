"""Scenario to model arrays: the plantar mesh, tissue and body parameter vectors, the touchdown state.

The one translation from named SI parameters to the kernels' plain arrays (DESIGN 3.4).
"""

from __future__ import annotations

import numpy as np

from dataclasses import dataclass

from .errors import InputError
from .foot import PlantarMesh, build_mesh
from .footwear import scenario_footwear
from .kernels import layout as L
from .kernels import stance as S
from .kernels.contact import stored_energy
from .kernels.rotation import euler_to_quat, quat_to_matrix
from .layer_stack import layer_stack
from .scenario import Scenario
from .variables import GRAVITY_M_S2 as GRAVITY

TOUCHDOWN_GAP_M = 0.0005  # the lowest element starts this far above the ground
# the middle of the 1-10 Hz band in which skin and pad shear loss tangents are quoted (DESIGN 3.3)
SHEAR_LOSS_FREQUENCY_HZ = 5.0


def mesh_for(scenario: Scenario, side: str = "right") -> PlantarMesh:
    runner, tissue = scenario["runner"], scenario["tissue"]
    return build_mesh(
        foot_length_m=runner["foot_length_m"],
        ankle_height_m=0.039 * runner["height_m"],
        spacing_m=scenario["numerics"]["mesh_spacing_mm"] * 1e-3,
        heel_thickness_m=tissue["heel_thickness_mm"] * 1e-3,
        forefoot_thickness_m=tissue["forefoot_thickness_mm"] * 1e-3,
        arch_thickness_m=tissue["arch_thickness_mm"] * 1e-3,
        toe_thickness_m=tissue["toe_thickness_mm"] * 1e-3,
        side=side,
    )


def stored_energy_of(thickness, tissue, stack, state, flags) -> np.ndarray:
    """(E,) J/m2 the tissue holds in a contact state (kernels.contact.stored_energy)."""
    out = np.zeros(len(thickness))
    stored_energy(thickness, tissue, stack, state, flags, out)
    return out


def bone_points(mesh: PlantarMesh) -> np.ndarray:
    """(E,3) bone-side end of each tissue column: the skin point plus the pad thickness inwards."""
    return mesh.position_m - mesh.thickness_m[:, None] * mesh.normal


def tissue_vector(scenario: Scenario) -> np.ndarray:
    t = scenario["tissue"]
    v = np.zeros(L.N_TISSUE)
    v[L.E0], v[L.EXPONENT], v[L.DAMPING], v[L.MAX_STRAIN] = t["e0_pa"], t["exponent"], t["damping_s_m"], t["max_strain"]
    v[L.G0], v[L.SHEAR_EXPONENT], v[L.SHEAR_DAMPING] = t["g0_pa"], t["shear_exponent"], t["shear_damping_pa_s_m"]
    v[L.PAD_BRANCH_FRACTION], v[L.PAD_RELAXATION_TIME] = t["pad_branch_fraction"], t["pad_relaxation_time_s"]
    v[L.SHEAR_RETARDATION_TIME] = shear_retardation_time(t["shear_loss_tangent"])
    v[L.FATIGUE_EXPONENT], v[L.FATIGUE_REFERENCE_STRAIN] = t["fatigue_exponent"], t["fatigue_reference_strain"]
    return v


def shear_retardation_time(loss_tangent: float) -> float:
    """Kelvin-Voigt time c_t / k (s) that gives the skin's shear loss tangent at SHEAR_LOSS_FREQUENCY_HZ."""
    return loss_tangent / (2 * np.pi * SHEAR_LOSS_FREQUENCY_HZ)


def leg_tissue(scenario: Scenario) -> tuple[float, float]:
    """The leg's soft tissue behind the heel pad in the drop test: stiffness (N/m), damping (N s/m)."""
    t = scenario["tissue"]
    return t["leg_tissue_stiffness_n_m"], t["leg_tissue_damping_n_s_m"]


@dataclass(frozen=True)
class ContactModel:
    """What the contact kernel needs besides the pose: points, areas, pads, layer stack, tissue."""

    mesh: PlantarMesh
    position_m: np.ndarray  # (E,3) contact points in the foot frame (the skin, or the outsole under it)
    bone_m: np.ndarray      # (E,3) bone-side end of each tissue column (bone_points)
    stack: np.ndarray       # (E, N_STACK)
    tissue: np.ndarray      # (N_TISSUE,)

    def stored_energy(self, state: np.ndarray, flags: np.ndarray) -> np.ndarray:
        """(E,) J/m2 the tissue holds in the contact state (at the end of a run)."""
        return stored_energy_of(self.mesh.thickness_m, self.tissue, self.stack, state, flags)

    def kernel_arrays(self):
        return self.position_m, self.bone_m, self.mesh.area_m2, self.mesh.thickness_m, self.tissue, self.stack


def contact_model(scenario: Scenario, side: str = "right") -> ContactModel:
    mesh = mesh_for(scenario, side)
    t = scenario["tissue"]
    footwear = scenario_footwear(scenario["footwear"])
    position, stack = layer_stack(footwear, mesh, t["mu_static"], t["mu_kinetic"], scenario["surface"]["friction_scale"])
    return ContactModel(mesh, position, bone_points(mesh), stack, tissue_vector(scenario))


def body_vector(scenario: Scenario) -> np.ndarray:
    r, s = scenario["runner"], scenario["strike"]
    mass, foot_length = r["body_mass_kg"], r["foot_length_m"]
    impact_mass = r["impact_mass_fraction"] * mass
    # Foot inertia about the ankle: de Leva's foot (1.37 % M, radius of gyration 0.245 L about its
    # centre 0.24 L ahead of the ankle); the shank's mass sits at the ankle and adds none.
    foot_mass = 0.0137 * mass
    i_pitch = foot_mass * ((0.245 * foot_length) ** 2 + (0.24 * foot_length) ** 2)
    b = np.zeros(S.N_BODY)
    b[S.M_BODY], b[S.M_FOOT] = mass - impact_mass, impact_mass
    b[S.I_XX], b[S.I_YY], b[S.I_ZZ] = 0.25 * i_pitch, i_pitch, i_pitch
    b[S.K_LEG], b[S.C_LEG] = r["leg_stiffness_n_m"], r["leg_damping_n_s_m"]
    b[S.REST_LENGTH], b[S.PUSH_OFF_EXTENSION] = r["leg_length_m"], r["push_off_extension_m"]
    b[S.K_ANKLE_X] = r["ankle_stiffness_frontal_n_m_rad"]
    b[S.K_ANKLE_Y] = r["ankle_stiffness_sagittal_n_m_rad"]
    b[S.K_ANKLE_Z] = r["ankle_stiffness_axial_n_m_rad"]
    b[S.C_ANKLE] = r["ankle_damping_n_m_s_rad"]
    b[S.TWIST], b[S.TWIST_ONSET] = np.radians(s["twist_deg"]), s["twist_onset_fraction"]
    b[S.GRAVITY] = GRAVITY
    # the shank's soft tissue: part of the impact mass on a spring-damper about the ankle
    b[S.M_TISSUE] = r["soft_tissue_mass_fraction"] * impact_mass
    b[S.M_FOOT] = impact_mass - b[S.M_TISSUE]
    w = 2.0 * np.pi * r["soft_tissue_frequency_hz"]
    b[S.K_TISSUE] = b[S.M_TISSUE] * w**2
    b[S.C_TISSUE] = 2.0 * r["soft_tissue_damping_ratio"] * b[S.M_TISSUE] * w
    return b


def touchdown_quat(scenario: Scenario) -> np.ndarray:
    """Foot orientation at touchdown: toe-out (yaw), strike angle (pitch), inversion (roll)."""
    s = scenario["strike"]
    # right foot: toe-out is a negative yaw; dorsiflexion (heel first) a negative pitch about y_F;
    # inversion lifts the medial (+y) edge, a positive roll about x_F
    return euler_to_quat(-np.radians(s["toe_out_deg"]), -np.radians(s["foot_strike_angle_deg"]),
                         np.radians(s["inversion_deg"]))


def lowest_point_height(position_m: np.ndarray, quat: np.ndarray) -> float:
    rot = np.zeros((3, 3))
    quat_to_matrix(quat, rot)
    return float((position_m @ rot.T)[:, 2].min())


def touchdown_state(scenario: Scenario, position_m: np.ndarray) -> np.ndarray:
    """Hip and foot state at touchdown; the lowest contact point starts just above the ground."""
    r, s = scenario["runner"], scenario["strike"]
    quat = touchdown_quat(scenario)
    ankle = np.array([0.0, 0.0, TOUCHDOWN_GAP_M - lowest_point_height(position_m, quat)])
    horizontal = np.hypot(r["overstride_m"], r["step_width_m"] / 2)
    if horizontal >= 0.95 * r["leg_length_m"]:
        raise InputError(f"runner.overstride_m = {r['overstride_m']:g}: must be well below the leg length "
                         f"({r['leg_length_m']:g} m)")
    hip = ankle + np.array([-r["overstride_m"], r["step_width_m"] / 2,
                            np.sqrt(r["leg_length_m"] ** 2 - horizontal**2)])
    y0 = np.zeros(S.N_DYN_STATE)
    y0[S.HIP_POS:S.HIP_POS + 3] = hip
    y0[S.HIP_VEL:S.HIP_VEL + 3] = [r["speed_m_s"], 0.0, r["hip_vertical_velocity_m_s"]]
    y0[S.FOOT_POS:S.FOOT_POS + 3] = ankle
    y0[S.FOOT_VEL:S.FOOT_VEL + 3] = [s["foot_velocity_m_s"], 0.0, -s["foot_descent_velocity_m_s"]]
    y0[S.FOOT_QUAT:S.FOOT_QUAT + 4] = quat
    # in flight the soft tissue rides at rest on the ankle
    y0[S.TISSUE_POS:S.TISSUE_POS + 3] = y0[S.FOOT_POS:S.FOOT_POS + 3]
    y0[S.TISSUE_VEL:S.TISSUE_VEL + 3] = y0[S.FOOT_VEL:S.FOOT_VEL + 3]
    return y0
