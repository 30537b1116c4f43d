"""Rainflow counting of the stick-phase shear strain (DESIGN 3.7) against hand counts and the offline ASTM rule."""

import numpy as np
import pytest

from sim.kernels import layout as L
from sim.kernels import rainflow


def _count(signal, m=2.0, gamma_ref=1.0):
    state = np.zeros((1, L.N_STATE))
    records = np.zeros((1, L.N_RECORDS))
    for value in signal:
        rainflow.sample(state, records, 0, value, m, gamma_ref)
    rainflow.flush(state, records, 0, m, gamma_ref)
    return records[0]


def _astm(turning_points):
    """ASTM E1049 three-point rainflow over a whole history: (range, count) pairs."""
    stack, cycles = [], []
    for point in turning_points:
        stack.append(point)
        while len(stack) >= 3 and abs(stack[-1] - stack[-2]) >= abs(stack[-2] - stack[-3]):
            if len(stack) == 3:
                cycles.append((abs(stack[1] - stack[0]), 0.5))
                stack.pop(0)
            else:
                cycles.append((abs(stack[-2] - stack[-3]), 1.0))
                del stack[-3:-1]
    cycles += [(abs(b - a), 0.5) for a, b in zip(stack[:-1], stack[1:])]
    return cycles


def test_rainflow__a_small_cycle_inside_a_large_one_by_hand():
    # 0 -> 1 -> 0.2 -> 0.8 -> 0: the inner 0.2-0.8 closes as a full cycle, 0-1-0 is two halves
    signal = np.concatenate([np.linspace(0, 1, 11), np.linspace(1, 0.2, 9), np.linspace(0.2, 0.8, 7),
                             np.linspace(0.8, 0, 9)])
    rec = _count(signal, m=2.0)
    assert rec[L.STICK_CYCLES] == pytest.approx(2.0)
    assert rec[L.FATIGUE_DOSE] == pytest.approx(0.6**2 + 0.5 + 0.5)
    assert rec[L.STICK_STRAIN_RANGE] == pytest.approx(1.0)


def test_rainflow__reversals_under_the_gate_are_not_cycles():
    ramp = np.linspace(0, 0.5, 200)
    noisy = ramp + 0.4 * rainflow.RAINFLOW_GATE * np.sin(np.arange(200))
    clean, rough = _count(ramp), _count(noisy)
    assert rough[L.STICK_CYCLES] == clean[L.STICK_CYCLES] == 1.0  # up to 0.5 and back at lift-off
    assert rough[L.FATIGUE_DOSE] == pytest.approx(clean[L.FATIGUE_DOSE], rel=1e-2)


@pytest.mark.parametrize("seed", range(20))
def test_rainflow__online_count_equals_the_offline_rule(seed):
    rng = np.random.default_rng(seed)
    # alternating turning points from 0 (the bristle starts unstrained), back to 0 at lift-off
    n = 2 * int(rng.integers(1, 4))
    points = [0.0]
    for k in range(n):
        points.append(points[-1] + (1 if k % 2 == 0 else -1) * rng.uniform(0.05, 0.5))
    points = np.abs(np.array(points))
    points = np.append(points, 0.0)
    signal = np.concatenate([np.linspace(a, b, 7)[:-1] for a, b in zip(points[:-1], points[1:])] + [[0.0]])
    turning = [signal[0]] + [signal[k] for k in range(1, len(signal) - 1)
                             if (signal[k] - signal[k - 1]) * (signal[k + 1] - signal[k]) < 0] + [signal[-1]]
    expected = _astm(turning)
    m = 3.0
    rec = _count(signal, m=m, gamma_ref=0.5)
    assert rec[L.STICK_CYCLES] == pytest.approx(sum(c for _, c in expected))
    assert rec[L.FATIGUE_DOSE] == pytest.approx(sum(c * (r / 0.5) ** m for r, c in expected))
