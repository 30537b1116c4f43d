"""Skin doses per kilometre (DESIGN 3.7): what one stance's records add up to over a kilometre of running.

A dose is a ranking and a map, not a blister threshold: the fatigue dose
D = contacts per km x sum over stick-phase strain cycles of n (range / gamma_ref)^m has no
published calibration (m and gamma_ref are uncertain parameters that studies sample).
"""

from __future__ import annotations

import numpy as np

from .variables import GRAVITY_M_S2, PER_KM


def step_timing(stance_time_s: float, speed_m_s: float, touchdown_vertical_velocity_m_s: float) -> dict:
    """Step time, cadence and the right foot's contacts per km.

    Assumption: steady, symmetric running, so the body leaves the ground with the vertical speed it
    landed with and the flight is ballistic: flight = 2 |v_z| / g. Step (one foot's touchdown to
    the other's) = stance + flight; the right foot lands once per stride of two steps, of length
    2 x speed x step time.
    """
    flight_s = 2.0 * abs(touchdown_vertical_velocity_m_s) / GRAVITY_M_S2
    step_s = stance_time_s + flight_s
    stride_m = 2.0 * speed_m_s * step_s
    return {"stance_time_s": stance_time_s, "flight_time_s": flight_s, "step_time_s": step_s,
            "cadence_steps_per_min": 60.0 / step_s, "stride_length_m": stride_m,
            "contacts_per_km": 1000.0 / stride_m}


def per_km(elements: dict[str, np.ndarray], contacts_per_km: float) -> dict[str, np.ndarray]:
    """The per-km element arrays of the stance's records."""
    return {name: elements[record] * contacts_per_km for record, name in PER_KM.items()}
