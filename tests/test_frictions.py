"""What a newcomer met with the exact command, each reproduced: file names, one-line errors, a
closed pipe, the data folder, region labels and log scales, wording."""

import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import h5py
import numpy as np
import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parents[1]
ORIGIN = REPO / "scenarios" / "forefoot_toeout30_barefoot.toml"
FAST = ["--set", "numerics.dt_s=2e-4", "--set", "numerics.mesh_spacing_mm=8"]


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_run__outputs_are_named_from_the_overrides_so_runs_do_not_replace_one_another(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for toe_out in ("30", "0"):
        assert main(["run", str(ORIGIN), *FAST, "--set", f"strike.toe_out_deg={toe_out}", "--plot", "plots"]) == 0
    stem = "forefoot_toeout30_barefoot__numerics.dt_s=2e-4__numerics.mesh_spacing_mm=8__strike.toe_out_deg="
    for toe_out in ("30", "0"):
        with h5py.File(tmp_path / "results" / f"{stem}{toe_out}.h5") as f:
            assert f"toe_out_deg = {float(toe_out)}" in f.attrs["scenario"]
        assert (tmp_path / "plots" / f"{stem}{toe_out}_plantar.png").exists()


def test_run__an_existing_file_is_refused_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "run.h5"
    assert main(["run", str(ORIGIN), *FAST, "--out", str(out)]) == 0
    before = out.stat().st_mtime_ns
    assert main(["run", str(ORIGIN), *FAST, "--out", str(out)]) == 2
    assert "exists; pass --overwrite to replace it" in one_line(capsys.readouterr().err)
    assert out.stat().st_mtime_ns == before
    assert main(["run", str(ORIGIN), *FAST, "--out", str(out), "--overwrite"]) == 0


@pytest.mark.parametrize("how", [["--name", "toe out 30"], ["--set", "name=toe out 30"]])
def test_run__name_or_set_name_names_the_run_and_its_file(how, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(ORIGIN), *FAST, *how]) == 0
    with h5py.File(tmp_path / "results" / "toe-out-30.h5") as f:
        assert 'name = "toe out 30"' in f.attrs["scenario"]


@pytest.mark.parametrize("args, message", [
    (["run", str(ORIGIN), "--plot", "afile"], "--plot afile: afile is a file, not a folder"),
    (["run", str(ORIGIN), "--out", "afile/y.h5"], "--out afile/y.h5: afile is a file, not a folder"),
    (["mesh", "--plot", "afile/mesh.png"], "--plot afile/mesh.png: afile is a file, not a folder"),
])
def test_cli__unwritable_outputs_are_one_line_before_any_work(args, message, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    proc = subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in one_line(proc.stderr)
    assert proc.stdout == ""  # refused before the stance ran


def test_mesh__plot_into_a_new_folder_makes_it(tmp_path):
    assert main(["mesh", "--plot", str(tmp_path / "nodir" / "mesh.png")]) == 0
    assert (tmp_path / "nodir" / "mesh.png").stat().st_size > 10_000


def test_cli__a_closed_pipe_ends_quietly():
    """`footsim mesh | head -1` ended in a BrokenPipeError traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "mesh"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=REPO)
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_validate__a_missing_data_folder_is_named_and_exit_2(tmp_path, capsys):
    missing = tmp_path / "no_data"
    for args in (["validate", "--list"], ["validate", "some_trial/name"]):
        assert main([*args, "--data", str(missing)]) == 2
        assert f"recorded data folder {missing} not found" in one_line(capsys.readouterr().err)


def test_validate__list_and_an_unknown_trial_name_the_folder_searched(shared_data, capsys):
    assert main(["validate", "--list", "--data", str(shared_data)]) == 0
    assert f"bundled trials in {shared_data.resolve()}:" in capsys.readouterr().out.splitlines()[0]
    assert main(["validate", "nobody/trial", "--data", str(shared_data)]) == 2
    assert f"nor a bundled trial name in {shared_data.resolve()}" in one_line(capsys.readouterr().err)


def test_origin_case__reports_no_impact_peak_but_its_heel_touch(tmp_path, capsys):
    """The origin scenario reported "impact peak 2.09 BW": its heel coming down at 30 % of stance."""
    out = tmp_path / "origin.h5"
    assert main(["run", str(ORIGIN), "--out", str(out)]) == 0
    assert re.search(r"impact peak \(first 25% of stance\)\s+nan", capsys.readouterr().out)
    with h5py.File(out) as f:
        assert np.isnan(f["summary/impact_peak_bw"][()])
        assert 1.5 < f["summary/heel_touch_peak_bw"][()] < 3.0  # the heel coming down (2.09 BW in v1)
        assert 0.25 * f["summary/stance_time_s"][()] < f["summary/heel_touch_time_s"][()]


def test_plantar_map__log_scale_and_region_labels():
    """One linear scale left the 60 kPa heel black beside a 2.4 MPa forefoot spot; regions had no names."""
    from matplotlib.colors import LogNorm

    from sim.foot import build_mesh
    from sim.plots import REGION_LABELS, plantar_map, plt

    mesh = build_mesh(foot_length_m=0.257, spacing_m=0.008)
    values = np.where(mesh.x > 0.1, 2400.0, 60.0)
    fig, ax = plt.subplots()
    squares = plantar_map(ax, mesh, values, "kPa", log=True)
    assert isinstance(squares.norm, LogNorm)
    heel, forefoot = squares.norm(60.0), squares.norm(2400.0)
    assert forefoot == pytest.approx(1.0) and heel > 0.3  # was 60 / 2400 = 0.025 on the linear scale
    assert {t.get_text() for t in ax.texts} == set(REGION_LABELS)
    plt.close(fig)


def _user_text_files():
    yield from (REPO / "sim").rglob("*.py")
    yield REPO / "README.md"
    yield from (REPO / "docs").glob("*.md")


def test_user_text__no_work_process_jargon():
    """Strings and docs said "Targets of issue 6" and "(issue 10)"."""
    jargon = re.compile(r"\bissue \d+", re.IGNORECASE)
    found = []
    for path in _user_text_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            tokens = tokenize.generate_tokens(io.StringIO(text).readline)
            text = "\n".join(t.string for t in tokens if t.type == tokenize.STRING)
        found += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in jargon.finditer(text)]
    assert found == []


def test_run_stem__many_overrides_end_in_a_hash_that_still_tells_runs_apart():
    from sim.commands.run import MAX_STEM, run_stem

    many = [f"runner.body_mass_kg={m}" for m in (60, 70)] + [f"strike.toe_out_deg={t}" for t in range(20)]
    a, b = run_stem("origin", many), run_stem("origin", many[:-1] + ["strike.toe_out_deg=21"])
    assert len(a) <= MAX_STEM and a.startswith("origin__") and a != b
    assert run_stem("origin", ["strike.toe_out_deg = 30"]) == "origin__strike.toe_out_deg=30"


def test_cli__an_unforeseen_file_error_is_still_one_line(tmp_path, capsys, monkeypatch):
    def refuse(mesh, path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("sim.plots.mesh_picture", refuse)
    assert main(["mesh", "--plot", str(tmp_path / "m.png")]) == 2
    assert f"{tmp_path / 'm.png'}: Permission denied" in one_line(capsys.readouterr().err)


def test_toe_out__a_forefoot_strikers_impact_peak_does_not_jump_on_at_20_deg():
    """In a toe-out sweep the heel touch became an "impact peak" from 20 deg on: a fake jump."""
    from sim.runner import run_stance
    from sim.scenario import load_scenario

    for toe_out in (10, 20, 40):
        scenario = load_scenario(ORIGIN, overrides=["numerics.dt_s=2e-4", f"strike.toe_out_deg={toe_out}"])
        summary = run_stance(scenario).summary
        assert np.isnan(summary["impact_peak_bw"]), toe_out
    assert np.isfinite(summary["heel_touch_peak_bw"])


def test_run__energy_prints_the_bookkeeping_and_it_balances(tmp_path, capsys):
    out = tmp_path / "rear.h5"
    assert main(["run", str(REPO / "scenarios" / "rearfoot_barefoot.toml"), "--out", str(out), "--energy"]) == 0
    text = capsys.readouterr().out
    assert "work done on the tissue by the foot" in text and "frictional work" in text
    with h5py.File(out) as f:
        residual = f["summary/energy_residual_fraction"][()]
        assert f["summary/energy_residual_fraction"].attrs["units"] == "1"
    assert abs(residual) < 0.01
