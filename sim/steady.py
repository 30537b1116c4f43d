"""Steady running (DESIGN 3.4b): overstride and push-off solved so that the stance is one step.

Two conditions, two unknowns, the hip's vertical velocity at touchdown kept as given:
- fore-aft: the net AP impulse of the stance is zero (|.| <= 0.01 BW s is the acceptance);
- vertical: the vertical impulse equals BW x step time, the step being the stance plus the hip's
  ballistic flight from toe-off back to its touchdown height; equivalently the next touchdown
  arrives at this one's vertical velocity.
Overstride mostly sets the first, push-off extension the second. Broyden's method from a
finite-difference Jacobian solves them to 1e-3 BW s in about five stances. Each solve starts
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
SOLVE_TOLERANCE_BW_S = 1e-3  # ten times inside the acceptance
FD_STEP = np.array([2e-3, 2e-3])  # m: overstride, push-off extension
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
    """The scenario with runner.overstride_m and runner.push_off_extension_m solved, each trial a
    stance `run(scenario)` (the runner's run_stance); and a report."""
    base = copy.deepcopy(scenario)
    base["runner"]["steady"] = False
    evaluations = []

    def with_values(x):
        s = copy.deepcopy(base)
        s["runner"]["overstride_m"], s["runner"]["push_off_extension_m"] = float(x[0]), float(x[1])
        return s

    def residual(x):
        ap, vertical, _ = step_residuals(run(with_values(x)))
        evaluations.append((float(x[0]), float(x[1]), ap, vertical))
        return np.array([ap, vertical])

    x = np.array([base["runner"]["overstride_m"], base["runner"]["push_off_extension_m"]])
    f = residual(x)
    jacobian = np.column_stack([(residual(x + step) - f) / step[k] for k, step in enumerate(np.diag(FD_STEP))])
    # Broyden's method: Newton steps on a Jacobian updated by each step's secant
    while np.abs(f).max() > SOLVE_TOLERANCE_BW_S and len(evaluations) < MAX_STANCES:
        dx = -np.linalg.solve(jacobian, f)
        f_new = residual(x + dx)
        jacobian += np.outer(f_new - f - jacobian @ dx, dx) / (dx @ dx)
        x, f = x + dx, f_new
    ap, vertical = f
    in_range = all(BY_NAME[f"runner.{name}"].low <= v <= BY_NAME[f"runner.{name}"].high
                   for name, v in zip(("overstride_m", "push_off_extension_m"), x))
    if not in_range or abs(ap) > AP_TOLERANCE_BW_S or abs(vertical) > AP_TOLERANCE_BW_S:
        raise InputError(f"runner.steady = true: no steady step found near overstride_m = "
                         f"{base['runner']['overstride_m']:g}, push_off_extension_m = "
                         f"{base['runner']['push_off_extension_m']:g} (net AP impulse {ap:+.3f} BW s, vertical "
                         f"{vertical:+.3f} BW s after {len(evaluations)} stances); set them by hand")
    report = {"overstride_m": float(x[0]), "push_off_extension_m": float(x[1]),
              "net_ap_impulse_bw_s": float(ap), "vertical_impulse_minus_bw_step_bw_s": float(vertical),
              "stances": len(evaluations)}
    return with_values(x), report
