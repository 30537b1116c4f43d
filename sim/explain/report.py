"""Markdown and JSON of an explain study: every number comes from `analysis.study_numbers`.

The tables are shared with the origin case study (`sim.explain.origin_case`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .analysis import LOG_FLOOR, LOG_PREFIX, SOBOL_METRICS
from .factors import Factor


def fmt(value: float, digits: int = 3) -> str:
    """A number for a table: `digits` significant figures (whole numbers from 1000 to 1e6); NaN as n/a."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if 1e3 <= abs(value) < 1e6:
        return f"{value:.0f}"
    return f"{value:.{digits}g}"


def index_cell(value: float, interval: list[float]) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.2f} [{interval[0]:.2f}, {interval[1]:.2f}]"


def _factor(study: dict, name: str) -> dict:
    return next(f for f in study["factors"] if f["name"] == name)


def _range(f: dict) -> str:
    scale = f["show_scale"]
    text = f"{f['low'] * scale:g} to {f['high'] * scale:g}"
    return text + (f" {f['unit']}" if f["unit"] else "") + (" (log-uniform)" if f["log"] else "")


def sobol_table(numbers: dict, suffix: str) -> list[str]:
    """Ranked factors of one metric: first-order and total indices with their bootstrap intervals."""
    sobol = numbers["sobol"]
    table = sobol["metrics"][suffix]
    what = dict((s, (w, u)) for s, w, u in SOBOL_METRICS)[suffix]
    level = f"{sobol['confidence_level']:.0%}"
    floor = f"; values below {LOG_FLOOR:g} x the median raised to it" if suffix.startswith(LOG_PREFIX) else ""
    lines = [f"**{what[0]}** ({what[1]}; {table['n_used']} Saltelli points; across the design "
             f"p5 / p50 / p95 = {fmt(table['spread']['p05'])} / {fmt(table['spread']['p50'])} / "
             f"{fmt(table['spread']['p95'])} {what[1]}{floor})", "",
             f"| rank | factor | range | first order S1 [{level} CI] | total ST [{level} CI] |", "|---|---|---|---|---|"]
    for rank, row in enumerate(table["ranking"], 1):
        f = _factor(numbers["study"], row["factor"])
        lines.append(f"| {rank} | {row['factor']} | {_range(f)} | {index_cell(row['first_order'], row['first_order_interval'])} "
                     f"| {index_cell(row['total_order'], row['total_order_interval'])} |")
    return lines


def record_cells(record: dict) -> list[str]:
    """peak shear, pressure, slip, frictional work, shear-time integral, touched, direction of one run."""
    if record["status"] != "done":
        return ["failed"] + [""] * 6
    d = record["direction"]
    return [fmt(record["peak_shear_kpa"]), fmt(record["peak_pressure_kpa"]), fmt(record["slip_mm"]),
            fmt(record["friction_work_mj"]), fmt(record["shear_time_integral_kpa_s"]),
            f"{record['touched_fraction']:.0%}", fmt(d["angle_deg"], 3)]


RECORD_HEAD = ("peak shear (kPa) | peak pressure (kPa) | slip (mm) | frictional work (mJ) | shear-time integral "
               "(kPa s) | region touched | shear direction (deg)")


def oat_table(numbers: dict, factors: tuple[Factor, ...]) -> list[str]:
    lines = [f"| factor | value | {RECORD_HEAD} |", "|---" * 9 + "|"]
    for factor in factors:
        curve = numbers["oat"][factor.name]
        for k, (value, record) in enumerate(zip(curve["values"], curve["rows"])):
            mark = " (base)" if k == curve["base_index"] else ""
            lines.append(f"| {factor.name} | {factor.show(value)}{mark} | " + " | ".join(record_cells(record)) + " |")
    return lines


def region_rank_line(record: dict, region: str) -> str:
    """Where the region stands among all regions by peak shear in one run."""
    shear = {name: values["peak_shear_kpa"] for name, values in record["all_regions"].items()}
    order = sorted(shear, key=lambda name: -shear[name])
    worst = order[0]
    return (f"{region} ranks {order.index(region) + 1} of {len(order)} regions by peak shear; the worst is {worst} "
            f"({fmt(shear[worst])} kPa).")


def per_km_lines(record: dict) -> list[str]:
    t, km = record["timing"], record["per_km"]
    return [f"- step time {t['step_time_s'] * 1e3:.0f} ms = stance {t['stance_time_s'] * 1e3:.0f} ms + flight "
            f"{t['flight_time_s'] * 1e3:.0f} ms (cadence {t['cadence_steps_per_min']:.0f} steps/min), stride "
            f"{t['stride_length_m']:.2f} m: {t['contacts_per_km']:.0f} contacts of this foot per km",
            f"- frictional work of the whole region: {fmt(km['region_friction_work_j'])} J per km; at its worst "
            f"element {fmt(km['peak_friction_work_kj_m2'])} kJ/m2 per km",
            f"- shear-time integral at the worst element: {fmt(km['peak_shear_time_integral_kpa_s'])} kPa s per km"]


STEP_ASSUMPTION = ("Per kilometre: steady, symmetric running, so the flight is ballistic and lasts 2 |v_z| / g with "
                   "v_z the hip's vertical velocity at touchdown (`runner.hip_vertical_velocity_m_s`); a step is stance "
                   "+ flight; the right foot lands once per stride of two steps (2 x speed x step time).")
DIRECTION_NOTE = ("Shear direction: the ground's traction on the skin at each element's peak shear, averaged over the "
                  "region's elements weighted by peak shear, as an angle in the foot frame of the right foot: 0 = toward "
                  "the toes, +90 = medial, -90 = lateral, +-180 = toward the back of the heel. Subtracting the toe-out "
                  "gives the angle to the direction of running at the touchdown yaw.")


def study_markdown(numbers: dict, factors: tuple[Factor, ...], command: str, timing: dict) -> str:
    study, base = numbers["study"], numbers["base"]
    region = study["region"]
    lines = [f"# footsim explain: {study['title']}, {region}", "",
             f"Base scenario `{study['scenario_file']}`" + (f" with {', '.join(study['overrides'])}" if study["overrides"] else "")
             + f"; {study['scenarios']} scenarios ({study['n']} Saltelli points x ({len(factors)} + 2) and "
             f"{study['oat_points']}-point curves). Made by", "", f"    {command}", "",
             f"Wall time of the run that wrote this report: {timing['wall_s']:.0f} s with {timing['workers']} workers, "
             f"{timing['computed']} scenarios computed in it ({timing['already']} already in the files).", "",
             "## Base case", "", f"| {RECORD_HEAD} |", "|---" * 7 + "|", "| " + " | ".join(record_cells(base)) + " |", ""]
    if base["status"] == "done":
        lines += [region_rank_line(base, region), ""]
        lines += [f"Direction of the shear: {fmt(base['direction']['angle_deg'])} deg in the foot frame (medial component "
                  f"{base['direction']['medial_component']:.2f}, resultant {base['direction']['resultant']:.2f}); "
                  f"{fmt(base['direction']['ground_angle_deg'])} deg to the direction of running.", "",
                  *per_km_lines(base), ""]
    lines += ["![base](maps_base.png)", "", "## Which factor matters: Sobol indices", "",
              f"{numbers['sobol']['done']} of {numbers['sobol']['scenarios']} scenarios finished; a failed run drops its "
              "Saltelli point from the estimates. Ranked by the total index. Slip and frictional work span orders of "
              "magnitude, and the variance of their raw values belongs to the few runs with the most sliding; their "
              "log10 indices say which factor changes them by the largest factors.", ""]
    for suffix, _, _ in SOBOL_METRICS:
        lines += sobol_table(numbers, suffix) + [""]
    lines += ["![Sobol indices](sobol_bars.png)", "", "## One factor at a time", "", *oat_table(numbers, factors), "",
              "![curves](oat_curves.png)", "", "![extremes](maps_extremes.png)", "", "## Notes", "",
              f"- {DIRECTION_NOTE}", f"- {STEP_ASSUMPTION}",
              "- Numbers: `explain.json`; the sweeps behind them: `sweeps/*.toml` and `data/*.h5` (Sobol indices stored "
              "in `data/sobol.h5` as variables `sobol_*`).", ""]
    return "\n".join(lines)


def finite_or_none(value):
    """The payload with NaN and infinities as null, so the file is strict JSON."""
    if isinstance(value, dict):
        return {k: finite_or_none(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_none(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(finite_or_none(payload), indent=1, allow_nan=False) + "\n", encoding="utf-8")
