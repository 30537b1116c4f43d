"""Stick-phase shear strain cycles of one element, rainflow-counted as the stance runs (DESIGN 3.7).

The strain |gamma| of an element while its skin sticks is reduced to turning points (a reversal
smaller than RAINFLOW_GATE is the step's noise, not a cycle) and counted with the ASTM E1049
four-point rule on a short stack kept in the element's contact state: a range no larger than the
one after it closes as a full cycle. When the element lifts off, the strain returns to 0 and what
is left on the stack counts as half cycles. Each cycle of range r adds n (r / gamma_ref)^m to the
fatigue dose (n = 1 for a full cycle, 1/2 for a half).
"""

import numpy as np

from ..config import jit
from . import layout as L

RAINFLOW_GATE = 1e-3  # strain: reversals below this are integration noise


@jit
def _count(records, i, strain_range, weight, m, gamma_ref):
    records[i, L.STICK_CYCLES] += weight
    records[i, L.FATIGUE_DOSE] += weight * (strain_range / gamma_ref) ** m
    if strain_range > records[i, L.STICK_STRAIN_RANGE]:
        records[i, L.STICK_STRAIN_RANGE] = strain_range


@jit
def _push(state, records, i, value, m, gamma_ref):
    """Push a turning point and close every cycle it completes."""
    s = L.RF_STACK
    n = int(state[i, L.RF_COUNT])
    if n == L.RF_DEPTH:  # full: the oldest range leaves as a half cycle
        _count(records, i, abs(state[i, s + 1] - state[i, s]), 0.5, m, gamma_ref)
        for k in range(n - 1):
            state[i, s + k] = state[i, s + k + 1]
        n -= 1
    state[i, s + n] = value
    n += 1
    while n >= 3:
        x = abs(state[i, s + n - 1] - state[i, s + n - 2])
        y = abs(state[i, s + n - 2] - state[i, s + n - 3])
        if x < y:
            break
        if n == 3:  # the range from the start: half a cycle, and the start leaves
            _count(records, i, y, 0.5, m, gamma_ref)
            state[i, s] = state[i, s + 1]
            state[i, s + 1] = state[i, s + 2]
            n = 2
        else:
            _count(records, i, y, 1.0, m, gamma_ref)
            state[i, s + n - 3] = state[i, s + n - 1]
            n -= 2
    for k in range(n, L.RF_DEPTH):  # the stack holds nothing past its count
        state[i, s + k] = 0.0
    state[i, L.RF_COUNT] = n


@jit
def sample(state, records, i, gamma, m, gamma_ref):
    """One stick-phase strain sample of element i."""
    n = int(state[i, L.RF_COUNT])
    if n == 0:
        _push(state, records, i, gamma, m, gamma_ref)
        state[i, L.RF_TREND] = 0.0
        return
    trend = state[i, L.RF_TREND]
    if trend == 0.0:
        last = state[i, L.RF_STACK + n - 1]
        if abs(gamma - last) >= RAINFLOW_GATE:
            state[i, L.RF_CANDIDATE] = gamma
            state[i, L.RF_TREND] = 1.0 if gamma > last else -1.0
        return
    candidate = state[i, L.RF_CANDIDATE]
    if (gamma - candidate) * trend >= 0.0:
        state[i, L.RF_CANDIDATE] = gamma
    elif abs(gamma - candidate) >= RAINFLOW_GATE:
        _push(state, records, i, candidate, m, gamma_ref)
        state[i, L.RF_CANDIDATE] = gamma
        state[i, L.RF_TREND] = -trend


@jit
def flush(state, records, i, m, gamma_ref):
    """The element leaves the ground: its strain returns to 0, and the ranges left count as half cycles."""
    if state[i, L.RF_COUNT] == 0.0:
        return
    sample(state, records, i, 0.0, m, gamma_ref)
    if state[i, L.RF_TREND] != 0.0:
        _push(state, records, i, state[i, L.RF_CANDIDATE], m, gamma_ref)
    n = int(state[i, L.RF_COUNT])
    for k in range(n - 1):
        _count(records, i, abs(state[i, L.RF_STACK + k + 1] - state[i, L.RF_STACK + k]), 0.5, m, gamma_ref)
    for k in range(L.RF_DEPTH):
        state[i, L.RF_STACK + k] = 0.0
    state[i, L.RF_COUNT] = 0.0
    state[i, L.RF_TREND] = 0.0
    state[i, L.RF_CANDIDATE] = 0.0
