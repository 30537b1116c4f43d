"""The pymunk (Chipmunk2D) twin of the runner model in the sagittal plane.

Built from the same scenario and the same model arrays as footsim (`sim.model`), but solved by
an independent rigid-body engine: rigid contact with Coulomb friction and Newton restitution
instead of footsim's compliant pad and skin bristles. Coordinates: pymunk (x, y) is the ground
frame's (x, z); a pymunk angle is the foot's pitch, + = toes up (dorsiflexed), which is footsim's
foot-strike angle sign.

The model, piece by piece:
- hip: a point mass (1 - f1) M (a body that cannot rotate);
- foot: a rigid body of mass f1 M with its centre of mass at the ankle and footsim's pitch
  inertia; its plantar outline is a chain of segments through the lowest mesh point of every
  column of footsim's plantar mesh (the sagittal profile of the same mesh);
- leg: a `DampedSpring` hip-ankle whose rest length follows footsim's push-off extension;
- ankle: a `DampedRotarySpring` between the foot and a kinematic "leg frame" body whose angle is
  the hip-ankle line's, with the touchdown posture as rest angle. Like footsim, the ankle torque's
  reaction reaches the hip as a couple of forces across the massless leg;
- ground: a static segment with the skin's friction (pymunk has one coefficient, no static/kinetic).
"""

from __future__ import annotations

import math
import numpy as np
import pymunk

from ..kernels import stance as S
from .trace import NO_CONTACT_END_S, SagittalTrace, pitch_from_quat

# Chipmunk's defaults are for pixels: 0.1 "units" of allowed overlap would be 100 mm here.
COLLISION_SLOP_M = 1e-5
SOLVER_ITERATIONS = 30
SEGMENT_RADIUS_M = 2e-4
FOOT_SHAPES = pymunk.ShapeFilter(group=1)  # the foot's segments do not collide with each other
TOE_OFF_AFTER_S = 0.03  # footsim's toe-off rule: no contact, at least 30 ms after touchdown


def sagittal_profile(position_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lowest contact point of every grid column (x_F, z_F), heel to toe, in the foot frame.

    position_m (E, 3): footsim's contact points (the plantar mesh, on its regular grid). With no
    roll, a flat ground meets the foot only at these points, so the chain through them is the
    foot's sagittal contact outline.
    """
    xs = np.unique(np.round(position_m[:, 0], 9))
    column = np.searchsorted(xs, np.round(position_m[:, 0], 9))
    zs = np.full(len(xs), np.inf)
    np.minimum.at(zs, column, position_m[:, 2])
    return xs, zs


def _space(gravity_m_s2: float) -> pymunk.Space:
    space = pymunk.Space()
    space.gravity = (0.0, -gravity_m_s2)
    space.iterations = SOLVER_ITERATIONS
    space.collision_slop = COLLISION_SLOP_M
    ground = pymunk.Segment(space.static_body, (-20.0, 0.0), (20.0, 0.0), 0.0)
    ground.friction, ground.elasticity = 1.0, 1.0  # contact values are the products with the foot's
    space.add(ground)
    return space


def _foot(space: pymunk.Space, position_m: np.ndarray, mass_kg: float, inertia_kg_m2: float, mu: float,
          restitution: float, ankle_m, angle_rad: float, velocity_m_s) -> pymunk.Body:
    """The rigid foot, origin and centre of mass at the ankle, plantar outline as a segment chain."""
    foot = pymunk.Body(mass_kg, inertia_kg_m2)
    foot.position, foot.angle, foot.velocity = tuple(ankle_m), angle_rad, tuple(velocity_m_s)
    x, z = sagittal_profile(position_m)
    z = z + SEGMENT_RADIUS_M  # the rounded segments' underside passes through the mesh points
    shapes = [pymunk.Segment(foot, (x[i], z[i]), (x[i + 1], z[i + 1]), SEGMENT_RADIUS_M) for i in range(len(x) - 1)]
    for shape in shapes:
        shape.friction, shape.elasticity, shape.filter = mu, restitution, FOOT_SHAPES
    space.add(foot, *shapes)
    return foot


def _contact_impulse(body: pymunk.Body) -> tuple[float, float, int]:
    """Impulse of the ground on the body in the last step (N s) and the number of arbiters."""
    total = [0.0, 0.0, 0]

    def add(arbiter):
        impulse = arbiter.total_impulse  # each_arbiter puts this body's shape first: impulse on it
        total[0] += impulse.x
        total[1] += impulse.y
        total[2] += 1

    body.each_arbiter(add)
    return total[0], total[1], total[2]


class _Recorder:
    def __init__(self, dt: float):
        self.dt = dt
        self.rows: list[tuple] = []
        self.touched = -1
        self.last_contact = -1

    def add(self, n: int, row: tuple, arbiters: int) -> None:
        self.rows.append(row)
        if arbiters:
            self.last_contact = n
            if self.touched < 0:
                self.touched = n

    def finished(self, n, after_s: float) -> bool:
        """Contact lost for NO_CONTACT_END_S, at least `after_s` after touchdown (footsim's toe-off: 30 ms)."""
        return (self.touched >= 0 and n - self.touched > int(after_s / self.dt)
                and n - self.last_contact >= int(NO_CONTACT_END_S / self.dt))

    def trace(self, foot: pymunk.Body, outcome: str) -> SagittalTrace:
        a = np.array(self.rows)
        end = self.last_contact + 2 if outcome == "toe-off" else len(a)  # footsim stops one step after contact
        a = a[:end]
        return SagittalTrace(a[:, 0], a[:, 1:3], a[:, 3:5], a[:, 5:7], a[:, 7], np.array(foot.velocity),
                             float(foot.angular_velocity), outcome, a[:, 8] if a.shape[1] > 8 else None,
                             a[:, 9:11] if a.shape[1] > 9 else None)


class _Leg:
    """The hip, the leg spring with its push-off extension and the ankle spring on a kinematic leg frame.

    foot: the body the leg holds at its centre of mass (the ankle); ankle stiffness and damping
    are the rotary spring's between that body and the leg frame, the touchdown posture its rest.
    """

    def __init__(self, space: pymunk.Space, body: np.ndarray, y0: np.ndarray, foot: pymunk.Body,
                 stiffness: float, damping: float):
        self.body, self.foot = body, foot
        self.hip = pymunk.Body(body[S.M_BODY], math.inf)
        self.hip.position = (y0[S.HIP_POS], y0[S.HIP_POS + 2])
        self.hip.velocity = (y0[S.HIP_VEL], y0[S.HIP_VEL + 2])
        self.frame = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
        self.frame.angle = self.previous = self.angle()
        self.spring = pymunk.DampedSpring(self.hip, foot, (0.0, 0.0), (0.0, 0.0), body[S.REST_LENGTH],
                                          body[S.K_LEG], body[S.C_LEG])
        self.ankle = pymunk.DampedRotarySpring(foot, self.frame, foot.angle - self.frame.angle, stiffness, damping)
        space.add(self.hip, self.frame, self.spring, self.ankle)
        self.theta_td = max(0.1, math.atan2(foot.position.x - self.hip.position.x,
                                            self.hip.position.y - foot.position.y))
        # the leg's sweep fraction and push-off extension: footsim's own functions, on 3-vectors
        self.hip3, self.ankle3 = np.zeros(3), np.zeros(3)

    def angle(self) -> float:
        d = self.hip.position - self.foot.position
        return math.atan2(d.y, d.x)

    def ankle_torque(self, dt: float) -> float:
        """The ankle spring's torque on the foot over the last step (its impulse is signed as the leg frame's)."""
        return -self.ankle.impulse / dt

    def prepare(self, n: int, dt: float) -> float:
        """Before step n: the leg frame and the leg's rest length; returns the leg's sweep fraction."""
        angle = self.angle()
        # footsim's damping reference is the leg's rotation over the last step (none at step 0)
        self.frame.angle, self.frame.angular_velocity = angle, (angle - self.previous) / dt if n > 0 else 0.0
        self.previous = angle
        self.hip3[0], self.hip3[2] = self.hip.position
        self.ankle3[0], self.ankle3[2] = self.foot.position
        sweep = S.sweep_fraction(self.hip3, self.ankle3, 0.0, self.theta_td)
        body = self.body
        self.spring.rest_length = body[S.REST_LENGTH] + body[S.PUSH_OFF_EXTENSION] * S.smoothstep((sweep - 0.5) / 0.5)
        return sweep

    def react(self, dt: float, extra_torque: float = 0.0) -> None:
        """The ankle torque's reaction on the massless leg: the couple d x f = T / L at hip and ankle.

        T is the spring's torque on the foot over the last step (one step late) plus `extra_torque`,
        a torque this step applies to the foot outside the spring.
        """
        d = self.hip.position - self.foot.position
        couple = (self.ankle_torque(dt) + extra_torque) / d.length**2 * pymunk.Vec2d(-d.y, d.x)
        self.hip.force, self.foot.force = -couple, couple


def twin_stance(scenario, position_m: np.ndarray, body: np.ndarray, y0: np.ndarray, mu: float, restitution: float,
                ankle_reaction_on_leg: bool = True) -> SagittalTrace:
    """One stance of the pymunk twin from footsim's body vector and touchdown state.

    scenario: the resolved scenario (dt, duration); position_m (E, 3) contact points, body
    (S.N_BODY,), y0 (S.N_DYN_STATE,): as `sim.model` builds them for footsim; mu: the ground's
    friction coefficient; restitution: the contact's coefficient of restitution (Newton), matched
    to footsim's pad.
    ankle_reaction_on_leg: put the ankle torque's reaction on the massless leg, as the couple of
    forces +-T/L across the leg at hip and ankle that keeps the leg in equilibrium (as footsim
    does; False leaves it out, as footsim did before the cross-check found it); applied one step
    late, from the ankle spring's last impulse.
    """
    dt = scenario["numerics"]["dt_s"]
    n_max = int(round(scenario["numerics"]["duration_s"] / dt))
    space = _space(body[S.GRAVITY])
    foot = _foot(space, position_m, body[S.M_FOOT], body[S.I_YY], mu, restitution,
                 (y0[S.FOOT_POS], y0[S.FOOT_POS + 2]), pitch_from_quat(y0[S.FOOT_QUAT:S.FOOT_QUAT + 4]),
                 (y0[S.FOOT_VEL], y0[S.FOOT_VEL + 2]))
    foot.angular_velocity = -y0[S.FOOT_OMEGA + 1]  # pymunk's angle is minus the pitch about y
    leg = _Leg(space, body, y0, foot, body[S.K_ANKLE_Y], body[S.C_ANKLE])
    rec = _Recorder(dt)
    outcome = "duration reached before toe-off"
    for n in range(n_max):
        sweep = leg.prepare(n, dt)
        if ankle_reaction_on_leg:
            leg.react(dt)
        position = (tuple(leg.hip.position), tuple(foot.position), foot.angle)
        space.step(dt)
        jx, jz, arbiters = _contact_impulse(foot)
        rec.add(n, (n * dt, jx / dt, jz / dt, *position[0], *position[1], position[2], leg.ankle_torque(dt)), arbiters)
        # a rigid foot can bounce clear of the ground at foot-flat: toe-off is only past mid-stance
        if sweep >= 0.5 and rec.finished(n, TOE_OFF_AFTER_S):
            outcome = "toe-off"
            break
    return rec.trace(foot, outcome)


def twin_drop(position_m: np.ndarray, mass_kg: float, inertia_kg_m2: float, mu: float, restitution: float,
              ankle_m, angle_rad: float, velocity_m_s, dt: float, n_max: int) -> SagittalTrace:
    """A free rigid foot (no gravity) thrown onto the ground, until its first contact has ended.

    The foot's velocity at the end is its rebound from that contact.
    """
    space = _space(0.0)
    foot = _foot(space, position_m, mass_kg, inertia_kg_m2, mu, restitution, ankle_m, angle_rad, velocity_m_s)
    rec = _Recorder(dt)
    outcome = "duration reached before toe-off"
    for n in range(n_max):
        position = (tuple(foot.position), foot.angle)
        space.step(dt)
        jx, jz, arbiters = _contact_impulse(foot)
        rec.add(n, (n * dt, jx / dt, jz / dt, np.nan, np.nan, *position[0], position[1]), arbiters)
        if rec.finished(n, 0.0):
            outcome = "toe-off"
            break
    return rec.trace(foot, outcome)


def twin_block_slide(mass_kg: float, size_m: float, mu: float, speed_m_s: float, gravity_m_s2: float,
                     dt: float, max_time_s: float = 2.0) -> float:
    """Distance (m) a rigid square block slides on the ground before it stops."""
    space = _space(gravity_m_s2)
    block = pymunk.Body(mass_kg, pymunk.moment_for_box(mass_kg, (size_m, size_m)))
    block.position, block.velocity = (0.0, size_m / 2), (speed_m_s, 0.0)
    shape = pymunk.Poly.create_box(block, (size_m, size_m))
    shape.friction, shape.elasticity = mu, 0.0
    space.add(block, shape)
    for _ in range(int(max_time_s / dt)):
        space.step(dt)
        if block.velocity.x <= 0.0:
            break
    return float(block.position.x)
