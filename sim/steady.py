"""Steady running (DESIGN 3.4b): overstride and push-off solved so that the stance is one step.

Two conditions, two unknowns, the hip's vertical velocity at touchdown kept as given:
- fore-aft: the net AP impulse of the stance is zero (|.| <= 0.01 BW s is the acceptance);
- vertical: the vertical impulse equals BW x step time, the step being the stance plus the hip's
  ballistic flight from toe-off back to its touchdown height; equivalently the next touchdown
  arrives at this one's vertical velocity.
Overstride mostly sets the first, push-off extension the second; a Powell hybrid root find
(scipy) with a finite-difference Jacobian takes about ten stances.
"""

from __future__ import annotations

import copy

import numpy as np

from .errors import InputError
from .model import GRAVITY
from .params import BY_NAME
from .scenario import Scenario

AP_TOLERANCE_BW_S = 0.01


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


def solve_steady(scenario: Scenario, run=None) -> tuple[Scenario, dict]:
    """The scenario with runner.overstride_m and runner.push_off_extension_m solved; and a report."""
    from scipy.optimize import root

    from .runner import run_stance

    run = run or run_stance
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
        return [ap, vertical]

    x0 = [base["runner"]["overstride_m"], base["runner"]["push_off_extension_m"]]
    solution = root(residual, x0, method="hybr", options={"eps": 1e-3, "xtol": 1e-6, "maxfev": 40})
    ap, vertical = residual(solution.x)
    in_range = all(BY_NAME[f"runner.{key}"].low <= v <= BY_NAME[f"runner.{key}"].high
                   for key, v in zip(("overstride_m", "push_off_extension_m"), solution.x))
    if not in_range or abs(ap) > AP_TOLERANCE_BW_S or abs(vertical) > AP_TOLERANCE_BW_S:
        raise InputError(f"runner.steady = true: no steady step found near overstride_m = {x0[0]:g}, "
                         f"push_off_extension_m = {x0[1]:g} (net AP impulse {ap:+.3f} BW s, vertical "
                         f"{vertical:+.3f} BW s after {len(evaluations)} stances); set them by hand")
    report = {"overstride_m": float(solution.x[0]), "push_off_extension_m": float(solution.x[1]),
              "net_ap_impulse_bw_s": ap, "vertical_impulse_minus_bw_step_bw_s": vertical,
              "stances": len(evaluations)}
    return with_values(solution.x), report
