"""Robustness (issue 10): malformed and extreme input never gives a traceback, a silent NaN or a
partial file; a run that cannot be integrated says so, when, and what to change."""

import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import InputError
from sim.footwear import check_footwear
from sim.params import FOOTWEAR_LAYER_KEYS, PARAMETERS, SECTIONS
from sim.runner import SimulationError, run_stance
from sim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
KEYS = [p.name for p in PARAMETERS]

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12), st.booleans(),
    st.text(max_size=12), st.lists(st.integers(), max_size=3), st.none(),
)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


@st.composite
def scenario_texts(draw):
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(st.sampled_from(KEYS), st.text("abcdefghij_.", min_size=1, max_size=20)))
        value = draw(values)
        if value is None or "." not in key.strip("."):
            continue
        section, name = key.split(".", 1)
        if not section or not name or "." in name:
            continue
        lines.append(f"[{section}]\n{name} = {_toml_value(value)}")
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_texts())
def test_scenario__any_toml_is_accepted_or_rejected_with_an_input_error(text):
    try:
        scenario = load_scenario(text=text)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) < 400
        return
    for section in SECTIONS:  # accepted: every value finite and inside its range
        for key, value in scenario[section].items():
            if isinstance(value, float):
                assert math.isfinite(value), (section, key)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_scenario__binary_garbage_is_an_input_error(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        load_scenario(text=text)
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted({k.split(".")[0] for k in FOOTWEAR_LAYER_KEYS} | {"sole", "upper"})),
                       st.dictionaries(st.sampled_from(sorted({k.split(".")[1] for k in FOOTWEAR_LAYER_KEYS} | {"depth"})),
                                       values.filter(lambda v: v is not None), max_size=3), max_size=3))
def test_footwear__any_preset_is_accepted_or_rejected_with_an_input_error(raw):
    try:
        shoe = check_footwear(raw, "preset.toml")
    except InputError as exc:
        assert "preset.toml" in str(exc)
        return
    for key, value in shoe.values.items():
        assert FOOTWEAR_LAYER_KEYS[key].low <= value <= FOOTWEAR_LAYER_KEYS[key].high


def _footsim(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage\xff", b"[runner]\nbody_mass_kg = -5\n",
                                     b"[runner]\nbody_mass_kg = inf\n", b"[[[", "[strike]\ntoe_out_deg = 1e308\n".encode()])
def test_cli__bad_scenario_files_exit_2_with_one_line_and_no_output(tmp_path, content):
    path = tmp_path / "scénario with spaces.toml"
    path.write_bytes(content)
    out = tmp_path / "out.h5"
    proc = _footsim("run", str(path), "--out", str(out), "--set", "numerics.dt_s=2e-4", cwd=tmp_path)
    if content == b"":
        assert proc.returncode == 0 and out.exists()  # an empty file is the default scenario
        return
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_guard__a_pad_too_soft_for_the_load_stops_with_the_time_and_what_to_change():
    scenario = load_scenario(text="", overrides=["tissue.e0_pa=1e3", "tissue.exponent=0.5"])
    with pytest.raises(SimulationError, match=r"penetration through the pad .* at t = 0\.0\d+ s: .*tissue\.e0_pa.*"
                                              r"numerics\.dt_s = 2\.5e-05"):
        run_stance(scenario)


def test_guard__the_command_line_turns_a_failed_integration_into_exit_2(tmp_path):
    proc = _footsim("run", str(SCENARIOS / "rearfoot_barefoot.toml"), "--out", str(tmp_path / "x.h5"),
                    "--set", "tissue.e0_pa=1e3", "--set", "tissue.exponent=0.5", cwd=tmp_path)
    assert proc.returncode == 2 and "try numerics.dt_s" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.h5").exists()


def test_safety__scenario_files_are_data_not_code(tmp_path):
    marker = tmp_path / "pwned"
    text = f'name = "__import__(\'os\').system(\'touch {marker}\')"\n'
    scenario = load_scenario(text=text)
    run_stance(load_scenario(text=text, overrides=["numerics.dt_s=2e-4"]))
    assert scenario["name"].startswith("__import__") and not marker.exists()
