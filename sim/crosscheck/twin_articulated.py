"""The pymunk twin of the articulated foot in the sagittal plane: hindfoot, forefoot and toes on hinges.

The rigid twin's set-up (`twin`: hip, leg spring with push-off extension, kinematic leg frame,
ankle reaction couple on the hip, rigid contact with one restitution), with the foot as three
bodies: the hindfoot (footsim's mass f1 M and pitch inertia, centre of mass at the ankle); the
forefoot on a `PivotJoint` at the midfoot joint point and the toes on one at the MTP point, each
held by a `DampedRotarySpring` of footsim's arch and MTP stiffness and damping. Each segment's
plantar outline is the sagittal profile of its own elements, in its own frame, as
`sim.articulated.segment_contact` sorts them. The ankle spring is the talocrural stiffness with
the ankle damping; the muscles are reproduced as footsim applies them: the dorsiflexors' braking
(extra damping while the foot plantarflexes on the leg before mid-stance) and the plantarflexors'
push-off moment over the leg's sweep, its reaction on the hip with the spring's.

Forefoot and toes are massless in footsim, which pymunk cannot express: they get a small mass
(`DISTAL_MASS_KG`, centre of mass at their joint, so gravity puts no moment on the joint) and the
inertia of a rod of the segment's length about its joint. The cases show what halving it moves.
So light a segment turns on its damper in I / c ~ 0.4 footsim steps (forefoot: 4e-5 kg m^2 on
1 N m s/rad), which pymunk's solver does not resolve at footsim's step: there halving the mass
moved the peak arch angle by 40 %. The twin therefore steps `SUBSTEPS` times per footsim step
(halving the masses then moves the peak angles by 1-3.5 %) and reports on footsim's step.
"""

from __future__ import annotations

import numpy as np
import pymunk

from ..kernels import articulated as A
from ..kernels import stance as S
from .trace import SagittalTrace, pitch_from_quat
from .twin import TOE_OFF_AFTER_S, _contact_impulse, _foot, _Leg, _Recorder, _space

# forefoot, toes: 1 % and 0.4 % of the default hindfoot's 5.6 kg, light enough to act massless
# (see the cases' halved-mass rows)
DISTAL_MASS_KG = (0.05, 0.02)
SUBSTEPS = 4  # pymunk steps per footsim step: at one, its solver does not resolve segments this light
# the distal segments: their slice, joint point and spring (stiffness, damping) in the joint vector
DISTAL = ((A.FOREFOOT, A.J_O_MID, A.J_K_ARCH, A.J_C_ARCH), (A.TOES, A.J_O_MTP, A.J_K_MTP, A.J_C_MTP))


def _distal_segment(space, proximal: pymunk.Body, hindfoot: pymunk.Body, points: np.ndarray, joint_m,
                    mass_kg: float, stiffness: float, damping: float, mu: float, restitution: float) -> pymunk.Body:
    """A segment hinged on `proximal` at `joint_m` (hindfoot frame), at rest with the hindfoot's pose and motion."""
    where = hindfoot.local_to_world(joint_m)
    length = float(np.abs(points[:, 0]).max())
    segment = _foot(space, points, mass_kg, mass_kg * length**2 / 3, mu, restitution, where, hindfoot.angle,
                    hindfoot.velocity_at_world_point(where))
    segment.angular_velocity = hindfoot.angular_velocity
    space.add(pymunk.PivotJoint(proximal, segment, where),
              pymunk.DampedRotarySpring(segment, proximal, 0.0, stiffness, damping))
    return segment


def twin_articulated_stance(scenario, position_m: np.ndarray, bounds: np.ndarray, body: np.ndarray,
                            joints: np.ndarray, y0: np.ndarray, mu: float, restitution: float,
                            distal_mass_kg=DISTAL_MASS_KG) -> SagittalTrace:
    """One stance of the articulated twin from footsim's segmented contact, body, joint and touchdown vectors.

    position_m (E, 3), bounds (4,): the contact points sorted by segment, each in its segment's
    frame (`SegmentedContact.arrays[0]`, `.bounds`); joints (A.N_JOINT,) and y0 (A.N_STATE,) as
    `sim.articulated.simulate` takes them; mu, restitution as for `twin.twin_stance`.
    """
    dt = scenario["numerics"]["dt_s"] / SUBSTEPS
    space = _space(body[S.GRAVITY])
    hindfoot = _foot(space, position_m[bounds[0]:bounds[1]], body[S.M_FOOT], body[S.I_YY], mu, restitution,
                     (y0[S.FOOT_POS], y0[S.FOOT_POS + 2]), pitch_from_quat(y0[S.FOOT_QUAT:S.FOOT_QUAT + 4]),
                     (y0[S.FOOT_VEL], y0[S.FOOT_VEL + 2]))
    hindfoot.angular_velocity = -y0[A.SPIN + 1] / body[S.I_YY]  # pymunk's angle is minus the pitch about y
    segments = [hindfoot]
    for (seg, point, k, c), mass in zip(DISTAL, distal_mass_kg):
        segments.append(_distal_segment(space, segments[-1], hindfoot, position_m[bounds[seg]:bounds[seg + 1]],
                                        (joints[point], joints[point + 2]), mass, joints[k], joints[c], mu,
                                        restitution))
    leg = _Leg(space, body, y0, hindfoot, joints[A.J_K_TC], joints[A.J_C_ANKLE])
    rec = _Recorder(dt)
    outcome = "duration reached before toe-off"
    for n in range(int(round(scenario["numerics"]["duration_s"] / scenario["numerics"]["dt_s"])) * SUBSTEPS):
        sweep = leg.prepare(n, dt)
        # footsim's talocrural axis is +y in the planar limit: its torques are minus pymunk's
        push_off = -float(joints[A.J_M_PF] * A.push_off_profile(sweep))
        leg.react(dt, push_off)
        hindfoot.torque = push_off
        plantarflexing = hindfoot.angular_velocity < leg.frame.angular_velocity
        leg.ankle.damping = joints[A.J_C_ANKLE] + (joints[A.J_C_DF] if sweep < 0.5 and plantarflexing else 0.0)
        angles = [b.angle for b in segments]
        pose = (*leg.hip.position, *hindfoot.position, angles[0])
        space.step(dt)
        jx, jz, arbiters = np.array([_contact_impulse(b) for b in segments]).sum(axis=0)
        rec.add(n, (n * dt, jx / dt, jz / dt, *pose, leg.ankle_torque(dt) + push_off, angles[1] - angles[0],
                    angles[2] - angles[1]), int(arbiters))
        if sweep >= 0.5 and rec.finished(n, TOE_OFF_AFTER_S):
            outcome = "toe-off"
            break
    return rec.trace(hindfoot, outcome).coarsened(SUBSTEPS)
