"""Scenario files (DESIGN 4.1): defaults, derived values, overrides, and errors a person can act on."""

import pytest

from sim.errors import InputError
from sim.params import PARAMETERS
from sim.scenario import load_scenario, to_toml


def test_scenario__empty_file_is_the_default_scenario():
    s = load_scenario(text="")
    for p in PARAMETERS:
        if p.is_footwear_layer:  # barefoot: no shoe, no shoe keys
            assert p.key not in s["footwear"]
        elif p.default is not None:
            assert s[p.section][p.key] == p.default
    assert s["runner"]["foot_length_m"] == pytest.approx(0.147 * 1.75)
    assert s["strike"]["foot_strike_angle_deg"] == 15.0


def test_scenario__pattern_sets_strike_angle_unless_given():
    assert load_scenario(text='[strike]\npattern = "forefoot"')["strike"]["foot_strike_angle_deg"] == -10.0
    s = load_scenario(text='[strike]\npattern = "forefoot"\nfoot_strike_angle_deg = -4.0')
    assert s["strike"]["foot_strike_angle_deg"] == -4.0


def test_scenario__set_overrides_the_file():
    s = load_scenario(text="[runner]\nspeed_m_s = 3.0", overrides=["runner.speed_m_s=4.5", "strike.pattern=midfoot"])
    assert s["runner"]["speed_m_s"] == 4.5 and s["strike"]["pattern"] == "midfoot"


def test_scenario__resolved_text_reads_back_identically():
    s = load_scenario(text='[strike]\npattern = "forefoot"\ntoe_out_deg = 30')
    assert load_scenario(text=to_toml(s)) == s


@pytest.mark.parametrize("text, message", [
    ("[runner]\nspeed_ms = 3.5", r"unknown key runner.speed_ms \(closest known: 'speed_m_s'\)"),
    ("[runnr]\nspeed_m_s = 3.5", r"unknown section \[runnr\] \(closest known: 'runner'\)"),
    ("[runner]\nspeed_m_s = -1.0", r"runner.speed_m_s = -1.0: allowed a number in \[0.5, 10\]"),
    ("[runner]\nspeed_m_s = nan", r"allowed a number in"),
    ("[runner]\nspeed_m_s = \"fast\"", r"allowed a number in"),
    ("[strike]\npattern = \"heel\"", r"allowed one of 'rearfoot', 'midfoot', 'forefoot'"),
    ("[tissue]\nmu_static = 0.5\nmu_kinetic = 0.6", r"mu_kinetic <= mu_static"),
    ("[tissue]\nmu_static = 4.0", r"\[0, 3\]"),
    ("[runner\n", r"not valid TOML"),
    ("runner = 3", r"\[runner\] must be a table"),
])
def test_scenario__bad_input_names_the_key_and_what_is_allowed(text, message):
    with pytest.raises(InputError, match=message):
        load_scenario(text=text)


def test_scenario__bad_override_names_the_key():
    with pytest.raises(InputError, match="closest known: 'strike.toe_out_deg'"):
        load_scenario(text="", overrides=["strike.toeout_deg=30"])
    with pytest.raises(InputError, match="expected section.key=value"):
        load_scenario(text="", overrides=["strike.toe_out_deg"])


def test_scenario__missing_or_binary_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_scenario(tmp_path / "nope.toml")
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\x00\xff\xfe\x81")
    with pytest.raises(InputError):
        load_scenario(garbage)
