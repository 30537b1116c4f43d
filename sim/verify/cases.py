"""Verification cases: the contact model and the runner against exact solutions (DESIGN 6).

Each case returns a `Case` row (expected, measured, relative error, tolerance). `footsim verify`
prints them and the test suite asserts them, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..foot import HEEL_CENTRE_S, ANKLE_FROM_HEEL, build_mesh
from ..kernels import layout as L
from ..kernels import stance as S
from ..kernels.contact import advance_contact, barefoot_stack, new_contact_state
from ..model import GRAVITY, body_vector, bone_points, contact_model, leg_tissue, tissue_vector, touchdown_state
from .reference import advance_contact as advance_contact_numpy
from .reference import elastic_pressure, shear_stiffness
from ..scenario import load_scenario


@dataclass(frozen=True)
class Case:
    name: str
    expected: float
    measured: float
    tolerance: float  # relative, unless `absolute`
    note: str = ""
    absolute: bool = False

    @property
    def error(self) -> float:
        diff = abs(self.measured - self.expected)
        return diff if self.absolute else diff / abs(self.expected)

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.measured) and self.error <= self.tolerance)


DEFAULT_MU = (0.8, 0.7)  # the default scenario's skin-ground friction (static, kinetic)
ONE_CM2 = 1e-4


def _stack(n: int, mu_static: float = DEFAULT_MU[0], mu_kinetic: float = DEFAULT_MU[1]) -> np.ndarray:
    return barefoot_stack(n, mu_static, mu_kinetic)


def _tissue(**changes) -> np.ndarray:
    t = tissue_vector(load_scenario(text=""))
    for key, value in changes.items():
        t[getattr(L, key.upper())] = value
    return t


def flat_patch(radius_m: float, spacing_m: float, thickness_m: float, square: bool = False):
    """Flat elements on a grid: a disk (or square) of the given radius at z = 0 of the body frame.

    Returns the kernel's first four arrays: skin points, bone points, areas, pad thicknesses."""
    g = np.arange(-radius_m + spacing_m / 2, radius_m, spacing_m)
    x, y = (a.ravel() for a in np.meshgrid(g, g, indexing="ij"))
    keep = np.ones_like(x, bool) if square else np.hypot(x, y) <= radius_m
    n = keep.sum()
    position = np.column_stack([x[keep], y[keep], np.zeros(n)])
    bone = position + [0.0, 0.0, thickness_m]
    return position, bone, np.full(n, spacing_m**2), np.full(n, thickness_m)


def resting_position(area, thickness, tissue, weight_n: float) -> np.ndarray:
    """Body position (m) of a flat patch sunk into the pad to the static depth where the elastic
    pressure carries `weight_n`: started there, a block's normal load is its weight from the first step."""
    from scipy.optimize import brentq

    strain = brentq(lambda e: np.sum(elastic_pressure(np.full_like(area, e), tissue) * area) - weight_n,
                    0.0, 0.99 * tissue[L.MAX_STRAIN], xtol=1e-15)
    return np.array([0.0, 0.0, -strain * thickness[0]])


def translate(position, bone, area, thickness, tissue, mass, pos, vel, dt, n_steps, stop=None, stack=None):
    """Translational dynamics of a rigid body on its elements (no rotation), semi-implicit Euler."""
    stack = _stack(len(area)) if stack is None else stack
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    rot, omega = np.eye(3), np.zeros(3)
    gravity = np.array([0.0, 0.0, -GRAVITY])
    for n in range(n_steps):
        advance_contact(position, bone, area, thickness, tissue, stack, rot, pos, vel, omega, dt, state, flags, records,
                        load)
        vel = vel + (load[:3] / mass + gravity) * dt
        pos = pos + vel * dt
        if stop is not None and stop(n, pos, vel, load):
            break
    return pos, vel, load, records


def static_load() -> Case:
    """A 70 kg load on a flat-held foot settles to carry exactly its weight."""
    mesh = build_mesh()
    tissue = _tissue()
    mass = 70.0
    z0 = -mesh.position_m[:, 2].min()
    _, vel, load, _ = translate(mesh.position_m, bone_points(mesh), mesh.area_m2, mesh.thickness_m, tissue, mass,
                                 np.array([0.0, 0.0, z0]), np.zeros(3), 1e-4, 30000)
    return Case("static load: vertical force = weight", mass * GRAVITY, load[2], 1e-3,
                "70 kg on a level foot, settled 3 s")


def torsion_full_slip() -> Case:
    """A flat disk under uniform pressure twisted to full slip: T = (2/3) mu N R."""
    radius, mu = 0.04, 0.6
    position, bone, area, thickness = flat_patch(radius, 0.001, 0.010)
    # the exact solution holds for a pressure the shear leaves alone: a bristle at the top of G0's
    # range slips at a displacement so small that its Poynting stress (DESIGN 3.3) is under 1 %
    tissue = _tissue(damping=0.0, shear_damping=0.0, g0=2e6)
    stack = _stack(len(area), mu, mu)
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    pos, omega, dt = np.array([0.0, 0.0, -0.002]), np.array([0.0, 0.0, 2.0]), 1e-3
    for n in range(500):  # one radian of twist
        angle = omega[2] * n * dt
        c, s = np.cos(angle), np.sin(angle)
        rot = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
        advance_contact(position, bone, area, thickness, tissue, stack, rot, pos, np.zeros(3), omega, dt, state, flags, records,
                        load)
    normal = load[2]
    return Case("torsion of a disk at full slip: T = 2/3 mu N R", 2 / 3 * mu * normal * radius, abs(load[5]), 0.02,
                "R 40 mm, 1 mm elements, 1 rad of twist")


def sliding_block() -> Case:
    """A block sliding to rest on its own weight: distance v0^2 / (2 mu g)."""
    mu, v0, mass = 0.5, 1.0, 10.0
    position, bone, area, thickness = flat_patch(0.05, 0.005, 0.005, square=True)
    tissue = _tissue(damping=0.0, shear_damping=0.0)
    pos = resting_position(area, thickness, tissue, mass * GRAVITY)
    end, _, _, _ = translate(position, bone, area, thickness, tissue, mass, pos, np.array([v0, 0.0, 0.0]), 1e-4, 20000,
                              stop=lambda n, p, v, load: v[0] <= 0.0, stack=_stack(len(area), mu, mu))
    return Case("block sliding to rest: d = v0^2 / (2 mu g)", v0**2 / (2 * mu * GRAVITY), end[0], 0.02,
                "10 kg, 1 m/s, mu 0.5")


def stick_below_limit() -> list[Case]:
    """Below the friction limit nothing slips, and the shear stress is the elastic bristle law exactly."""
    position, bone, area, thickness = flat_patch(0.02, 0.002, 0.010)
    tissue = _tissue()
    stack = _stack(len(area))
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    depth, shift, dt = 0.003, 1e-4, 1e-4
    for n in range(11):  # press, shift 0.1 mm over ten steps, hold
        x = shift * min(n, 10) / 10
        pos = np.array([x, 0.0, -depth])
        advance_contact(position, bone, area, thickness, tissue, stack, np.eye(3), pos, np.zeros(3), np.zeros(3), dt, state,
                        flags, records, load)
    advance_contact(position, bone, area, thickness, tissue, stack, np.eye(3), pos, np.zeros(3), np.zeros(3), dt, state, flags,
                    records, load)
    strain = depth / thickness
    expected = -(shear_stiffness(strain, thickness, tissue) * shift * area).sum()
    return [
        Case("stick: shear force = elastic bristle law", expected, load[0], 1e-12, "0.1 mm shift, 3 mm press"),
        Case("stick: no slip below the friction limit", 0.0, float(records[:, L.SLIP].sum()), 0.0, absolute=True),
    ]


def random_stack(rng, n: int) -> np.ndarray:
    """Half barefoot elements, half over a random shoe sole with random interface friction."""
    stack = _stack(n)
    shod = rng.random(n) < 0.5
    stack[shod, L.SOLE_THICKNESS] = rng.uniform(0.003, 0.03, shod.sum())
    stack[shod, L.SKIN_GAP] = rng.uniform(0.0, 0.004, shod.sum())
    stack[shod, L.SOLE_E0] = rng.uniform(2e5, 2e6, shod.sum())
    stack[shod, L.SOLE_EXPONENT] = rng.uniform(1.0, 5.0, shod.sum())
    stack[shod, L.SOLE_DAMPING] = rng.uniform(0.0, 1.0, shod.sum())
    stack[shod, L.SOLE_SHEAR_MODULUS] = rng.uniform(1e5, 1e6, shod.sum())
    mu = rng.uniform(0.2, 1.0, (shod.sum(), 2))
    stack[shod, L.MU_SKIN_STATIC], stack[shod, L.MU_SKIN_KINETIC] = mu[:, 0], 0.9 * mu[:, 0]
    stack[shod, L.MU_GROUND_STATIC], stack[shod, L.MU_GROUND_KINETIC] = mu[:, 1], 0.9 * mu[:, 1]
    return stack


def random_element_state(rng, ground_bone: np.ndarray) -> np.ndarray:
    """A random contact state (E, N_STATE) about the elements' bone points on the ground plane (E,2)."""
    n = len(ground_bone)
    state = np.zeros((n, L.N_STATE))
    state[:, L.ANCHOR_X:L.ANCHOR_Y + 1] = ground_bone + rng.normal(0, 1e-3, (n, 2))
    state[:, L.U_X:L.U_Y + 1] = rng.normal(0, 1e-3, (n, 2))
    state[:, L.STACK_PRESSURE] = rng.uniform(0, 2e6, n)
    state[:, L.PAD_VISCOUS_STRAIN] = rng.uniform(-0.05, 0.3, n)
    state[:, L.PRESSURE] = rng.uniform(0, 1e6, n)
    state[:, L.TAU_X:L.TAU_Y + 1] = rng.normal(0, 3e4, (n, 2))
    state[:, L.DEPTH] = rng.uniform(0, 0.01, n)
    state[:, L.BONE_X:L.BONE_Y + 1] = ground_bone + rng.normal(0, 1e-4, (n, 2))
    state[:, L.BRISTLE_STIFFNESS] = rng.uniform(0, 5e7, n)
    state[:, L.RF_COUNT] = rng.integers(0, L.RF_DEPTH + 1, n)
    state[:, L.RF_TREND] = rng.integers(-1, 2, n)
    state[:, L.RF_CANDIDATE] = rng.uniform(0, 1, n)
    state[:, L.RF_STACK:L.RF_STACK + L.RF_DEPTH] = rng.uniform(0, 1, (n, L.RF_DEPTH))
    return state


def kernel_matches_reference(n_states: int = 1000, seed: int = 1) -> Case:
    """The compiled step equals the numpy step on random poses, velocities, element states and stacks."""
    rng = np.random.default_rng(seed)
    mesh = build_mesh()
    tissue = _tissue()
    stack = random_stack(rng, mesh.n_elements)
    bone = bone_points(mesh)
    worst = 0.0
    for _ in range(n_states):
        angles = rng.normal(0, 0.2, 3)
        c = np.cos(angles)
        s = np.sin(angles)
        rz = np.array([[c[2], -s[2], 0], [s[2], c[2], 0], [0, 0, 1]])
        ry = np.array([[c[1], 0, s[1]], [0, 1, 0], [-s[1], 0, c[1]]])
        rx = np.array([[1, 0, 0], [0, c[0], -s[0]], [0, s[0], c[0]]])
        rot = rz @ ry @ rx
        pos = np.array([*rng.normal(0, 0.01, 2), -(mesh.position_m @ rot.T)[:, 2].min() - rng.uniform(-0.002, 0.012)])
        vel, omega = rng.normal(0, 1.0, 3), rng.normal(0, 3.0, 3)
        state = random_element_state(rng, pos[:2] + (bone @ rot.T)[:, :2])
        flags = rng.integers(0, 2, (mesh.n_elements, L.N_FLAGS)).astype(np.int8)
        records = np.abs(rng.normal(0, 1e3, (mesh.n_elements, L.N_RECORDS)))
        copies = [a.copy() for a in (state, flags, records)]
        load_a, load_b = np.zeros(L.N_LOAD), np.zeros(L.N_LOAD)
        advance_contact(mesh.position_m, bone, mesh.area_m2, mesh.thickness_m, tissue, stack, rot, pos, vel, omega, 1e-4,
                        state, flags, records, load_a)
        advance_contact_numpy(mesh.position_m, bone, mesh.area_m2, mesh.thickness_m, tissue, stack, rot, pos, vel, omega,
                              1e-4, *copies, load_b)
        if not np.array_equal(flags, copies[1]):
            return Case("numba step = numpy step (normwise relative difference)", 0.0, np.inf, 1e-12, absolute=True)
        groups = load_a[:9].reshape(3, 3).T, load_b[:9].reshape(3, 3).T  # columns: force, two moments
        for a, b in (groups, (load_a[9:], load_b[9:]), (state, copies[0]), (records, copies[2])):
            worst = max(worst, _normwise_difference(a, b))
    return Case("numba step = numpy step (normwise relative difference)", 0.0, worst, 1e-12,
                f"{n_states} random states, {mesh.n_elements} elements, half over random shoe soles; "
                "per column of each array", absolute=True)


def _normwise_difference(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max |b| per column: rounding in the small entries of a column (a bristle of
    1e-7 m from two positions of 0.1 m) is judged against the column's scale, not its own size."""
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    scale = np.max(np.abs(b), axis=0)
    diff = np.max(np.abs(a - b), axis=0)
    return float(np.max(np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), diff)))


# Kinoshita et al. 1993, Int J Sports Med 14:312 (abstract; the same values as
# ../shared/data/published.toml [kinoshita1993.heel_drop], which a test checks)
KINOSHITA_1993 = {"drop_mass_kg": 5.0, "impact_velocity_m_s": 0.93, "peak_deceleration_g": 11.6,
                  "max_deformation_mm": 11.3, "energy_absorbed_range": [0.75, 0.89]}


def heel_patch(spacing_m: float = 0.002, radius_m: float = 0.015):
    """The elements under Kinoshita's impactor (assumed a 30 mm flat disk) at the heel's centre."""
    mesh = build_mesh(spacing_m=spacing_m)
    centre_x = (HEEL_CENTRE_S - ANKLE_FROM_HEEL) * mesh.foot_length_m
    under = np.hypot(mesh.x - centre_x, mesh.y) <= radius_m
    return mesh.position_m[under], bone_points(mesh)[under], mesh.area_m2[under], mesh.thickness_m[under]


def drop_test(tissue: np.ndarray, leg: tuple[float, float], ref: dict = KINOSHITA_1993, dt: float = 1e-5):
    """The drop on the heel pad in series with the leg's tissue behind it (DESIGN 3.2).

    The impactor falls onto the pad; the bone side of the pad rests on the leg's soft tissue, a
    massless Kelvin-Voigt element (stiffness, damping) = `leg`, so c dq/dt = F_pad - k q for its
    compression q. Returns peak deceleration (m/s2), the impactor's largest travel after contact
    (m: pad plus leg tissue) and the fraction of the impact energy absorbed.
    """
    mass, v0 = ref["drop_mass_kg"], ref["impact_velocity_m_s"]
    k_leg, c_leg = leg
    position, bone, area, thickness = heel_patch()
    stack = _stack(len(area))
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    lowest = position[:, 2].min()
    travel, speed, q, q_rate = 0.0, v0, 0.0, 0.0  # impactor travel and speed (down), leg compression and rate
    peak_decel, peak_travel = 0.0, 0.0
    for n in range(200000):
        # the heel seen from the impactor: it rises into the pad by the impactor's travel less the leg's give
        pos = np.array([0.0, 0.0, -lowest - (travel - q)])
        vel = np.array([0.0, 0.0, -(speed - q_rate)])
        advance_contact(position, bone, area, thickness, tissue, stack, np.eye(3), pos, vel, np.zeros(3), dt, state,
                        flags, records, load)
        force = load[2]
        q_rate = (force - k_leg * q) / c_leg if c_leg > 0 else 0.0
        q += q_rate * dt
        speed += (GRAVITY - force / mass) * dt
        travel += speed * dt
        peak_decel = max(peak_decel, force / mass - GRAVITY)
        peak_travel = max(peak_travel, travel)
        if n > 10 and force == 0.0 and speed < 0:
            break
    return peak_decel, peak_travel, 1 - (speed / v0) ** 2


def one_element(h: float = 0.018):
    """One 1 cm2 element of pad thickness h on a flat foot: skin point, bone point, area, thickness."""
    position = np.zeros((1, 3))
    return position, position + [0.0, 0.0, h], np.array([ONE_CM2]), np.array([h])


def pad_loss(tissue, frequency_hz: float, strain_amplitude: float = 0.5, h: float = 0.018, cycles: int = 3,
             steps: int = 2000) -> float:
    """Fraction of a load cycle's work the isolated pad loses: sinusoidal compression from 0 to the amplitude."""
    position, bone, area, thickness = one_element(h)
    stack = barefoot_stack(1, np.inf, np.inf)
    state, flags, records = new_contact_state(1)
    load = np.zeros(L.N_LOAD)
    dt = 1.0 / (frequency_hz * steps)
    work_in = 0.0
    for k in range(cycles * steps):
        phase = 2 * np.pi * frequency_hz * (k + 1) * dt
        depth = strain_amplitude * h * (1 - np.cos(phase)) / 2 + 1e-12
        rate = -strain_amplitude * h * np.pi * frequency_hz * np.sin(phase)
        before = records[0, L.TISSUE_WORK]
        advance_contact(position, bone, area, thickness, tissue, stack, np.eye(3), np.array([0.0, 0.0, -depth]),
                        np.array([0.0, 0.0, rate]), np.zeros(3), dt, state, flags, records, load)
        if k >= (cycles - 1) * steps:
            work_in += max(records[0, L.TISSUE_WORK] - before, 0.0)
            if k == (cycles - 1) * steps:
                start = before
    return float((records[0, L.TISSUE_WORK] - start) / work_in)


def heel_drop(tissue: np.ndarray | None = None, leg: tuple[float, float] | None = None,
              ref: dict = KINOSHITA_1993) -> list[Case]:
    """Kinoshita et al. 1993: 5 kg at 0.93 m/s onto the heel pad and the leg behind it."""
    scenario = load_scenario(text="")
    tissue = tissue_vector(scenario) if tissue is None else tissue
    leg = leg_tissue(scenario) if leg is None else leg
    decel, travel, absorbed = drop_test(tissue, leg, ref)
    low, high = ref["energy_absorbed_range"]
    return [
        Case("heel drop: peak deceleration (g)", ref["peak_deceleration_g"], decel / GRAVITY, 0.10,
             "Kinoshita 1993; 10 % band"),
        Case("heel drop: maximum deformation (mm)", ref["max_deformation_mm"], travel * 1e3, 0.10,
             "Kinoshita 1993; 10 % band; pad plus the leg tissue behind it"),
        Case("heel drop: energy absorbed", (low + high) / 2, absorbed, (high - low) / 2, "inside 75-89 %",
             absolute=True),
    ]


WITH_SOFT_TISSUE = "runner.soft_tissue_mass_fraction=0.5"  # the balances must see the wobbling mass (default 0)


def linear_momentum(body, y, tissue_vel: int) -> np.ndarray:
    """Momentum of hip, foot and the shank's soft tissue (its velocity at `tissue_vel` in y)."""
    return (body[S.M_BODY] * y[S.HIP_VEL:S.HIP_VEL + 3] + body[S.M_FOOT] * y[S.FOOT_VEL:S.FOOT_VEL + 3]
            + body[S.M_TISSUE] * y[tissue_vel:tissue_vel + 3])


def momentum_balance() -> Case:
    """Impulse of gravity and ground on body, foot and the shank's soft tissue equals their change of
    momentum (default stance, with the soft tissue on)."""
    scenario = load_scenario(text="", overrides=[WITH_SOFT_TISSUE])
    contact = contact_model(scenario)
    body = body_vector(scenario)
    dt = scenario["numerics"]["dt_s"]
    n_max = int(round(scenario["numerics"]["duration_s"] / dt))
    trace = np.zeros((n_max, S.N_TRACE))
    state, flags, records = new_contact_state(contact.mesh.n_elements)
    y0, y_end = touchdown_state(scenario, contact.position_m), np.zeros(S.N_DYN_STATE)
    steps, _, _ = S.simulate_stance(*contact.kernel_arrays(), body, y0, dt, n_max, trace, state, flags, records,
                                    S.no_frames(contact.mesh.n_elements), 1, y_end)
    masses = body[S.M_BODY], body[S.M_FOOT], body[S.M_TISSUE]

    def momentum(y):
        return linear_momentum(body, y, S.TISSUE_VEL)

    impulse = trace[:steps, S.T_FX:S.T_FX + 3].sum(axis=0) * dt
    impulse[2] -= sum(masses) * GRAVITY * dt * steps
    change = momentum(y_end) - momentum(y0)
    return Case("momentum: impulse of all forces = change of momentum", float(np.linalg.norm(change)),
                float(np.linalg.norm(change) + np.linalg.norm(impulse - change)), 1e-9, "default stance")


def all_cases() -> list[Case]:
    cases = [static_load(), torsion_full_slip(), sliding_block()]
    cases += stick_below_limit()
    cases.append(kernel_matches_reference())
    cases += heel_drop()
    cases.append(momentum_balance())
    cases += [articulated_matches_reference(), joint_spring_static()] + articulated_momentum_balance()
    return cases


# articulated foot (DESIGN 3.4b)

def _random_articulated_state(rng, segmented, joints):
    """A pose near touchdown with random velocities, spin, joint angles and rates, limb rotation."""
    from scipy.spatial.transform import Rotation

    from ..kernels import articulated as A

    y0 = np.zeros(A.N_STATE)
    turn = Rotation.from_rotvec(rng.normal(0, 0.2, 3))
    xyzw = turn.as_quat()
    y0[S.FOOT_QUAT:S.FOOT_QUAT + 4] = [xyzw[3], *xyzw[:3]]
    lowest = (segmented.mesh.position_m @ turn.as_matrix().T)[:, 2].min()
    y0[S.FOOT_POS:S.FOOT_POS + 3] = [*rng.normal(0, 0.01, 2), -lowest - rng.uniform(-0.002, 0.004)]
    y0[S.FOOT_VEL:S.FOOT_VEL + 3] = rng.normal(0, 1.0, 3)
    y0[S.HIP_POS:S.HIP_POS + 3] = y0[S.FOOT_POS:S.FOOT_POS + 3] + [rng.uniform(-0.3, -0.1), 0.03, 0.8]
    y0[S.HIP_VEL:S.HIP_VEL + 3] = [3.5, 0.0, -0.4] + rng.normal(0, 0.2, 3)
    y0[A.SPIN:A.SPIN + 3] = rng.normal(0, 0.02, 3)
    y0[A.JOINT_ANGLE:A.JOINT_ANGLE + 3] = rng.normal(0, 0.03, 3)
    y0[A.JOINT_RATE:A.JOINT_RATE + 3] = rng.normal(0, 2.0, 3)
    y0[A.LIMB_ANGLE] = rng.normal(0, 0.05)
    y0[A.TISSUE_POS:A.TISSUE_POS + 3] = y0[S.FOOT_POS:S.FOOT_POS + 3] + rng.normal(0, 0.005, 3)
    y0[A.TISSUE_VEL:A.TISSUE_VEL + 3] = y0[S.FOOT_VEL:S.FOOT_VEL + 3] + rng.normal(0, 0.3, 3)
    rest = Rotation.from_rotvec(rng.normal(0, 0.3, 3)).as_matrix()
    return y0, rest


def articulated_matches_reference(n_states: int = 30, seed: int = 2) -> Case:
    """The compiled articulated step equals the numpy step from random states (every output array)."""
    from ..articulated import joint_vector, segment_contact
    from ..kernels import articulated as A
    from .reference_articulated import first_step

    rng = np.random.default_rng(seed)
    # twist and the triceps' inversion on, so that their terms are compared too
    scenario = load_scenario(text="[foot]\nmodel = 'articulated'\ntriceps_subtalar_inversion_ratio = 0.2\n"
                                  "[strike]\ntwist_deg = 20\ntwist_onset_fraction = 0\n")
    contact = contact_model(scenario)
    joints = joint_vector(scenario, contact.mesh)
    body = body_vector(scenario)
    segmented = segment_contact(contact, joints)
    worst = 0.0
    for k in range(n_states):
        arrays = list(segmented.arrays)
        stack_at = len(arrays) - 1  # kernel_arrays() ends with the layer stack
        arrays[stack_at] = random_stack(rng, segmented.mesh.n_elements) if k % 2 else arrays[stack_at]
        y0, rest = _random_articulated_state(rng, segmented, joints)
        n = segmented.mesh.n_elements
        state = random_element_state(rng, rng.normal(0, 0.05, (n, 2)))
        flags = rng.integers(0, 2, (n, L.N_FLAGS)).astype(np.int8)
        records = np.abs(rng.normal(0, 1e3, (n, L.N_RECORDS)))
        copies = [a.copy() for a in (state, flags, records)]
        trace, y_end = np.zeros((1, A.N_TRACE)), np.zeros(A.N_STATE)
        steps, _, _ = A.simulate_articulated(*arrays, segmented.bounds, body, joints, rest, y0, 1e-4, 1, trace,
                                             state, flags, records, S.no_frames(n), 1, y_end)
        y_ref, row_ref = first_step(*arrays, segmented.bounds, body, joints, rest, y0, 1e-4, *copies)
        if steps != 1 or not np.array_equal(flags, copies[1]):
            return Case("articulated step: numba = numpy", 0.0, np.inf, 1e-12, absolute=True)
        worst = max(worst, _normwise_difference(y_end[None], y_ref[None]), _normwise_difference(trace, row_ref[None]),
                    _normwise_difference(state, copies[0]), _normwise_difference(records, copies[2]))
    return Case("articulated step: numba = numpy (normwise relative difference)", 0.0, worst, 1e-12,
                f"{n_states} random states (pose, spin, joints, limb, element states; half on random soles)",
                absolute=True)


def articulated_momentum_balance() -> list[Case]:
    """Linear and angular momentum (about the ground origin) of hip, ankle mass and hindfoot spin
    change by the impulse of ground, gravity and the trunk's axial torque (default articulated stance)."""
    from ..kernels import articulated as A

    from ..articulated import simulate

    scenario = load_scenario(text="[foot]\nmodel = 'articulated'\n[strike]\ntwist_deg = 15\n", overrides=[WITH_SOFT_TISSUE])
    body = body_vector(scenario)
    run = simulate(scenario, body)
    trace, y0, y_end = run.trace, run.y0, run.y_end
    dt = scenario["numerics"]["dt_s"]
    masses = body[S.M_BODY], body[S.M_FOOT], body[S.M_TISSUE]
    g = np.array([0.0, 0.0, -GRAVITY])

    def momentum(y):
        return linear_momentum(body, y, A.TISSUE_VEL)

    def angular(y):
        return (masses[0] * np.cross(y[S.HIP_POS:S.HIP_POS + 3], y[S.HIP_VEL:S.HIP_VEL + 3])
                + masses[1] * np.cross(y[S.FOOT_POS:S.FOOT_POS + 3], y[S.FOOT_VEL:S.FOOT_VEL + 3]) + y[A.SPIN:A.SPIN + 3]
                + masses[2] * np.cross(y[A.TISSUE_POS:A.TISSUE_POS + 3], y[A.TISSUE_VEL:A.TISSUE_VEL + 3]))

    impulse = (trace[:, S.T_FX:S.T_FX + 3] + sum(masses) * g).sum(axis=0) * dt
    ground = np.cross(trace[:, S.T_POS:S.T_POS + 3], trace[:, S.T_FX:S.T_FX + 3]) + \
        trace[:, A.T_MOMENT_ANKLE:A.T_MOMENT_ANKLE + 3]
    moments = (ground + masses[0] * np.cross(trace[:, S.T_HIP:S.T_HIP + 3], g)
               + masses[1] * np.cross(trace[:, S.T_POS:S.T_POS + 3], g)
               + masses[2] * np.cross(trace[:, A.T_TISSUE:A.T_TISSUE + 3], g)
               + trace[:, A.T_TRUNK_TORQUE:A.T_TRUNK_TORQUE + 3])
    angular_impulse = moments.sum(axis=0) * dt
    cases = []
    for name, change, applied in (("momentum", momentum(y_end) - momentum(y0), impulse),
                                  ("angular momentum", angular(y_end) - angular(y0), angular_impulse)):
        scale = float(np.linalg.norm(change) + np.linalg.norm(applied))
        cases.append(Case(f"articulated {name}: impulse of all external loads = change", 0.0,
                          float(np.linalg.norm(change - applied)) / scale, 1e-9,
                          "default articulated stance with twist, relative to the change", absolute=True))
    return cases


def joint_spring_static() -> Case:
    """Toes and forefoot pressed into frictionless ground by a held hindfoot: at rest each foot
    joint's spring moment equals the ground's moment about its axis, the latter from the numpy
    contact step. (On friction the toes creep as their bristles slip, and the pad's viscous branch
    relaxes over seconds: both are left out, so that the foot is at rest.)"""
    from scipy.spatial.transform import Rotation

    from ..articulated import simulate
    from ..kernels import articulated as A
    from .reference import advance_contact as contact_numpy

    scenario = load_scenario(text="[foot]\nmodel = 'articulated'\nplantarflexor_moment_n_m = 0\n"
                                  "[tissue]\nmu_static = 0\nmu_kinetic = 0\npad_branch_fraction = 0\n"
                                  "[numerics]\nduration_s = 0.2\n")
    body = body_vector(scenario)
    body[[S.M_BODY, S.M_FOOT, S.I_XX, S.I_YY, S.I_ZZ]] = 1e15  # held still
    body[S.M_TISSUE] = 0.0
    body[[S.K_LEG, S.C_LEG, S.GRAVITY]] = 0.0
    contact = contact_model(scenario)
    pitch = np.radians(12.0)  # toes down: the forefoot and toes touch, the heel does not
    rot = Rotation.from_euler("y", pitch).as_matrix()
    y0 = np.zeros(A.N_STATE)
    y0[S.FOOT_QUAT:S.FOOT_QUAT + 4] = [np.cos(pitch / 2), 0.0, np.sin(pitch / 2), 0.0]
    y0[S.FOOT_POS + 2] = -(contact.position_m @ rot.T)[:, 2].min() - 0.004
    y0[S.HIP_POS:S.HIP_POS + 3] = y0[S.FOOT_POS:S.FOOT_POS + 3] + [0.0, 0.0, 0.8]
    run = simulate(scenario, body, y0)
    segmented, joints, y_end, state, flags, records = run.segmented, run.joints, run.y_end, run.state, run.flags, \
        run.records
    theta = y_end[A.JOINT_ANGLE:A.JOINT_ANGLE + 3]
    # the ground's load on forefoot and toes at the final pose, from the numpy contact step
    r_fore = rot @ Rotation.from_rotvec(joints[A.J_A_ARCH:A.J_A_ARCH + 3] * theta[0]).as_matrix() \
        @ Rotation.from_rotvec(joints[A.J_A_EV:A.J_A_EV + 3] * theta[1]).as_matrix()
    r_toes = r_fore @ Rotation.from_rotvec(joints[A.J_A_MTP:A.J_A_MTP + 3] * theta[2]).as_matrix()
    ankle = y_end[S.FOOT_POS:S.FOOT_POS + 3]
    o_mid = ankle + rot @ joints[A.J_O_MID:A.J_O_MID + 3]
    o_mtp = o_mid + r_fore @ (joints[A.J_O_MTP:A.J_O_MTP + 3] - joints[A.J_O_MID:A.J_O_MID + 3])
    loads = np.zeros((2, L.N_LOAD))
    for k, (seg, r, o) in enumerate(((A.FOREFOOT, r_fore, o_mid), (A.TOES, r_toes, o_mtp))):
        part = slice(segmented.bounds[seg], segmented.bounds[seg + 1])
        arrays = [a[part] if np.ndim(a) and len(a) == segmented.mesh.n_elements else a for a in segmented.arrays]
        contact_numpy(*arrays, r, o, np.zeros(3), np.zeros(3), 1e-4, state[part].copy(), flags[part].copy(),
                      records[part].copy(), loads[k])
    distal = loads[0, 3:6] + loads[1, 3:6] + np.cross(o_mtp - o_mid, loads[1, :3])
    axes = (rot @ joints[A.J_A_ARCH:A.J_A_ARCH + 3],
            rot @ Rotation.from_rotvec(joints[A.J_A_ARCH:A.J_A_ARCH + 3] * theta[0]).as_matrix()
            @ joints[A.J_A_EV:A.J_A_EV + 3], r_fore @ joints[A.J_A_MTP:A.J_A_MTP + 3])
    ground = np.array([axes[0] @ distal, axes[1] @ distal, axes[2] @ loads[1, 3:6]])
    spring = joints[[A.J_K_ARCH, A.J_K_EV, A.J_K_MTP]] * theta
    return Case("foot joints at rest: spring moment = ground moment about the axis", 0.0,
                float(np.max(np.abs(spring - ground)) / np.max(np.abs(ground))), 1e-9,
                f"hindfoot held 12 deg toes-down, 4 mm into the ground; arch, inversion, MTP moments "
                f"{', '.join(f'{m:.2f}' for m in ground)} N m", absolute=True)
