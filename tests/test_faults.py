"""Fault tests for sweeps (issue 10, item 3): the main process SIGKILLed at random moments several times
in a row, a pool worker killed mid-task, a Dask worker lost mid-sweep, a full disk, two processes on one
file, truncated HDF5 given to `footsim report`. Each ends with a readable file, identical to an
uninterrupted run, every scenario in the journal once (nothing lost, nothing computed twice).

Foreign files refused unless --overwrite, a file another process holds and the rebuild of a damaged file
from the journal are tested in test_sweeps_run.py; this file does not repeat them.
A tiny grid (80 scenarios, numerics.dt_s = 2e-4, 8 mm mesh) keeps the whole file near a minute on 2 cores.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
import xarray as xr

from sim.cli import main
from sim.sweeps.journal import Journal, journal_path
from sim.sweeps.layout import STATUS_DONE
from test_sweeps_run import _journal_rows, assert_same_numbers, sweep_cli

GRID = """name = "faults"
[base.numerics]
dt_s = 2e-4
mesh_spacing_mm = 8

[axes]
"strike.pattern" = ["rearfoot", "forefoot"]
"strike.toe_out_deg" = { start = 0.0, stop = 40.0, num = 8 }
"strike.twist_deg" = { start = -10.0, stop = 20.0, num = 5 }
"""
N = 80
SEED = 20261125


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The sweep file and the uninterrupted run's output."""
    folder = tmp_path_factory.mktemp("faults")
    path = folder / "faults.toml"
    path.write_text(GRID)
    out = folder / "reference.h5"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "2"]) == 0
    return path, out


def _wait_for_rows(process: subprocess.Popen, out: Path, rows: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while _journal_rows(out) < rows and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, f"the sweep ended before {rows} scenarios were journaled: {process.communicate()}"
    assert _journal_rows(out) >= rows, "the sweep made no progress"


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _resume_and_check(path: Path, out: Path, reference: Path, *args: str) -> str:
    """Run the same command to the end; the file must be the uninterrupted run's, every scenario journaled once."""
    finished = subprocess.run(sweep_cli(path, "--out", out, "--workers", "2", *args), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert f"{N} done" in finished.stdout
    _check_complete(out, reference)
    return finished.stdout


def _check_complete(out: Path, reference: Path) -> None:
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.sizes["scenario"] == N and np.all(ds.status.values == STATUS_DONE)
    assert_same_numbers(reference, out)
    journal = Journal(journal_path(out))
    try:
        assert journal.counts() == (N, N)  # journal rows == distinct scenarios: nothing computed twice
    finally:
        journal.close()


def _pool_workers(pid: int) -> list[psutil.Process]:
    """The spawned process-pool workers of a `footsim sweep` (not multiprocessing's resource tracker)."""
    out = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "spawn_main" in cmd and "resource_tracker" not in cmd:
            out.append(child)
    return out


def test_sigkill_of_the_main_process_three_times_then_resume(reference, tmp_path):
    """Killed at seeded random moments (start-up, journal creation, building the file, mid-write), three times
    in a row; each time the pool workers end on their own; the fourth run completes the same file."""
    path, ref = reference
    out = tmp_path / "killed" / "faults.h5"
    rng = random.Random(SEED)
    kills = 0
    for _ in range(3):
        process = subprocess.Popen(sweep_cli(path, "--out", out, "--workers", "2", "--chunk-size", "4"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # within the first 1.5 s: start-up, journal, building the file, the first rows (a whole run takes ~2 s)
        deadline = time.monotonic() + rng.uniform(0.3, 1.5)
        children: list[psutil.Process] = []
        while time.monotonic() < deadline and process.poll() is None:
            try:
                children = psutil.Process(process.pid).children(recursive=True) or children
            except psutil.Error:
                pass
            time.sleep(0.02)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.communicate()
        _, alive = psutil.wait_procs(children, timeout=10)  # the workers' parent watchdog ends them
        assert not alive, f"orphaned workers still running: {alive}"
    assert kills >= 2, "the random delays let the sweep finish; the test did not test killing"
    assert _journal_rows(out) < N
    _resume_and_check(path, out, ref)
    assert not list(out.parent.glob(".*.partial"))


def test_pool_worker_killed_mid_task_then_resume(reference, tmp_path):
    path, ref = reference
    out = tmp_path / "worker.h5"
    process = subprocess.Popen(sweep_cli(path, "--out", out, "--workers", "2", "--chunk-size", "4"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_rows(process, out, 8)
    workers = _pool_workers(process.pid)
    assert len(workers) == 2, workers
    workers[0].send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    if process.returncode == 1:  # the pool breaks: one line saying so, the finished rows kept
        line = _one_line(err)
        assert "the workers failed (BrokenProcessPool" in line and "run the same command to resume" in line
        assert 8 <= _journal_rows(out) < N
        stdout = _resume_and_check(path, out, ref)
        assert "rebuilt" not in stdout  # a clean stop: the file was closed and agrees with the journal
    else:
        assert process.returncode == 0, err
        _check_complete(out, ref)


def test_dask_worker_lost_mid_sweep_completes(reference, tmp_path):
    """A Dask worker SIGKILLed while it computes: the scheduler hands its tasks to the other worker (and the
    nanny restarts it); the sweep completes with the same numbers and no scenario journaled twice."""
    from distributed import Client, LocalCluster

    path, ref = reference
    out = tmp_path / "dask.h5"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        process = subprocess.Popen(sweep_cli(path, "--out", out, "--scheduler", cluster.scheduler_address,
                                             "--chunk-size", "4"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for_rows(process, out, 8)
            pids = client.run(os.getpid)
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            _, err = process.communicate(timeout=180)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == 0, err
    _check_complete(out, ref)


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs mounted in tmp_path; yields (folder, resize(size)). Skips where mounting is not permitted."""
    folder = tmp_path / "small disk"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("disk-full test needs root to mount a small tmpfs (not root here)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({made.stderr.strip()}); disk-full behaviour untested")

    def resize(size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)

    try:
        yield folder, resize
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.mark.parametrize("size", ["100k", "300k"])  # 100k: the file's structure does not fit; 300k: a few rows do
def test_disk_full_fails_with_one_line_and_resumes_when_there_is_room(reference, small_disk, size):
    path, ref = reference
    folder, resize = small_disk
    resize(size)
    out = folder / "faults.h5"
    proc = subprocess.run(sweep_cli(path, "--out", out, "--workers", "2"), capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    line = _one_line(proc.stderr)
    assert "cannot write (no space left on device)" in line and "run the same command to resume" in line
    assert not list(folder.glob(".*.partial"))  # no half-built file
    if out.exists():  # what is left must not pass for a finished (or cleanly closed) sweep
        journal = Journal(journal_path(out))
        try:
            assert journal.meta("hdf5_state") == "writing" and journal.counts()[0] < N
        finally:
            journal.close()
    resize("50m")
    _resume_and_check(path, out, ref)


def test_disk_full_in_footsim_run_is_one_line_and_leaves_nothing(small_disk):
    """A single run's file is built in memory and written with plain file I/O: before, a full disk gave a
    traceback, a segmentation fault at exit and a `.partial` left behind."""
    folder, resize = small_disk
    resize("60k")
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "rearfoot_barefoot.toml"
    out = folder / "run.h5"
    command = [sys.executable, "-m", "sim.cli", "run", str(scenario), "--out", str(out), "--set", "numerics.dt_s=2e-4"]
    proc = subprocess.run(command, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "cannot write (no space left on device)" in _one_line(proc.stderr)
    assert list(folder.iterdir()) == []
    resize("5m")
    assert subprocess.run(command, capture_output=True).returncode == 0
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.grf.dims[1] == "axis" and np.isfinite(ds.grf.values).all()


def test_second_process_on_the_same_file_is_refused_and_the_first_completes(reference, tmp_path, capsys):
    """Two real `footsim sweep` processes on one file (the held-open case with a bare h5py holder is in
    test_sweeps_run.py): the second, in this process so that it starts at once, is refused and changes nothing."""
    path, ref = reference
    out = tmp_path / "shared.h5"
    first = subprocess.Popen(sweep_cli(path, "--out", out, "--workers", "1", "--chunk-size", "4"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_rows(first, out, 4)
    for overwrite in ([], ["--overwrite"]):
        assert main(["sweep", str(path), "--out", str(out), "--workers", "1", *overwrite]) == 2
        assert "another footsim sweep is writing it" in _one_line(capsys.readouterr().err)
        assert first.poll() is None, "the first sweep ended before the second was tried"
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    _check_complete(out, ref)


def test_two_sweeps_started_together_one_runs_the_other_is_refused(reference, tmp_path):
    """Started at the same moment on a new file, before either holds the HDF5 file open (HDF5's lock comes
    too late): without the lock beside the file both built it and both failed, one with a traceback."""
    path, ref = reference
    out = tmp_path / "race.h5"
    both = [subprocess.Popen(sweep_cli(path, "--out", out, "--workers", "1"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=180), p.communicate()[1]) for p in both]
    assert sorted(code for code, _ in results) == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert "another footsim sweep is writing it" in _one_line(refused)
    _check_complete(out, ref)


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "run.h5"
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "rearfoot_barefoot.toml"
    assert main(["run", str(scenario), "--out", str(out), "--set", "numerics.dt_s=2e-4"]) == 0
    return out


@pytest.mark.parametrize("kind", ["run", "sweep"])
@pytest.mark.parametrize("keep", [0.0, 0.001, 0.5, 0.999])
def test_report_on_a_truncated_file_is_one_line_and_exit_2(reference, run_file, tmp_path, capsys, kind, keep):
    source = run_file if kind == "run" else reference[1]
    cut = tmp_path / f"cut {kind}.h5"
    shutil.copy(source, cut)
    with open(cut, "r+b") as handle:
        handle.truncate(int(source.stat().st_size * keep))
    report = tmp_path / "report"
    assert main(["report", str(cut), "--out", str(report)]) == 2
    err = capsys.readouterr().err
    line = _one_line(err)
    assert str(cut) in line and "not a readable HDF5 file" in line, line
    assert "open for writing by another process" not in line  # HDF5's "sblock" is not a lock
    assert not report.exists()


def test_report_on_a_truncated_file_from_the_command_line(reference, tmp_path):
    cut = tmp_path / "cut.h5"
    shutil.copy(reference[1], cut)
    with open(cut, "r+b") as handle:
        handle.truncate(cut.stat().st_size // 3)
    proc = subprocess.run([sys.executable, "-m", "sim.cli", "report", str(cut)], capture_output=True, text=True)
    assert proc.returncode == 2 and "not a readable HDF5 file" in _one_line(proc.stderr)
    assert not (tmp_path / "cut_report").exists()
