"""README.md of the origin case study, written from the numbers of `sim.explain.origin_case` alone.

Every number in the text is read from `numbers` (which is `origin_case.json`); sentences whose
sense depends on a result (which factor ranks first, whether a contrast holds at every tissue
setting) are chosen from the numbers, so a regenerated study cannot leave stale claims behind.
"""

from __future__ import annotations

import math

from .analysis import SOBOL_METRICS
from .report import DIRECTION_NOTE, STEP_ASSUMPTION, fmt, index_cell, per_km_lines, record_cells, RECORD_HEAD, sobol_table

LIMITS = (
    "**Skin adaptation over weeks.** The model computes one stance of fixed tissue. Blisters, callus growth and "
    "the thickening and stiffening of the heel's skin (which change G0, friction and the pad itself) happen over "
    "weeks of repeated loading; the per-km numbers are a dose, not a damage model, and no threshold for a blister "
    "or a callus is known to us or built in.",
    "**No sock, no skin state.** Barefoot means dry skin on the surface's friction (scaled 0.6-1.4 here); sweat, "
    "dust, grit, wet skin (friction above 1) and the skin's own layers (the stratum corneum that blisters split) "
    "are not modelled; the tissue is one shear spring per element (the brush model, DESIGN 3.3).",
    "**A rigid foot.** The foot is one rigid body with a compliant pad: no midfoot, no arch collapse, no "
    "flexing toes (the toe pads carry an effective thickness instead), no heel-pad bulging. How and when the "
    "heel meets the ground is decided by the rigid foot's pitch and roll and the ankle spring, which real forefoot "
    "strikers control actively.",
    "**Nothing to validate heel shear against.** No measurement of skin shear under the heel in running is known "
    "to us; the only direct numbers are from walking in shoes (25-90 kPa, Hosein & Lord 2000). The model's heel "
    "shear carries the uncertainty of G0, its compression stiffening a_s and friction; section 6 shows how much of "
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


def readme(numbers: dict) -> str:
    every, forefoot = _study(numbers, "all_strikes"), _study(numbers, "forefoot_only")
    origin, rear = _case(numbers, "forefoot", 30.0), _case(numbers, "rearfoot", 10.0)
    zero, fifteen = _case(numbers, "forefoot", 0.0), _case(numbers, "forefoot", 15.0)
    sens = numbers["contrast"]["tissue_sensitivity"]
    base = every["base"]
    top_every = _ranking(every, "peak_shear_kpa")[0]
    twist_high = _oat_row(every, "twist", every["study"]["factors"][[f["name"] for f in every["study"]["factors"]].index("twist")]["high"]) \
        if "twist" in every["oat"] else None
    timing = numbers["timing"]
    lines = ["# The origin case: what drives the shear on the outer back edge of the heel?", "",
             "A barefoot runner who lands on the forefoot, feet turned out about 30 degrees, heels touching down briefly "
             "in mid-stance, gets blisters and then calluses on the outer back edge of the heel (footsim's region "
             "`heel_posterolateral`). Candidate causes: a heel strike, the toe-out, twisting the foot at push-off, "
             "over-striding. This is footsim's answer, with the numbers it rests on and what it cannot say.", "",
             "Regenerate everything here (figures, `origin_case.json`, this file) with", "", f"    {numbers['command']}", "",
             f"({timing['scenarios']} scenarios; the run that wrote this file took {timing['wall_s'] / 60:.1f} min "
             f"of wall time with {timing['workers']} worker processes and computed {timing['computed']} of them, "
             f"{timing['already']} were already in the sweep files of `*/data/` and `data/`, which are not committed).", "",
             "## The answer in short", ""]
    # 1. how much the heel touches
    lines.append(
        f"1. **In the model this runner's heel barely touches the ground.** Under the origin scenario "
        f"(`scenarios/forefoot_toeout30_barefoot.toml`) the posterolateral heel's peak pressure is "
        f"{fmt(origin['peak_pressure_kpa'])} kPa and its peak skin shear {fmt(origin['peak_shear_kpa'])} kPa, "
        f"{origin['touched_fraction']:.0%} of its elements touch, for at most {fmt(origin['contact_time_ms'])} ms; a "
        f"rearfoot striker's same region sees {fmt(rear['peak_pressure_kpa'])} kPa and {fmt(rear['peak_shear_kpa'])} kPa "
        f"({_times(rear['peak_shear_kpa'], origin['peak_shear_kpa'])} the origin runner's shear). The origin runner's "
        f"worst shear is not at the heel at all but under the forefoot (see `all_strikes/maps_base.png`).")
    lines.append(
        f"2. **Across every candidate cause, whether the heel lands first decides the heel's peak shear.** "
        f"Ranked by total Sobol index over strike angles from -15 (forefoot) to +20 deg (heel first): "
        f"{_top_text(every, 'peak_shear_kpa')}. " + (
            "A heel strike would produce an order of magnitude more heel shear than anything a forefoot striker does; "
            "this runner does not heel-strike, so the other causes have to be judged among forefoot strikes."
            if top_every["factor"] == "strike_angle" else
            f"The strike angle is not first: {top_every['factor']} is."))
    lines.append(
        f"3. **Among forefoot strikes (-15 to -2 deg) the heel's peak shear is shared among several factors:** "
        f"{_top_text(forefoot, 'peak_shear_kpa', 3)}. Its slip and frictional work are driven by "
        f"{_top_text(forefoot, 'friction_work_mj', 2)} (frictional work).")
    if twist_high is not None and twist_high["status"] == "done" and base["status"] == "done":
        lines.append(
            f"4. **Twisting at push-off is what makes the heel skin slide.** With the other factors at the origin "
            f"runner's values, a twist of {fmt(_oat(every, 'twist')['values'][-1])} deg raises the region's slip from "
            f"{fmt(base['slip_mm'])} to {fmt(twist_high['slip_mm'])} mm and its frictional work from "
            f"{fmt(base['friction_work_mj'])} to {fmt(twist_high['friction_work_mj'])} mJ per stance "
            f"({_times(twist_high['friction_work_mj'], base['friction_work_mj'])}), and the peak shear from "
            f"{fmt(base['peak_shear_kpa'])} to {fmt(twist_high['peak_shear_kpa'])} kPa; twisting the other way "
            "(toes turned in) does much the same. Whether this runner twists is not known.")
    lines.append(
        f"5. **Toe-out loads the forefoot striker's posterolateral heel more and turns its shear across the heel.** "
        f"From 0 to 30 deg toe-out the region's peak shear goes from {fmt(zero['peak_shear_kpa'])} to "
        f"{fmt(origin['peak_shear_kpa'])} kPa ({_times(origin['peak_shear_kpa'], zero['peak_shear_kpa'])}), its "
        f"frictional work per km from {fmt(zero['per_km']['region_friction_work_j'])} to "
        f"{fmt(origin['per_km']['region_friction_work_j'])} J ({_times(origin['per_km']['region_friction_work_j'], zero['per_km']['region_friction_work_j'])}), "
        f"and the direction of the ground's pull on the heel skin turns from {fmt(zero['direction']['angle_deg'])} to "
        f"{fmt(origin['direction']['angle_deg'])} deg in the foot frame (0 = toward the toes, +90 = medial). "
        f"At 15 deg: {fmt(fifteen['peak_shear_kpa'])} kPa. For a rearfoot striker toe-out changes the same region's "
        f"peak shear little ({fmt(_case(numbers, 'rearfoot', 0.0)['peak_shear_kpa'])} kPa at 0 deg, "
        f"{fmt(_case(numbers, 'rearfoot', 30.0)['peak_shear_kpa'])} kPa at 30 deg).")
    lines.append(
        f"6. **The toe-out contrast survives the uncertain tissue parameters; the comparison with a heel strike "
        f"partly does not.** Origin runner over the same runner at 0 deg toe-out, peak shear: "
        f"{_range_text(sens['forefoot_0']['peak shear stress'])}, {_holds(sens['forefoot_0']['peak shear stress'])} "
        f"of G0 (50, 100, 500 kPa) and friction (x0.6, 1, 1.4); frictional work per km: "
        f"{_range_text(sens['forefoot_0']['frictional work per km (region)'])}, "
        f"{_holds(sens['forefoot_0']['frictional work per km (region)'])}. Against a rearfoot striker, the origin "
        f"runner's peak heel shear is {_range_text(sens['rearfoot_10']['peak shear stress'])} of it "
        f"({_holds(sens['rearfoot_10']['peak shear stress'])}), but its frictional work per km is "
        f"{_range_text(sens['rearfoot_10']['frictional work per km (region)'])} of the heel striker's, "
        f"{_holds(sens['rearfoot_10']['frictional work per km (region)'])}: which runner's heel skin does more "
        "frictional work depends on the tissue's shear modulus G0, which nobody has measured in running.")
    lines += ["", "So, as far as this model can tell: the posterolateral heel of this runner is lightly loaded, and "
              "what loads it is how the heel meets the ground in mid-stance, not a heel strike. Among the runner's own "
              "habits, toe-out raises the heel's shear and turns it across the heel, and a twist at push-off (if the "
              "runner makes one) multiplies the skin's sliding; both act on a heel that carries a few tens of kPa, "
              "an order of magnitude below a heel strike's. The model cannot say that these loads cause blisters.", ""]
    # sections with the tables
    lines += ["## 1. How much does the heel touch?", "",
              f"Posterolateral heel at G0 = 100 kPa and friction x1 (the scenario defaults); from `data/contrast.h5`.", "",
              *_base_table(numbers), "",
              f"The origin runner's posterolateral heel touches down late and lightly: its peak pressure is "
              f"{_times(origin['peak_pressure_kpa'], rear['peak_pressure_kpa'])} a heel striker's. Where the model's heel "
              "barely touches, the shear numbers rest on few elements and a short contact, and small changes of the "
              "touchdown (strike angle, over-stride) move them by large factors (section 3).", "",
              "![contrast maps](contrast_maps.png)", "",
              "## 2. Which factor drives it, over every candidate cause", "",
              "`all_strikes/`: Sobol indices over the six factors below (Saltelli design, "
              f"{every['study']['n']} base points, {every['sobol']['done']} of {every['sobol']['scenarios']} runs "
              "finished), one-at-a-time curves and maps in `all_strikes/report.md`.", ""]
    for suffix in ("peak_shear_kpa", "friction_work_mj"):
        lines += sobol_table(every, suffix) + [""]
    lines += ["![all strikes](all_strikes/sobol_bars.png)", "",
              "## 3. Which factor drives it, given a forefoot strike", "",
              "`forefoot_only/`: the same study with the strike angle held to forefoot strikes (-15 to -2 deg; the "
              "forefoot class is below -1.6 deg).", ""]
    for suffix, _, _ in SOBOL_METRICS:
        lines += sobol_table(forefoot, suffix) + [""]
    lines += ["The frictional work and slip vary over orders of magnitude across the design (p5 to p95 above), so their "
              "variance is carried by the few runs with most sliding; their indices have wide intervals. The "
              "one-at-a-time curves show the same factors acting one by one:", "",
              "![one at a time](forefoot_only/oat_curves.png)", "",
              "## 4. Contrasts: a rearfoot striker, 0 and 15 deg toe-out", "",
              "`data/contrast.h5`: forefoot and rearfoot strikes (the strike pattern's default touchdown) at 0, 10, 15 "
              "and 30 deg toe-out, everything else as the origin runner"
              + (" (the rearfoot, 10 deg row is exactly `scenarios/rearfoot_barefoot.toml`)"
                 if numbers["contrast"]["rearfoot_10_is_bundled_scenario"] else "") + ".", "",
              "![contrast](contrast.png)", "",
              "## 5. Direction: does toe-out turn the braking force into a medio-lateral shear across the heel?", "",
              f"{DIRECTION_NOTE}", "", *_direction_table(every), ""]
    if base["status"] == "done":
        d = base["direction"]
        forward = abs(d["ground_angle_deg"]) < 90
        lines += [f"For the origin runner the ground pulls the heel skin at {fmt(d['angle_deg'])} deg in the foot frame, "
                  f"{fmt(d['ground_angle_deg'])} deg to the direction of running: "
                  + ("forward, the opposite of the braking force on the foot. The heel skin is held by the ground "
                     "while the heel creeps backward under it in mid-stance; it is not the braking force that shears it. "
                     if forward else "backward, the direction of the braking force. ")
                  + "That pull stays close to the line of running whatever the toe-out, so in a turned-out foot it "
                  f"crosses the heel obliquely: its medial component is {fmt(d['medial_component'], 2)} at "
                  f"{fmt(_case(numbers, 'forefoot', 30.0)['direction']['angle_deg'])} deg against "
                  f"{fmt(zero['direction']['medial_component'], 2)} at 0 deg toe-out. So yes, toe-out turns the heel's "
                  "shear into a medio-lateral (here: skin pulled medially, bone moving laterally) shear across the heel, "
                  "though it is not the braking force being turned.", ""]
    lines += ["## 6. Per kilometre", "", f"{STEP_ASSUMPTION}", "", "The origin runner:", "", *per_km_lines(origin), "",
              "A rearfoot striker (toe-out 10 deg):", "", *per_km_lines(rear), "",
              "## 7. How much rests on the uncertain tissue parameters", "",
              "The contrasts at every combination of G0 = 50, 100, 500 kPa and friction x0.6, x1, x1.4: the origin "
              "runner's value over the contrast case's, at the defaults (min-max over the nine combinations); "
              "'k/9 > 1' counts the combinations where the origin runner's is larger.", "",
              *_sensitivity_table(numbers), "",
              f"Total Sobol indices of the tissue parameters among forefoot strikes: {_tissue_indices(forefoot)}.", "",
              "## What the model cannot say", ""]
    lines += [f"- {text}" for text in LIMITS]
    lines += ["", "## Files", "",
              "- `origin_case.json`: every number above (the two studies' numbers, the contrast rows, the ratios).",
              "- `all_strikes/`, `forefoot_only/`: each a `footsim explain` study with its own `report.md`, "
              "`explain.json`, pictures and sweep files (`sweeps/*.toml`); `data/` holds the HDF5 sweep files "
              "(not committed; the command above rebuilds them, resuming whatever is there).",
              "- `sweeps/contrast.toml`: the contrast grid; `contrast.png`, `contrast_maps.png`.", ""]
    return "\n".join(lines)
