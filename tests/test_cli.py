"""The command line contract (DESIGN 7): files, exit codes, one-line errors."""

import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from sim.cli import main
from sim.foot import REGION_NAMES

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_run__writes_the_design_layout_and_a_summary(tmp_path, capsys):
    out = tmp_path / "dir with spaces" / "résultat.h5"
    assert main(["run", str(SCENARIOS / "forefoot_toeout30_barefoot.toml"), "--out", str(out),
                 "--set", "numerics.dt_s=2e-4", "--plot", str(tmp_path / "plots")]) == 0
    text = capsys.readouterr().out
    assert "impact peak" in text and "worst shear region" in text
    with h5py.File(out) as f:
        assert "toe_out_deg = 30.0" in f.attrs["scenario"]
        assert f.attrs["footsim_version"]
        T = len(f["time"])
        assert f["grf"].shape == (T, 3) and f["cop"].shape == (T, 2)
        assert f["free_moment"].shape == (T,) and f["foot_pose"].shape == (T, 7)
        assert f["grf"].attrs["units"] == "N"
        E = len(f["mesh/x"])
        assert list(f["mesh/region"].attrs["names"]) == list(REGION_NAMES)
        for name in ("peak_pressure_pa", "peak_shear_stress_pa", "peak_shear_strain", "slip_distance_m",
                     "friction_work_j", "shear_time_integral_pa_s", "contact_time_s"):
            assert f[f"elements/{name}"].shape == (E,)
            assert f[f"regions/{name}"].shape == (len(REGION_NAMES),)
        for key in ("impact_peak_bw", "loading_rate_bw_s", "active_peak_bw", "stance_time_s",
                    "peak_free_moment_nm", "heel_posterolateral_peak_shear_kpa"):
            assert key in f["summary"]
        assert np.isfinite(f["grf"][:]).all()
    # pictures are named from the scenario and its overrides, like the default run file
    assert (tmp_path / "plots" / "forefoot_toeout30_barefoot__numerics.dt_s=2e-4_plantar.png").stat().st_size > 10_000
    assert not list(out.parent.glob(".*partial"))


def test_run__xarray_reads_the_run_file(tmp_path):
    xr = pytest.importorskip("xarray")
    out = tmp_path / "run.h5"
    assert main(["run", str(SCENARIOS / "rearfoot_barefoot.toml"), "--out", str(out), "--set", "numerics.dt_s=2e-4"]) == 0
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert ds["grf"].dims == ("time", "axis") and ds["grf"].attrs["units"] == "N"
    elements = xr.open_dataset(out, engine="h5netcdf", group="elements")
    assert elements["peak_shear_stress_pa"].dims == ("element",)
    regions = xr.open_dataset(out, engine="h5netcdf", group="regions")
    assert regions["peak_shear_stress_pa"].sizes["region"] == len(REGION_NAMES)


@pytest.mark.parametrize("args, message", [
    (["run", "missing.toml"], "cannot read scenario file"),
    (["run", "{scenario}", "--set", "runner.speed_m_s=99"], "allowed a number in [0.5, 10]"),
    (["run", "{scenario}", "--set", "runner.sped_m_s=3"], "closest known: 'runner.speed_m_s'"),
    (["mesh", "--spacing-mm", "0"], "allowed range is [2, 12] mm"),
])
def test_cli__bad_input_is_one_line_and_exit_status_2(args, message, tmp_path):
    args = [a.format(scenario=SCENARIOS / "rearfoot_barefoot.toml") for a in args]
    proc = subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.rglob("*.h5"))


def test_mesh__command_draws_the_regions(tmp_path, capsys):
    assert main(["mesh", "--plot", str(tmp_path / "mesh.png")]) == 0
    assert "heel_posterolateral" in capsys.readouterr().out
    assert (tmp_path / "mesh.png").stat().st_size > 10_000


def test_run__region_direction_is_the_direction_at_the_regions_peak_element(tmp_path):
    out = tmp_path / "run.h5"
    assert main(["run", str(SCENARIOS / "rearfoot_barefoot.toml"), "--out", str(out), "--set", "numerics.dt_s=2e-4"]) == 0
    with h5py.File(out) as f:
        region, shear = f["mesh/region"][:], f["elements/peak_shear_stress_pa"][:]
        for k in range(len(REGION_NAMES)):
            members = np.nonzero(region == k)[0]
            peak = members[np.argmax(shear[members])]
            for axis in ("x", "y"):
                assert f[f"regions/peak_shear_dir_{axis}"][k] == f[f"elements/peak_shear_dir_{axis}"][peak]
            assert np.hypot(f["regions/peak_shear_dir_x"][k], f["regions/peak_shear_dir_y"][k]) == pytest.approx(1.0)
