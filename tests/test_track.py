"""footsim track (issue 15): markers -> poses -> contact layer, checked against the plate."""

import dataclasses
import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.cli import main
from sim.errors import InputError
from sim.model import contact_model
from sim.runner import run_stance
from sim.scenario import load_scenario, to_toml
from sim.tracking.markers import foot_markers, map_landmarks, read_trc, write_trc
from sim.tracking.poses import kabsch

from track_synthetic import write_run_as_c3d

pytest.importorskip("ezc3d")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A forward-dynamics run of the forefoot scenario, written as a C3D trial."""
    folder = tmp_path_factory.mktemp("track")
    scenario = load_scenario("scenarios/forefoot_barefoot.toml", overrides=["numerics.mesh_spacing_mm=6", "numerics.dt_s=2e-4"])
    result = run_stance(scenario)
    path = folder / "run.c3d"
    pad_s = write_run_as_c3d(path, result, contact_model(scenario))
    scenario_file = folder / "scenario.toml"
    scenario_file.write_text(to_toml(scenario))
    r = scenario["runner"]
    args = [str(path), "--scenario", str(scenario_file), "--mass", str(r["body_mass_kg"]), "--height",
            str(r["height_m"]), "--foot-length", repr(r["foot_length_m"]), "--standing-frame", "0",
            "--marker-cutoff", "0", "--force-cutoff", "0"]
    return dict(folder=folder, path=path, result=result, scenario=scenario, pad_s=pad_s, args=args)


def _track_json(synthetic, *extra):
    out = synthetic["folder"] / f"out{len(extra)}"
    if not (out / "t.json").is_file():  # one tracking per set of options in this module
        assert main(["track", *synthetic["args"], "--out", str(out), "--json", str(out / "t.json"), *extra]) == 0
    return json.loads((out / "t.json").read_text())


def test_track__round_trip_recovers_the_runs_grf_and_peak_pressure(synthetic):
    import h5py

    document = _track_json(synthetic)
    assert document["vertical"] == "recorded"
    (stance,) = document["stances"]
    contract = {"side", "touchdown_s", "toe_off_s", "cop_ap_rms_m", "cop_ml_rms_m", "vertical_rms_bw", "ap_rms_bw",
                "ml_rms_bw", "braking_impulse_bw_s", "propulsive_impulse_bw_s", "run_file"}
    assert contract <= set(stance) and stance["side"] == "right"
    assert set(stance["braking_impulse_bw_s"]) == {"model", "plate"}
    run = synthetic["result"]
    with h5py.File(stance["run_file"]) as f:
        time, grf, peak = f["time"][:], f["grf"][:], f["elements/peak_pressure_pa"][:]
        assert_allclose(f["recorded/grf"][:, 2], grf[:, 2], atol=0.1)  # Brent to 1e-8 m
    run_time = time + stance["touchdown_s"] - synthetic["pad_s"]
    truth = np.column_stack([np.interp(run_time, run.time_s - run.time_s[0], run.grf_n[:, k]) for k in range(3)])
    assert np.abs(grf - truth).max() < 0.02 * run.grf_n[:, 2].max()
    truth_peak = run.elements["peak_pressure_pa"]
    loaded = truth_peak > 0.05 * truth_peak.max()
    assert np.abs(peak[loaded] / truth_peak[loaded] - 1).max() < 0.05
    assert stance["cop_ap_rms_m"] < 1e-3 and stance["cop_ml_rms_m"] < 1e-3


def test_track__json_to_stdout_is_the_json_alone(synthetic, capsys):
    out = synthetic["folder"] / "stdout"
    assert main(["track", *synthetic["args"], "--out", str(out), "--json", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["vertical"] == "recorded" and len(document["stances"]) == 1


def test_track__mirrored_run_tracked_as_a_left_foot_gives_the_mirrored_forces(synthetic, tmp_path):
    import h5py

    path = tmp_path / "left.c3d"
    write_run_as_c3d(path, synthetic["result"], contact_model(synthetic["scenario"], "left"), side="left")
    out = tmp_path / "left"
    assert main(["track", str(path), *synthetic["args"][1:], "--out", str(out), "--json", str(out / "t.json")]) == 0
    (left,) = json.loads((out / "t.json").read_text())["stances"]
    (right,) = _track_json(synthetic)["stances"]
    assert left["side"] == "left"
    with h5py.File(left["run_file"]) as f, h5py.File(right["run_file"]) as g:
        assert f["mesh"].attrs["side"] == "left"
        assert_allclose(f["grf"][:], g["grf"][:] * [1, -1, 1], atol=0.5)
        assert_allclose(f["free_moment"][:], -g["free_moment"][:], atol=0.05)
        assert_allclose(f["elements/peak_pressure_pa"][:], g["elements/peak_pressure_pa"][:], rtol=1e-3, atol=10.0)


def test_track__markers_mode_finds_no_offset_when_the_markers_are_exact(synthetic):
    (stance,) = _track_json(synthetic, "--vertical", "markers")["stances"]
    assert abs(stance["vertical_offset_mm"]["mean"]) < 0.05
    assert stance["vertical_rms_bw"] < 0.02


@pytest.mark.parametrize("case, extra, problem", [
    ("no_plate", {"with_plate": False}, "force platform"),
    ("units", {"units": "furlong"}, "unit 'furlong'"),
])
def test_track__bad_file_is_one_line_and_exit_2(synthetic, capsys, case, extra, problem):
    path = synthetic["folder"] / f"{case}.c3d"
    write_run_as_c3d(path, synthetic["result"], contact_model(synthetic["scenario"]), **extra)
    assert main(["track", str(path), *synthetic["args"][1:]]) == 2
    error = capsys.readouterr().err.strip()
    assert problem in error and "\n" not in error


def test_track__no_stance_is_one_line_and_exit_2(synthetic, capsys):
    path = synthetic["folder"] / "still.c3d"
    quiet = dataclasses.replace(synthetic["result"], grf_n=synthetic["result"].grf_n * 0.001)
    write_run_as_c3d(path, quiet, contact_model(synthetic["scenario"]))
    assert main(["track", str(path), *synthetic["args"][1:]]) == 2
    error = capsys.readouterr().err.strip()
    assert "no complete stance" in error and "\n" not in error


def test_track__missing_landmark_names_what_is_needed_and_what_the_file_has(synthetic, capsys):
    assert main(["track", *synthetic["args"], "--markers", "heel=R.Calcaneus"]) == 2
    error = capsys.readouterr().err.strip()
    assert "R.Calcaneus" in error and "R.MT1" in error and "--markers" in error and "\n" not in error


def test_track__trc_axes_it_cannot_tell_are_one_line_and_exit_2(synthetic, capsys, tmp_path):
    # a TRC turned upside down (about x): the feet hang below the floor, the vertical cannot be told
    markers, _ = read_trc(_synthetic_trc(synthetic, tmp_path))
    bad = tmp_path / "zup.trc"
    write_trc(bad, {k: v * [1, -1, -1] for k, v in markers.items()}, 1000.0)
    assert main(["track", str(bad), "--forces", str(synthetic["path"]), *synthetic["args"][1:], "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert "cannot tell the marker axes" in error and "\n" not in error


def _synthetic_trc(synthetic, tmp_path):
    from sim.trials import read_trial

    markers = read_trial(synthetic["path"]).meta["markers_m"]
    path = tmp_path / "run.trc"
    write_trc(path, markers, 1000.0)
    return path


def test_track__trc_with_plate_file_matches_the_c3d(synthetic, tmp_path):
    trc = _synthetic_trc(synthetic, tmp_path)
    out = tmp_path / "trc"
    assert main(["track", str(trc), "--forces", str(synthetic["path"]), *synthetic["args"][1:], "--out", str(out),
                 "--json", str(out / "t.json")]) == 0
    (stance,) = json.loads((out / "t.json").read_text())["stances"]
    (reference,) = _track_json(synthetic)["stances"]
    assert stance["ap_rms_bw"] == pytest.approx(reference["ap_rms_bw"], abs=1e-3)


def test_trc__write_and_read_back(tmp_path):
    rng = np.random.default_rng(1)
    markers = {"R.Heel.Bottom": rng.normal(size=(5, 3)), "R.MT1": rng.normal(size=(5, 3))}
    write_trc(tmp_path / "m.trc", markers, 200.0)
    back, rate = read_trc(tmp_path / "m.trc")
    assert rate == 200.0
    for name, xyz in markers.items():
        assert_allclose(back[name], xyz, atol=1e-6)


def test_kabsch__recovers_a_rigid_motion():
    from scipy.spatial.transform import Rotation

    rng = np.random.default_rng(2)
    reference = rng.normal(size=(4, 3))
    rotation = Rotation.random(6, random_state=3).as_matrix()
    shift = rng.normal(size=(6, 3))
    points = np.einsum("tij,mj->tmi", rotation, reference) + shift[:, None]
    fitted, position = kabsch(reference, points)
    assert_allclose(fitted, rotation, atol=1e-12)
    assert_allclose(position, shift, atol=1e-12)


def test_landmarks__plug_in_gait_names_and_overrides_map():
    track = {name: np.zeros((3, 3)) for name in ("LHEE", "LTOE", "LANK", "L_5th")}
    mapped = map_landmarks("trial.c3d", track, "left", {"mth5": "{S}_5th"})
    assert {k: v[0] for k, v in mapped.items()} == {"heel": "LHEE", "toe": "LTOE", "ankle_lateral": "LANK", "mth5": "L_5th"}
    with pytest.raises(InputError, match="needs landmark heel"):
        map_landmarks("trial.c3d", {"LHEE": np.zeros((3, 3))}, "left", {})


def test_landmarks__swapped_metatarsal_labels_are_noticed():
    # right foot heading +x: the medial side is +y; the file calls the medial marker MT5
    heel = np.zeros((4, 3))
    medial, lateral = heel + [0.2, 0.05, 0.0], heel + [0.18, -0.05, 0.0]
    foot = foot_markers("trial.c3d", {"R.Heel.Bottom": heel, "R.MT1": lateral, "R.MT5": medial}, 100.0, "right", {})
    assert_allclose(foot.positions_m["mth1"], medial)
    assert "swapped" in foot.notes[0]


@pytest.mark.usefixtures("shared_data")
def test_track__fukuchi_s001_right_stance_cop_within_the_issue_bounds(shared_data, tmp_path):
    path = shared_data / "running/fukuchi2017_S001/RBDS001runT35.c3d"
    # the right foot (its metatarsal labels are swapped in the file), coarse mesh and step for speed
    assert main(["track", str(path), "--side", "R", "--max-stances", "1", "--set", "footwear.preset=cushioned_trainer",
                 "--set", "numerics.mesh_spacing_mm=6", "--set", "numerics.dt_s=2e-4",
                 "--out", str(tmp_path), "--json", str(tmp_path / "s001.json")]) == 0
    document = json.loads((tmp_path / "s001.json").read_text())
    assert [s["side"] for s in document["stances"]] == ["right"]
    assert any("swapped" in note for note in document["notes"])
    for stance in document["stances"]:
        assert stance["cop_ap_rms_m"] < 0.025 and stance["cop_ml_rms_m"] < 0.015
        assert stance["vertical_rms_bw"] < 0.01


def test_body_mass__from_the_mean_vertical_force_over_whole_steps(tmp_path):
    from sim.trials import Trial
    from sim.tracking.track import TrackOptions, body_mass

    # alternating half-sine stances of 0.23 s every 0.35 s: mean Fz = peak * (2 / pi) * 0.23 / 0.35
    t = np.arange(0, 4.0, 1e-3)
    phase = (t % 0.35) / 0.23
    fz = np.where(phase < 1.0, 1800.0 * np.sin(np.pi * np.clip(phase, 0, 1)), 0.0)
    trial = Trial("steps", t, np.column_stack([0 * t, 0 * t, fz]), None, None, 1000.0,
                  meta={"stance_sides": ["R", "L"] * 6})
    notes = []
    mass = body_mass(tmp_path / "steps.c3d", TrackOptions(), trial, notes)
    assert mass == pytest.approx(1800.0 * 2 / np.pi * 0.23 / 0.35 / 9.81, rel=0.01)
    assert "mean vertical force" in notes[0]
    with pytest.raises(InputError, match="--mass"):
        body_mass(tmp_path / "one.c3d", TrackOptions(), dataclasses.replace(trial, meta={}), [])
