"""The numbers the articulated foot must show (DESIGN 3.4b, 6), measured on one stance per case.

`stance_numbers` reads one result; `must_show_table` runs the 70 kg, 1.75 m, 3.5 m/s barefoot
runner (rearfoot and forefoot strike, toe-out 0, 10 and 30 deg) and states every number beside
its band. `python -m sim.must_show [rigid|articulated] [section.key=value ...]` prints the table
(the overrides apply to every case);
`python -m sim.must_show --figure docs/articulated_foot.png` draws the documentation's figure;
`python -m sim.must_show --sensitivity` prints the one-at-a-time table of docs/articulated_foot.md.
"""

from __future__ import annotations

import sys

import numpy as np

from .foot import REGION_NAMES
from .grf_metrics import grf_metrics
from .validation.published import FOREFOOT_REGIONS, HEEL_REGIONS

FOREFOOT_AND_TOE_REGIONS = FOREFOOT_REGIONS + ("hallux", "lesser_toes")
IMPACT_WINDOW_S = 0.030     # the "impact within 30 ms"
ACTIVE_AFTER_S = 0.05       # the active peak is sought after the impact window and its dip
PROMINENCE_BW = 0.1         # the "local maximum of prominence > 0.1 BW"
TOUCHDOWN_N = 20.0          # force-plate touchdown threshold, as grf_metrics' default


def _region_max(result, names) -> float:
    index = [REGION_NAMES.index(n) for n in names]
    mask = np.isin(result.mesh.region, index)
    return float(result.elements["peak_pressure_pa"][mask].max())


def _prominent_maxima(f: np.ndarray, floor: float) -> list[tuple[int, float]]:
    """Local maxima of f above `floor` whose prominence exceeds PROMINENCE_BW (scipy's definition)."""
    from scipy.signal import find_peaks

    peaks, props = find_peaks(f, prominence=PROMINENCE_BW)
    return [(int(i), float(p)) for i, p in zip(peaks, props["prominences"]) if f[i] > floor]


def stance_numbers(result) -> dict[str, float]:
    """Impact, shape of the vertical force, pressures, medio-lateral range, free moment, eversion."""
    bw = result.body_weight_n
    height = result.scenario["runner"]["height_m"]
    t = result.time_s
    fz = result.grf_n[:, 2] / bw
    on = np.flatnonzero(fz > TOUCHDOWN_N / bw)
    t0 = t[on[0]]
    m = grf_metrics(t, result.grf_n, result.scenario["runner"]["body_mass_kg"], height, result.cop_m,
                    result.free_moment_nm, threshold_n=TOUCHDOWN_N)
    active = int(np.argmax(np.where(t - t0 > ACTIVE_AFTER_S, fz, -np.inf)))
    early = (t >= t0) & (t - t0 <= IMPACT_WINDOW_S)
    impact = int(np.flatnonzero(early)[np.argmax(fz[early])])
    between = fz[impact:active + 1]
    maxima_after_impact = _prominent_maxima(between, -np.inf)
    maxima_after_impact = [(i, p) for i, p in maxima_after_impact if 0 < i < len(between) - 1]
    before_active = _prominent_maxima(fz[:active], 0.8)
    heel_index = [REGION_NAMES.index(n) for n in HEEL_REGIONS]
    out = {
        "impact_peak_bw_30ms": float(fz[impact]),
        "loading_rate_bw_s": float(m["loading_rate_bw_s"]),
        "min_after_impact_bw": float(between.min()),
        "maxima_after_impact": float(len(maxima_after_impact)),
        "largest_prominence_after_impact_bw": max((p for _, p in maxima_after_impact), default=0.0),
        "maxima_above_0p8_before_active": float(len(before_active)),
        "active_peak_bw": float(fz[active]),
        "active_peak_time_s": float(t[active] - t0),
        "forefoot_toe_max_kpa": _region_max(result, FOREFOOT_AND_TOE_REGIONS) / 1e3,
        "mth_max_kpa": _region_max(result, FOREFOOT_REGIONS) / 1e3,
        "heel_max_kpa": _region_max(result, HEEL_REGIONS) / 1e3,
        "heel_contact_time_s": float(result.elements["contact_time_s"][np.isin(result.mesh.region, heel_index)].max()),
        "ml_range_bw": float((result.grf_n[:, 1].max() - result.grf_n[:, 1].min()) / bw),
        "peak_free_moment_bw_h": float(np.abs(result.free_moment_nm).max() / (bw * height)),
        "stance_time_s": float(m["stance_time_s"]),
        "net_ap_impulse_bw_s": float(np.sum(result.grf_n[:, 0]) * (t[1] - t[0]) / bw),
    }
    if "rearfoot_eversion" in result.joints:  # forward dynamics of the articulated foot
        out["peak_rearfoot_eversion_deg"] = float(np.degrees(result.joints["rearfoot_eversion"].max()))
    return out


BANDS = {
    "impact_peak_bw_30ms": (1.2, 2.6, "rearfoot"),
    "loading_rate_bw_s": (250.0, 700.0, "rearfoot"),
    "min_after_impact_bw": (0.9, np.inf, "rearfoot"),
    "largest_prominence_after_impact_bw": (0.0, 0.1, "rearfoot"),
    "maxima_above_0p8_before_active": (0.0, 0.0, "forefoot"),
    "forefoot_toe_max_kpa": (0.0, 1000.0, "both"),
    "mth_max_kpa": (400.0, 900.0, "both"),
    "heel_max_kpa": (0.0, 1500.0, "both"),
    "ml_range_bw": (0.10, np.inf, "both"),
    "peak_free_moment_bw_h": (4e-3, 12e-3, "both"),
    "peak_rearfoot_eversion_deg": (3.0, 15.0, "rearfoot"),
}


def _run(model: str, pattern: str, toe_out: float, *overrides: str):
    from .runner import run_stance
    from .scenario import load_scenario

    return run_stance(load_scenario(f"scenarios/{pattern}_barefoot.toml",
                                    overrides=[f"foot.model={model}", f"strike.toe_out_deg={toe_out:g}", *overrides]))


SENSITIVITY_CASES = (("forefoot", 10.0), ("forefoot", 30.0), ("rearfoot", 10.0))


def sensitivity_table() -> str:
    """Markdown: the articulated foot's MTH maximum (kPa; heel maximum where the heel should touch)
    and the rearfoot striker's peak eversion (deg), each foot parameter set alone to either end of its
    allowed range, the rest at the defaults."""
    from .params import PARAMETERS

    def cells(*overrides):
        out = []
        for pattern, toe_out in SENSITIVITY_CASES:
            n = stance_numbers(_run("articulated", pattern, toe_out, *overrides))
            out.append(f"{n['mth_max_kpa']:.0f}" if pattern == "forefoot" else
                       f"{n['mth_max_kpa']:.0f}, {n['peak_rearfoot_eversion_deg']:.1f} deg")
            if pattern == "forefoot" and toe_out == 10.0:
                out.append(f"{n['heel_max_kpa']:.0f}")
        return out

    head = ["forefoot 10: MTH", "forefoot 10: heel", "forefoot 30: MTH", "rearfoot 10: MTH, eversion"]
    rows = [f"| parameter | value | {' | '.join(head)} |", "|---|---|" + "---|" * len(head),
            f"| (defaults) | | {' | '.join(cells())} |"]
    for p in PARAMETERS:
        if p.section != "foot" or p.choices:
            continue
        for value in (p.low, p.high):
            unit = "" if p.unit == "1" else f" {p.unit}"
            rows.append(f"| `{p.key}` | {value:g}{unit} | {' | '.join(cells(f'{p.name}={value:g}'))} |")
    return "\n".join(rows)


def must_show_table(model: str = "articulated", *overrides: str) -> list[tuple[str, str, float, float, float, bool]]:
    """Rows (case, number, value, low, high, passed) for the issue's must-shows; `overrides`
    ("section.key=value") change every case's scenario alike."""
    rows = []
    numbers = {}
    for pattern in ("rearfoot", "forefoot"):
        for toe_out in (0.0, 10.0, 30.0):
            result = _run(model, pattern, toe_out, *overrides)
            numbers[pattern, toe_out] = n = stance_numbers(result)
            if toe_out == 0.0:
                continue
            for key, (low, high, applies) in BANDS.items():
                if key not in n or applies not in (pattern, "both"):
                    continue
                if toe_out == 30.0 and key not in ("forefoot_toe_max_kpa", "mth_max_kpa", "heel_max_kpa"):
                    continue
                rows.append((f"{pattern} toe-out {toe_out:g}", key, n[key], low, high, low <= n[key] <= high))
        case = f"{pattern} heel touches down"
        rows.append((case, "heel_contact_time_s", numbers[pattern, 10.0]["heel_contact_time_s"], 1e-3, np.inf,
                     numbers[pattern, 10.0]["heel_contact_time_s"] > 1e-3))
    ratio = numbers["rearfoot", 30.0]["peak_free_moment_bw_h"] / numbers["rearfoot", 0.0]["peak_free_moment_bw_h"]
    rows.append(("rearfoot toe-out 30 / 0", "peak_free_moment_ratio", ratio, 1.1, np.inf, ratio >= 1.1))
    return rows


def figure(path) -> None:
    """docs/articulated_foot.png: rigid against articulated on the bundled runners, what the leg
    frame does with toe-out, the joint angles, the plantar map with its segments."""
    import matplotlib.pyplot as plt

    from .plots import plantar_map

    fig, ax = plt.subplots(2, 3, figsize=(16, 9.5))
    runs = {(m, p): _run(m, p, 10.0) for m in ("rigid", "articulated") for p in ("rearfoot", "forefoot")}
    for (model, pattern), r in runs.items():
        style = "-" if model == "articulated" else ":"
        colour = "C3" if pattern == "rearfoot" else "C0"
        bw = r.body_weight_n
        ax[0, 0].plot(r.time_s * 1e3, r.grf_n[:, 2] / bw, style, color=colour, label=f"{pattern}, {model}")
        ax[0, 1].plot(r.time_s * 1e3, r.grf_n[:, 1] / bw, style, color=colour, label=f"{pattern}, {model}")
    ax[0, 0].set(title="vertical GRF, toe-out 10 deg", xlabel="ms", ylabel="BW")
    ax[0, 1].set(title="medio-lateral GRF (+ medial for the right foot)", xlabel="ms", ylabel="BW")
    ax[0, 0].legend(fontsize=8)
    toe_outs = (0.0, 10.0, 20.0, 30.0)
    for model in ("rigid", "articulated"):
        for pattern, colour in (("rearfoot", "C3"), ("forefoot", "C0")):
            peaks = [stance_numbers(_run(model, pattern, t))["peak_free_moment_bw_h"] * 1e3 for t in toe_outs]
            ax[0, 2].plot(toe_outs, peaks, "o-" if model == "articulated" else "s:", color=colour,
                          label=f"{pattern}, {model}")
    ax[0, 2].axhspan(4, 12, color="0.9", zorder=0, label="issue band 4-12")
    ax[0, 2].set(title="peak free moment against toe-out (twist 0)", xlabel="toe-out (deg)", ylabel="1e-3 BW x height")
    ax[0, 2].legend(fontsize=8)
    for pattern, panel in (("rearfoot", ax[1, 0]), ("forefoot", ax[1, 1])):
        r = runs["articulated", pattern]
        for name, values in r.joints.items():
            if name != "ankle_residual":
                panel.plot(r.time_s * 1e3, np.degrees(values), label=name)
        panel.set(title=f"articulated {pattern} strike: joint angles", xlabel="ms", ylabel="deg")
        panel.legend(fontsize=7, ncol=2)
    r = runs["articulated", "forefoot"]
    plantar_map(ax[1, 2], r.mesh, r.elements["peak_pressure_pa"] / 1e3, "peak pressure (kPa)", "magma",
                segments=r.segment)
    ax[1, 2].set_title("forefoot strike, articulated: peak pressure; cyan: segments")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--figure":
        figure(sys.argv[2])
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "--sensitivity":
        print(sensitivity_table())
        sys.exit(0)
    for case, key, value, low, high, passed in must_show_table(*(sys.argv[1:] or ["articulated"])):
        print(f"{'PASS' if passed else 'FAIL'}  {case:24s} {key:38s} {value:10.4g}  [{low:g}, {high:g}]")
