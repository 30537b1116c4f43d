"""`footsim compare SCENARIO.toml [--footwear A B ...] [--variant LABEL:KEY=VALUE[,KEY=VALUE] ...]
[--strike rearfoot,forefoot] [--set KEY=VALUE ...] [--out DIR] [--json FILE]`.

Runs each footwear design for each strike pattern; writes a side-by-side table (Markdown and
JSON) and plantar difference maps (design minus the first design, the baseline). A design is a
preset (a bundled name or a path to a preset file) or a variant: the baseline (the first preset,
else the scenario's own footwear) with scenario keys changed, e.g. `soft:footwear.midsole.e0_pa=2e5`.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..footwear import load_footwear
from ..params import STRIKE_PATTERNS
from ..runner import SimulationError, run_stance
from ..scenario import load_scenario, parse_override

COLUMNS = (
    ("impact peak (BW)", "impact_peak_bw", 1.0),
    ("heel-touch peak (BW)", "heel_touch_peak_bw", 1.0),
    ("loading rate (BW/s)", "loading_rate_bw_s", 1.0),
    ("heel PL peak shear (kPa)", "heel_posterolateral_peak_shear_kpa", 1.0),
    ("heel PL slip (mm)", "heel_posterolateral_slip_mm", 1.0),
    ("heel PL friction work (mJ)", "heel_posterolateral_friction_work_mj", 1.0),
    ("heel PL peak pressure (kPa)", "heel_posterolateral_peak_pressure_kpa", 1.0),
)
SCENARIO_FOOTWEAR = "scenario"  # the label of the scenario's own footwear when no preset is named


def add_arguments(p) -> None:
    p.add_argument("scenario", help="base scenario TOML")
    p.add_argument("--footwear", nargs="+", default=[], metavar="PRESET",
                   help="presets by name (sim/data/footwear/NAME.toml) or path; the first is the baseline")
    p.add_argument("--variant", action="append", default=[], metavar="LABEL:KEY=VALUE[,KEY=VALUE]",
                   help="the baseline with scenario keys changed, e.g. soft:footwear.midsole.e0_pa=2e5")
    p.add_argument("--strike", default="rearfoot,forefoot", help="comma-separated strike patterns")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    p.add_argument("--out", default="results/compare", help="folder for the table and the maps")
    p.add_argument("--json", metavar="FILE", help="also write the table as JSON here")


def designs(presets: list[str], variants: list[str]) -> dict[str, list[str]]:
    """label -> the overrides that make the design; variants build on the first preset (the baseline)."""
    if not presets and not variants:
        raise InputError("compare: give designs with --footwear PRESET ... and/or --variant LABEL:KEY=VALUE")
    out: dict[str, list[str]] = {}
    for preset in presets:
        load_footwear(preset)
        out[preset] = [f"footwear.preset={preset}"]
    if not presets:
        out[SCENARIO_FOOTWEAR] = []
    baseline = next(iter(out.values()))
    for text in variants:
        label, sep, changes = text.partition(":")
        label = label.strip()
        if not sep or not label or not changes.strip():
            raise InputError(f"--variant {text!r}: expected LABEL:KEY=VALUE[,KEY=VALUE], "
                             "e.g. soft:footwear.midsole.e0_pa=2e5")
        if label in out:
            raise InputError(f"--variant {text!r}: the label {label!r} is taken; give each design its own label")
        pairs = [c.strip() for c in changes.split(",") if c.strip()]
        for pair in pairs:
            parse_override(pair)
        out[label] = [*baseline, *pairs]
    return out


def compare(scenario_path, by_label: dict[str, list[str]], patterns, overrides=()) -> dict:
    """{pattern: {label: StanceResult}} for every design and strike pattern."""
    results: dict = {}
    for pattern in patterns:
        for label, design in by_label.items():
            scenario = load_scenario(scenario_path, overrides=[*overrides, f"strike.pattern={pattern}", *design])
            try:
                results.setdefault(pattern, {})[label] = run_stance(scenario)
            except SimulationError as exc:
                raise InputError(f"{label}, {pattern}: {exc}") from None
    return results


def table(results) -> tuple[str, dict]:
    lines = ["| strike | design | " + " | ".join(c[0] for c in COLUMNS) + " |",
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
    by_label = designs(args.footwear, args.variant)
    for label, design in by_label.items():  # a bad design is an input error before any run
        load_scenario(args.scenario, overrides=[*args.set, *design])
    results = compare(args.scenario, by_label, patterns, args.set)
    text, rows = table(results)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "comparison.md").write_text(text + "\n")
    payload = json.dumps(rows, indent=2, default=float)
    (out / "comparison.json").write_text(payload)
    if args.json:
        Path(args.json).write_text(payload)
    maps = difference_maps(results, out)
    print(text)
    print(f"wrote {out / 'comparison.md'}, comparison.json and {len(maps)} difference map(s)")
    return 0
