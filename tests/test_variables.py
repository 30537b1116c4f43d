"""The one registry of outputs (sim/variables.py): it covers every kernel record, every stored
variable carries its units and meaning, and the documentation is generated from it."""

from pathlib import Path

import h5py
import pytest

from sim.foot import REGION_NAMES
from sim.kernels import layout
from sim.outputs import write_run
from sim.runner import run_stance
from sim.scenario import load_scenario
from sim.sweeps.layout import Layout
from sim.variables import DERIVED_ELEMENTS, ELEMENT_RECORDS, GRF_METRICS, SUMMARY, variables_document

DOC = Path(__file__).resolve().parents[1] / "docs" / "variables.md"


def test_variables__every_kernel_record_is_declared():
    assert set(layout.RECORDS) <= set(ELEMENT_RECORDS), "declare the new records in sim/variables.py ELEMENT_RECORDS"
    produced = set(layout.RECORDS) | set(DERIVED_ELEMENTS)
    assert set(ELEMENT_RECORDS) <= produced, "a declared element record the kernel does not produce"


def test_variables__bw_per_second_and_bw_seconds_are_told_apart():
    assert SUMMARY["loading_rate_bw_s"].units == "BW/s"
    for impulse in ("braking_impulse_bw_s", "propulsive_impulse_bw_s", "net_ap_impulse_bw_s"):
        assert SUMMARY[impulse].units == "BW s"
    assert GRF_METRICS["vertical_impulse_bw_s"].units == "BW s"


def test_variables__every_summary_key_is_declared_with_units():
    for name, variable in SUMMARY.items():
        assert variable.name == name and variable.units and variable.long_name, name
    assert f"{REGION_NAMES[0]}_peak_shear_kpa" in SUMMARY and SUMMARY[f"{REGION_NAMES[0]}_slip_mm"].units == "mm"


def test_variables__sweep_file_variables_carry_the_registry_units():
    variables = {v.name: v for v in Layout(n_elements=10, n_time=5).variables()}
    assert variables["loading_rate_bw_s"].units == "BW/s"
    assert variables["element_peak_pressure_pa"].units == "Pa" and variables["element_peak_pressure_pa"].dims == ("element",)
    assert variables["region_friction_work_j"].dims == ("region",) and variables["grf_z"].dims == ("time",)
    assert all(v.units and v.long_name for v in variables.values())


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    scenario = load_scenario(None, overrides=["numerics.dt_s=2e-4", "numerics.mesh_spacing_mm=8"])
    return write_run(tmp_path_factory.mktemp("run") / "run.h5", run_stance(scenario))


def test_run_file__every_dataset_has_units_and_long_name(run_file):
    missing = []

    def check(name, obj):
        if isinstance(obj, h5py.Dataset) and not {"units", "long_name"} <= set(obj.attrs):
            missing.append(name)

    with h5py.File(run_file, "r") as f:
        f.visititems(check)
        assert len(f["summary"]) == len(SUMMARY)
        assert f["summary/loading_rate_bw_s"].attrs["units"] == "BW/s"
        assert f["summary/braking_impulse_bw_s"].attrs["units"] == "BW s"
        assert f["summary/heel_posterolateral_peak_shear_kpa"].attrs["units"] == "kPa"
    assert not missing, f"datasets without units or long_name: {missing}"


def test_docs__variables_table_matches_the_registry():
    assert DOC.read_text() == variables_document(), "regenerate: python -m sim.variables > docs/variables.md"


def test_params__every_parameter_declares_its_unit():
    from sim.params import BY_NAME, PARAMETERS

    assert all(p.unit == "" for p in PARAMETERS if p.is_text)
    assert BY_NAME["runner.leg_stiffness_n_m"].unit == "N/m"  # the suffix alone would read N m
    assert BY_NAME["runner.ankle_stiffness_sagittal_n_m_rad"].unit == "N m/rad"
    assert BY_NAME["strike.toe_out_deg"].unit == "degree" and BY_NAME["tissue.mu_static"].unit == "1"
