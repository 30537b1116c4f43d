"""`footsim compare SCENARIO.toml --footwear A.toml B.toml ... [--strike rearfoot,forefoot] [--out DIR]`.

Runs each footwear design for each strike pattern; writes a side-by-side table (Markdown and
JSON) and plantar difference maps (design minus the first design, the baseline).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..footwear import load_footwear
from ..params import STRIKE_PATTERNS
from ..runner import SimulationError, run_stance
from ..scenario import load_scenario

COLUMNS = (
    ("impact peak (BW)", "impact_peak_bw", 1.0),
    ("heel-touch peak (BW)", "heel_touch_peak_bw", 1.0),
    ("loading rate (BW/s)", "loading_rate_bw_s", 1.0),
    ("heel PL peak shear (kPa)", "heel_posterolateral_peak_shear_kpa", 1.0),
    ("heel PL slip (mm)", "heel_posterolateral_slip_mm", 1.0),
    ("heel PL friction work (mJ)", "heel_posterolateral_friction_work_mj", 1.0),
    ("heel PL peak pressure (kPa)", "heel_posterolateral_peak_pressure_kpa", 1.0),
)


def add_arguments(p) -> None:
    p.add_argument("scenario", help="base scenario TOML")
    p.add_argument("--footwear", nargs="+", required=True, metavar="PRESET",
                   help="presets by name (scenarios/footwear/NAME.toml) or path; the first is the baseline")
    p.add_argument("--strike", default="rearfoot,forefoot", help="comma-separated strike patterns")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    p.add_argument("--out", default="results/compare", help="folder for the table and the maps")


def compare(scenario_path, presets, patterns, overrides=()) -> dict:
    """{pattern: {preset: StanceResult}} for every design and strike pattern."""
    results: dict = {}
    for pattern in patterns:
        for preset in presets:
            scenario = load_scenario(scenario_path, overrides=[*overrides, f"strike.pattern={pattern}",
                                                               f"footwear.preset={preset}"])
            try:
                results.setdefault(pattern, {})[preset] = run_stance(scenario)
            except SimulationError as exc:
                raise InputError(f"{preset}, {pattern}: {exc}") from None
    return results


def table(results) -> tuple[str, dict]:
    lines = ["| strike | footwear | " + " | ".join(c[0] for c in COLUMNS) + " |",
             "|---|---|" + "---|" * len(COLUMNS)]
    rows = {}
    for pattern, by_preset in results.items():
        for preset, result in by_preset.items():
            values = {key: result.summary[key] * scale for _, key, scale in COLUMNS}
            rows.setdefault(pattern, {})[preset] = values
            lines.append(f"| {pattern} | {preset} | " + " | ".join(f"{v:.3g}" for v in values.values()) + " |")
    return "\n".join(lines), rows


def difference_maps(results, out: Path) -> list[Path]:
    from ..plots import plantar_map, plt

    paths = []
    for pattern, by_preset in results.items():
        presets = list(by_preset)
        base = by_preset[presets[0]]
        others = presets[1:]
        if not others:
            continue
        fig, axes = plt.subplots(1, len(others), figsize=(5 * len(others), 7.5), squeeze=False)
        for ax, preset in zip(axes[0], others):
            diff = (by_preset[preset].elements["peak_shear_stress_pa"] - base.elements["peak_shear_stress_pa"]) / 1e3
            plantar_map(ax, base.mesh, diff, "peak skin shear stress difference (kPa)", "RdBu_r", symmetric=True)
            ax.set_title(f"{preset} minus {presets[0]}\nred: more shear in {preset}; blue: less", fontsize=9)
        fig.suptitle(f"{pattern} strike: plantar view of the right foot")
        fig.tight_layout()
        path = out / f"difference_{pattern}.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        paths.append(path)
    return paths


def run(args) -> int:
    patterns = [p.strip() for p in args.strike.split(",") if p.strip()]
    for pattern in patterns:
        if pattern not in STRIKE_PATTERNS:
            raise InputError(f"--strike {pattern!r}: allowed {', '.join(STRIKE_PATTERNS)}")
    for preset in args.footwear:
        load_footwear(preset)
    results = compare(args.scenario, args.footwear, patterns, args.set)
    text, rows = table(results)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "comparison.md").write_text(text + "\n")
    (out / "comparison.json").write_text(json.dumps(rows, indent=2, default=float))
    maps = difference_maps(results, out)
    print(text)
    print(f"wrote {out / 'comparison.md'}, comparison.json and {len(maps)} difference map(s)")
    return 0
