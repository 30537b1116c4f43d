"""Footwear (DESIGN 3.5, issue 7): the layer stack, presets, and what a designer asks of them."""

import json
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.bundled import footwear_dir
from sim.footwear import available_presets, load_footwear
from sim.params import FOOTWEAR_LAYER_KEYS
from sim.runner import run_stance
from sim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FAST = ["numerics.dt_s=2e-4"]


def _run(preset, *overrides):
    return run_stance(load_scenario(text="", overrides=[*FAST, f"footwear.preset={preset}", *overrides]))


def test_presets__every_bundled_preset_loads_and_documents_its_keys():
    names = available_presets()
    assert {"barefoot", "minimal_sandal", "racing_flat", "cushioned_trainer", "bevelled_trainer", "sock_only"} <= set(names)
    for name in names:
        text = (footwear_dir() / f"{name}.toml").read_text()
        assert text.startswith("#"), f"{name}: the preset should say what it is"
        load_footwear(name)


def test_empty_stack__reproduces_barefoot_exactly(tmp_path):
    empty = tmp_path / "nothing.toml"
    empty.write_text("# no layers at all\n")
    a, b = _run("barefoot"), _run(str(empty))
    assert np.array_equal(a.grf_n, b.grf_n)
    for name in a.elements:
        assert np.array_equal(a.elements[name], b.elements[name]), name


@pytest.mark.parametrize("foot", ["rigid", "articulated"])
def test_cushioned_shoe__rearfoot_impact_and_loading_rate_fall_towards_liebermans_shod_values(foot):
    shod_impact, shod_rate = 1.74, 69.7  # Lieberman et al. 2010, shod rearfoot (published.toml)
    barefoot, shoe = _run("barefoot", f"foot.model={foot}"), _run("cushioned_trainer", f"foot.model={foot}")
    for key, target in (("impact_peak_bw", shod_impact), ("loading_rate_bw_s", shod_rate)):
        assert shoe.summary[key] < barefoot.summary[key]
        assert abs(shoe.summary[key] - target) < abs(barefoot.summary[key] - target)
    assert shoe.summary["impact_peak_bw"] == pytest.approx(shod_impact, abs=0.45)  # inside Lieberman's SD


def _preset(tmp_path, name, mu_skin=0.6, **geometry):
    """The cushioned trainer with another insole friction, no counter grip, and geometry changes."""
    text = (footwear_dir() / "cushioned_trainer.toml").read_text()
    text = text.replace("mu_skin = 0.6", f"mu_skin = {mu_skin}").replace("heel_counter_grip = 1.5", "heel_counter_grip = 1.0")
    for key, value in geometry.items():
        text = text.replace(f"{key} = ", f"{key} = {value} #", 1) if f"{key} = " in text else text + f"{key} = {value}\n"
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return str(path)


def test_insole_friction__a_binding_lower_friction_lowers_skin_shear_and_raises_skin_slip(tmp_path):
    # The friction limit caps the skin's shear only where it binds: at mid-stance heel pressures
    # (~400 kPa in this shoe) a skin-insole friction of 0.15 caps the shear below its elastic
    # peak (~55 kPa); between 0.25 and 1 the limit binds only at low pressure and the peak barely moves.
    grippy, slippery = _run(_preset(tmp_path, "grippy", 0.6)), _run(_preset(tmp_path, "slippery", 0.15))
    heel = grippy.mesh.region <= 3
    assert slippery.elements["peak_shear_stress_pa"][heel].max() < grippy.elements["peak_shear_stress_pa"][heel].max()
    assert slippery.elements["skin_slip_distance_m"][heel].sum() > 2 * grippy.elements["skin_slip_distance_m"][heel].sum()


def test_slip_records__say_which_interface_slipped(tmp_path):
    insole_slips = _run(_preset(tmp_path, "low_insole", 0.25))
    # mu_skin 0.25 < outsole 0.8: every slip of the stack is the skin sliding on the insole
    assert np.array_equal(insole_slips.elements["skin_slip_distance_m"], insole_slips.elements["slip_distance_m"])
    ground_slips = _run(_preset(tmp_path, "high_insole", 2.5))
    assert ground_slips.elements["skin_slip_distance_m"].sum() == 0.0
    assert ground_slips.elements["slip_distance_m"].sum() > 0.0


def _first_contact_x(result) -> float:
    """Where on the sole (foot-frame x of the COP, m) the ground is met first."""
    from sim.kernels.rotation import quat_to_matrix

    k = np.argmax(result.grf_n[:, 2] > 0.05 * result.body_weight_n)
    rot = np.zeros((3, 3))
    quat_to_matrix(result.foot_pose[k, 3:], rot)
    offset = np.array([*result.cop_m[k], 0.0]) - result.foot_pose[k, :3]
    return float((rot.T @ offset)[0])


@pytest.mark.parametrize("bevel", ["heel_bevel_radius_mm=40.0", "heel_bevel_deg=20.0"])
def test_bevel__moves_the_first_heel_contact_forward(tmp_path, bevel):
    square = _run(_preset(tmp_path, "square", heel_bevel_radius_mm=0.0, heel_flare_mm=0.0))
    bevelled = _run(_preset(tmp_path, "bevelled", heel_bevel_radius_mm=0.0, heel_flare_mm=0.0),
                    f"footwear.geometry.{bevel}")
    assert _first_contact_x(bevelled) > _first_contact_x(square) + 0.005


@pytest.mark.parametrize("text, message", [
    ("[midsole]\nheel_thickness_mm = -3", r"midsole.heel_thickness_mm = -3: allowed a number in \[0, 60\] mm"),
    ("[insole]\nmu_skin = 3.5", r"insole.mu_skin = 3.5: allowed a number in \[0, 3\]"),
    ("[outsole]\nmu_ground = nan", r"outsole.mu_ground = nan"),
    ("[heelcup]\ndepth_mm = 5", r"unknown layer \[heelcup\]"),
    ("[midsole]\nthicknes_mm = 5", r"unknown key midsole.thicknes_mm"),
    ("[midsole\n", r"not a readable footwear TOML"),
])
def test_bad_presets__are_rejected_with_the_key_and_the_range(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_footwear(str(path))


def test_unknown_preset_name__lists_the_available_presets():
    with pytest.raises(InputError, match="cushioned_trainer"):
        load_scenario(text='[footwear]\npreset = "moon_boots"')


def test_footwear_keys__carry_units_and_ranges():
    for key, p in FOOTWEAR_LAYER_KEYS.items():
        assert p.low <= p.default <= p.high and p.unit and p.meaning and p.name == f"footwear.{key}", key
    assert FOOTWEAR_LAYER_KEYS["midsole.e0_pa"].unit == "Pa"
    assert FOOTWEAR_LAYER_KEYS["geometry.heel_bevel_deg"].unit == "degree"


def test_scenario_keys__override_the_preset_in_every_spelling():
    preset = load_scenario(text='[footwear]\npreset = "cushioned_trainer"')["footwear"]
    assert preset["midsole.e0_pa"] == 3.0e5 and preset["geometry.heel_flare_mm"] == 8.0
    assert preset["geometry.heel_bevel_deg"] == FOOTWEAR_LAYER_KEYS["geometry.heel_bevel_deg"].default
    for text, overrides in (('[footwear]\npreset = "cushioned_trainer"\n[footwear.midsole]\ne0_pa = 4e5', []),
                            ('[footwear]\npreset = "cushioned_trainer"\n"midsole.e0_pa" = 4e5', []),
                            ('[footwear]\npreset = "cushioned_trainer"', ["footwear.midsole.e0_pa=4e5"]),
                            ("", ["footwear.preset=cushioned_trainer", "footwear.midsole.e0_pa=4e5"])):
        shoe = load_scenario(text=text, overrides=overrides)["footwear"]
        assert shoe == {**preset, "midsole.e0_pa": 4e5}, (text, overrides)


def test_scenario_keys__reach_the_layer_stack():
    soft, stiff = _run("cushioned_trainer", "footwear.midsole.e0_pa=1e5"), _run("cushioned_trainer", "footwear.midsole.e0_pa=1e6")
    assert soft.summary["loading_rate_bw_s"] < stiff.summary["loading_rate_bw_s"]


@pytest.mark.parametrize("override, message", [
    ("midsole.e0_pa=5e5", r"--set midsole.e0_pa: unknown key \(closest known: 'footwear.midsole.e0_pa'\)"),
    ("geometry.heel_bevel_deg=5", r"closest known: 'footwear.geometry.heel_bevel_deg'"),
    ("footwear.midsole.e0=5e5", r"--set footwear.midsole.e0: unknown key \(closest known: 'footwear.midsole.e0_pa'\)"),
])
def test_unknown_footwear_key__suggests_the_footwear_key(override, message):
    with pytest.raises(InputError, match=message):
        load_scenario(text='[footwear]\npreset = "cushioned_trainer"', overrides=[override])


def test_layer_table_outside_footwear__points_to_the_footwear_section():
    with pytest.raises(InputError, match=r"unknown section \[midsole\] \(closest known: 'footwear.midsole'\)"):
        load_scenario(text="[midsole]\ne0_pa = 5e5")


def test_resolved_shod_scenario__reads_back_identically():
    from sim.scenario import to_toml

    s = load_scenario(text="", overrides=["footwear.preset=racing_flat", "footwear.geometry.heel_bevel_deg=12"])
    assert load_scenario(text=to_toml(s)) == s


def test_compare__writes_table_json_and_difference_maps(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", str(SCENARIOS / "rearfoot_barefoot.toml"), "--footwear", "barefoot", "racing_flat",
                 "--strike", "rearfoot", "--set", "numerics.dt_s=2e-4", "--out", str(out)]) == 0
    rows = json.loads((out / "comparison.json").read_text())
    assert set(rows["rearfoot"]) == {"barefoot", "racing_flat"}
    assert rows["rearfoot"]["racing_flat"]["impact_peak_bw"] < rows["rearfoot"]["barefoot"]["impact_peak_bw"]
    assert (out / "difference_rearfoot.png").stat().st_size > 10_000
    assert "heel PL peak shear" in capsys.readouterr().out


def test_compare__presets_files_and_variants_side_by_side(tmp_path):
    own = tmp_path / "firm_flat.toml"
    own.write_text((footwear_dir() / "racing_flat.toml").read_text().replace("e0_pa = 6.0e5", "e0_pa = 1.2e6"))
    out, as_json = tmp_path / "cmp", tmp_path / "table.json"
    assert main(["compare", str(SCENARIOS / "rearfoot_barefoot.toml"), "--footwear", "cushioned_trainer", str(own),
                 "--variant", "soft:footwear.midsole.e0_pa=1e5", "--variant",
                 "soft_bevel:footwear.midsole.e0_pa=1e5,footwear.geometry.heel_bevel_deg=15",
                 "--strike", "rearfoot", "--set", "numerics.dt_s=2e-4", "--out", str(out), "--json", str(as_json)]) == 0
    rows = json.loads(as_json.read_text())["rearfoot"]
    assert list(rows) == ["cushioned_trainer", str(own), "soft", "soft_bevel"]
    # the variants are the baseline (the first preset) with a softer midsole: a slower loading rate
    assert rows["soft"]["loading_rate_bw_s"] < rows["cushioned_trainer"]["loading_rate_bw_s"]
    assert rows["soft_bevel"] != rows["soft"]


@pytest.mark.parametrize("args, says", [
    (["--variant", "soft"], "expected LABEL:KEY=VALUE"),
    (["--variant", "soft:midsole.e0_pa=2e5"], "closest known: 'footwear.midsole.e0_pa'"),
    (["--footwear", "barefoot", "--variant", "barefoot:footwear.midsole.e0_pa=2e5"], "label 'barefoot' is taken"),
    (["--variant", "soft:footwear.midsole.e0_pa=2e5"], "set footwear.preset to a shoe"),
    (["--footwear", "moon_boots"], "available: barefoot, bevelled_trainer"),
    ([], "give designs with --footwear"),
])
def test_compare__bad_designs_are_one_line_and_status_2(tmp_path, capsys, args, says):
    assert main(["compare", str(SCENARIOS / "rearfoot_barefoot.toml"), *args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1


@pytest.mark.parametrize("sets, says", [
    (["footwear.midsole.e0_pa=4e5"], "footwear.midsole.e0_pa = 400000.0: footwear.preset = 'barefoot' has no shoe "
                                     "layers; set footwear.preset to a shoe (bevelled_trainer, cushioned_trainer"),
    (["footwear.preset=cushioned_trainer", "footwear.geometry.heel_bevel_deg=50"],
     "footwear.geometry.heel_bevel_deg = 50.0: allowed a number in [0, 45] degree"),
    (["footwear.preset=cushioned_trainer", "footwear.geometry.heel_bevel_radius_mm=-5"],
     "footwear.geometry.heel_bevel_radius_mm = -5.0: allowed a number in [0, 200] mm"),
    (["footwear.preset=moon_boots"], "footwear.preset = 'moon_boots': no such preset; available: barefoot, "
                                     "bevelled_trainer, cushioned_trainer, minimal_sandal, racing_flat, sock_only"),
])
def test_run_command__bad_footwear_input_is_one_line_and_status_2(tmp_path, capsys, sets, says):
    args = [part for s in sets for part in ("--set", s)]
    assert main(["run", str(SCENARIOS / "rearfoot_barefoot.toml"), *args, "--out", str(tmp_path / "x.h5")]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1, err
    assert not (tmp_path / "x.h5").exists()
