"""Bundled data (issue 16): presets and scenarios live once, inside the package; the checkout's
scenarios/ folder only links to them, so the two cannot drift apart."""

from pathlib import Path

import tomllib

from sim.bundled import footwear_dir, scenario_names, scenario_path
from sim.footwear import available_presets, load_footwear
from sim.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "sim"


def test_bundled_data__is_inside_the_package():
    assert footwear_dir().resolve().is_relative_to(PACKAGE.resolve())
    assert scenario_path("rearfoot_barefoot").resolve().is_relative_to(PACKAGE.resolve())
    assert {"rearfoot_barefoot", "forefoot_toeout30_barefoot", "walking_barefoot"} <= set(scenario_names())


def test_scenarios_folder__links_to_the_one_copy_inside_the_package():
    assert (REPO / "scenarios" / "footwear").resolve() == footwear_dir().resolve()
    for name in scenario_names():
        assert (REPO / "scenarios" / f"{name}.toml").resolve() == scenario_path(name).resolve(), name
    copies = [p for p in (REPO / "scenarios").rglob("*.toml")
              if not p.is_symlink() and not p.resolve().is_relative_to(PACKAGE.resolve())
              and p.stem in set(scenario_names()) | set(available_presets())]
    assert not copies, f"second copies of bundled files: {copies}"


def test_pyproject__packages_every_bundled_data_folder():
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["sim"]
    folders = {p.parent.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "data").rglob("*.toml")}
    assert {f"{folder}/*.toml" for folder in folders} <= set(package_data)


def test_preset__by_name_by_path_and_through_the_scenarios_link(tmp_path):
    by_name = load_footwear("racing_flat")
    by_path = load_footwear(str(REPO / "scenarios" / "footwear" / "racing_flat.toml"))
    assert by_name.values == by_path.values
    own = tmp_path / "my_shoe.toml"
    own.write_text((footwear_dir() / "racing_flat.toml").read_text().replace("e0_pa = 6.0e5", "e0_pa = 7.0e5"))
    assert load_scenario(text="", overrides=[f"footwear.preset={own}"])["footwear"]["midsole.e0_pa"] == 7.0e5
