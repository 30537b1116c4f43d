"""The worked example of results/footwear/: which shoe changes reduce the posterolateral
heel's skin shear and frictional work per area, for a heel striker and for the origin runner.

    python -m sim.design.worked_example [--out results/footwear] [--workers 2]

1. One key at a time: each shoe key over its range, the rest of the cushioned trainer kept (one
   sweep file per key and runner).
2. `footsim design` for each runner over two keys the first step found to matter for it (the heel
   striker: midsole stiffness and heel bevel; the origin runner: heel thickness and insole friction),
   minimising the heel's peak shear and its frictional work (a Pareto front), without raising the
   loading rate above the trainer's own, with the robustness check under tissue uncertainty.
Everything is resumable: run it again and only what is missing is computed.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import h5py
import numpy as np

from ..bundled import scenario_path
from ..cli import main as footsim
from ..foot import REGION_NAMES
from ..runner import run_stance
from ..scenario import load_scenario
from ..sweeps.execute import run_sweep, worker_pool
from ..sweeps.spec import load_sweep

RUNNERS = {"heel striker": "rearfoot_barefoot", "origin runner": "forefoot_toeout30_barefoot"}
SHOE = "cushioned_trainer"
REGION = "heel_posterolateral"
# each shoe key over a realistic span (sim/params.py gives the sources)
LEVELS = {
    "midsole.e0_pa": [1e5, 2e5, 4e5, 7e5, 1e6],
    "midsole.heel_thickness_mm": [15.0, 22.0, 32.0, 40.0],
    "geometry.heel_bevel_deg": [0.0, 5.0, 10.0, 15.0, 20.0],
    "geometry.heel_flare_mm": [0.0, 4.0, 8.0, 15.0],
    "geometry.footbed_conformity": [0.0, 0.3, 0.6, 1.0],
    "geometry.heel_counter_grip": [1.0, 1.5, 2.5, 4.0],
    "insole.mu_skin": [0.3, 0.45, 0.6, 0.8, 1.0],
}
DOSES = (("peak shear (kPa)", "shear"), ("friction work per area (J/m2)", "work_per_area"))
DESIGN_VARY = {"heel striker": ("footwear.midsole.e0_pa=1e5..1e6", "footwear.geometry.heel_bevel_deg=0..20"),
               "origin runner": ("footwear.midsole.heel_thickness_mm=10..40", "footwear.insole.mu_skin=0.3..1.0")}
SCREEN = (0.05, 0.10)  # a key "matters" when its best level cuts the peak shear by 5 % or the work by 10 %


def _doses(path: Path) -> dict[str, np.ndarray]:
    """Per scenario: the region's peak shear (kPa) and its worst element's frictional work per area (J/m2)."""
    with h5py.File(path, "r") as f:
        region = f["mesh_region"][:] == REGION_NAMES.index(REGION)
        work = f["element_friction_work_j"][:][:, region] / f["mesh_area"][:][region]
        return {"shear": f[f"{REGION}_peak_shear_kpa"][:], "work_per_area": work.max(axis=1),
                "loading_rate": f["loading_rate_bw_s"][:]}


def one_at_a_time(out: Path, pool) -> dict:
    table: dict = {}
    for runner, scenario in RUNNERS.items():
        for key, levels in LEVELS.items():
            name = f"{scenario}_{key.replace('.', '_')}"
            text = (f'name = "{name}"\n[base]\nfile = "{scenario_path(scenario)}"\n[base.footwear]\npreset = "{SHOE}"\n'
                    f'[axes]\n"footwear.{key}" = {json.dumps(levels)}\n')
            path = out / "sweeps" / f"{name}.h5"
            run_sweep(load_sweep(out / "sweeps" / f"{name}.toml", text=text), path, pool=pool)
            table.setdefault(runner, {})[key] = {"levels": levels, **{k: v.tolist() for k, v in _doses(path).items()}}
    return table


def baseline(scenario: str) -> dict:
    result = run_stance(load_scenario(scenario_path(scenario), overrides=[f"footwear.preset={SHOE}"]))
    region = result.mesh.region == REGION_NAMES.index(REGION)
    work = result.elements["friction_work_j"][region] / result.mesh.area_m2[region]
    return {"shear": result.summary[f"{REGION}_peak_shear_kpa"], "work_per_area": float(work.max()),
            "loading_rate": result.summary["loading_rate_bw_s"]}


def design(out: Path, runner: str, rate_bw_s: float, workers: int) -> dict:
    scenario = RUNNERS[runner]
    folder = out / f"design_{scenario}"
    args = ["design", str(scenario_path(scenario)), "--set", f"footwear.preset={SHOE}",
            "--objective", f"{REGION}.peak_shear_kpa", "--objective", f"{REGION}.friction_work_mj",
            *[part for v in DESIGN_VARY[runner] for part in ("--vary", v)], "--constraint", f"loading_rate_bw_s<={rate_bw_s:.1f}",
            "--popsize", "5", "--maxiter", "6", "--workers", str(workers), "--out", str(folder)]
    if footsim(args) != 0:
        raise RuntimeError(f"footsim design failed for {scenario}")
    return json.loads((folder / "design.json").read_text())


def figure(table: dict, bases: dict, path: Path) -> None:
    from ..plots import plt

    fig, axes = plt.subplots(len(DOSES), len(LEVELS), figsize=(2.3 * len(LEVELS), 5.2), sharey="row")
    for col, key in enumerate(LEVELS):
        for row, (label, dose) in enumerate(DOSES):
            ax = axes[row, col]
            for (runner, by_key), colour in zip(table.items(), ("tab:blue", "tab:red")):
                ax.plot(by_key[key]["levels"], by_key[key][dose], "o-", c=colour, ms=3, label=runner)
                ax.axhline(bases[runner][dose], c=colour, lw=0.6, ls=":")
            ax.set_xlabel(key.replace(".", ".\n"), fontsize=8)
            ax.tick_params(labelsize=7)
            if col == 0:
                ax.set_ylabel(f"{REGION}\n{label}", fontsize=8)
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"{SHOE}, one key at a time (dotted: the trainer as it is)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _change(values: list[float], base: float) -> str:
    best = int(np.argmin(values))
    return f"{min(values):.3g} ({100 * (min(values) / base - 1):+.0f} %)", best


def _findings(by_key: dict, base: dict) -> str:
    """The keys whose best level cuts a dose by the screening margin, largest cut first, with the loading rate there."""
    found = []
    for key, row in by_key.items():
        for dose, name, margin in (("shear", "peak shear", SCREEN[0]), ("work_per_area", "work per area", SCREEN[1])):
            i = int(np.argmin(row[dose]))
            cut = 1 - row[dose][i] / base[dose]
            if cut >= margin:
                found.append((cut, f"`{key}` = {row['levels'][i]:g} cuts the {name} by {100 * cut:.0f} % "
                                   f"(loading rate {row['loading_rate'][i]:.3g} BW/s)"))
    if not found:
        return "no single key moves either dose by the screening margin."
    return "; ".join(text for _, text in sorted(found, reverse=True)) + "."


def readme(table: dict, bases: dict, designs: dict, wall_s: float) -> str:
    lines = ["# Which shoe changes reduce posterolateral heel shear? (footsim worked example)", "",
             f"Generated by `python -m sim.design.worked_example` in {wall_s:.0f} s on 2 cores. Two runners "
             f"in the `{SHOE}` preset: the heel striker (`scenarios/rearfoot_barefoot.toml`) and the origin runner "
             "(`scenarios/forefoot_toeout30_barefoot.toml`: forefoot strike, feet turned out 30 degrees). Region "
             f"`{REGION}`; doses: its peak skin shear stress and its worst element's frictional work per area "
             "(friction_work_j / element area).", "",
             "## 1. One key at a time", "", "![one key at a time](one_at_a_time.png)", ""]
    for runner, by_key in table.items():
        base = bases[runner]
        lines += [f"**{runner}** (trainer as it is: {base['shear']:.3g} kPa, {base['work_per_area']:.3g} J/m2, loading "
                  f"rate {base['loading_rate']:.3g} BW/s)", "",
                  "| key | levels | lowest peak shear (vs trainer) | at | lowest work per area (vs trainer) | at | "
                  "loading rate range (BW/s) |", "|---|---|---|---|---|---|---|"]
        for key, row in by_key.items():
            shear, i = _change(row["shear"], base["shear"])
            work, j = _change(row["work_per_area"], base["work_per_area"])
            lines.append(f"| `footwear.{key}` | {', '.join(f'{v:g}' for v in row['levels'])} | {shear} | "
                         f"{row['levels'][i]:g} | {work} | {row['levels'][j]:g} | "
                         f"{min(row['loading_rate']):.3g}-{max(row['loading_rate']):.3g} |")
        lines.append("")
    lines += ["## 2. Design search (`footsim design`)", "",
              "Two keys per runner, both doses as objectives (Pareto front; the frictional work here is the worst "
              "element's, in mJ: on this uniform mesh the same ranking as per area), the loading rate kept at or "
              "below the trainer's own; differential evolution from the trainer as it is, 5 x 2 designs a "
              "generation, 6 generations.", ""]
    for runner, result in designs.items():
        first, second = result["objectives"]
        best, rob = result["best"], result["robustness"]
        lines += [f"**{runner}**: best {first} {best['objectives'][first]:.3g} kPa at "
                  + ", ".join(f"`{k}` = {v:.3g}" for k, v in best["design"].items())
                  + f" (the trainer: {rob['conditions'][0]['baseline_objective']:.3g} kPa); "
                  f"{len(result['pareto'])} designs on the front; the best design beats the trainer in "
                  f"{rob['best_beats_baseline']} of {rob['of']} tissue conditions (G0 50/100/500 kPa x skin friction "
                  f"x0.6/1/1.4), its peak shear {rob['best_objective_range'][0]:.3g}-{rob['best_objective_range'][1]:.3g} "
                  f"kPa across them. Details: [design_{RUNNERS[runner]}/design.md](design_{RUNNERS[runner]}/design.md).",
                  "", f"![Pareto front, {runner}](design_{RUNNERS[runner]}/pareto.png)", ""]
    lines += ["## Reading it", ""]
    for runner, by_key in table.items():
        lines.append(f"- {runner}: " + _findings(by_key, bases[runner]))
    lines += ["",
              "These are model results, not measurements: footsim's shoe is a layer stack with an exponential foam "
              "and a brush-model skin (DESIGN 3.5); the midsole, bevel and friction values span catalogue ranges, not "
              "a tested shoe. The tables say which way each key pushes the heel's dose in this model and by how much "
              "relative to the trainer as it is; the robustness counts say whether the searched optimum keeps its "
              "advantage when the skin's shear modulus and friction are not what the model assumes.", ""]
    return "\n".join(lines)


def run(out: Path, workers: int) -> None:
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    bases = {runner: baseline(scenario) for runner, scenario in RUNNERS.items()}
    with worker_pool(workers) as pool:
        table = one_at_a_time(out, pool)
    designs = {runner: design(out, runner, bases[runner]["loading_rate"], workers) for runner in RUNNERS}
    figure(table, bases, out / "one_at_a_time.png")
    (out / "numbers.json").write_text(json.dumps({"baseline": bases, "one_at_a_time": table}, indent=1))
    (out / "README.md").write_text(readme(table, bases, designs, time.perf_counter() - start))
    print(f"wrote {out / 'README.md'} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/footwear")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    run(Path(options.out), options.workers)
