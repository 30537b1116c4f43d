"""footsim restricted to the sagittal plane, in the limit where a rigid-body engine should agree.

The restriction: no toe-out, twist, inversion or step width, so that the foot moves in the
hip's sagittal plane, and bare skin on the ground. The limit: the stiffest pad and skin the
parameter registry allows (E0 and G0 at their 2 MPa ceiling, compression and shear stiffening at
the shear exponent's ceiling, the thinnest pads) and one friction coefficient (mu_kinetic =
mu_static), since pymunk's contact is rigid both ways and its friction has no static/kinetic
distinction. The plantar geometry is untouched: the pad thickness only scales strain (element
points are skin points), so the contact outline stays the same.
"""

from __future__ import annotations

import numpy as np

from ..articulated import joint_vector
from ..kernels import articulated as A
from ..kernels import stance as S
from ..kernels.contact import barefoot_stack, new_contact_state
from ..kernels.rotation import euler_to_quat
from ..model import GRAVITY, TOUCHDOWN_GAP_M, body_vector, contact_model, lowest_point_height, tissue_vector
from ..params import BY_NAME, PARAMETERS
from ..runner import run_articulated, run_stance
from ..scenario import Scenario, load_scenario
from ..verify.cases import flat_patch, resting_position, translate
from .trace import NO_CONTACT_END_S, SagittalTrace, pitch_from_quat

SAGITTAL = ("strike.toe_out_deg=0", "strike.twist_deg=0", "strike.inversion_deg=0", "runner.step_width_m=0")
# the twin's foot is one rigid body: the shank's soft tissue moves with it
ONE_BODY = ("runner.soft_tissue_mass_fraction=0",)


def _rigid_limit() -> tuple[str, ...]:
    """The registry's stiffest tissue: moduli and stiffening exponents at their ceilings, pads at their thinnest."""
    top = ("tissue.e0_pa", "tissue.g0_pa", "tissue.shear_exponent")
    out = [f"{name}={BY_NAME[name].high!r}" for name in top]
    # compression stiffens no faster than shear, so the skin is at least as stiff in shear as in
    # compression (k_t / k_n = G0 / (E0 (1 - e)) >= 1): pymunk's contact is rigid both ways
    out.append(f"tissue.exponent={BY_NAME['tissue.shear_exponent'].high!r}")
    out += [f"{p.name}={p.low!r}" for p in PARAMETERS if p.section == "tissue" and p.key.endswith("_thickness_mm")]
    return tuple(out)


RIGID_LIMIT = _rigid_limit()


def sagittal_scenario(path=None, overrides=(), text=None) -> Scenario:
    """The scenario (file or text, then `overrides`), restricted to the sagittal plane in the rigid limit."""
    # the twin models bare skin on the ground
    limit = [*RIGID_LIMIT, *overrides, *SAGITTAL, *ONE_BODY, "footwear.preset=barefoot"]
    mu = load_scenario(path, overrides=[*limit, "tissue.mu_kinetic=0"], text=text)["tissue"]["mu_static"]
    return load_scenario(path, overrides=[*limit, f"tissue.mu_kinetic={mu!r}"], text=text)


def _planar_limit() -> tuple[str, ...]:
    """The articulated foot made planar: talocrural axis level and square, the out-of-plane joints at
    the registry's stiffest, the triceps' inversion moment (about the subtalar axis) off."""
    out = ["foot.model=articulated", "foot.talocrural_inclination_deg=0", "foot.talocrural_rotation_deg=0",
           "foot.triceps_subtalar_inversion_ratio=0"]
    stiff = ("subtalar_stiffness_n_m_rad", "ankle_residual_stiffness_n_m_rad", "forefoot_inversion_stiffness_n_m_rad",
             "limb_rotation_stiffness_n_m_rad")
    return tuple(out + [f"foot.{key}={BY_NAME['foot.' + key].high!r}" for key in stiff])


PLANAR_LIMIT = _planar_limit()


def articulated_scenario(path=None, overrides=(), text=None) -> Scenario:
    """`sagittal_scenario` with the articulated foot in its planar limit."""
    return sagittal_scenario(path, [*overrides, *PLANAR_LIMIT], text)


def planar_joints(scenario: Scenario, mesh) -> np.ndarray:
    """The scenario's joint vector with the MTP axis transverse (0, 1, 0) through the same point."""
    joints = joint_vector(scenario, mesh)
    joints[A.J_A_MTP:A.J_A_MTP + 3] = [0.0, 1.0, 0.0]
    return joints


def friction_coefficient(scenario: Scenario) -> float:
    return scenario["tissue"]["mu_static"] * scenario["surface"]["friction_scale"]


def foot_stance(scenario: Scenario, joints: np.ndarray | None = None):
    """footsim's stance (its own runner) as a sagittal trace, and the 3-D result for what leaks out of plane.

    joints: the articulated foot's joint vector (its stance then runs with it); the trace then has
    the arch and MTP angles, signed as the twin's (+ = toes up: footsim's joints turn about +y).
    """
    result = run_stance(scenario) if joints is None else run_articulated(scenario, joints)
    angle = np.array([pitch_from_quat(q) for q in result.foot_pose[:, 3:]])
    foot_joints = None if joints is None else -np.stack([result.joints["arch"], result.joints["mtp"]], axis=1)
    trace = SagittalTrace(result.time_s, result.grf_n[:, [0, 2]], result.hip_m[:, [0, 2]],
                          result.foot_pose[:, [0, 2]], angle, np.full(2, np.nan), np.nan, result.outcome,
                          joint_angles_rad=foot_joints)
    return trace, result


def free_foot_body(scenario: Scenario, lock_rotation: bool = False) -> np.ndarray:
    """footsim's body vector with the leg and ankle cut and gravity off: the foot alone, free."""
    body = body_vector(scenario)
    for k in (S.K_LEG, S.C_LEG, S.PUSH_OFF_EXTENSION, S.K_ANKLE_X, S.K_ANKLE_Y, S.K_ANKLE_Z, S.C_ANKLE, S.GRAVITY):
        body[k] = 0.0
    if lock_rotation:
        body[[S.I_XX, S.I_YY, S.I_ZZ]] = 1e12
    return body


def _first_contact_end(fz_n: np.ndarray, dt: float, ended_unloaded: bool) -> int:
    """The first step after touchdown from which the foot stays unloaded for NO_CONTACT_END_S.

    ended_unloaded: the stance loop stopped at toe-off, so the foot stays unloaded after the trace.
    """
    hold = int(NO_CONTACT_END_S / dt)
    loaded = np.concatenate([fz_n > 0.0, np.zeros(hold if ended_unloaded else 0, bool)])
    for k in range(int(np.argmax(loaded)), len(loaded) - hold + 1):
        if not loaded[k:k + hold].any():
            return k
    raise RuntimeError("the dropped foot did not leave the ground: lengthen the window")


def foot_drop(scenario: Scenario, angle_rad: float, speed_m_s: float, lock_rotation: bool = False,
              window_s: float = 0.1) -> SagittalTrace:
    """The free foot (no leg, no gravity) thrown down at `speed_m_s`, pitched `angle_rad` (+ = toes up).

    Integrated by footsim's own stance loop up to the end of its first contact, so the foot's
    velocity at the end is its rebound from that contact.
    """
    contact = contact_model(scenario)
    body = free_foot_body(scenario, lock_rotation)
    dt = scenario["numerics"]["dt_s"]
    quat = euler_to_quat(0.0, -angle_rad, 0.0)
    y0 = np.zeros(S.N_DYN_STATE)
    y0[S.FOOT_POS + 2] = TOUCHDOWN_GAP_M - lowest_point_height(contact.position_m, quat)
    y0[S.HIP_POS:S.HIP_POS + 3] = y0[S.FOOT_POS:S.FOOT_POS + 3] + [0.0, 0.0, scenario["runner"]["leg_length_m"]]
    y0[S.FOOT_VEL + 2] = -speed_m_s
    y0[S.FOOT_QUAT:S.FOOT_QUAT + 4] = quat

    def integrate(n_max):
        trace = np.zeros((n_max, S.N_TRACE))
        state, flags, records = new_contact_state(contact.mesh.n_elements)
        y_end = np.zeros(S.N_DYN_STATE)
        steps, outcome, _ = S.simulate_stance(*contact.kernel_arrays(), body, y0, dt, n_max, trace, state, flags,
                                              records, S.no_frames(contact.mesh.n_elements), 1, y_end)
        return trace[:steps], y_end, outcome == S.TOE_OFF

    trace, _, ended_unloaded = integrate(int(round(window_s / dt)))
    trace, y_end, _ = integrate(_first_contact_end(trace[:, S.T_FZ], dt, ended_unloaded) + 1)
    angle = np.array([pitch_from_quat(q) for q in trace[:, S.T_QUAT:S.T_QUAT + 4]])
    return SagittalTrace(trace[:, S.T_TIME], trace[:, [S.T_FX, S.T_FZ]], trace[:, [S.T_HIP, S.T_HIP + 2]],
                         trace[:, [S.T_POS, S.T_POS + 2]], angle, y_end[[S.FOOT_VEL, S.FOOT_VEL + 2]],
                         float(-y_end[S.FOOT_OMEGA + 1]), "first contact ended")


def pad_restitution(scenario: Scenario, speed_m_s: float) -> float:
    """Coefficient of restitution of footsim's pad: the foot, held level (no rotation), thrown onto the ground."""
    drop = foot_drop(scenario, 0.0, speed_m_s, lock_rotation=True)
    restitution = float(drop.foot_velocity_m_s[1] / speed_m_s)
    # pymunk aborts the process on a negative elasticity: fail here, in Python, instead
    if not 0.0 <= restitution <= 1.0:
        raise RuntimeError(f"footsim's pad gave a restitution of {restitution:g} at {speed_m_s:g} m/s (expected 0-1)")
    return restitution


def block_slide(scenario: Scenario, mass_kg: float, size_m: float, speed_m_s: float) -> float:
    """Distance (m) a rigid block on footsim's pad elements (the scenario's tissue) slides to rest."""
    tissue = tissue_vector(scenario)
    spacing = size_m / 20
    position, bone, area, thickness = flat_patch(size_m / 2, spacing, scenario["tissue"]["heel_thickness_mm"] * 1e-3,
                                            square=True)
    pos = resting_position(area, thickness, tissue, mass_kg * GRAVITY)
    mu = friction_coefficient(scenario)
    end, _, _, _ = translate(position, bone, area, thickness, tissue, mass_kg, pos, np.array([speed_m_s, 0.0, 0.0]),
                              scenario["numerics"]["dt_s"], int(2.0 / scenario["numerics"]["dt_s"]),
                              stop=lambda n, p, v, load: v[0] <= 0.0, stack=barefoot_stack(len(area), mu, mu))
    return float(end[0])
