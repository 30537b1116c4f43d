"""Plantar geometry (DESIGN 3.1): areas, regions where an anatomist puts them, mirror symmetry, bad input."""

import numpy as np
import pytest

from sim.errors import InputError
from sim.foot import REGION_NAMES, build_mesh


@pytest.fixture(scope="module")
def mesh():
    return build_mesh()


def _centre(mesh, name):
    sel = mesh.region == REGION_NAMES.index(name)
    return mesh.x[sel].mean(), mesh.y[sel].mean()


def test_mesh__default_spacing_gives_800_to_1200_elements_and_a_plausible_plantar_area(mesh):
    assert 800 <= mesh.n_elements <= 1200
    # a 257 mm foot: length x mean breadth ~ 0.257 x 0.30 x 0.257 ~ 200 cm2; the outline is smaller
    assert 140e-4 <= mesh.area_m2.sum() <= 210e-4


def test_mesh__breadths_follow_the_anthropometric_ratios(mesh):
    L = mesh.foot_length_m
    ball = mesh.y[(mesh.x > 0.45 * L) & (mesh.x < 0.55 * L)]
    heel = mesh.y[(mesh.x > -0.1 * L) & (mesh.x < -0.05 * L)]
    assert np.ptp(ball) + 0.004 == pytest.approx(0.37 * L, rel=0.08)
    assert np.ptp(heel) + 0.004 == pytest.approx(0.25 * L, rel=0.08)


def test_mesh__regions_sit_where_an_anatomist_puts_them(mesh):
    x = {name: _centre(mesh, name)[0] for name in REGION_NAMES}
    y = {name: _centre(mesh, name)[1] for name in REGION_NAMES}
    assert x["heel_posterolateral"] < x["heel_lateral"] < x["midfoot_lateral"] < x["mth4_5"] < x["lesser_toes"]
    assert x["heel_posteromedial"] < x["heel_medial"] < x["midfoot_medial"] < x["mth1"] < x["hallux"]
    # right foot: medial is +y (towards the body's midline)
    assert y["heel_posteromedial"] > 0 > y["heel_posterolateral"]
    assert y["mth1"] > y["mth2_3"] > y["mth4_5"]
    assert y["hallux"] > y["lesser_toes"]
    assert all(np.any(mesh.region == k) for k in range(len(REGION_NAMES)))


def test_mesh__heel_pad_is_thicker_than_forefoot_and_arch_is_raised(mesh):
    heel = mesh.region <= 3
    mth = np.isin(mesh.region, [6, 7, 8])
    assert mesh.thickness_m[heel].mean() == pytest.approx(0.018, rel=0.02)
    assert mesh.thickness_m[mth].mean() < mesh.thickness_m[heel].mean()
    medial_arch = mesh.region == REGION_NAMES.index("midfoot_medial")
    lateral = mesh.region == REGION_NAMES.index("midfoot_lateral")
    assert mesh.position_m[medial_arch, 2].max() > mesh.position_m[lateral, 2].min() + 0.008


def test_mesh__normals_are_unit_and_point_down(mesh):
    assert np.allclose(np.linalg.norm(mesh.normal, axis=1), 1.0)
    assert np.all(mesh.normal[:, 2] < 0)


def test_mesh__left_foot_is_the_mirror_image_of_the_right(mesh):
    left = build_mesh(side="left")
    assert left.side == "left"
    assert np.allclose(left.y, -mesh.y) and np.allclose(left.x, mesh.x)
    for k in range(len(REGION_NAMES)):
        assert left.area_m2[left.region == k].sum() == pytest.approx(mesh.area_m2[mesh.region == k].sum())


def test_mesh__finer_spacing_converges_in_area(mesh):
    fine = build_mesh(spacing_m=0.002)
    assert fine.n_elements > 3.5 * mesh.n_elements
    assert fine.area_m2.sum() == pytest.approx(mesh.area_m2.sum(), rel=0.03)


@pytest.mark.parametrize("spacing", [0.0, -0.004, float("nan"), 0.06])
def test_mesh__bad_spacing_is_an_input_error_naming_the_range(spacing):
    with pytest.raises(InputError, match="mm"):
        build_mesh(spacing_m=spacing)
