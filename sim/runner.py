"""The runner model above the kernels: scenario in, one stance's result out (DESIGN 3.4, 3.6)."""

from __future__ import annotations

import numpy as np

from .kernels import stance as S
from .frames import frame_buffer, frame_stride, frames_from_buffer
from .kernels.contact import new_contact_state
from .articulated import joint_traces, simulate as simulate_articulated
from .kinematic import run_kinematic
from .model import body_vector, contact_model, stored_energy_of, touchdown_state
from .result import StanceResult, assemble_result
from .scenario import Scenario
from .steady import solve_steady

OUTCOMES = {S.TOE_OFF: "toe-off", S.MAX_DURATION: "duration reached before toe-off",
            S.NON_FINITE: "non-finite state", S.THROUGH_PAD: "penetration through the pad (strain >= 1)",
            S.RUNAWAY: f"runaway integration (foot faster than {S.RUNAWAY_SPEED_M_S:g} m/s or "
                       f"{S.RUNAWAY_SPIN_RAD_S:g} rad/s)"}
FAILED = (S.NON_FINITE, S.THROUGH_PAD, S.RUNAWAY)


class SimulationError(RuntimeError):
    """A scenario whose integration failed (diverged or ran through the tissue)."""


def run_stance(scenario: Scenario, frame_rate_hz: float | None = None) -> StanceResult:
    """Forward dynamics of one stance of the scenario (or the kinematic roll-over, by numerics.mode);
    with frame_rate_hz the element states are kept at that rate too (`StanceResult.frames`)."""
    if scenario["numerics"]["mode"] == "kinematic":
        return run_kinematic(scenario, frame_rate_hz)
    if scenario["runner"]["steady"]:
        scenario = solve_steady(scenario, run_stance)[0]
    dt = scenario["numerics"]["dt_s"]
    stride = None if frame_rate_hz is None else frame_stride(frame_rate_hz, dt)
    if scenario["foot"]["model"] == "articulated":
        return run_articulated(scenario, stride=stride)
    contact = contact_model(scenario)
    n_max = int(round(scenario["numerics"]["duration_s"] / dt))
    frames = frame_buffer(contact.mesh.n_elements, n_max, stride)
    trace = np.zeros((n_max, S.N_TRACE))
    state, flags, records = new_contact_state(contact.mesh.n_elements)
    y_end = np.zeros(S.N_DYN_STATE)
    steps, outcome, at = S.simulate_stance(*contact.kernel_arrays(), body_vector(scenario),
                                           touchdown_state(scenario, contact.position_m), dt, n_max,
                                           trace, state, flags, records, frames, stride or 1, y_end)
    _raise_if_failed(outcome, at, dt)
    kept = None if stride is None else frames_from_buffer(frames, stride, trace[:steps])
    return assemble_result(scenario, contact.mesh, trace[:steps], records, OUTCOMES[outcome],
                           contact.stored_energy(state, flags), kept)


def _raise_if_failed(outcome: int, at: int, dt: float) -> None:
    if outcome in FAILED:
        hint = "the pad is too soft for the load (raise tissue.e0_pa or tissue.exponent) or " \
            if outcome == S.THROUGH_PAD else ""
        raise SimulationError(f"{OUTCOMES[outcome]} at t = {at * dt:.4f} s: {hint}the time step is too coarse "
                              f"for these parameters; try numerics.dt_s = {dt / 4:g}")


def run_articulated(scenario: Scenario, joints: np.ndarray | None = None, stride: int | None = None) -> StanceResult:
    """One stance of the articulated foot; joints replaces the scenario's joint vector when given; with
    stride the element state is kept every stride steps (`StanceResult.frames`, elements in the
    result mesh's segment order)."""
    run = simulate_articulated(scenario, joints=joints, stride=stride)
    _raise_if_failed(run.outcome, run.at, scenario["numerics"]["dt_s"])
    _, _, _, thickness, tissue, stack = run.segmented.arrays
    # the trace's foot pose is the hindfoot's: the contact's work on the whole foot is not in it
    result = assemble_result(scenario, run.segmented.mesh, run.trace[:, :S.N_TRACE], run.records,
                             OUTCOMES[run.outcome], stored_energy_of(thickness, tissue, stack, run.state, run.flags),
                             None if stride is None else frames_from_buffer(run.frames, stride, run.trace),
                             foot_work=False)
    result.joints = joint_traces(run.trace)
    result.segment = run.segmented.segment
    return result
