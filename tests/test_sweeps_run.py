"""Running sweeps (DESIGN 5.2, 8): the file xarray sees, the same numbers from a local pool, Dask and a
resumed run, SIGKILL at any moment, repair from the journal, failures recorded, foreign files refused.

Small sweeps with numerics.dt_s = 2e-4 and an 8 mm mesh keep the file to well under two minutes on 2 cores.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

from sim.cli import main
from sim.model import mesh_for
from sim.runner import run_stance
from sim.sweeps import load_sweep
from sim.sweeps.journal import Journal, journal_path
from sim.sweeps.layout import STATUS_DONE, STATUS_FAILED
from sim.sweeps.progress import Progress

FAST = "[base.numerics]\ndt_s = 2e-4\nmesh_spacing_mm = 8\n"
GRID = 'name = "grid"\n' + FAST + """
[axes]
"strike.pattern" = ["rearfoot", "forefoot"]
"strike.toe_out_deg" = { start = 0.0, stop = 40.0, num = 10 }
"strike.twist_deg" = { start = -10.0, stop = 20.0, num = 10 }
"""
N_GRID = 200


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def sweep_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim.cli", "sweep", *map(str, args)]


def variables(path: Path) -> dict[str, np.ndarray]:
    """Every variable except the report's, as arrays (attributes such as created_utc left out)."""
    out = {}
    with h5py.File(path, "r") as f:
        for name, ds in f.items():
            if not name.startswith("sobol"):
                out[name] = ds[()]
    return out


def assert_same_numbers(a: Path, b: Path) -> None:
    left, right = variables(a), variables(b)
    assert sorted(left) == sorted(right)
    for name in left:
        x, y = left[name], right[name]
        assert x.dtype == y.dtype and x.shape == y.shape, name
        if x.dtype == object:
            assert list(x.ravel()) == list(y.ravel()), f"{name} differs"
        else:
            assert x.tobytes() == y.tobytes(), f"{name} differs"


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """The grid sweep, uninterrupted, on the local process pool (2 workers)."""
    folder = tmp_path_factory.mktemp("grid")
    path = write(folder, "grid", GRID)
    out = folder / "grid.h5"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "2"]) == 0
    return path, out


def test_sweep__xarray_sees_dims_coords_and_units(grid):
    path, out = grid
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.sizes["scenario"] == N_GRID and ds.sizes["region"] == 11
        assert ds.sizes["element"] == mesh_for(load_sweep(path).resolved(0)).n_elements
        for axis in ("strike.pattern", "strike.toe_out_deg", "strike.twist_deg", "scenario_id"):
            assert axis in ds.coords and ds[axis].dims == ("scenario",)
        assert list(ds.scenario_id.values) == list(load_sweep(path).ids)
        assert ds["strike.toe_out_deg"].attrs["units"] == "degree"
        assert ds.heel_posterolateral_peak_shear_kpa.attrs["units"] == "kPa"
        assert ds.loading_rate_bw_s.attrs["units"] == "BW/s"
        assert ds.element_peak_pressure_pa.dims == ("scenario", "element")
        assert ds.element_peak_pressure_pa.attrs["units"] == "Pa"
        assert ds.region_peak_shear_stress_pa.dims == ("scenario", "region")
        assert ds.region.values[0] == "heel_posterolateral"
        assert ds.status.dtype == np.int8 and np.all(ds.status.values == STATUS_DONE)
        assert ds.attrs["sweep_toml"] == path.read_text() and ds.attrs["footsim_version"]
        rows = ds.set_index(scenario=["strike.pattern", "strike.toe_out_deg", "strike.twist_deg"]).unstack("scenario")
        assert rows.active_peak_bw.shape == (2, 10, 10)
    with h5py.File(out, "r") as f:
        assert f["element_peak_pressure_pa"].compression == "gzip" and f["element_peak_pressure_pa"].shuffle


def test_sweep__row_is_the_run_of_its_scenario(grid):
    path, out = grid
    index = 137
    result = run_stance(load_sweep(path).resolved(index))
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        row = ds.isel(scenario=index)
        for key, value in result.summary.items():
            assert row[key].item() == value or (np.isnan(value) and np.isnan(row[key].item())), key
        assert np.array_equal(row.element_peak_shear_stress_pa.values, result.elements["peak_shear_stress_pa"])
        assert row.outcome.item() == result.outcome


def test_sweep__dask_local_cluster_gives_the_local_pool_numbers(grid, tmp_path):
    from distributed import LocalCluster

    path, reference = grid
    out = tmp_path / "dask.h5"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main(["sweep", str(path), "--out", str(out), "--scheduler", cluster.scheduler_address]) == 0
    assert_same_numbers(reference, out)


def _journal_rows(out: Path) -> int:
    path = journal_path(out)
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM finished").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sweep__ctrl_c_and_sigkill_then_resume_match_uninterrupted_run(grid, tmp_path):
    path, reference = grid
    out = tmp_path / "killed.h5"
    for threshold, sig, status in ((15, signal.SIGINT, 130), (90, signal.SIGKILL, -signal.SIGKILL)):
        process = subprocess.Popen(sweep_cli(path, "--out", out, "--workers", "2", "--chunk-size", "5"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while _journal_rows(out) < threshold and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        process.send_signal(sig)
        _, err = process.communicate()
        assert process.returncode == status, f"the sweep was not interrupted as planned: {err}"
        assert threshold <= _journal_rows(out) < N_GRID
        if sig == signal.SIGINT:
            assert "interrupted" in err and err.count("\n") == 1
            journal = Journal(journal_path(out))
            assert journal.meta("hdf5_state") == "closed"
            journal.close()
    finished = subprocess.run(sweep_cli(path, "--out", out, "--workers", "2"), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.count("\n") == 2 and "rebuilt" in finished.stdout and f"{N_GRID} done" in finished.stdout
    assert "\r" not in finished.stderr  # on a pipe: no progress bar, only the final line
    assert_same_numbers(reference, out)
    journal = Journal(journal_path(out))
    rows, distinct = journal.counts()
    journal.close()
    assert rows == distinct == N_GRID  # nothing computed twice


def test_sweep__unreadable_file_rebuilt_from_journal(grid, tmp_path):
    path, reference = grid
    out = tmp_path / "repaired.h5"
    shutil.copy(journal_path(reference), journal_path(out))
    shutil.copy(reference, out)
    with open(out, "r+b") as handle:
        handle.truncate(out.stat().st_size // 2)
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 0
    assert_same_numbers(reference, out)
    assert Journal(journal_path(out)).counts() == (N_GRID, N_GRID)


def test_sweep__file_not_closed_cleanly_rebuilt_from_journal(grid, tmp_path):
    path, reference = grid
    out = tmp_path / "unclean.h5"
    shutil.copy(journal_path(reference), journal_path(out))
    shutil.copy(reference, out)
    with h5py.File(out, "r+") as f:  # damage that leaves the statuses as the journal has them
        f["active_peak_bw"][40:60] = np.nan
        f["element_peak_pressure_pa"][50] = 0.0
    journal = Journal(journal_path(out))
    journal.set_hdf5_state("writing")
    journal.close()
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 0
    assert_same_numbers(reference, out)


def test_sweep__rows_disagreeing_with_journal_rebuilt(grid, tmp_path, capsys):
    path, reference = grid
    out = tmp_path / "disagree.h5"
    shutil.copy(journal_path(reference), journal_path(out))
    shutil.copy(reference, out)
    with h5py.File(out, "r+") as f:
        f["status"][40:60] = 0
        f["active_peak_bw"][40:60] = np.nan
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 0
    assert "20 rows disagree with the journal" in capsys.readouterr().out
    assert_same_numbers(reference, out)


FAILING = 'name = "failing"\n' + FAST + """
[axes]
"tissue.e0_pa" = [1e3, 210e3]
"tissue.mu_kinetic" = [0.5, 0.9]
"""


def test_sweep__failed_scenarios_recorded_and_sweep_goes_on(tmp_path):
    path = write(tmp_path, "failing", FAILING)
    out = tmp_path / "failing.h5"
    out = tmp_path / "new" / "folder" / "failing.h5"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--timeseries"]) == 0
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert list(ds.status.values) == [STATUS_FAILED, STATUS_FAILED, STATUS_DONE, STATUS_FAILED]
        assert "through the pad" in ds.message.values[0]
        assert "mu_kinetic" in ds.message.values[1] and "mu_kinetic" in ds.message.values[3]
        assert ds.message.values[2] == "" and ds.outcome.values[2] == "toe-off"
        assert np.isnan(ds.active_peak_bw.values[0]) and np.isfinite(ds.active_peak_bw.values[2])
        assert ds.time.attrs["units"] == "s" and ds.grf_z.dims == ("scenario", "time")
        assert ds.grf_z.attrs["units"] == "N" and np.nanmax(ds.grf_z.values[2]) > 1000.0
        assert np.all(np.isnan(ds.grf_z.values[1]))


def test_sweep__foreign_file_refused_unless_overwrite(grid, tmp_path, capsys):
    path, reference = grid
    other = write(tmp_path, "other", 'name = "other"\n' + FAST + '[axes]\n"strike.toe_out_deg" = [5.0]\n')
    out = tmp_path / "taken.h5"
    shutil.copy(reference, out)
    shutil.copy(journal_path(reference), journal_path(out))
    assert main(["sweep", str(other), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'grid'" in err and "--overwrite" in err
    os.remove(journal_path(out))
    assert main(["sweep", str(other), "--out", str(out), "--workers", "1"]) == 2
    assert "holds sweep 'grid'" in capsys.readouterr().err
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"not hdf5")
    assert main(["sweep", str(other), "--out", str(junk), "--workers", "1"]) == 2
    assert "not a footsim sweep file" in capsys.readouterr().err
    holder = subprocess.Popen([sys.executable, "-c", f"import h5py, time; f = h5py.File({str(out)!r}, 'r+'); "
                               "print('open', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["sweep", str(other), "--out", str(out), "--workers", "1", "--overwrite"]) == 2
        assert "open for writing by another process" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert main(["sweep", str(other), "--out", str(out), "--workers", "1", "--overwrite"]) == 0
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.attrs["sweep_name"] == "other" and ds.sizes["scenario"] == 1


def test_encode_row__chunk_reads_back_through_hdf5_filters(tmp_path):
    from sim.sweeps.layout import GZIP_LEVEL, decode_row, encode_row

    rows = np.array([[0.0, -0.0, np.nan, np.inf, 1e-300, 3.5], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    with h5py.File(tmp_path / "rows.h5", "w") as f:
        ds = f.create_dataset("x", shape=rows.shape, dtype="f8", chunks=(1, 6), compression="gzip",
                              compression_opts=GZIP_LEVEL, shuffle=True)
        for k, row in enumerate(rows):
            ds.id.write_direct_chunk((k, 0), encode_row(row))
    with h5py.File(tmp_path / "rows.h5", "r") as f:
        assert f["x"][()].tobytes() == rows.tobytes()
    assert decode_row(encode_row(rows[0])).tobytes() == rows[0].tobytes()


def test_progress__bar_with_rate_and_time_left_on_a_terminal():
    class Terminal:
        text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    stream = Terminal()
    progress = Progress("demo", total=10, already=2, stream=stream)
    time.sleep(0.01)
    progress.update(4, 1)
    progress.close()
    assert "\rdemo [" in stream.text and "6/10" in stream.text and "/s" in stream.text
    assert "left" in stream.text and "1 failed" in stream.text


SOBOL = 'name = "small_sobol"\n' + FAST + """
[axes]
"strike.toe_out_deg" = { min = 0.0, max = 40.0 }
"surface.friction_scale" = { min = 0.6, max = 1.4 }
[design]
method = "sobol"
n = 8
"""


def test_report__curves_maps_and_sobol_indices_stored(grid, tmp_path, capsys):
    _, grid_file = grid
    grid_copy = tmp_path / "grid.h5"
    shutil.copy(grid_file, grid_copy)
    metrics = "--metrics=heel_posterolateral_peak_shear_kpa,active_peak_bw"
    assert main(["report", str(grid_copy), "--out", str(tmp_path / "grid_report"), metrics]) == 0
    names = {p.name for p in (tmp_path / "grid_report").iterdir()}
    assert {"response_strike.toe_out_deg.png", "response_strike.pattern.png", "plantar_all.png",
            "plantar_rearfoot.png", "plantar_forefoot.png"} <= names

    path = write(tmp_path, "small_sobol", SOBOL)
    out = tmp_path / "small_sobol.h5"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "2"]) == 0
    for _ in range(2):  # a second report replaces the stored indices
        assert main(["report", str(out), "--out", str(tmp_path / "sobol_report"), metrics]) == 0
    names = {p.name for p in (tmp_path / "sobol_report").iterdir()}
    assert {"sobol_bars.png", "sobol_total_heatmap.png", "sobol_indices.csv"} <= names
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        total = ds.sobol_total_order
        assert total.dims == ("sobol_metric", "sobol_parameter")
        assert list(ds.sobol_parameter.values) == ["strike.toe_out_deg", "surface.friction_scale"]
        n_used = dict(zip(ds.sobol_metric.values, ds.sobol_n_used.values))
        # a rearfoot striker's heel is down from the start: no heel touch in any run, nothing to apportion
        assert {m for m, n in n_used.items() if n != 8} == {"heel_touch_peak_bw", "heel_touch_time_s"}
        assert all(n_used[m] == 0 for m in ("heel_touch_peak_bw", "heel_touch_time_s"))
        heel = total.sel(sobol_metric="heel_posterolateral_peak_shear_kpa").values
        assert np.all(np.isfinite(heel)) and np.all(heel > -0.5) and np.all(heel < 1.5)
    assert "Sobol indices of heel_posterolateral_peak_shear_kpa" in capsys.readouterr().out


def test_report__refuses_a_single_run_file(tmp_path, capsys):
    single = tmp_path / "run.h5"
    with h5py.File(single, "w") as f:
        f.attrs["scenario"] = "name = 'x'"
    assert main(["report", str(single)]) == 2
    assert "not a footsim sweep file" in capsys.readouterr().err
