"""The runner model (DESIGN 3.4): emergent force-plate signals for each strike pattern.

Targets from issue 3 and DESIGN 6 (Lieberman et al. 2010, Munro 1987); these are physics checks,
not tuning knobs: the model's defaults are set elsewhere and these only read its output.
"""

from pathlib import Path

import numpy as np
import pytest

from sim.foot import REGION_NAMES
from sim.kernels.rotation import quat_to_matrix
from sim.runner import run_stance
from sim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def rearfoot():
    return run_stance(load_scenario(SCENARIOS / "rearfoot_barefoot.toml"))


@pytest.fixture(scope="module")
def forefoot():
    return run_stance(load_scenario(SCENARIOS / "forefoot_barefoot.toml"))


def test_rearfoot__impact_peak_and_loading_rate_of_a_barefoot_heel_strike(rearfoot):
    s = rearfoot.summary
    assert 1.2 <= s["impact_peak_bw"] <= 2.6
    assert s["impact_peak_time_s"] <= 0.030
    assert s["impact_peak_bw"] < s["active_peak_bw"]
    assert 250 <= s["loading_rate_bw_s"] <= 700


def test_forefoot__at_most_a_small_early_transient_and_a_slow_loading_rate(forefoot):
    s = forefoot.summary
    assert np.isnan(s["impact_peak_bw"]) or s["impact_peak_bw"] <= 0.8
    assert s["loading_rate_bw_s"] < 150


@pytest.mark.parametrize("pattern", ["rearfoot", "forefoot"])
def test_stance__active_peak_stance_time_and_steady_braking_then_propulsion(pattern, request):
    result = request.getfixturevalue(pattern)
    s = result.summary
    assert 2.2 <= s["active_peak_bw"] <= 3.0
    assert 0.19 <= s["stance_time_s"] <= 0.30
    assert abs(s["net_ap_impulse_bw_s"]) < 0.02
    fx, t = result.grf_n[:, 0], result.time_s
    loaded = result.grf_n[:, 2] > 0.05 * result.body_weight_n
    mid = t[loaded][0] + 0.5 * (t[loaded][-1] - t[loaded][0])
    assert fx[loaded & (t < mid)].sum() < 0 < fx[loaded & (t > mid)].sum()
    assert s["peak_braking_bw"] > 0.1 and s["peak_propulsive_bw"] > 0.1


def _heel_clearance(result) -> np.ndarray:
    heel = result.mesh.region <= REGION_NAMES.index("heel_medial")
    rot = np.zeros((3, 3))
    out = np.empty(len(result.time_s))
    for n, pose in enumerate(result.foot_pose):
        quat_to_matrix(pose[3:], rot)
        out[n] = pose[2] + (result.mesh.position_m[heel] @ rot.T)[:, 2].min()
    return out


def test_forefoot__heel_comes_down_under_load_in_mid_stance(forefoot):
    touching = _heel_clearance(forefoot) < 0
    loaded = forefoot.grf_n[:, 2] > 0.05 * forefoot.body_weight_n
    t = forefoot.time_s
    start, end = t[loaded][0], t[loaded][-1]
    assert touching.any()
    first = t[touching][0]
    assert start + 0.15 * (end - start) < first < start + 0.6 * (end - start)
    assert forefoot.summary["heel_posterolateral_contact_time_ms"] > 0


def test_rearfoot__heel_lands_first(rearfoot):
    touching = _heel_clearance(rearfoot) < 0
    loaded = rearfoot.grf_n[:, 2] > 0
    assert np.argmax(touching) <= np.argmax(loaded) + 2


def _free_moment(**strike):
    overrides = [f"strike.{k}={v}" for k, v in strike.items()]
    return run_stance(load_scenario(text="", overrides=overrides)).summary["peak_free_moment_bw_height"]


def test_free_moment__rises_with_toe_out_for_a_forefoot_striker():
    # Only this much of the claim holds robustly in the model: between 0 and 15 degrees the peak
    # free moment barely changes (0.3 %), and for a rearfoot striker it does not rise (issue note).
    values = [_free_moment(pattern="forefoot", toe_out_deg=a) for a in (0, 30)]
    assert values[1] > 1.2 * values[0]


def test_free_moment__rises_with_twist_at_push_off():
    values = [_free_moment(pattern="rearfoot", twist_deg=a) for a in (0, 4, 8)]
    assert values[0] < values[1] < values[2]


def test_integration__halving_dt_changes_peaks_little_and_converges_at_first_order():
    peaks, shears, impacts = [], [], []
    for dt in (2e-4, 1e-4, 5e-5):
        r = run_stance(load_scenario(text="", overrides=[f"numerics.dt_s={dt}"]))
        peaks.append(r.grf_n[:, 2].max())
        shears.append(r.summary["heel_posterolateral_peak_shear_kpa"])
        impacts.append(r.summary["impact_peak_bw"])
    assert abs(peaks[2] - peaks[1]) / peaks[1] < 0.01
    assert abs(shears[2] - shears[1]) / shears[1] < 0.02
    # semi-implicit Euler: successive differences of the impact transient shrink by ~2 per halving
    # (the slow active peak is converged to 1e-4 at these steps, its differences are noise)
    order = np.log2(abs(impacts[1] - impacts[0]) / abs(impacts[2] - impacts[1]))
    assert 0.7 < order < 1.5


def test_determinism__two_runs_write_identical_datasets(tmp_path):
    import h5py

    from sim.outputs import write_run

    paths = [write_run(tmp_path / f"run{k}.h5", run_stance(load_scenario(text=""))) for k in range(2)]
    with h5py.File(paths[0]) as a, h5py.File(paths[1]) as b:
        names = []
        a.visit(lambda name: names.append(name) if isinstance(a[name], h5py.Dataset) else None)
        assert len(names) > 30
        for name in names:
            assert a[name][()].tobytes() == b[name][()].tobytes(), name


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_bundled_scenario__runs_to_a_finished_stance(path):
    result = run_stance(load_scenario(path, overrides=["numerics.dt_s=2e-4"]))
    assert result.outcome in ("toe-off", "prescribed roll-over")
    assert np.isfinite(result.grf_n).all()
    assert result.summary["active_peak_bw"] > 0.8


def test_momentum__the_leg_passes_the_ankle_torque_to_the_hip_so_angular_momentum_is_kept():
    """In flight (no ground, no gravity) the ankle spring drags the foot round as the leg turns;
    with the leg's force couple the angular momentum of hip + foot stays put (cross-check, issue 9)."""
    from sim.kernels import stance as S
    from sim.kernels.contact import new_contact_state
    from sim.model import body_vector, contact_model, touchdown_state

    scenario = load_scenario(text="", overrides=["strike.toe_out_deg=0", "strike.inversion_deg=0", "runner.step_width_m=0",
                                                 "runner.soft_tissue_mass_fraction=0.5"])
    contact = contact_model(scenario)
    body = body_vector(scenario)
    body[S.GRAVITY] = 0.0
    y0 = touchdown_state(scenario, contact.position_m)
    y0[[S.HIP_POS + 2, S.FOOT_POS + 2, S.TISSUE_POS + 2]] += 1.0
    n = 1000
    trace, y_end = np.zeros((n, S.N_TRACE)), np.zeros(S.N_DYN_STATE)
    S.simulate_stance(*contact.kernel_arrays(), body, y0, 1e-4, n, trace, *new_contact_state(contact.mesh.n_elements),
                      S.no_frames(contact.mesh.n_elements), 1, y_end)

    def angular_momentum(y):
        hip, ankle = y[S.HIP_POS:S.HIP_POS + 3], y[S.FOOT_POS:S.FOOT_POS + 3]
        spin = body[S.I_YY] * y[S.FOOT_OMEGA:S.FOOT_OMEGA + 3]  # foot nearly level: pitch inertia dominates
        return (body[S.M_BODY] * np.cross(hip, y[S.HIP_VEL:S.HIP_VEL + 3])
                + body[S.M_FOOT] * np.cross(ankle, y[S.FOOT_VEL:S.FOOT_VEL + 3])
                + body[S.M_TISSUE] * np.cross(y[S.TISSUE_POS:S.TISSUE_POS + 3], y[S.TISSUE_VEL:S.TISSUE_VEL + 3]) + spin)

    change = np.linalg.norm(angular_momentum(y_end) - angular_momentum(y0))
    foot_spin = body[S.I_YY] * np.linalg.norm(y_end[S.FOOT_OMEGA:S.FOOT_OMEGA + 3])
    assert foot_spin > 0.01  # the ankle did turn the foot
    assert change < 0.05 * foot_spin
