"""Verification cases of the tissue law v2 (DESIGN 3.2, 3.3): energy, the pad's own hysteresis, the stance's
energy bookkeeping and the convergence of region doses with the mesh. Rows of `cases.Case`."""

from __future__ import annotations

import numpy as np

from ..kernels import layout as L
from ..kernels.contact import advance_contact, barefoot_stack, new_contact_state
from ..model import tissue_vector
from .reference import shear_stiffness
from ..scenario import load_scenario
from .cases import ONE_CM2, Case, one_element, pad_loss


def _elastic_tissue(**changes) -> np.ndarray:
    """The default tissue without any damping or viscous branch: what is left is stored energy alone."""
    t = tissue_vector(load_scenario(text=""))
    for key in ("DAMPING", "SHEAR_DAMPING", "PAD_BRANCH_FRACTION", "SHEAR_RETARDATION_TIME"):
        t[getattr(L, key)] = 0.0
    for key, value in changes.items():
        t[getattr(L, key.upper())] = value
    return t


def drive(path, tissue, h: float = 0.018, dt: float = 1e-4, stack=None):
    """Drive one element through a path of (depth m, bone shift m) and return its records and state."""
    position, bone, area, thickness = one_element(h)
    stack = barefoot_stack(1, np.inf, np.inf) if stack is None else stack
    state, flags, records = new_contact_state(1)
    load = np.zeros(L.N_LOAD)
    for depth, shift in path:
        advance_contact(position, bone, area, thickness, tissue, stack, np.eye(3), np.array([shift, 0.0, -depth]),
                        np.zeros(3), np.zeros(3), dt, state, flags, records, load)
    return records[0], state, flags


def _rectangle(e_first, e_second, u, h, n):
    """(e_first, 0) -> (e_first, u) -> (e_second, u) -> (e_second, 0) -> (e_first, 0), n steps a side."""
    s = np.linspace(0.0, 1.0, n + 1)[1:]
    legs = [(np.full(n, e_first), u * s), (e_first + (e_second - e_first) * s, np.full(n, u)),
            (np.full(n, e_second), u * (1 - s)), (e_second + (e_first - e_second) * s, np.zeros(n))]
    strain = np.concatenate([leg[0] for leg in legs])
    shift = np.concatenate([leg[1] for leg in legs])
    return np.column_stack([strain * h, shift])


def energy_cycle(e_low: float = 0.05, e_high: float = 0.6, u: float = 1e-3, h: float = 0.018, n: int = 20000) -> list[Case]:
    """A closed cycle without slip: sheared at low compression, compressed, released at high compression.

    The v1 bristle (tau = k(e) u) gained 1/2 (k_hi - k_lo) u^2 A over it; v2 must do no net work,
    and none either run the other way round (sheared at high compression, released at low).
    """
    tissue = _elastic_tissue()

    def cycle(e_first, e_second):
        """Work done on the element (J) from the cycle's first corner on."""
        start = np.array([[e_first * h, 0.0]])
        first, _, _ = drive(start, tissue, h)
        full, _, _ = drive(np.vstack([start, _rectangle(e_first, e_second, u, h, n)]), tissue, h)
        return (full - first)[L.TISSUE_WORK] * ONE_CM2

    k_lo, k_hi = (float(shear_stiffness(np.array(e), np.array(h), tissue)) for e in (e_low, e_high))
    v1_gain = 0.5 * (k_hi - k_lo) * u**2 * ONE_CM2
    gross = 0.5 * k_lo * u**2 * ONE_CM2
    net_forward = cycle(e_low, e_high)
    net_backward = cycle(e_high, e_low)
    return [
        Case("energy: closed (e, u) cycle without slip does no net work (J)", 0.0, net_forward, 1e-6 * gross,
             f"1 cm2, e {e_low}-{e_high}, u {u * 1e3:g} mm; the v1 law gained {v1_gain * 1e3:.3f} mJ", absolute=True),
        Case("energy: the same cycle run the other way round (J)", 0.0, net_backward, 1e-6 * gross,
             "sheared at high compression, released at low; the v1 law lost as much", absolute=True),
    ]


def pad_hysteresis(low: float = 0.25, high: float = 0.35) -> list[Case]:
    """The isolated heel pad loses about 30 % of a running-rate cycle (Bennett & Ker 1990; Ker 1996)."""
    tissue = tissue_vector(load_scenario(text=""))
    return [Case(f"pad hysteresis: isolated pad loss at {f:g} Hz", (low + high) / 2, pad_loss(tissue, f),
                 (high - low) / 2, "to 50 % strain; 25-35 % (Bennett & Ker 1990; Ker 1996)", absolute=True)
            for f in (1.0, 2.0, 3.0)]


def stance_energy_balance() -> list[Case]:
    """The default stance: work done on the tissue = compression loss + bristle damping + friction + stored,
    to 1 %; and that work against the contact's work on the foot from its motion alone."""
    from ..runner import run_stance

    scenario_name = "default stance"
    s = run_stance(load_scenario(text="")).summary
    accounted = s["compression_loss_j"] + s["shear_damping_loss_j"] + s["friction_loss_j"] + s["stored_energy_end_j"]
    return [
        Case("energy: stance work on the tissue = losses + stored (J)", s["tissue_work_j"], accounted, 0.01,
             f"{scenario_name}: compression {s['compression_loss_j']:.2f}, bristle {s['shear_damping_loss_j']:.2f}, "
             f"friction {s['friction_loss_j']:.3f} J"),
        Case("energy: the same work from the foot's motion (J)", s["tissue_work_j"], -s["ground_work_on_foot_j"], 0.05,
             f"{scenario_name}: force of each step over the foot's next displacement; first order in dt"),
    ]


CONVERGENCE_REGIONS = ("heel_posterolateral", "heel_posteromedial", "mth1", "hallux")


def region_doses(scenario) -> dict[str, float]:
    """The figures that must converge with the mesh: per region, the worst element's peak shear and the
    area-weighted means of frictional work and of the shear-time integral per unit area."""
    from ..foot import REGION_NAMES
    from ..runner import run_stance
    from ..summary import region_mean

    result = run_stance(scenario)
    el, mesh = result.elements, result.mesh
    out = {}
    for name in CONVERGENCE_REGIONS:
        k = REGION_NAMES.index(name)
        out[f"{name} peak shear"] = float(el["peak_shear_stress_pa"][mesh.region == k].max())
        out[f"{name} mean frictional work per area"] = region_mean(mesh.region, mesh.area_m2, el["friction_work_j_m2"])[k]
        out[f"{name} mean shear-time integral"] = region_mean(mesh.region, mesh.area_m2,
                                                               el["shear_time_integral_pa_s"])[k]
    return out


def mesh_convergence(scenarios=("forefoot_toeout30_barefoot", "rearfoot_barefoot"), tolerance: float = 0.10) -> list[Case]:
    """Region doses at 3 mm and 2 mm agree within 10 % (DESIGN 3.3); the 4 mm figures are shown beside them."""
    from ..bundled import scenario_path

    cases = []
    for name in scenarios:
        doses = {mm: region_doses(load_scenario(scenario_path(name), overrides=[f"numerics.mesh_spacing_mm={mm}"]))
                 for mm in (4, 3, 2)}
        worst = max(doses[2], key=lambda key: abs(doses[3][key] - doses[2][key]) / max(abs(doses[2][key]), 1e-300))
        difference = abs(doses[3][worst] - doses[2][worst]) / max(abs(doses[2][worst]), 1e-300)
        cases.append(Case(f"mesh convergence: {name}, largest 3 mm vs 2 mm difference", 0.0, difference, tolerance,
                          f"{worst}: {doses[4][worst]:.4g} / {doses[3][worst]:.4g} / {doses[2][worst]:.4g} at 4 / 3 / 2 mm",
                          absolute=True))
    return cases


def all_tissue_cases() -> list[Case]:
    return energy_cycle() + pad_hysteresis() + stance_energy_balance() + mesh_convergence()
