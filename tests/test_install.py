"""A normal install (issue 16): a wheel built with `python -m build`, installed with pip into a fresh
virtual environment, run from a folder outside the repository, finds its presets and footwear keys."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import pytest

REPO = Path(__file__).resolve().parents[1]


def _call(*command, cwd, timeout=900):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing from the checkout
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_wheel__installed_footsim_runs_a_preset_with_a_footwear_key_outside_the_repository(tmp_path):
    source = tmp_path / "src"  # a clean copy, so the build leaves nothing in the checkout
    shutil.copytree(REPO / "sim", source / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    built = _call(sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", ".", cwd=source)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("footsim-*.whl"))
    # system site packages spare downloading numpy, numba, ...; footsim itself must come from the wheel
    venv = tmp_path / "venv"
    assert _call(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path).returncode == 0
    python, footsim = venv / "bin" / "python", venv / "bin" / "footsim"
    installed = _call(python, "-m", "pip", "install", "--no-deps", "--force-reinstall", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(REPO / "scenarios" / "rearfoot_barefoot.toml", work / "heel_striker.toml")
    where = _call(python, "-c", "import sim; print(sim.__file__)", cwd=work)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    run = _call(footsim, "run", "heel_striker.toml", "--set", "footwear.preset=cushioned_trainer",
                "--set", "footwear.midsole.e0_pa=4e5", "--set", "numerics.dt_s=2e-4", "--out", "shoe.h5", cwd=work)
    assert run.returncode == 0, run.stderr[-2000:]
    with h5py.File(work / "shoe.h5") as f:
        scenario = f.attrs["scenario"]
    assert 'preset = "cushioned_trainer"' in scenario and '"midsole.e0_pa" = 400000.0' in scenario

    unknown = _call(footsim, "run", "heel_striker.toml", "--set", "footwear.preset=moon_boots", cwd=work)
    assert unknown.returncode == 2 and "available: barefoot, bevelled_trainer, cushioned_trainer" in unknown.stderr
