"""Steady running (DESIGN 3.4b): overstride and push-off solved so that the stance is one step.

Two conditions, two unknowns, the hip's vertical velocity at touchdown kept as given:
- fore-aft: the net AP impulse of the stance is zero (|.| <= 0.01 BW s is the acceptance);
- vertical: the vertical impulse equals BW x step time, the step being the stance plus the hip's
  ballistic flight from toe-off back to its touchdown height; equivalently the next touchdown
  arrives at this one's vertical velocity.
Overstride mostly sets the first, push-off extension the second. With `runner.impose_cadence` a
third condition, step time = 60 / cadence, frees the hip's vertical velocity at touchdown (which
sets the flight). Broyden's method from a finite-difference Jacobian solves them to 1e-3 BW s
(and 1e-3 s) in about five stances (eight with the cadence). Each solve starts
from the scenario's own values, never from an earlier solve: a sweep's result must not depend on
which scenario its worker ran before.
"""

from __future__ import annotations

import copy

import numpy as np

from .errors import InputError
from .model import GRAVITY
from .params import BY_NAME
from .scenario import Scenario

AP_TOLERANCE_BW_S = 0.01
STEP_TOLERANCE_S = 0.002     # imposed step time: 0.6 % of a 0.35 s step, about 1 step/min at 170
SOLVE_TOLERANCE = 1e-3       # BW s and s; ten times inside the AP acceptance
# the unknowns and their finite-difference steps: m, m, and m/s for the hip's vertical velocity
UNKNOWNS = (("overstride_m", 2e-3), ("push_off_extension_m", 2e-3), ("hip_vertical_velocity_m_s", 1e-2))
MAX_STANCES = 30


def step_residuals(result) -> tuple[float, float, float]:
    """(net AP impulse, vertical impulse - BW x step time) in BW s, and the step time (s)."""
    bw = result.body_weight_n
    dt = result.time_s[1] - result.time_s[0]
    ap = float(result.grf_n[:, 0].sum() * dt / bw)
    hip = result.hip_m
    v_off = (hip[-1, 2] - hip[-2, 2]) / dt
    drop = hip[-1, 2] - hip[0, 2]
    # ballistic flight of the hip from toe-off until it is back at its touchdown height
    arrival = np.sqrt(max(v_off**2 + 2.0 * GRAVITY * drop, 0.0))
    flight = (v_off + arrival) / GRAVITY
    stance = float(result.time_s[-1] + dt)
    vertical = float(result.grf_n[:, 2].sum() * dt / bw)
    return ap, vertical - (stance + flight), stance + flight


def solve_steady(scenario: Scenario, run) -> tuple[Scenario, dict]:
    """The scenario with runner.overstride_m and runner.push_off_extension_m solved (and, with
    runner.impose_cadence, runner.hip_vertical_velocity_m_s), each trial a stance `run(scenario)`
    (the runner's run_stance); and a report."""
    base = copy.deepcopy(scenario)
    cadence = base["runner"]["cadence_steps_per_min"] if base["runner"]["impose_cadence"] else None
    base["runner"]["steady"] = base["runner"]["impose_cadence"] = False
    unknowns = UNKNOWNS if cadence is not None else UNKNOWNS[:2]
    names = [name for name, _ in unknowns]
    evaluations = []

    def with_values(x):
        s = copy.deepcopy(base)
        s["runner"].update({name: float(v) for name, v in zip(names, x)})
        return s

    def residual(x):
        """The conditions' residuals at x, and the step time (s)."""
        ap, vertical, step_time = step_residuals(run(with_values(x)))
        evaluations.append((*map(float, x), ap, vertical, step_time))
        return np.array([ap, vertical] + ([step_time - 60.0 / cadence] if cadence is not None else [])), step_time

    x = np.array([base["runner"][name] for name in names], dtype=float)
    f, step_time = residual(x)
    jacobian = np.column_stack([(residual(x + step * np.eye(len(x))[k])[0] - f) / step
                                for k, (_, step) in enumerate(unknowns)])
    # Broyden's method: Newton steps on a Jacobian updated by each step's secant
    while np.abs(f).max() > SOLVE_TOLERANCE and len(evaluations) < MAX_STANCES:
        dx = -np.linalg.solve(jacobian, f)
        f_new, step_time = residual(x + dx)
        jacobian += np.outer(f_new - f - jacobian @ dx, dx) / (dx @ dx)
        x, f = x + dx, f_new
    ap, vertical = f[:2]
    step_error = f[2] if cadence is not None else 0.0
    in_range = all(BY_NAME[f"runner.{name}"].low <= v <= BY_NAME[f"runner.{name}"].high for name, v in zip(names, x))
    if not in_range or abs(ap) > AP_TOLERANCE_BW_S or abs(vertical) > AP_TOLERANCE_BW_S \
            or abs(step_error) > STEP_TOLERANCE_S:
        start = ", ".join(f"{name} = {base['runner'][name]:g}" for name in names)
        imposed = f", step time {step_error:+.4f} s from 60 / {cadence:g}" if cadence is not None else ""
        raise InputError(f"runner.steady = true: no steady step found near {start} (net AP impulse {ap:+.3f} BW s, "
                         f"vertical {vertical:+.3f} BW s{imposed} after {len(evaluations)} stances); set them by hand")
    report = {**{name: float(v) for name, v in zip(names, x)},
              "net_ap_impulse_bw_s": float(ap), "vertical_impulse_minus_bw_step_bw_s": float(vertical),
              "step_time_s": float(step_time),
              "stances": len(evaluations)}
    return with_values(x), report
