"""Validation (issue 5): alignment and RMS on curves with known answers, the metric table, the
`footsim validate` JSON contract, and calibration recovering the parameters that made a trial."""

import dataclasses
import json
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.cli import main
from sim.errors import InputError
from sim.grf_metrics import GRAVITY_M_S2, METRICS, grf_metrics
from sim.runner import run_stance
from sim.scenario import load_scenario
from sim.trials import Trial, write_csv
from sim.validation import calibrate, evaluate, prepare
from sim.validation.compare import PHASE_POINTS, MeanStance, mean_stance, mirror, rms_bw, two_plate_body_mass_kg
from sim.validation.drive import model_as_trial

MASS_KG = 70.0
BW_N = MASS_KG * GRAVITY_M_S2
TRUTH = {"runner.leg_stiffness_n_m": 17000.0, "strike.foot_descent_velocity_m_s": 1.1}


def rectangle(level_bw, stance_s, components=(2,)):
    """A mean stance of constant force on the given columns (others NaN: not recorded)."""
    phase = np.full((PHASE_POINTS, 3), np.nan)
    for k in components:
        phase[:, k] = level_bw * BW_N
    return MeanStance(phase, stance_s, 1)


def test_rms__equal_curves_give_zero():
    data = rectangle(2.0, 0.250, components=(0, 2))
    assert rms_bw(data, data, BW_N) == {"ap": 0.0, "ml": None, "vertical": 0.0}


def test_rms__a_longer_stance_counts_its_extra_milliseconds():
    # Data 2 BW for 200 ms, model 2 BW for 250 ms: on the 1 ms grid 0..250 ms (251 points) the
    # model alone is loaded at 201..250 ms, 50 points of 2 BW error.
    data, model = rectangle(2.0, 0.200), rectangle(2.0, 0.250)
    expected = 2.0 * math.sqrt(50 / 251)
    assert_allclose(rms_bw(data, model, BW_N)["vertical"], expected, rtol=1e-9)
    assert rms_bw(data, model, BW_N)["ap"] is None


def test_rms__a_constant_offset_over_the_same_stance_is_the_offset():
    data, model = rectangle(2.0, 0.200), rectangle(2.3, 0.200)
    assert_allclose(rms_bw(data, model, BW_N)["vertical"], 0.3, rtol=1e-12)


def half_sine_trial(peaks_bw, stance_s=0.25, flight_s=0.1, fs_hz=1000.0, ml_bw=0.05):
    """Alternating stances of half-sine Fz (one peak per stance) with an ML force, one foot."""
    period = stance_s + flight_s
    t = np.arange(0.0, period * len(peaks_bw) + flight_s, 1 / fs_hz)
    grf = np.zeros((len(t), 3))
    for k, peak in enumerate(peaks_bw):
        local = t - flight_s - k * period
        inside = (local > 0) & (local < stance_s)
        shape = np.sin(np.pi * local[inside] / stance_s)
        grf[inside, 2] = peak * BW_N * shape
        grf[inside, 1] = ml_bw * BW_N * shape
    return Trial("synthetic/half_sines", t, grf, None, None, fs_hz, mass_kg=MASS_KG, height_m=1.75,
                 speed_m_s=3.5, side="R", strike="rearfoot", footwear="barefoot")


def test_mean_stance__averages_in_phase_and_keeps_the_stance_time():
    trial = half_sine_trial([2.0, 2.4, 2.2])
    mean = mean_stance(trial, trial.stances())
    assert mean.n_stances == 3
    assert_allclose(mean.stance_time_s, 0.25, atol=3e-3)  # touchdown/toe-off at the 20 N crossings
    assert_allclose(np.max(mean.phase_grf_n[:, 2]) / BW_N, 2.2, rtol=2e-3)


def test_mirror__a_left_foot_becomes_a_right_foot():
    left = half_sine_trial([2.0])
    trial = dataclasses.replace(left, side="L", free_moment_nm=np.ones(len(left.time_s)))
    right = mirror(trial)
    assert right.side == "R"
    assert_allclose(right.grf_n[:, 1], -trial.grf_n[:, 1])
    assert_allclose(right.free_moment_nm, -1.0)


def test_two_plate_mass__two_steps_weigh_the_walker():
    # Each stance impulse is BW x step time; the second plate's touchdown is one step later.
    step_s, stance_s = 0.5, 0.6
    t = np.arange(0.0, 2.0, 1e-3)
    plates = []
    for onset in (0.2, 0.2 + step_s):
        local = t - onset
        fz = np.where((local > 0) & (local < stance_s), np.sin(np.pi * local / stance_s), 0.0)
        fz *= BW_N * step_s / (2 * stance_s / np.pi)  # area = BW x step time
        plates.append(Trial("plate", t, np.column_stack([np.zeros_like(t), np.zeros_like(t), fz]), None, None, 1000.0))
    assert_allclose(two_plate_body_mass_kg(*plates), MASS_KG, rtol=2e-3)


def test_grf_metrics__tail_noise_after_a_single_peak_is_no_active_peak():
    # A forefoot striker's single peak at 36 % of stance (inside the impact window), then
    # unloading with a 0.1 BW ripple on the tail, as raw plate noise: the single peak is the
    # active peak and there is no impact peak.
    t_ms = np.arange(-2.0, 285.0, 1.0)
    fz = np.interp(t_ms, [0, 100, 250, 258, 266, 280], [0, 2.2, 0.05, 0.02, 0.12, 0], left=0, right=0) * BW_N
    force = np.column_stack([np.zeros_like(fz), np.zeros_like(fz), fz])
    metrics = grf_metrics(t_ms / 1000.0, force, MASS_KG, 1.75)
    assert_allclose(metrics["active_peak_bw"], 2.2, rtol=1e-12)
    assert math.isnan(metrics["impact_peak_bw"])


def synthetic_trial(parameters):
    """One stance of the model (barefoot default runner) at `parameters`, as a recorded trial."""
    scenario = load_scenario(text='name = "synthetic"', overrides=[f"{k}={v}" for k, v in parameters.items()])
    return model_as_trial(run_stance(scenario), 1000.0, None, name="synthetic/model_stance")


@pytest.fixture(scope="module")
def truth_trial():
    return synthetic_trial(TRUTH)


def test_evaluate__the_model_against_its_own_stance_has_zero_error(truth_trial):
    evaluation = evaluate(prepare(truth_trial), TRUTH)
    assert all(value < 1e-9 for value in evaluation.rms_bw.values())


def test_metric_table__every_metric_with_data_model_and_their_difference(truth_trial):
    evaluation = evaluate(prepare(truth_trial))  # registry defaults against the truth
    rows = evaluation.metric_rows()
    assert [row["metric"] for row in rows] == list(METRICS)
    by_metric = {row["metric"]: row for row in rows}
    for row in rows:
        if math.isfinite(row["data"]) and math.isfinite(row["model"]):
            assert_allclose(row["error"], row["model"] - row["data"], rtol=1e-12, atol=1e-15)
    # stiffer leg (22 kN/m against 17 kN/m) and a faster-falling foot: a shorter stance, a higher impact
    assert by_metric["stance_time_s"]["error"] < 0
    assert by_metric["impact_peak_bw"]["error"] > 0
    assert evaluation.rms_bw["vertical"] > 0.05


def test_calibration__recovers_the_leg_stiffness_and_foot_velocity_that_made_the_trial(truth_trial):
    fit = calibrate(prepare(truth_trial), names=list(TRUTH), max_nfev=15)
    assert fit.rms_bw_start["vertical"] > 0.05
    assert_allclose(fit.parameters["runner.leg_stiffness_n_m"], TRUTH["runner.leg_stiffness_n_m"], rtol=0.03)
    assert_allclose(fit.parameters["strike.foot_descent_velocity_m_s"],
                    TRUTH["strike.foot_descent_velocity_m_s"], rtol=0.05)
    assert fit.rms_bw["vertical"] < 0.02 and not fit.held


def test_calibration__the_articulated_foot_fits_its_talocrural_stiffness_within_designs_range():
    """A trial made by the articulated foot at the top of DESIGN's 300-450 N m/rad, fitted from 330."""
    truth = {"foot.model": "articulated", "foot.talocrural_stiffness_n_m_rad": 440.0, **TRUTH}
    fit = calibrate(prepare(synthetic_trial(truth)), start={"foot.model": "articulated",
                                                            "foot.talocrural_stiffness_n_m_rad": 330.0},
                    names=["foot.talocrural_stiffness_n_m_rad", *TRUTH], max_nfev=15)
    assert fit.foot_model == "articulated" and fit.bounds["foot.talocrural_stiffness_n_m_rad"] == (300.0, 450.0)
    assert_allclose(fit.parameters["foot.talocrural_stiffness_n_m_rad"], 440.0, rtol=0.05)
    assert fit.rms_bw["vertical"] < 0.02


def test_calibration__a_joint_of_the_articulated_foot_is_not_a_key_of_the_rigid_foot(truth_trial):
    with pytest.raises(InputError, match="foot.talocrural_stiffness_n_m_rad with foot.model = 'rigid'"):
        calibrate(prepare(truth_trial), names=["foot.talocrural_stiffness_n_m_rad"])


@pytest.fixture(scope="module")
def csv_trial(tmp_path_factory, truth_trial):
    """The synthetic stance written as footsim's CSV without the ML column (NaN)."""
    path = tmp_path_factory.mktemp("validate") / "stance.csv"
    grf = truth_trial.grf_n.copy()
    grf[:, 1] = np.nan
    write_csv(dataclasses.replace(truth_trial, grf_n=grf, speed_m_s=3.5), path)
    return path


def test_validate_command__json_contract(csv_trial, tmp_path, capsys):
    out = tmp_path / "record.json"
    assert main(["validate", str(csv_trial), "--json", str(out)]) == 0
    record = json.loads(out.read_text())
    assert set(record) == {"trial", "subject", "rms_bw", "metrics", "parameters"}
    assert set(record["rms_bw"]) == {"vertical", "ap", "ml"}
    assert record["rms_bw"]["ml"] is None  # the trial has no ML force
    assert record["rms_bw"]["vertical"] > 0.05 and record["rms_bw"]["ap"] > 0.0
    assert set(record["metrics"]) == {"data", "model"}
    assert set(record["metrics"]["data"]) == set(METRICS) == set(record["metrics"]["model"])
    assert record["metrics"]["data"]["ml_range_bw"] is None
    assert record["subject"]["mass_kg"] == MASS_KG and record["subject"]["speed_m_s"] == 3.5
    assert record["parameters"]["runner.body_mass_kg"] == MASS_KG
    assert record["parameters"]["footwear.preset"] == "barefoot"


def test_validate_command__set_and_mass_reach_the_model(csv_trial, tmp_path):
    out = tmp_path / "record.json"
    args = ["validate", str(csv_trial), "--mass", "80", "--set", "runner.leg_stiffness_n_m=17000", "--json", str(out)]
    assert main(args) == 0
    record = json.loads(out.read_text())
    assert record["subject"]["mass_kg"] == 80.0 and record["subject"]["sources"]["mass_kg"] == "option"
    assert record["parameters"]["runner.leg_stiffness_n_m"] == 17000.0


@pytest.mark.parametrize("args, message", [
    (["validate", "no_such_trial.mot"], "no such file"),
    (["validate", "{csv}", "--mass", "-3"], "--mass"),
    (["validate", "{csv}", "--set", "runner.leg_stifness_n_m=1"], "unknown key"),
    (["validate"], "TRIAL"),
])
def test_validate_command__bad_input_is_one_line_and_status_2(args, message, csv_trial, capsys):
    args = [a.replace("{csv}", str(csv_trial)) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_validate_command__report_directory(csv_trial, tmp_path):
    assert main(["validate", str(csv_trial), "--report", str(tmp_path / "report")]) == 0
    files = sorted(p.suffix for p in (tmp_path / "report").iterdir())
    assert files == [".json", ".md", ".png"]
    assert all(p.stat().st_size < 150_000 for p in (tmp_path / "report").iterdir())


def test_validate_command__report_picture_is_readable(csv_trial, tmp_path):
    """The picture was 540 x 132 px at 60 dpi."""
    from PIL import Image

    assert main(["validate", str(csv_trial), "--report", str(tmp_path / "report")]) == 0
    (png,) = (tmp_path / "report").glob("*.png")
    with Image.open(png) as picture:
        width, height = picture.size
    assert width >= 1200 and height >= 300


def test_validate_command__calibrate_prints_the_fitted_values(csv_trial, monkeypatch, capsys):
    from types import SimpleNamespace

    import sim.validation

    fitted = SimpleNamespace(parameters={"runner.leg_stiffness_n_m": 21_500.0, "strike.foot_velocity_m_s": 0.5},
                             bounds={"runner.leg_stiffness_n_m": (1e4, 4e4), "strike.foot_velocity_m_s": (0.0, 1.5)},
                             held={"strike.foot_velocity_m_s": {}}, nfev=7, message="converged")
    monkeypatch.setattr(sim.validation, "calibrate", lambda prepared, start: fitted)
    assert main(["validate", str(csv_trial), "--calibrate"]) == 0
    out = capsys.readouterr().out
    assert "calibrated in 7 evaluations (converged):" in out
    assert "runner.leg_stiffness_n_m = 2.15e+04 (bounds (10000.0, 40000.0))" in out
    assert "strike.foot_velocity_m_s = 0.5 (bounds (0.0, 1.5)) held: not identifiable from this trial" in out


def _foot_result(time_s, hip_m, ankle_m, **joints):
    from types import SimpleNamespace

    scenario = load_scenario(text="[foot]\nmodel = 'articulated'\n")
    pose = np.zeros((len(time_s), 7))
    pose[:, :3], pose[:, 3] = ankle_m, 1.0
    return SimpleNamespace(scenario=scenario, time_s=time_s, hip_m=hip_m, foot_pose=pose, joints=joints)


def test_eversion_rotation_coupling__the_slope_up_to_peak_eversion():
    from sim.validation.published import eversion_rotation_coupling

    t = np.linspace(0.0, 0.2, 201)
    eversion = np.radians(8.0) * np.sin(np.pi * t / 0.2)  # peaks at mid-stance
    rotation = np.where(t <= 0.1, 0.7 * eversion, 0.0)   # what follows the peak does not count
    result = _foot_result(t, np.zeros((201, 3)), np.zeros((201, 3)), rearfoot_eversion=eversion,
                          limb_rotation=rotation - 0.01)
    assert eversion_rotation_coupling(result) == pytest.approx(0.7, rel=1e-9)


def test_arch_energy_fraction__spring_energy_over_the_bodys_loss_to_its_lowest_point():
    from sim.model import GRAVITY
    from sim.validation.published import arch_energy_fraction

    t = np.linspace(0.0, 0.2, 201)
    sink = 0.05 * np.sin(np.pi * t / 0.2)                # the hip sinks 5 cm and comes back
    hip = np.stack([3.5 * t, 0 * t, 1.0 - sink], axis=1)
    ankle = np.stack([0 * t, 0 * t, 0 * t], axis=1)
    arch = np.radians(6.0) * np.sin(np.pi * t / 0.2)
    result = _foot_result(t, hip, ankle, arch=arch)
    fraction, arch_j, step_j = arch_energy_fraction(result)
    runner = result.scenario["runner"]
    trunk = runner["body_mass_kg"] * (1.0 - runner["impact_mass_fraction"])
    vz = np.gradient(hip[:, 2], t)
    energy = trunk * (0.5 * (3.5 ** 2 + vz ** 2) + GRAVITY * hip[:, 2])
    assert step_j == pytest.approx(energy[0] - energy.min(), rel=1e-9)
    assert arch_j == pytest.approx(0.5 * result.scenario["foot"]["arch_stiffness_n_m_rad"] * np.radians(6.0) ** 2,
                                   rel=1e-6)
    assert fraction == pytest.approx(arch_j / step_j)
