"""README.md of the origin case study, written from the numbers of `sim.explain.origin_case` alone.

Every number in the text is read from `numbers` (which is `origin_case.json`); sentences whose
sense depends on a result (which factor ranks first, whether a contrast holds at every tissue
setting) are chosen from the numbers, so a regenerated study cannot leave stale claims behind.
"""

from __future__ import annotations

import math

from ..foot import HEEL_REGIONS
from .analysis import SOBOL_METRICS
from .report import (DIRECTION_NOTE, RECORD_HEAD, STEP_ASSUMPTION, fmt, index_cell, per_km_lines, record_cells,
                     sobol_table)

LIMITS = (
    "**Skin adaptation over weeks.** The model computes one stance of fixed tissue. Blisters, callus growth and "
    "the thickening and stiffening of the heel's skin (which change G0, friction and the pad itself) happen over "
    "weeks of repeated loading; the per-km numbers are a dose, not a damage model, and no threshold for a blister "
    "or a callus is known to us or built in.",
    "**No sock, no skin state.** Barefoot means dry skin on the surface's friction (scaled 0.6-1.4 here); sweat, "
    "dust, grit, wet skin (friction above 1) and the skin's own layers (the stratum corneum that blisters split) "
    "are not modelled; the tissue is one shear spring per element (the brush model, DESIGN 3.3).",
    "**A rigid foot.** The foot is one rigid body with a compliant pad on one three-axis ankle spring: no separate "
    "subtalar joint, no midfoot, no arch collapse, no flexing toes (the toe pads carry an effective thickness "
    "instead), no heel-pad bulging. How and when the "
    "heel meets the ground is decided by the rigid foot's pitch and roll and the ankle spring, which real forefoot "
    "strikers control actively.",
    "**Nothing to validate heel shear against.** No measurement of skin shear under the heel in running is known "
    "to us; the only direct numbers are from walking in shoes (25-90 kPa, Hosein & Lord 2000). The model's heel "
    "shear carries the uncertainty of G0, its compression stiffening a_s and friction; section 9 shows how much of "
    "the conclusion survives that.",
    "**One runner, one stance.** 70 kg, 1.75 m, 3.5 m/s, right foot only, steady running; inversion at touchdown, "
    "ankle stiffness, the twist profile and the touchdown velocities are the scenario's defaults, not this "
    "runner's measurements. The twist a runner actually makes is not known for this runner.",
)


def _study(numbers: dict, name: str) -> dict:
    return numbers["studies"][name]


def _ranking(study: dict, suffix: str) -> list[dict]:
    return study["sobol"]["metrics"][suffix]["ranking"]


def _top_text(study: dict, suffix: str, count: int = 2) -> str:
    rows = _ranking(study, suffix)[:count]
    return ", then ".join(f"{r['factor']} (total index {index_cell(r['total_order'], r['total_order_interval'])})"
                          for r in rows)


def _oat(study: dict, factor: str) -> dict:
    return study["oat"][factor]


def _oat_row(study: dict, factor: str, value: float) -> dict:
    curve = _oat(study, factor)
    k = min(range(len(curve["values"])), key=lambda i: abs(curve["values"][i] - value))
    return curve["rows"][k]


def _rows(numbers: dict) -> list[dict]:
    return numbers["contrast"]["rows"]


def _case(numbers: dict, pattern: str, toe_out: float, g0: float = 100e3, friction: float = 1.0) -> dict:
    return next(r["record"] for r in _rows(numbers) if r["pattern"] == pattern and r["toe_out_deg"] == toe_out
                and r["g0_pa"] == g0 and r["friction_scale"] == friction)


def _times(a: float, b: float) -> str:
    if b is None or a is None or b <= 0:
        return "n/a"
    return f"{a / b:.2g}x"


def _percent(a: float, b: float) -> str:
    if b is None or a is None or b <= 0:
        return "n/a"
    return f"{100 * a / b:.2g} %"


def _interacting(study: dict, suffix: str, count: int = 3) -> list[str]:
    """Top factors whose total index is more than twice their first-order one: they act through interactions."""
    return [r["factor"] for r in _ranking(study, suffix)[:count]
            if r["total_order"] > 0.05 and r["total_order"] > 2 * max(r["first_order"], 0.0)]


def _range_text(entry: dict) -> str:
    return f"{fmt(entry['default'], 2)} ({fmt(entry['min'], 2)}-{fmt(entry['max'], 2)})"


def _holds(entry: dict) -> str:
    n, k = entry["combinations"], entry["origin_larger_in"]
    if k == n:
        return f"larger for the origin runner in all {n} combinations"
    if k == 0:
        return f"smaller for the origin runner in all {n} combinations"
    return f"larger for the origin runner in {k} of {n} combinations"


def _base_table(numbers: dict) -> list[str]:
    cases = (("forefoot", 30.0, "the origin runner: forefoot, toe-out 30 deg"), ("forefoot", 15.0, "forefoot, toe-out 15 deg"),
             ("forefoot", 0.0, "forefoot, toe-out 0 deg"), ("rearfoot", 10.0, "rearfoot, toe-out 10 deg"),
             ("rearfoot", 30.0, "rearfoot, toe-out 30 deg"))
    lines = [f"| case | {RECORD_HEAD} | contact time (ms) | frictional work per km, region (J) | shear-time integral "
             "per km, worst element (kPa s) |", "|---" * 11 + "|"]
    for pattern, toe_out, label in cases:
        r = _case(numbers, pattern, toe_out)
        extra = ([fmt(r["contact_time_ms"]), fmt(r["per_km"]["region_friction_work_j"]),
                  fmt(r["per_km"]["peak_shear_time_integral_kpa_s"])] if r["status"] == "done" else ["", "", ""])
        lines.append(f"| {label} | " + " | ".join(record_cells(r) + extra) + " |")
    return lines


def _direction_table(study: dict) -> list[str]:
    curve = _oat(study, "toe_out")
    lines = ["| toe-out (deg) | peak shear (kPa) | angle in the foot frame (deg) | medial component | angle to the "
             "direction of running (deg) |", "|---|---|---|---|---|"]
    for value, r in zip(curve["values"], curve["rows"]):
        if r["status"] != "done":
            lines.append(f"| {value:g} | failed | | | |")
            continue
        d = r["direction"]
        lines.append(f"| {value:g} | {fmt(r['peak_shear_kpa'])} | {fmt(d['angle_deg'])} | "
                     f"{fmt(d['medial_component'], 2)} | {fmt(d['ground_angle_deg'])} |")
    return lines


def _sensitivity_table(numbers: dict) -> list[str]:
    names = {"forefoot_0": "forefoot, toe-out 0 deg", "forefoot_15": "forefoot, toe-out 15 deg",
             "rearfoot_10": "rearfoot, toe-out 10 deg", "rearfoot_30": "rearfoot, toe-out 30 deg"}
    sens = numbers["contrast"]["tissue_sensitivity"]
    quantities = list(next(iter(sens.values())))
    lines = ["| origin runner / | " + " | ".join(quantities) + " |", "|---" * (len(quantities) + 1) + "|"]
    for key, label in names.items():
        cells = [f"{_range_text(sens[key][q])}; {sens[key][q]['origin_larger_in']}/{sens[key][q]['combinations']} > 1"
                 for q in quantities]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _tissue_indices(study: dict) -> str:
    parts = []
    for suffix, what, _ in SOBOL_METRICS:
        for row in _ranking(study, suffix):
            if row["factor"] in ("g0", "friction"):
                parts.append(f"{row['factor']} on {what} {index_cell(row['total_order'], row['total_order_interval'])}")
    return "; ".join(parts)


def _swing(study: dict, factor: str, get) -> tuple[float, float]:
    values = [get(r) for r in _oat(study, factor)["rows"] if r["status"] == "done"]
    values = [v for v in values if v is not None and math.isfinite(v)]
    return (min(values), max(values)) if values else (math.nan, math.nan)


OAT_COLUMNS = (("peak shear (kPa)", lambda r: r["peak_shear_kpa"]), ("slip (mm)", lambda r: r["slip_mm"]),
               ("frictional work (mJ)", lambda r: r["friction_work_mj"]),
               ("frictional work per km, region (J)", lambda r: r["per_km"]["region_friction_work_j"]),
               ("shear direction (deg)", lambda r: r["direction"]["angle_deg"]))


def _oat_table(study: dict) -> list[str]:
    """Each factor's range one at a time around the base: min-max of the region's numbers."""
    lines = ["| factor | range | " + " | ".join(c for c, _ in OAT_COLUMNS) + " |", "|---" * (len(OAT_COLUMNS) + 2) + "|"]
    for f in study["study"]["factors"]:
        cells = []
        for _, get in OAT_COLUMNS:
            low, high = _swing(study, f["name"], get)
            cells.append(f"{fmt(low)} to {fmt(high)}")
        shown = f"{f['low'] * f['show_scale']:g} to {f['high'] * f['show_scale']:g} {f['unit']}".rstrip()
        lines.append(f"| {f['name']} | {shown} | " + " | ".join(cells) + " |")
    return lines


def _largest_swing(study: dict, get) -> tuple[str, float, float]:
    swings = {f["name"]: _swing(study, f["name"], get) for f in study["study"]["factors"]}
    name = max(swings, key=lambda k: (swings[k][1] - swings[k][0]) if math.isfinite(swings[k][0]) else -1.0)
    return name, *swings[name]


HEEL_CASES = (("forefoot", 0.0), ("forefoot", 15.0), ("forefoot", 30.0), ("rearfoot", 10.0))


def _heel(record: dict, name: str, what: str = "peak_shear_kpa") -> float:
    return record["all_regions"][name][what]


def _worst_heel(record: dict) -> str:
    return max(HEEL_REGIONS, key=lambda name: _heel(record, name))


def _heel_table(numbers: dict) -> list[str]:
    """Peak shear (and peak pressure) of every heel region for the origin runner and the contrasts."""
    lines = ["| case | " + " | ".join(HEEL_REGIONS) + " | worst heel region |", "|---" * (len(HEEL_REGIONS) + 2) + "|"]
    for pattern, toe_out in HEEL_CASES:
        r = _case(numbers, pattern, toe_out)
        if r["status"] != "done":
            continue
        cells = [f"{fmt(_heel(r, name))} ({fmt(_heel(r, name, 'peak_pressure_kpa'))})" for name in HEEL_REGIONS]
        lines.append(f"| {pattern}, toe-out {toe_out:g} deg | " + " | ".join(cells) + f" | {_worst_heel(r)} |")
    return lines


def _shared_or_dominant(study: dict, suffix: str) -> str:
    rows = _ranking(study, suffix)
    first, second = rows[0]["total_order"], rows[1]["total_order"] if len(rows) > 1 else 0.0
    if first >= 0.5 and second < 0.5 * first:
        return f"dominated by {rows[0]['factor']}"
    return "shared among several factors"


def readme(numbers: dict) -> str:
    region = numbers["region"]
    every, forefoot = _study(numbers, "all_strikes"), _study(numbers, "forefoot_only")
    origin, rear = _case(numbers, "forefoot", 30.0), _case(numbers, "rearfoot", 10.0)
    zero, fifteen = _case(numbers, "forefoot", 0.0), _case(numbers, "forefoot", 15.0)
    sens = numbers["contrast"]["tissue_sensitivity"]
    top_every = _ranking(every, "peak_shear_kpa")[0]
    shear_name, shear_low, shear_high = _largest_swing(forefoot, lambda r: r["peak_shear_kpa"])
    work_name, work_low, work_high = _largest_swing(forefoot, lambda r: r["friction_work_mj"])
    skid = forefoot["sobol"]["metrics"]["slip_mm"]["spread"]
    timing = numbers["timing"]
    made = numbers.get("git_commit") or "unknown"
    lines = ["# The origin case: what drives the shear on the outer back edge of the heel?", "",
             (f"Written at commit {made}; {timing['already']} of its scenarios come from sweep files computed earlier."
              if timing["already"] else f"Made at commit {made}."), "",
             "A barefoot runner who lands on the forefoot, feet turned out about 30 degrees, heels touching down briefly "
             "in mid-stance, gets blisters and then calluses on the outer back edge of the heel (footsim's region "
             "`heel_posterolateral`). Candidate causes: a heel strike, the toe-out, twisting the foot at push-off, "
             "over-striding. This is footsim's answer, the numbers it rests on, and what it cannot say.", "",
             "Regenerate everything here (figures, `origin_case.json`, this file) from the repository's root with", "",
             f"    {numbers['command']}", "",
             f"{timing['scenarios']} scenarios. " + (
                 f"The run that wrote this file computed {timing['computed']} of them in {timing['wall_s'] / 60:.1f} min "
                 f"of wall time with {timing['workers']} worker processes"
                 + (f" ({timing['already']} were already in the sweep files)" if timing["already"] else "")
                 if timing["computed"] else
                 f"The run that wrote this file found them all in the sweep files and took {timing['wall_s'] / 60:.1f} min")
             + ". The HDF5 sweep files under `data/` and `*/data/` are not committed; an interrupted run resumes from them.",
             "",
             "## The answer in short", ""]
    lightly = origin["status"] == "done" and origin["peak_pressure_kpa"] < 0.1 * rear["peak_pressure_kpa"]
    lines.append(
        f"1. **In the model this runner's heel {'barely touches' if lightly else 'touches'} the ground.** Under the origin scenario "
        f"(`scenarios/forefoot_toeout30_barefoot.toml`) the posterolateral heel's peak pressure is "
        f"{fmt(origin['peak_pressure_kpa'])} kPa and its peak skin shear {fmt(origin['peak_shear_kpa'])} kPa; "
        f"{origin['touched_fraction']:.0%} of its elements touch the ground at all, for at most "
        f"{fmt(origin['contact_time_ms'])} ms. A rearfoot striker's same region sees {fmt(rear['peak_pressure_kpa'])} kPa "
        f"and {fmt(rear['peak_shear_kpa'])} kPa ({_times(rear['peak_shear_kpa'], origin['peak_shear_kpa'])} the origin "
        "runner's shear). The origin runner's worst shear is under the forefoot, not the heel "
        "(`all_strikes/maps_base.png`).")
    worst_heel = _worst_heel(origin) if origin["status"] == "done" else region
    if worst_heel != region:
        grow = {name: _times(_heel(origin, name), _heel(zero, name)) for name in (region, worst_heel)}
        lines += [
            "",
            f"   **And where it touches, the model loads another part of the heel more.** For the origin runner "
            f"{worst_heel} sees {fmt(_heel(origin, worst_heel))} kPa peak shear at {fmt(_heel(origin, worst_heel, 'peak_pressure_kpa'))} "
            f"kPa peak pressure, against {fmt(origin['peak_shear_kpa'])} kPa at {fmt(origin['peak_pressure_kpa'])} kPa on "
            f"{region}; from 0 to 30 deg toe-out {worst_heel}'s shear grows {grow[worst_heel]}, {region}'s {grow[region]} "
            f"(the worst heel region at 0 deg toe-out is {_worst_heel(zero)}). The model does not put this runner's heel "
            "load on the outer back edge where the calluses grow (section 2).", ""]
    lines.append(
        "2. **Over every candidate cause, whether the heel lands first decides the heel's peak shear.** Ranked by total "
        f"Sobol index over strike angles from -15 (forefoot first) to +20 deg (heel first): {_top_text(every, 'peak_shear_kpa')}. "
        + (f"A heel strike puts {'an order of magnitude' if rear['peak_shear_kpa'] >= 10 * origin['peak_shear_kpa'] else _times(rear['peak_shear_kpa'], origin['peak_shear_kpa'])} "
           "more shear on this region than the origin runner's forefoot strike; this runner does not heel-strike, so the "
           "other causes are judged among forefoot strikes."
           if top_every["factor"] == "strike_angle" else f"The strike angle is not first: {top_every['factor']} is."))
    interacting = sorted(set(_interacting(forefoot, "peak_shear_kpa")) | set(_interacting(forefoot, "log10_friction_work_mj")))
    pressure = {name: _swing(forefoot, name, lambda r: r["peak_pressure_kpa"]) for name in ("overstride", "strike_angle")
                if name in forefoot["oat"]}
    lines.append(
        f"3. **Among forefoot strikes (-15 to -2 deg) the heel's peak shear is {_shared_or_dominant(forefoot, 'peak_shear_kpa')}:** "
        f"{_top_text(forefoot, 'peak_shear_kpa', 3)}. Its frictional work, on a log scale, is "
        f"{_shared_or_dominant(forefoot, 'log10_friction_work_mj')}: {_top_text(forefoot, 'log10_friction_work_mj', 3)}."
        + (" Over-stride and strike angle set how hard the heel comes down in mid-stance (its peak pressure spans "
           + " and ".join(f"{fmt(lo)}-{fmt(hi)} kPa over the {name.replace('_', ' ')} range"
                          for name, (lo, hi) in pressure.items()) + " with the rest at the origin runner's values)."
           if pressure else "")
        + (f" Acting mostly through interactions with the other factors (total index more than twice the first-order "
           f"one): {', '.join(interacting)}." if interacting else ""))
    same = shear_name == work_name
    lines.append(
        f"4. **Around the origin runner, one factor at a time, {shear_name} moves the heel's peak shear most** "
        f"({fmt(shear_low)} to {fmt(shear_high)} kPa over its range)"
        + (" **and its frictional work too**" if same else f" **and {work_name} its frictional work**")
        + f" ({fmt(work_low)} to {fmt(work_high)} mJ per stance, against {fmt(origin['friction_work_mj'])} mJ at the base)"
        + (": a twist at push-off drags the heel skin across the ground while the heel is down. Whether this runner "
           "twists is not known; the scenario assumes no twist." if work_name == "twist" else "."))
    raises = origin["peak_shear_kpa"] > zero["peak_shear_kpa"]
    turns = abs(origin["direction"]["medial_component"] or 0.0) > abs(zero["direction"]["medial_component"] or 0.0)
    lines.append(
        f"5. **Toe-out {'loads' if raises else 'does not load'} the forefoot striker's posterolateral heel more"
        f"{' and turns its shear across the heel' if turns else ''}.** "
        f"From 0 to 30 deg toe-out the region's peak shear goes from {fmt(zero['peak_shear_kpa'])} to "
        f"{fmt(origin['peak_shear_kpa'])} kPa ({_times(origin['peak_shear_kpa'], zero['peak_shear_kpa'])}; "
        f"{fmt(fifteen['peak_shear_kpa'])} kPa at 15 deg), its frictional work per km from "
        f"{fmt(zero['per_km']['region_friction_work_j'])} to {fmt(origin['per_km']['region_friction_work_j'])} J "
        f"({_times(origin['per_km']['region_friction_work_j'], zero['per_km']['region_friction_work_j'])}), and the "
        f"ground's pull on the heel skin turns from {fmt(zero['direction']['angle_deg'])} to "
        f"{fmt(origin['direction']['angle_deg'])} deg in the foot frame (0 = toward the toes, +90 = medial). For a "
        f"rearfoot striker toe-out changes the region's peak shear little ({fmt(_case(numbers, 'rearfoot', 0.0)['peak_shear_kpa'])} "
        f"kPa at 0 deg, {fmt(_case(numbers, 'rearfoot', 30.0)['peak_shear_kpa'])} kPa at 30 deg).")
    toe_holds = all(e["origin_larger_in"] == e["combinations"] for e in sens["forefoot_0"].values())
    heel_holds = all(e["origin_larger_in"] == 0 for e in sens["rearfoot_10"].values())
    lines.append(
        f"6. **The toe-out contrast {'survives' if toe_holds else 'does not fully survive'} the uncertain tissue "
        f"parameters; the comparison with a heel strike {'does too' if heel_holds else 'only partly does'}.** Origin runner over the same runner at 0 deg toe-out, peak shear "
        f"{_range_text(sens['forefoot_0']['peak shear stress'])}, {_holds(sens['forefoot_0']['peak shear stress'])} of "
        "G0 (50, 100, 500 kPa) and friction (x0.6, x1, x1.4); frictional work per km "
        f"{_range_text(sens['forefoot_0']['frictional work per km (region)'])}, "
        f"{_holds(sens['forefoot_0']['frictional work per km (region)'])}. Against a rearfoot striker the origin "
        f"runner's peak heel shear is {_range_text(sens['rearfoot_10']['peak shear stress'])} of it "
        f"({_holds(sens['rearfoot_10']['peak shear stress'])}), but its frictional work per km is "
        f"{_range_text(sens['rearfoot_10']['frictional work per km (region)'])} of the heel striker's, "
        f"{_holds(sens['rearfoot_10']['frictional work per km (region)'])}: which heel's skin does more frictional "
        "work depends on the tissue's shear modulus G0, known only to lie somewhere in 50-500 kPa (DESIGN 3.3).")
    causes = []
    if "overstride" in pressure or "strike_angle" in pressure:
        causes.append("how hard the heel comes down in mid-stance (over-stride, strike angle)")
    if origin["status"] == zero["status"] == "done" and origin["peak_shear_kpa"] > zero["peak_shear_kpa"]:
        causes.append("the toe-out, which raises the heel's shear and turns it across the heel")
    if work_name == "twist":
        causes.append("a twist at push-off, if the runner makes one, which makes the heel skin slide")
    lines += ["",
              f"So, as far as this model can tell: this runner's posterolateral heel is lightly loaded "
              f"({fmt(origin['peak_shear_kpa'])} kPa peak shear, {_percent(origin['peak_shear_kpa'], rear['peak_shear_kpa'])} "
              "of a heel strike's), and a heel strike is not what loads it"
              + (". What does: " + "; ".join(causes) + "." if causes else ".")
              + " None of them is the single cause, and each acts on a heel that carries tens of kPa where a heel strike "
              "puts hundreds."
              + (f" And the model does not explain where the calluses are: with this runner's toe-out its heel is loaded "
                 f"more on {worst_heel} than on the outer back edge. The place to look is the rigid foot on one ankle "
                 "joint: how the heel rolls in or out under load is set there by one inversion-eversion spring and the "
                 "touchdown inversion (see the limits)."
                 if worst_heel != region else "")
              + " The model computes mechanical doses; it cannot say which dose makes a blister or a callus.",
              ""]
    lines += ["## 1. How much does the heel touch?", "",
              "Posterolateral heel at G0 = 100 kPa and friction x1 (the scenario defaults), from `data/contrast.h5`:", "",
              *_base_table(numbers), "",
              f"The origin runner's posterolateral heel comes down late and lightly, with "
              f"{_percent(origin['peak_pressure_kpa'], rear['peak_pressure_kpa'])} of a heel striker's peak pressure. Where the "
              "model's heel barely touches, its shear rests on part of the region for part of the stance, and small "
              "changes of the touchdown move it by large factors (sections 4 and 5).", "",
              "![contrast maps](contrast_maps.png)", "",
              "## 2. Where on the heel?", "",
              "Peak shear stress (kPa) of each heel region's worst element, its peak pressure (kPa) in brackets; same "
              "runs as section 1. In the maps above the medial side is on the left.", "",
              *_heel_table(numbers), "",
              "## 3. Which factor drives it, over every candidate cause", "",
              f"`all_strikes/`: Sobol indices (Saltelli design, {every['study']['n']} base points, "
              f"{every['sobol']['done']} of {every['sobol']['scenarios']} runs finished) over six factors; the full "
              "tables, curves and maps are in `all_strikes/report.md`.", ""]
    for suffix in ("peak_shear_kpa", "log10_friction_work_mj"):
        lines += sobol_table(every, suffix) + [""]
    lines += ["![all strikes](all_strikes/sobol_bars.png)", "",
              "## 4. Which factor drives it, given a forefoot strike", "",
              "`forefoot_only/`: the same study with the strike angle held to forefoot strikes (-15 to -2 deg; the "
              "forefoot class is below -1.6 deg, DESIGN 2).", ""]
    for suffix, _, _ in SOBOL_METRICS:
        lines += sobol_table(forefoot, suffix) + [""]
    skid_at = ", ".join(f"{k} {fmt(v)}" for k, v in skid.get("max_at", {}).items())
    lines += ["The raw slip and frictional work are heavy-tailed: their variance belongs to the few runs where the "
              f"whole foot skids (slip up to {fmt(skid.get('max'))} mm in one stance, at {skid_at}), so their raw "
              "indices have wide intervals and mostly say which combination makes the foot skid; the log10 indices say "
              "which factor changes the heel's sliding by the largest factors.", "",
              "![forefoot only](forefoot_only/sobol_bars.png)", "",
              "## 5. One factor at a time around the origin runner", "",
              "Each factor over its range with the others at the origin runner's values (`forefoot_only/`; minimum to "
              "maximum over the curve):", "", *_oat_table(forefoot), "",
              "![one at a time](forefoot_only/oat_curves.png)", "",
              "![extremes](forefoot_only/maps_extremes.png)", "",
              "## 6. Contrasts: a rearfoot striker, 0 and 15 deg toe-out", "",
              "`data/contrast.h5`: forefoot and rearfoot strikes (each pattern's default touchdown) at 0, 10, 15 and 30 "
              "deg toe-out, everything else as the origin runner"
              + (" (the rearfoot, 10 deg row is exactly `scenarios/rearfoot_barefoot.toml`)"
                 if numbers["contrast"]["rearfoot_10_is_bundled_scenario"] else "")
              + "; the table in section 1 gives the numbers at the default tissue.", "",
              "![contrast](contrast.png)", "",
              "## 7. Direction: does toe-out turn the braking force into a medio-lateral shear across the heel?", "",
              DIRECTION_NOTE, "", *_direction_table(every), ""]
    if origin["status"] == "done" and zero["status"] == "done":
        d = origin["direction"]
        forward = abs(d["ground_angle_deg"]) < 90
        lines += [f"For the origin runner the ground pulls the heel skin at {fmt(d['angle_deg'])} deg in the foot "
                  f"frame, {fmt(d['ground_angle_deg'])} deg to the direction of running: "
                  + ("forward, against the braking force on the foot, which points backward. In the brush model that "
                     "means the heel sits behind the point where its skin stuck to the ground: the heel moves backward "
                     "over its own skin in mid-stance, and the braking force is not what shears it. "
                     if forward else "backward, with the braking force. ")
                  + "That pull stays near the line of running whatever the toe-out, so in a turned-out foot it crosses "
                  f"the heel obliquely: its medial component is {fmt(d['medial_component'], 2)} at 30 deg toe-out against "
                  f"{fmt(zero['direction']['medial_component'], 2)} at 0 deg. So toe-out does turn the heel's shear "
                  "medio-lateral across the heel (the skin pulled medially, the heel moving laterally over it), but "
                  "what it turns is not the braking force.", ""]
    lines += ["## 8. Per kilometre", "", STEP_ASSUMPTION, "", "The origin runner:", "", *per_km_lines(origin), "",
              "A rearfoot striker (toe-out 10 deg):", "", *per_km_lines(rear), "",
              "## 9. How much rests on the uncertain tissue parameters", "",
              "Each contrast at every combination of G0 = 50, 100, 500 kPa (DESIGN 3.3's plausible range) and friction "
              "x0.6, x1, x1.4 (static mu 0.48 to 1.12: dry to moist skin): the origin runner's value over the contrast "
              "case's at the defaults (min-max over the nine combinations); 'k/9 > 1' counts the combinations where "
              "the origin runner's is larger.", "",
              *_sensitivity_table(numbers), "",
              f"Total Sobol indices of the tissue parameters among forefoot strikes: {_tissue_indices(forefoot)}.", "",
              "## What the model cannot say", ""]
    lines += [f"- {text}" for text in LIMITS]
    lines += ["", "## Files", "",
              "- `origin_case.json`: every number above (both studies, the contrast rows, the ratios).",
              "- `all_strikes/`, `forefoot_only/`: each a `footsim explain` study with its `report.md`, `explain.json`, "
              "pictures and sweep files (`sweeps/*.toml`); `data/` holds the HDF5 sweep files (not committed).",
              "- `sweeps/contrast.toml`: the contrast grid; `contrast.png`, `contrast_maps.png`.", ""]
    return "\n".join(lines)
