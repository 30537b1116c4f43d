"""Every `footsim verify` case passes in the suite: the same functions, the same tolerances."""

import tomllib

import pytest

from sim.verify import cases as V


@pytest.mark.parametrize("case_fn", [V.static_load, V.torsion_full_slip, V.sliding_block, V.momentum_balance])
def test_verify__exact_case(case_fn):
    case = case_fn()
    assert case.passed, f"{case.name}: expected {case.expected}, measured {case.measured}, error {case.error}"


def test_verify__stick_below_limit_is_exact_and_slip_free():
    for case in V.stick_below_limit():
        assert case.passed, case


def test_verify__heel_drop_inside_kinoshita_spread():
    for case in V.heel_drop():
        assert case.passed, case


def test_verify__kinoshita_constants_match_the_published_table(shared_data):
    published = tomllib.loads((shared_data / "published.toml").read_text())["kinoshita1993"]["heel_drop"]
    for key, value in V.KINOSHITA_1993.items():
        assert published[key] == value, key


def test_verify__command_prints_every_case_and_exits_zero(capsys):
    from sim.cli import main

    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    from sim.verify import all_cases

    assert f"{len(all_cases())} passed, 0 failed" in out


@pytest.mark.parametrize("case_fn", ["energy_cycle", "pad_hysteresis", "stance_energy_balance", "mesh_convergence"])
def test_verify__tissue_law_v2_case(case_fn):
    from sim.verify import tissue

    for case in getattr(tissue, case_fn)():
        assert case.passed, f"{case.name}: expected {case.expected}, measured {case.measured} ({case.note})"
