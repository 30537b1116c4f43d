"""`footsim bench --quick --json`: the report has the keys of issue 6 and sane numbers.

A smoke test only: benchmarks measure, tests never assert wall-clock times (STYLE 7).
"""

import json
import math

import pytest

from sim.cli import main

KERNEL_KEYS = ("elements", "contact_fraction", "compiled_element_steps_per_s", "numpy_element_steps_per_s",
               "roofline_element_steps_per_s")
SCENARIO_KEYS = ("elements", "steps", "wall_s", "compile_cold_s", "compile_cached_s")


def _positive_finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "bench.json"
    assert main(["bench", "--quick", "--json", str(path)]) == 0
    return json.loads(path.read_text())


def test_bench__quick_json_has_the_issue_keys(quick_report):
    assert {"machine", "kernel", "scenario", "mujoco"} <= quick_report.keys()
    assert quick_report["machine"]["cpu"]
    assert set(KERNEL_KEYS) <= quick_report["kernel"].keys()
    assert set(SCENARIO_KEYS) <= quick_report["scenario"].keys()


def test_bench__kernel_figures_are_positive_and_finite_per_size(quick_report):
    kernel = quick_report["kernel"]
    sizes = len(kernel["elements"])
    assert sizes >= 1
    for key in KERNEL_KEYS:
        assert len(kernel[key]) == sizes, key
        assert all(_positive_finite(v) for v in kernel[key]), (key, kernel[key])
    assert all(0 < f <= 1 for f in kernel["contact_fraction"])


def test_bench__scenario_figures_are_positive_and_finite(quick_report):
    for key in SCENARIO_KEYS:
        assert _positive_finite(quick_report["scenario"][key]), (key, quick_report["scenario"][key])
    models = quick_report["scenario"]["foot_models"]
    assert _positive_finite(models["rigid_cpu_s"]) and _positive_finite(models["articulated_cpu_s"])


def test_bench__mujoco_is_null_or_has_figures(quick_report):
    mujoco = quick_report["mujoco"]
    if mujoco is None:
        assert "pip install" in quick_report["mujoco_note"]
    else:
        assert all(_positive_finite(v) for v in mujoco["s_per_contact_element_step"])
