"""The validation report (sim.validation.report) regenerated on a tiny subset of the bundled trials."""

import json
import tomllib

import pytest

from sim.validation.report import build


@pytest.fixture(scope="module")
def report(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    result = build(out, shared_data, workers=1, select=["rajagopal2016/grf_run_R", "s10_TN000001"])
    return out, result


def test_report__writes_markdown_json_and_small_pictures(report):
    out, result = report
    for name in ("README.md", "validation.json", "calibration.json"):
        assert (out / name).is_file()
    assert result["pictures"]
    for name in result["pictures"]:
        assert 0 < (out / name).stat().st_size < 150_000
        assert f"]({name})" in (out / "README.md").read_text()


def test_report__every_selected_trial_has_a_row_and_a_verdict(report):
    out, _ = report
    trials = {t["name"]: t for t in json.loads((out / "validation.json").read_text())["trials"]}
    assert set(trials) == {"rajagopal2016/grf_run_R", "baines2018_barefoot_s10/s10_TN000001"}
    assert trials["rajagopal2016/grf_run_R"]["role"] == "defaults"
    assert trials["rajagopal2016/grf_run_R"]["record"]["rms_bw"]["vertical"] > 0
    assert trials["baines2018_barefoot_s10/s10_TN000001"]["verdict"] == "not compared"
    assert "`rajagopal2016/grf_run_R`" in (out / "README.md").read_text()


def test_report__covers_every_published_entry_and_the_heel_drop(report, shared_data):
    out, _ = report
    published = tomllib.loads((shared_data / "published.toml").read_text())
    rows = json.loads((out / "validation.json").read_text())["published"]
    sources = {row["source"].split(".")[0] for row in rows}
    assert set(published) <= sources
    lieberman = {row["source"] for row in rows if row["source"].startswith("lieberman2010")}
    assert lieberman == {f"lieberman2010.{c}" for c in ("barefoot_rearfoot", "barefoot_forefoot", "shod_rearfoot")}
    assert all(row["verdict"] in ("pass", "fail", "input", "input (fail)", "needs footwear") for row in rows)
    heel_drop = [row for row in rows if row["source"] == "kinoshita1993.heel_drop"]
    assert len(heel_drop) == 3 and all(row["model"] is not None for row in heel_drop)


def test_report__no_calibration_without_a_calibration_trial(report):
    out, _ = report
    record = json.loads((out / "calibration.json").read_text())
    assert record["calibrations"] == [] and record["proposal"] is None


@pytest.fixture(scope="module")
def calibrated_report(shared_data, tmp_path_factory):
    """One calibration trial and one trial it predicts, for both foot models."""
    out = tmp_path_factory.mktemp("validation_calibrated")
    build(out, shared_data, workers=2, select=["hamner2013_s04/run300_grf_R", "hamner2013_s04/run400_grf_R"],
          max_nfev=4)
    return out


def test_report__the_articulated_foot_is_calibrated_and_predicts_beside_the_rigid(calibrated_report):
    out = calibrated_report
    fits = json.loads((out / "calibration.json").read_text())
    (rigid,), (articulated,) = fits["calibrations"], fits["articulated_calibrations"]
    assert rigid["foot_model"] == "rigid" and "foot.talocrural_stiffness_n_m_rad" not in rigid["parameters"]
    assert articulated["foot_model"] == "articulated"
    assert 300.0 <= articulated["parameters"]["foot.talocrural_stiffness_n_m_rad"] <= 450.0
    result = json.loads((out / "validation.json").read_text())
    (prediction,) = result["articulated_predictions"]
    assert prediction["name"] == "hamner2013_s04/run400_grf_R" and prediction["role"] == "prediction"
    assert prediction["record"]["parameters"]["foot.model"] == "articulated"
    assert prediction["record"]["rms_bw"]["vertical"] > 0
    readme = (out / "README.md").read_text()
    assert "## Calibration with the articulated foot" in readme and "Predictions with the articulated foot" in readme
