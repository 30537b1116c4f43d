"""The contact kernel (DESIGN 3.2-3.3) against its numpy reference and the laws it implements."""

import numpy as np
import pytest

from sim.verify import cases as V
from sim.kernels import layout as L
from sim.kernels.contact import advance_contact, barefoot_stack, new_contact_state
from sim.verify.reference import advance_contact as advance_contact_numpy
from sim.verify.reference import elastic_pressure


def test_kernel__numba_step_equals_numpy_step_on_random_states():
    case = V.kernel_matches_reference(n_states=200, seed=7)
    assert case.passed, case


def _press(depth, vz=0.0, tissue=None, n_steps=1):
    position, bone, area, thickness = V.flat_patch(0.01, 0.002, 0.01)
    tissue = V._tissue() if tissue is None else tissue
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    for _ in range(n_steps):
        advance_contact(position, bone, area, thickness, tissue, V._stack(len(area)), np.eye(3), np.array([0, 0, -depth]),
                        np.array([0, 0, vz]), np.zeros(3), 1e-4, state, flags, records, load)
    return load, area, records, tissue


ELASTIC = {"pad_branch_fraction": 0.0}


def test_pressure__exponential_pad_law_without_the_viscous_branch():
    load, area, _, tissue = _press(0.004, tissue=V._tissue(**ELASTIC))
    strain = 0.4
    expected = tissue[L.E0] / tissue[L.EXPONENT] * np.expm1(tissue[L.EXPONENT] * strain) * area.sum()
    assert load[2] == pytest.approx(expected, rel=1e-12)


def test_pressure__viscous_branch_stiffens_a_sudden_press_and_relaxes_to_the_elastic_law():
    tissue = V._tissue()
    g1, tau = tissue[L.PAD_BRANCH_FRACTION], tissue[L.PAD_RELAXATION_TIME]
    elastic, *_ = _press(0.004, tissue=V._tissue(**ELASTIC))
    sudden, *_ = _press(0.004)
    held, *_ = _press(0.004, n_steps=int(20 * tau / 1e-4))
    # one step of dt << tau: the branch has barely relaxed (backward Euler keeps tau / (tau + dt) of it)
    assert sudden[2] == pytest.approx(elastic[2] * (1 + g1 * tau / (tau + 1e-4)), rel=1e-3)
    assert held[2] == pytest.approx(elastic[2], rel=1e-6)


def test_pressure__hunt_crossley_damping_scales_with_compression_rate_and_never_pulls():
    tissue = V._tissue(damping=1.0, **ELASTIC)
    rest, *_ = _press(0.004, tissue=tissue)
    loading, *_ = _press(0.004, vz=-0.5, tissue=tissue)
    unloading_fast, *_ = _press(0.004, vz=5.0, tissue=tissue)
    c = tissue[L.DAMPING]
    assert loading[2] == pytest.approx(rest[2] * (1 + c * 0.5), rel=1e-12)
    assert unloading_fast[2] == 0.0


def test_pressure__barrier_keeps_strain_below_the_limit():
    tissue = V._tissue()
    e_max = tissue[L.MAX_STRAIN]
    p = elastic_pressure(np.array([e_max - 1e-9, e_max + 0.01]), tissue)
    slope = tissue[L.E0] * np.exp(tissue[L.EXPONENT] * e_max)
    assert p[1] - p[0] == pytest.approx(50 * slope * 0.01, rel=1e-3)


def test_bristle__resets_when_the_element_leaves_the_ground():
    position, bone, area, thickness = V.flat_patch(0.005, 0.002, 0.01)
    tissue = V._tissue()
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    for x, z in ((0.0, -0.003), (1e-4, -0.003), (1e-4, 0.001)):
        advance_contact(position, bone, area, thickness, tissue, V._stack(len(area)), np.eye(3), np.array([x, 0, z]),
                        np.zeros(3), np.zeros(3), 1e-4, state, flags, records, load)
    assert np.all(flags[:, L.IN_CONTACT] == 0)
    held = [L.U_X, L.U_Y, L.STACK_PRESSURE, L.PAD_VISCOUS_STRAIN, L.PRESSURE, L.TAU_X, L.TAU_Y, L.DEPTH]
    assert np.all(state[:, held] == 0.0)
    assert load[:3].tolist() == [0.0, 0.0, 0.0]


def test_slip__frictional_work_is_the_kinetic_limit_times_slip_and_counts_transitions():
    position, bone, area, thickness = V.flat_patch(0.005, 0.002, 0.01)
    tissue = V._tissue(shear_damping=0.0, shear_retardation_time=0.0, **ELASTIC)
    # a slippery floor: at fixed depth the bristle's energy term raises the pressure with the
    # square of the shear (a Poynting stress), so on a grippy one a dragged element may never slip
    stack = barefoot_stack(len(area), 0.3, 0.25)
    state, flags, records = new_contact_state(len(area))
    load = np.zeros(L.N_LOAD)
    for n in range(50):  # pressed, then dragged 10 mm: gross slip
        x = 0.0002 * n
        advance_contact(position, bone, area, thickness, tissue, stack, np.eye(3), np.array([x, 0, -0.003]), np.zeros(3),
                        np.zeros(3), 1e-4, state, flags, records, load)
    # in gross slip the bristle sits at tau / k, so the pressure (the pad's plus the bristle's
    # energy term) is steady; only the first slipping step saw the larger trial displacement
    limit = 0.25 * load[2] / area.sum()
    assert np.allclose(records[:, L.WORK_PER_AREA], limit * records[:, L.SLIP], rtol=1e-3)
    assert np.allclose(records[:, L.WORK], records[:, L.WORK_PER_AREA] * area, rtol=1e-12)
    assert np.all(records[:, L.TRANSITIONS] == 1)
    assert load[0] == pytest.approx(-limit * area.sum(), rel=1e-12)
    # the ground pulls the skin backwards (-x in the foot frame) while the foot slides forwards
    assert np.allclose(records[:, L.PEAK_DIR_X], -1.0)
    assert np.array_equal(records[:, L.SKIN_SLIP], records[:, L.SLIP])


def test_reference__is_deterministic_and_shape_preserving():
    args = V.flat_patch(0.005, 0.002, 0.01)
    tissue = V._tissue()
    outs = []
    for _ in range(2):
        state, flags, records = new_contact_state(len(args[1]))
        load = np.zeros(L.N_LOAD)
        advance_contact_numpy(*args, tissue, V._stack(len(args[1])), np.eye(3), np.array([0, 0, -0.002]),
                              np.array([0.1, 0, -0.1]), np.zeros(3), 1e-4, state, flags, records, load)
        outs.append((state, flags, records, load))
    for a, b in zip(*outs):
        assert np.array_equal(a, b)
