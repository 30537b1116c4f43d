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


def test_bench__reports_the_kernel_rate_and_its_ratio_to_the_plain_loop(quick_report):
    from benchmarks.run_all import markdown

    kernel, targets = quick_report["kernel"], quick_report["targets"]
    assert kernel["compiled_over_roofline"][-1] == pytest.approx(
        kernel["compiled_element_steps_per_s"][-1] / kernel["roofline_element_steps_per_s"][-1])
    assert targets["measured"]["compiled_element_steps_per_s_at_1000"] == kernel["compiled_element_steps_per_s"][-1]
    assert isinstance(targets["met"]["kernel_ge_60M_element_steps_per_s_at_1000"], bool)
    assert kernel["details"][-1]["roofline_matches_kernel_rel"] <= 1e-12
    headline = markdown(quick_report).split("\n")[4]
    rate = f"{kernel['compiled_element_steps_per_s'][-1] / 1e6:.1f} M element-steps/s"
    assert rate in headline and "of the plain loop" in headline and "stance" in headline


def test_bench__mujoco_is_null_or_has_figures(quick_report):
    mujoco = quick_report["mujoco"]
    if mujoco is None:
        assert "pip install" in quick_report["mujoco_note"]
    else:
        assert all(_positive_finite(v) for v in mujoco["s_per_contact_element_step"])


def test_roofline__plain_loop_matches_the_kernel_state_and_load_and_keeps_no_records():
    """The roofline loop claims the kernel's arithmetic for barefoot elements: the same bristle,
    viscous strain, pressure, stress, bone point, flags and net load, step by step, through
    sticking, slipping, losing contact and touching down again; and no records."""
    import numpy as np

    from benchmarks.bench_kernel import ROOFLINE_STATE
    from benchmarks.common import contact_arrays, default_scenario, flat_foot_motion, quat_matrices
    from benchmarks.roofline import minimal_step
    from sim.kernels import layout as L
    from sim.kernels.contact import advance_contact, new_contact_state
    from sim.model import mesh_for

    arrays = contact_arrays(mesh_for(default_scenario()))
    pos, quat, vel, omega = flat_foot_motion(arrays, 60, 1e-4, slide_m_s=0.5, twist_rad_s=5.0)
    pos[30:35, 2] += 0.05  # lifted clear, then down again
    rotations = quat_matrices(quat)
    fixed = [arrays[k] for k in ("position_m", "bone_m", "area_m2", "thickness_m", "tissue", "stack")]
    kernel, plain = new_contact_state(len(arrays["area_m2"])), new_contact_state(len(arrays["area_m2"]))
    kernel_load, plain_load = np.zeros(L.N_LOAD), np.zeros(L.N_LOAD)
    seen = set()
    for n in range(len(pos)):
        motion = (rotations[n], pos[n], vel[n], omega[n], 1e-4)
        advance_contact(*fixed, *motion, *kernel, kernel_load)
        minimal_step(*fixed, *motion, *plain, plain_load)
        np.testing.assert_allclose(plain[0][:, ROOFLINE_STATE], kernel[0][:, ROOFLINE_STATE], rtol=1e-12, atol=0)
        np.testing.assert_array_equal(plain[1], kernel[1])
        np.testing.assert_allclose(plain_load, kernel_load, rtol=1e-12, atol=1e-12 * abs(kernel_load).max())
        touching = kernel[1][:, L.IN_CONTACT] != 0
        seen.update({"contact"} if touching.any() else {"lifted"})
        seen.update({"slip"} if (touching & (kernel[1][:, L.STICKING] == 0)).any() else set())
    assert seen == {"contact", "lifted", "slip"}
    assert not plain[2].any()
