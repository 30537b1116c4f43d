"""`footsim explain` and the origin case study (issue 8): names checked before anything runs, the
numbers of a report equal what its HDF5 files hold (recomputed here from the files with h5py),
the log-scale Sobol path recovers Ishigami's indices, a rerun resumes without computing.

Tiny studies with numerics.dt_s = 2e-4 and an 8 mm mesh keep the file under a minute and a half on 2 cores.
"""

import json
import math
import re
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr
from numpy.testing import assert_allclose

from sim.cli import main
from sim.errors import InputError
from sim.explain import check_region, parse_factors
from sim.explain.analysis import (LOG_FLOOR, indices_of, shear_direction, sobol_outputs, step_timing)
from sim.explain.origin_case import main as origin_main
from sim.explain.report import fmt
from sim.foot import REGION_NAMES
from sim.provenance import git_commit
from sim.sweeps import saltelli_design, saltelli_split, sobol_indices
from sim.sweeps.report import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE

REPO = Path(__file__).resolve().parents[1]
ORIGIN = REPO / "scenarios" / "forefoot_toeout30_barefoot.toml"
FAST = ["--set", "numerics.dt_s=2e-4", "--set", "numerics.mesh_spacing_mm=8"]
REGION = "heel_posterolateral"


# --- names and ranges -------------------------------------------------------------------------

def test_parse_factors__unknown_factor_names_the_closest():
    with pytest.raises(InputError, match="unknown factor 'toe_outt'.*closest known: 'toe_out'"):
        parse_factors("strike_angle,toe_outt")


def test_check_region__unknown_region_names_the_closest():
    with pytest.raises(InputError, match="closest known: 'heel_posterolateral'"):
        check_region("heel_posterolatral")
    assert check_region("hallux") == REGION_NAMES.index("hallux")


def test_parse_factors__ranges_in_shown_units_and_within_the_parameter():
    g0, twist, speed = parse_factors("g0=50:200,twist=-5:15,runner.speed_m_s=3:5")
    assert (g0.low, g0.high, g0.log) == (50e3, 200e3, True)
    assert (twist.low, twist.high) == (-5.0, 15.0)
    assert (speed.key, speed.low, speed.high) == ("runner.speed_m_s", 3.0, 5.0)
    for bad, message in (("twist=-50:10", r"allowed in \[-45, 45\]"), ("twist=5:5", "empty range"),
                         ("twist=5", "LOW:HIGH"), ("runner.speed_m_s", "no default range"),
                         ("toe_out,strike.toe_out_deg", "named twice")):
        with pytest.raises(InputError, match=message):
            parse_factors(bad)


def test_explain_cli__bad_names_exit_2_with_one_line(capsys, tmp_path):
    for args, word in ((["--region", "heel_posterolatral"], "heel_posterolateral"),
                       (["--region", REGION, "--factors", "twst"], "twist"),
                       (["--region", REGION, "--n", "6"], "power of 2")):
        assert main(["explain", str(ORIGIN), "--out", str(tmp_path / "x"), *args]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and word in err
    assert not (tmp_path / "x").exists()


# --- the computations on top of the sweeps ----------------------------------------------------

def _ishigami(x):
    a, b = 7.0, 0.1
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_log_sobol_outputs__recover_ishigami_indices_of_the_exponent():
    # A region metric exp(f / 4) on a Saltelli layout: its log10 output is f x log10(e) / 4, whose
    # indices are Ishigami's (Sobol' & Levitan 1999); the floor (1e-3 x median) never bites here.
    unit, _ = saltelli_design(3, 4096, seed=3)
    f = _ishigami(-np.pi + 2 * np.pi * unit)
    rows = len(f)
    ds = xr.Dataset({"status": ("scenario", np.ones(rows, dtype=np.int8))}
                    | {f"{REGION}_{s}": ("scenario", np.exp(f / 4)) for s in
                       ("peak_shear_kpa", "slip_mm", "friction_work_mj", "shear_time_integral_kpa_s")})
    outputs = sobol_outputs(ds, REGION)
    result = indices_of(outputs, 3)
    k = list(outputs).index("log10_friction_work_mj")
    v1, v2, v13 = 0.5 * (1 + 0.1 * np.pi**4 / 5) ** 2, 49 / 8, 0.01 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    assert_allclose(result.first_order[k], [v1 / v, v2 / v, 0.0], atol=0.04)
    assert_allclose(result.total_order[k], [(v1 + v13) / v, v2 / v, v13 / v], atol=0.04)
    raw = list(outputs).index("friction_work_mj")
    assert abs(result.first_order[raw, 1] - v2 / v) > 0.05  # the raw exp(f / 4) is another function


def test_log_sobol_outputs__zero_raised_to_the_floor_and_failed_runs_stay_missing():
    values = np.array([0.0, 1.0, 2.0, 3.0, np.nan])
    status = np.array([1, 1, 1, 1, 2], dtype=np.int8)
    ds = xr.Dataset({"status": ("scenario", status)} | {f"{REGION}_{s}": ("scenario", values) for s in
                    ("peak_shear_kpa", "slip_mm", "friction_work_mj", "shear_time_integral_kpa_s")})
    out = sobol_outputs(ds, REGION)["log10_slip_mm"]
    assert_allclose(out[:4], np.log10([LOG_FLOOR * 2.0, 1.0, 2.0, 3.0]))
    assert np.isnan(out[4])


def test_step_timing__ballistic_flight_and_one_contact_per_stride():
    t = step_timing(0.25, 4.0, -0.49)
    assert_allclose(t["flight_time_s"], 2 * 0.49 / 9.81)
    assert_allclose(t["contacts_per_km"], 1000 / (2 * 4.0 * (0.25 + 2 * 0.49 / 9.81)))
    assert_allclose(t["cadence_steps_per_min"], 60 / t["step_time_s"])


def test_shear_direction__weighted_by_shear_in_the_foot_frame():
    d = shear_direction(np.array([3.0, 1.0]), np.array([1.0, 0.0]), np.array([0.0, -1.0]))
    assert_allclose(d["angle_deg"], math.degrees(math.atan2(-0.25, 0.75)))
    assert_allclose(d["resultant"], math.hypot(0.75, 0.25))
    assert math.isnan(shear_direction(np.zeros(2), np.zeros(2), np.zeros(2))["angle_deg"])


# --- a tiny study from the command line, checked against its files ---------------------------

def _record_from_file(f: h5py.File, index: int, speed: float, vz: float, toe_out: float) -> dict:
    """The region's numbers of one row, read and computed here independently of sim.explain.analysis."""
    mask = f["mesh_region"][:] == REGION_NAMES.index(REGION)
    el = {name: f[f"element_{name}"][index][mask] for name in
          ("peak_shear_stress_pa", "peak_shear_dir_x", "peak_shear_dir_y", "friction_work_j", "contact_time_s")}
    w = el["peak_shear_stress_pa"]
    with np.errstate(invalid="ignore"):  # a region that never touched has no direction
        mx, my = np.sum(w * el["peak_shear_dir_x"]) / np.sum(w), np.sum(w * el["peak_shear_dir_y"]) / np.sum(w)
    contacts = 1000.0 / (2 * speed * (f["stance_time_s"][index] + 2 * abs(vz) / 9.81))
    return {"peak_shear_kpa": f[f"{REGION}_peak_shear_kpa"][index], "slip_mm": f[f"{REGION}_slip_mm"][index],
            "friction_work_mj": f[f"{REGION}_friction_work_mj"][index],
            "peak_pressure_kpa": f[f"{REGION}_peak_pressure_kpa"][index],
            "angle_deg": math.degrees(math.atan2(my, mx)), "ground_angle_deg": math.degrees(math.atan2(my, mx)) - toe_out,
            "touched_fraction": np.mean(el["contact_time_s"] > 0),
            "region_friction_work_j_per_km": np.sum(el["friction_work_j"]) * contacts,
            "sti_per_km": f[f"{REGION}_shear_time_integral_kpa_s"][index] * contacts,
            "all_regions": {name: f[f"{name}_peak_shear_kpa"][index] for name in REGION_NAMES}}


def _number(value) -> float:
    return math.nan if value is None else value  # JSON keeps NaN (a region never touched) as null


def _assert_record(record: dict, expected: dict) -> None:
    for key in ("peak_shear_kpa", "slip_mm", "friction_work_mj", "peak_pressure_kpa", "touched_fraction"):
        assert_allclose(record[key], expected[key], rtol=1e-12, err_msg=key)
    for key in ("angle_deg", "ground_angle_deg"):
        assert_allclose(_number(record["direction"][key]), expected[key], rtol=1e-9, err_msg=key)
    assert_allclose(record["per_km"]["region_friction_work_j"], expected["region_friction_work_j_per_km"], rtol=1e-12)
    assert_allclose(record["per_km"]["peak_shear_time_integral_kpa_s"], expected["sti_per_km"], rtol=1e-12)
    for name, values in record["all_regions"].items():
        assert_allclose(values["peak_shear_kpa"], expected["all_regions"][name], rtol=1e-12, err_msg=name)


def _sobol_from_file(path: Path, n_axes: int) -> tuple[list[str], object]:
    """Indices recomputed from the file's rows: raw metrics, then log10 with the documented floor."""
    with h5py.File(path, "r") as f:
        done = f["status"][:] == 1
        raw = {s: np.where(done, f[f"{REGION}_{s}"][:], np.nan)
               for s in ("peak_shear_kpa", "slip_mm", "friction_work_mj", "shear_time_integral_kpa_s")}
    columns = dict(raw)
    for s in ("slip_mm", "friction_work_mj"):
        positive = raw[s][np.isfinite(raw[s]) & (raw[s] > 0)]
        columns["log10_" + s] = np.log10(np.maximum(raw[s], 1e-3 * np.median(positive)))
    f_a, f_b, f_ab = saltelli_split(np.stack(list(columns.values()), axis=1), n_axes)
    return list(columns), sobol_indices(f_a, f_b, f_ab, n_resamples=BOOTSTRAP_RESAMPLES,
                                        confidence_level=CONFIDENCE, seed=BOOTSTRAP_SEED)


def _check_study(folder: Path, numbers: dict) -> None:
    """Every number of a study's explain.json against its HDF5 files, and its report against its JSON."""
    study = numbers["study"]
    factors = study["factors"]
    speed, vz = 3.5, -0.45  # the origin scenario's (runner defaults)
    names, result = _sobol_from_file(folder / "data" / "sobol.h5", len(factors))
    with h5py.File(folder / "data" / "sobol.h5", "r") as f:
        stored = f["sobol_total_order"][:]
        stored_names = [m.decode() if isinstance(m, bytes) else m for m in f["sobol_metric"][:]]
        axes = f.attrs["axes"].split()
    assert stored_names == [f"{REGION}_{n}" for n in names]
    assert_allclose(stored, result.total_order, rtol=1e-12)
    report = (folder / "report.md").read_text()
    for k, name in enumerate(names):
        table = numbers["sobol"]["metrics"][name]
        assert table["n_used"] == result.n_used[k]
        for row in table["ranking"]:
            i = axes.index(row["key"])
            assert_allclose(row["first_order"], result.first_order[k, i], rtol=1e-12)
            assert_allclose(row["total_order"], result.total_order[k, i], rtol=1e-12)
            assert_allclose(row["total_order_interval"], result.total_order_interval[k, i], rtol=1e-12)
            cell = (f"{row['total_order']:.2f} [{row['total_order_interval'][0]:.2f}, "
                    f"{row['total_order_interval'][1]:.2f}]")
            assert f"| {row['factor']} |" in report and cell in report
    for factor in factors:
        curve = numbers["oat"][factor["name"]]
        with h5py.File(folder / "data" / f"oat_{factor['name']}.h5", "r") as f:
            values = f[factor["key"]][:]
            assert_allclose(curve["values"], values)
            assert factor["base"] in values
            toe_out = f["strike.toe_out_deg"][:] if "strike.toe_out_deg" in f else np.full(len(values), 30.0)
            for i, record in enumerate(curve["rows"]):
                _assert_record(record, _record_from_file(f, i, speed, vz, toe_out[i]))
    first = numbers["oat"][factors[0]["name"]]
    assert numbers["base"] == first["rows"][first["base_index"]]
    assert numbers["base_repeat_max_difference_kpa"] == 0.0
    assert f"| {fmt(numbers['base']['peak_shear_kpa'])} |" in report


@pytest.fixture(scope="module")
def tiny_study(tmp_path_factory):
    out = tmp_path_factory.mktemp("explain") / "study"
    args = ["explain", str(ORIGIN), "--region", REGION, "--factors", "toe_out,twist=-5:15", "--n", "4",
            "--oat-points", "3", "--out", str(out), "--workers", "2", *FAST]
    assert main(args) == 0
    return out, args


def test_explain_cli__tiny_study_numbers_match_its_hdf5_files(tiny_study):
    out, _ = tiny_study
    numbers = json.loads((out / "explain.json").read_text())
    assert numbers["sobol"]["done"] == numbers["sobol"]["scenarios"] == 4 * (2 + 2)
    assert [f["name"] for f in numbers["study"]["factors"]] == ["toe_out", "twist"]
    _check_study(out, numbers)
    for picture in ("maps_base.png", "maps_extremes.png", "oat_curves.png", "sobol_bars.png"):
        assert 0 < (out / picture).stat().st_size < 150_000
    assert (out / "sweeps" / "sobol.toml").read_text().count("[base.") >= 3  # the base scenario inline


def test_explain_cli__rerun_resumes_without_computing(tiny_study, capsys):
    out, args = tiny_study
    before = json.loads((out / "explain.json").read_text())
    assert main(args) == 0
    after = json.loads((out / "explain.json").read_text())
    assert after["timing"]["computed"] == 0 and after["timing"]["already"] == before["timing"]["computed"]
    assert after["sobol"] == before["sobol"] and after["oat"] == before["oat"]
    assert "0 scenarios computed" in capsys.readouterr().out


def test_explain_cli__another_study_in_the_same_folder_is_refused(tiny_study, capsys):
    out, args = tiny_study
    changed = [a if a != "4" else "8" for a in args]
    assert main(changed) == 2
    assert "--overwrite" in capsys.readouterr().err


# --- the origin case, regenerated small -------------------------------------------------------

def test_origin_case__small_regeneration_matches_its_files(tmp_path):
    out = tmp_path / "origin_case"
    assert origin_main(["--out", str(out), "--n", "4", "--oat-points", "2", "--factors", "toe_out",
                        "--workers", "2", *FAST]) == 0
    numbers = json.loads((out / "origin_case.json").read_text())
    for name in ("all_strikes", "forefoot_only"):
        study = numbers["studies"][name]
        assert study == json.loads((out / name / "explain.json").read_text())
        _check_study(out / name, study)
    assert numbers["studies"]["forefoot_only"]["study"]["factors"][0]["high"] == -2.0
    assert numbers["contrast"]["rearfoot_10_is_bundled_scenario"]
    rows = numbers["contrast"]["rows"]
    assert len(rows) == 2 * 4 * 3 * 3
    with h5py.File(out / "data" / "contrast.h5", "r") as f:
        for i, row in enumerate(rows):
            assert row["pattern"] == f["strike.pattern"][i].decode()
            _assert_record(row["record"], _record_from_file(f, i, 3.5, -0.45, row["toe_out_deg"]))
    readme = (out / "README.md").read_text()
    assert numbers["git_commit"] == git_commit() and f"Made at commit {numbers['git_commit']}." in readme
    origin = next(r["record"] for r in rows if (r["pattern"], r["toe_out_deg"], r["g0_pa"], r["friction_scale"])
                  == ("forefoot", 30.0, 100e3, 1.0))
    assert f"peak pressure is {fmt(origin['peak_pressure_kpa'])} kPa" in readme
    ratio = numbers["contrast"]["tissue_sensitivity"]["forefoot_0"]["peak shear stress"]
    assert_allclose(ratio["default"], origin["peak_shear_kpa"] / next(
        r["record"]["peak_shear_kpa"] for r in rows
        if (r["pattern"], r["toe_out_deg"], r["g0_pa"], r["friction_scale"]) == ("forefoot", 0.0, 100e3, 1.0)))
    for picture in re.findall(r"\]\(([^)]+\.png)\)", readme):
        assert 0 < (out / picture).stat().st_size < 150_000, picture


def test_explain_cli__few_points_print_a_warning(tiny_study, capsys):
    """`explain --n 8` printed first-order indices above total ones as if they were a ranking."""
    out, args = tiny_study
    assert main(args) == 0
    assert "warning: only 4 base points: the indices are rough estimates" in capsys.readouterr().out


def test_reliability_warnings__first_order_above_total_is_flagged():
    from sim.commands.explain import reliability_warnings

    table = {"n_used": 1024, "ranking": [{"factor": "toe_out", "first_order": 0.60, "total_order": 0.45},
                                         {"factor": "twist", "first_order": 0.10, "total_order": 0.11}]}
    (warning,) = reliability_warnings(table)
    assert "toe_out (S1 0.60 > ST 0.45)" in warning and "twist" not in warning
    table["ranking"][0]["first_order"] = 0.44
    assert reliability_warnings(table) == []
