"""The shank's soft tissue as a wobbling mass on a spring-damper about the ankle (stance kernel)."""

import numpy as np

from sim.kernels import stance as S
from sim.must_show import stance_numbers
from sim.runner import run_stance
from sim.scenario import load_scenario


def test_tissue_on_a_held_ankle__rings_as_the_analytic_damped_oscillator():
    mass, f, zeta, x0, dt = 2.8, 15.0, 0.3, 1e-3, 1e-6
    w = 2 * np.pi * f
    body = np.zeros(S.N_BODY)
    body[S.M_TISSUE], body[S.K_TISSUE], body[S.C_TISSUE] = mass, mass * w**2, 2 * zeta * mass * w
    pos, vel, still, g = np.array([0.0, 0.0, x0]), np.zeros(3), np.zeros(3), np.zeros(3)
    t = np.arange(1, 100_001) * dt
    z = np.empty(t.size)
    for n in range(t.size):
        before = vel.copy()
        force = S.soft_tissue_step(body, still, still, pos, vel, g, dt)
        # what the foot feels (to the round-off of a difference)
        np.testing.assert_allclose(mass * (vel - before) / dt, -force, rtol=1e-6)
        z[n] = pos[2]
    wd = w * np.sqrt(1 - zeta**2)
    exact = x0 * np.exp(-zeta * w * t) * (np.cos(wd * t) + zeta / np.sqrt(1 - zeta**2) * np.sin(wd * t))
    assert np.abs(z - exact).max() < 2e-3 * x0


def test_no_tissue_mass__no_force():
    body = np.zeros(S.N_BODY)
    body[S.K_TISSUE] = 1e4
    pos = np.array([0.0, 0.0, 0.01])
    assert not S.soft_tissue_step(body, np.zeros(3), np.zeros(3), pos, np.zeros(3), np.zeros(3), 1e-4).any()


def test_wobbling_tissue__takes_the_rigid_impact_mass_bounce_out_of_a_heel_strike():
    # Tissue law v2's fast pad response throws a rigid 5.6 kg impact mass back off the ground: the
    # force collapses after the impact and the forefoot slap makes a second peak. Half of that mass
    # on a 15 Hz spring keeps the foot loaded.
    def numbers(fraction):
        scenario = load_scenario("scenarios/rearfoot_barefoot.toml",
                                 overrides=[f"runner.soft_tissue_mass_fraction={fraction}"])
        return stance_numbers(run_stance(scenario))

    rigid, wobbling = numbers(0.0), numbers(0.5)
    assert rigid["min_after_impact_bw"] < 0.4 and rigid["largest_prominence_after_impact_bw"] > 0.5
    assert wobbling["min_after_impact_bw"] > 0.6 and wobbling["largest_prominence_after_impact_bw"] < 0.1
    assert wobbling["impact_peak_bw_30ms"] < rigid["impact_peak_bw_30ms"]
