"""Frames of a run (footsim run --frames) and their animation (footsim animate)."""

import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest

from sim.cli import main
from sim.frames import FRAME_VARIABLES, SLIPPING, read_frames
from sim.runner import run_stance
from sim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
ORIGIN = SCENARIOS / "forefoot_toeout30_barefoot.toml"
FAST = ["numerics.dt_s=2e-4", "numerics.mesh_spacing_mm=6"]


@pytest.fixture(scope="module", params=["rigid", "articulated"])
def origin(request):
    return load_scenario(ORIGIN, overrides=[*FAST, f"foot.model={request.param}"])


@pytest.fixture(scope="module")
def every_step(origin):
    return run_stance(origin, frame_rate_hz=1.0 / origin["numerics"]["dt_s"])


@pytest.fixture(scope="module")
def run_file(tmp_path_factory, origin):
    out = tmp_path_factory.mktemp("frames") / "origin.h5"
    overrides = [*FAST, f"foot.model={origin['foot']['model']}"]
    assert main(["run", str(ORIGIN), "--out", str(out), "--frames", *[w for s in overrides for w in ("--set", s)]]) == 0
    return out


def test_frames__stored_chunked_compressed_with_units_at_500_hz(run_file):
    with h5py.File(run_file) as f:
        n_elements, n_steps = len(f["mesh/x"]), len(f["time"])
        group = f["frames"]
        n_frames = len(group["time"])
        assert group.attrs["frame_rate_hz"] == pytest.approx(500.0)
        assert n_frames == -(-n_steps // 10)  # one frame every 10 steps of 0.2 ms, from the first
        assert np.allclose(group["time"][:], f["time"][::10])
        assert group["pressure"].shape == (n_frames, n_elements)
        assert group["shear_stress"].shape == (n_frames, n_elements, 2)
        assert group["contact_state"].shape == (n_frames, n_elements)
        for name in ("pressure", "shear_stress", "contact_state"):
            assert group[name].chunks is not None and group[name].compression == "gzip"
        for name, (unit, meaning) in FRAME_VARIABLES.items():
            assert group[name].attrs["units"] == unit and group[name].attrs["long_name"] == meaning
        assert set(np.unique(group["contact_state"][:])) <= {0, 1, 2}


def test_frames__xarray_names_the_dimensions(run_file):
    xr = pytest.importorskip("xarray")
    with xr.open_dataset(run_file, engine="h5netcdf", group="frames") as ds:
        assert ds["pressure"].dims == ("time", "element")
        assert ds["shear_stress"].dims == ("time", "element", "plane_axis")
        assert ds["pressure"].attrs["units"] == "Pa"


def test_frames__at_every_step_their_maxima_are_the_peak_records(every_step):
    frames, el = every_step.frames, every_step.elements
    assert np.array_equal(frames.pressure_pa.max(axis=0), el["peak_pressure_pa"])
    shear = np.linalg.norm(frames.shear_pa, axis=2)
    np.testing.assert_allclose(shear.max(axis=0), el["peak_shear_stress_pa"], rtol=1e-12, atol=1e-9)
    dt = every_step.scenario["numerics"]["dt_s"]
    np.testing.assert_allclose((frames.contact_state > 0).sum(axis=0) * dt, el["contact_time_s"], atol=1e-12)


def test_frames__element_stresses_add_up_to_the_ground_reaction_force(every_step):
    area = every_step.mesh.area_m2
    frames = every_step.frames
    np.testing.assert_allclose(frames.pressure_pa @ area, every_step.grf_n[:, 2], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(np.einsum("fec,e->fc", frames.shear_pa, area), every_step.grf_n[:, :2],
                               rtol=1e-12, atol=1e-9)


def test_frames__at_500_hz_the_peak_frame_is_within_the_sampling_of_the_peak_record(run_file, every_step):
    """A frame is a sample of the per-step history: never above the peak, and close to it where the
    pressure changes slowly against 2 ms."""
    frames = read_frames(run_file)
    peak = every_step.elements["peak_pressure_pa"]
    sampled = frames.pressure_pa.max(axis=0)
    assert np.all(sampled <= peak * (1 + 1e-12))
    loaded = peak > 0.1 * peak.max()
    assert np.all(sampled[loaded] >= 0.9 * peak[loaded])


def test_frames__do_not_change_the_stance_and_are_off_by_default(origin, every_step):
    plain = run_stance(origin)
    assert plain.frames is None
    assert np.array_equal(plain.grf_n, every_step.grf_n)
    for name, values in plain.elements.items():
        assert np.array_equal(values, every_step.elements[name]), name


@pytest.mark.parametrize("model", ["rigid", "articulated"])
def test_frames__kinematic_mode_keeps_them_too(model):
    scenario = load_scenario(text="", overrides=["numerics.mode=kinematic", *FAST, f"foot.model={model}"])
    result = run_stance(scenario, frame_rate_hz=1.0 / scenario["numerics"]["dt_s"])
    assert np.array_equal(result.frames.pressure_pa.max(axis=0), result.elements["peak_pressure_pa"])
    np.testing.assert_allclose(result.frames.pressure_pa @ result.mesh.area_m2, result.grf_n[:, 2], rtol=1e-12,
                               atol=1e-9)
    assert (result.frames.contact_state == SLIPPING).any()


@pytest.mark.parametrize("rate, message", [("0", "--frame-rate 0: allowed (0, 5000] Hz"),
                                           ("6000", "--frame-rate 6000: allowed (0, 5000] Hz")])
def test_frames__a_frame_rate_out_of_range_is_one_line(rate, message, tmp_path, capsys):
    out = tmp_path / "x.h5"
    assert main(["run", str(ORIGIN), "--out", str(out), "--frame-rate", rate, "--set", "numerics.dt_s=2e-4"]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_animate__writes_a_gif_of_the_frames(run_file, tmp_path, capsys):
    from PIL import Image

    out = tmp_path / "stance.gif"
    assert main(["animate", str(run_file), "--out", str(out), "--every", "8"]) == 0
    n_frames = len(read_frames(run_file).time_s)
    with Image.open(out) as gif:
        assert gif.n_frames == -(-n_frames // 8)
    assert "wrote" in capsys.readouterr().out


def test_animate__a_run_without_frames_or_a_bad_format_is_one_line(tmp_path, capsys):
    plain = tmp_path / "plain.h5"
    assert main(["run", str(ORIGIN), "--out", str(plain), "--set", "numerics.dt_s=2e-4"]) == 0
    capsys.readouterr()
    assert main(["animate", str(plain), "--out", str(tmp_path / "a.gif")]) == 2
    assert "no frames in this run file (write it with footsim run --frames)" in capsys.readouterr().err
    assert main(["animate", str(plain), "--out", str(tmp_path / "a.avi")]) == 2
    assert "allowed a .gif or .mp4 file" in capsys.readouterr().err
    if shutil.which("ffmpeg") is None:
        assert main(["animate", str(plain), "--out", str(tmp_path / "a.mp4")]) == 2
        assert "needs ffmpeg" in capsys.readouterr().err
