"""Sweep files (DESIGN 4.2): designs, stable ids, and bad files rejected with one-line messages."""

from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.sweeps import load_sweep

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "scenarios" / "sweeps"


def sweep(text: str):
    return load_sweep(text=text)


def rejected(text: str, path=None) -> str:
    with pytest.raises(InputError) as info:
        load_sweep(path, text=text) if path else load_sweep(text=text)
    message = str(info.value)
    assert "\n" not in message
    return message


GRID = """
name = "g"
[axes]
"strike.pattern" = ["rearfoot", "forefoot"]
"strike.toe_out_deg" = { start = 0.0, stop = 30.0, num = 6 }
"""


def test_load_sweep__grid_is_every_combination_last_axis_fastest():
    s = sweep(GRID)
    assert len(s) == 12
    assert list(s.columns["strike.pattern"]) == ["rearfoot"] * 6 + ["forefoot"] * 6
    assert list(s.columns["strike.toe_out_deg"]) == [0.0, 6.0, 12.0, 18.0, 24.0, 30.0] * 2
    assert s.overrides(7) == [("strike.pattern", "forefoot"), ("strike.toe_out_deg", 6.0)]
    assert s.resolved(7)["strike"]["toe_out_deg"] == 6.0
    assert s.resolved(7)["name"] == "g_07"


def test_load_sweep__ids_stable_and_unique():
    first, again = sweep(GRID), sweep(GRID + "\n# a comment changes nothing\n")
    assert first.ids == again.ids
    assert len(set(first.ids)) == len(first)
    assert first.fingerprint == again.fingerprint
    renamed = sweep(GRID.replace('"strike.toe_out_deg" = { start = 0.0, stop = 30.0, num = 6 }',
                                 '"strike.toe_out_deg" = { start = 0.0, stop = 35.0, num = 6 }'))
    assert renamed.ids[0] == first.ids[0] and renamed.ids[1] != first.ids[1]
    assert renamed.fingerprint != first.fingerprint


def test_load_sweep__quoted_dotted_and_table_axes_are_the_same_sweep():
    quoted = sweep('[axes]\n"strike.toe_out_deg" = [0.0, 10.0]\n"surface.friction_scale" = [1.0]\n')
    dotted = sweep("[axes]\nstrike.toe_out_deg = [0.0, 10.0]\nsurface.friction_scale = [1.0]\n")
    table = sweep("[axes.strike]\ntoe_out_deg = [0.0, 10.0]\n[axes.surface]\nfriction_scale = [1.0]\n")
    assert quoted.ids == dotted.ids == table.ids


def test_load_sweep__latin_hypercube_one_sample_per_stratum():
    s = sweep("""
[axes]
"strike.toe_out_deg" = { min = 0.0, max = 40.0 }
"tissue.g0_pa" = { min = 5e4, max = 5e5, scale = "log" }
"strike.pattern" = ["rearfoot", "midfoot", "forefoot"]
[design]
method = "latin_hypercube"
n = 30
seed = 3
""")
    assert len(s) == 30
    strata = np.floor(s.columns["strike.toe_out_deg"] / 40.0 * 30).astype(int)
    assert sorted(strata) == list(range(30))
    log_strata = np.floor(np.log(s.columns["tissue.g0_pa"] / 5e4) / np.log(10) * 30).astype(int)
    assert sorted(log_strata) == list(range(30))
    assert {str(p) for p in s.columns["strike.pattern"]} == {"rearfoot", "midfoot", "forefoot"}
    assert sweep(s.text).ids == s.ids
    assert sweep(s.text.replace("seed = 3", "seed = 4")).ids != s.ids


def test_load_sweep__sobol_rows_in_saltelli_blocks():
    s = sweep("""
[axes]
"strike.toe_out_deg" = { min = 0.0, max = 40.0 }
"strike.twist_deg" = { min = -10.0, max = 20.0 }
"runner.overstride_m" = { min = 0.2, max = 0.45 }
[design]
method = "sobol"
n = 8
""")
    d, n = 3, 8
    assert len(s) == n * (d + 2)
    assert list(s.saltelli_block) == [b for b in range(d + 2) for _ in range(n)]
    x = np.stack([s.columns[a.name] for a in s.axes], axis=1)
    a, b = x[:n], x[n:2 * n]
    for i in range(d):
        ab = x[(2 + i) * n:(3 + i) * n]
        assert np.array_equal(ab[:, i], b[:, i])
        assert np.array_equal(np.delete(ab, i, axis=1), np.delete(a, i, axis=1))


def test_load_sweep__base_file_then_inline_sections(tmp_path):
    (tmp_path / "base.toml").write_text('[strike]\npattern = "forefoot"\ntoe_out_deg = 30.0\n[runner]\nbody_mass_kg = 60.0\n')
    path = tmp_path / "s.toml"
    path.write_text('[base]\nfile = "base.toml"\n[base.runner]\nbody_mass_kg = 80.0\n[axes]\n"strike.twist_deg" = [0.0, 10.0]\n')
    s = load_sweep(path)
    scenario = s.resolved(1)
    assert s.name == "s"
    assert scenario["strike"]["pattern"] == "forefoot" and scenario["strike"]["toe_out_deg"] == 30.0
    assert scenario["runner"]["body_mass_kg"] == 80.0 and scenario["strike"]["twist_deg"] == 10.0
    path.write_text('base = "base.toml"\n[axes]\n"strike.twist_deg" = [0.0]\n')
    assert load_sweep(path).resolved(0)["runner"]["body_mass_kg"] == 60.0


@pytest.mark.parametrize("name, count", [("toe_out_by_strike", 27), ("origin_factors", 1792)])
def test_load_sweep__bundled_sweeps_parse(name, count):
    s = load_sweep(BUNDLED / f"{name}.toml")
    assert len(s) == count
    s.resolved(0)


def test_load_sweep__unknown_axis_names_closest_key():
    message = rejected('[axes]\n"strike.toe_ot_deg" = [0.0, 10.0]\n')
    assert "strike.toe_ot_deg" in message and "closest known: 'strike.toe_out_deg'" in message


def test_load_sweep__a_cadence_axis_needs_the_imposed_cadence_of_the_steady_solve():
    axes = '[axes]\n"runner.cadence_steps_per_min" = [160.0, 180.0]\n'
    message = rejected(axes)
    assert "runner.cadence_steps_per_min" in message and "runner.impose_cadence = true" in message
    steady = sweep('[base.runner]\nsteady = true\nimpose_cadence = true\n' + axes)
    assert [steady.resolved(i)["runner"]["cadence_steps_per_min"] for i in range(2)] == [160.0, 180.0]


@pytest.mark.parametrize("axis, says", [
    ('{ start = 0.0, stop = 30.0, num = 0 }', "empty range"),
    ('{ start = 0.0, stop = 30.0, num = -2 }', "empty range"),
    ('[]', "empty list"),
    ('{ start = 10.0, stop = 10.0, num = 3 }', "would repeat"),
])
def test_load_sweep__empty_ranges_rejected(axis, says):
    assert says in rejected(f'[axes]\n"strike.toe_out_deg" = {axis}\n')


def test_load_sweep__empty_interval_rejected():
    message = rejected('[axes]\n"strike.toe_out_deg" = { min = 20.0, max = 20.0 }\n[design]\nmethod = "sobol"\nn = 8\n')
    assert "empty interval" in message and "min < max" in message


@pytest.mark.parametrize("n", ["0", "-4", "2.5", "true"])
def test_load_sweep__n_below_one_rejected(n):
    message = rejected(f'[axes]\n"strike.toe_out_deg" = {{ min = 0.0, max = 1.0 }}\n[design]\nmethod = "latin_hypercube"\nn = {n}\n')
    assert "n = " in message and "allowed a whole number >= 1" in message


def test_load_sweep__sobol_n_must_be_power_of_two():
    message = rejected('[axes]\n"strike.toe_out_deg" = { min = 0.0, max = 1.0 }\n[design]\nmethod = "sobol"\nn = 100\n')
    assert "power of 2" in message and "128" in message


def test_load_sweep__parameter_swept_twice_rejected():
    message = rejected('[axes]\n"strike.toe_out_deg" = [0.0]\nstrike.toe_out_deg = [10.0]\n')
    assert "strike.toe_out_deg is swept twice" in message


def test_load_sweep__axis_value_out_of_range_names_allowed_range():
    message = rejected('[axes]\n"strike.toe_out_deg" = [0.0, 70.0]\n')
    assert "strike.toe_out_deg = 70.0" in message and "[-20, 60]" in message
    message = rejected('[axes]\n"strike.toe_out_deg" = { start = 0.0, stop = 90.0, num = 4 }\n')
    assert "90.0" in message and "[-20, 60]" in message
    message = rejected('[axes]\n"strike.pattern" = ["rearfoot", "heel"]\n')
    assert "'heel'" in message and "'forefoot'" in message


@pytest.mark.parametrize("text, says", [
    ('[axes]\n"strike.toe_out_deg" = { min = 0.0, max = 1.0 }\n', "for latin_hypercube and sobol"),
    ('[axes]\n"strike.toe_out_deg" = { start = 0.0, stop = 1.0, num = 2 }\n[design]\nmethod = "sobol"\nn = 4\n',
     "samples { min, max }"),
    ('[axes]\n"strike.pattern" = { start = 0.0, stop = 1.0, num = 2 }\n', "swept over a list"),
    ('[axes]\n"strike.toe_out_deg" = [0.0, 0.0]\n', "listed twice"),
    ('[axes]\n"strike.toe_out_deg" = { start = 0.0, stop = 1.0, nun = 2 }\n', "closest known: 'num'"),
    ('[axes]\n"strike.toe_out_deg" = [0.0]\n[design]\nmethod = "sobel"\n', "allowed one of 'grid'"),
    ('[axes]\n"strike.toe_out_deg" = [0.0]\n[design]\nn = 4\n', "a grid takes every combination"),
    ('[axes]\n"strike.toe_out_deg" = [0.0]\n[design]\nmethod = "sobol"\nsed = 1\n', "closest known: 'seed'"),
    ('[axis]\n"strike.toe_out_deg" = [0.0]\n', "closest known: 'axes'"),
    ('name = "x"\n', "[axes] is missing or empty"),
    ('base = "nowhere.toml"\n[axes]\n"strike.toe_out_deg" = [0.0]\n', "cannot read"),
    ('[base.runner]\nbody_mas_kg = 70.0\n[axes]\n"strike.toe_out_deg" = [0.0]\n', "closest known: 'body_mass_kg'"),
    ('[axes\n', "not valid TOML"),
])
def test_load_sweep__bad_files_rejected(text, says):
    assert says in rejected(text)


def test_sweep_command__bad_file_is_one_line_and_status_2(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[axes]\n"strike.toe_ot_deg" = [0.0]\n')
    assert main(["sweep", str(path), "--out", str(tmp_path / "x.h5")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "strike.toe_out_deg" in err
    assert not (tmp_path / "x.h5").exists()


FOOTWEAR_BASE = '[base.footwear]\npreset = "cushioned_trainer"\n'


def test_load_sweep__footwear_key_is_an_axis_in_every_spelling():
    quoted = sweep(f'{FOOTWEAR_BASE}[axes]\n"footwear.midsole.e0_pa" = {{ start = 1e5, stop = 1e6, num = 4 }}\n')
    dotted = sweep(f'{FOOTWEAR_BASE}[axes]\nfootwear.midsole.e0_pa = {{ start = 1e5, stop = 1e6, num = 4 }}\n')
    table = sweep(f'{FOOTWEAR_BASE}[axes.footwear.midsole]\ne0_pa = {{ start = 1e5, stop = 1e6, num = 4 }}\n')
    for s in (quoted, dotted, table):
        assert [a.name for a in s.axes] == ["footwear.midsole.e0_pa"]
        assert s.ids == quoted.ids
    assert [quoted.resolved(i)["footwear"]["midsole.e0_pa"] for i in range(4)] == [1e5, 4e5, 7e5, 1e6]


def test_load_sweep__footwear_axis_without_its_section_suggests_the_footwear_key():
    says = rejected('[axes]\n"midsole.e0_pa" = [1e5, 2e5]\n')
    assert "closest known: 'footwear.midsole.e0_pa'" in says
