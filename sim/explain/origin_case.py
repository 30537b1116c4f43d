"""The origin case (DESIGN 1) answered: which factor drives posterolateral heel shear?

    python -m sim.explain.origin_case [--out results/origin_case] [--n 256] [--workers N]

A barefoot runner landing on the forefoot, feet turned out about 30 degrees, heels touching down
briefly in mid-stance, gets blisters and then calluses on the outer back edge of the heel. Around
`scenarios/forefoot_toeout30_barefoot.toml` this computes, into `--out`:
- `all_strikes/`: `footsim explain` of heel_posterolateral over every candidate cause (strike
  angle from forefoot to heel first, toe-out, twist, over-stride) and the uncertain friction and
  tissue shear modulus G0;
- `forefoot_only/`: the same with the strike angle held to forefoot strikes (-15 to -2 deg): what
  matters given that this runner does land on the forefoot;
- `sweeps/contrast.toml`: a grid of forefoot and rearfoot strikes at 0, 10, 15 and 30 deg toe-out,
  each at the ends and middle of the plausible G0 and friction ranges;
then `README.md` (the answer), `origin_case.json` (every number in it) and the contrast pictures.
Everything resumes from the sweep files in `data/` (not committed: large, and regenerated).
"""

from __future__ import annotations

import argparse
import itertools
import math
import shlex
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import InputError
from ..model import mesh_for
from ..plots import plt
from ..provenance import git_commit
from ..scenario import load_scenario
from ..sweeps import SweepAborted
from . import explain, sweep_timing
from .analysis import open_file, row_record
from .factors import FACTORS, parse_factors
from .figures import rearfoot_map, save_figure
from .report import fmt, write_json
from .origin_readme import readme
from .study import REPO, Study, run_sweeps, shown_path, sweep_paths, sweep_text

SCENARIO = REPO / "scenarios" / "forefoot_toeout30_barefoot.toml"
REARFOOT = REPO / "scenarios" / "rearfoot_barefoot.toml"
REGION = "heel_posterolateral"
CASE_FACTORS = ("strike_angle", "toe_out", "twist", "overstride", "friction", "g0")
FOREFOOT_STRIKE_DEG = (-15.0, -2.0)  # forefoot class: FSA < -1.6 deg (Altman & Davis 2012; DESIGN 2)
CONTRAST_PATTERNS = ("forefoot", "rearfoot")
CONTRAST_TOE_OUT_DEG = (0.0, 10.0, 15.0, 30.0)
CONTRAST_G0_PA = (50e3, 100e3, 500e3)        # DESIGN 3.3: 50-500 kPa, default 100
CONTRAST_FRICTION = (0.6, 1.0, 1.4)          # friction_scale, as the factor's range
DEFAULT_TISSUE = (100e3, 1.0)
ORIGIN = ("forefoot", 30.0)
CONTRASTS = (("forefoot", 0.0), ("forefoot", 15.0), ("rearfoot", 10.0), ("rearfoot", 30.0))
DEFAULT_OUT = REPO / "results" / "origin_case"


def contrast_text(base_raw: dict) -> str:
    axes = [f'"strike.pattern" = [{", ".join(chr(34) + p + chr(34) for p in CONTRAST_PATTERNS)}]',
            f'"strike.toe_out_deg" = [{", ".join(map(repr, CONTRAST_TOE_OUT_DEG))}]',
            f'"tissue.g0_pa" = [{", ".join(map(repr, CONTRAST_G0_PA))}]',
            f'"surface.friction_scale" = [{", ".join(map(repr, CONTRAST_FRICTION))}]']
    return sweep_text("origin_contrast", base_raw, axes, "",
                       "strike pattern x toe-out at the ends of the plausible G0 and friction ranges")


def contrast_numbers(study: Study, folder: Path) -> list[dict]:
    _, h5 = sweep_paths(folder, "contrast")
    runner = study.base_scenario()["runner"]
    rows = []
    with open_file(h5) as ds:
        for i in range(ds.sizes["scenario"]):
            toe_out = float(ds["strike.toe_out_deg"].values[i])
            rows.append({"pattern": str(ds["strike.pattern"].values[i]), "toe_out_deg": toe_out,
                         "g0_pa": float(ds["tissue.g0_pa"].values[i]),
                         "friction_scale": float(ds["surface.friction_scale"].values[i]),
                         "record": row_record(ds, i, REGION, runner["speed_m_s"], runner["hip_vertical_velocity_m_s"],
                                              toe_out)})
    return rows


def pick(rows: list[dict], pattern: str, toe_out: float, g0: float, friction: float) -> dict:
    return next(r["record"] for r in rows if r["pattern"] == pattern and r["toe_out_deg"] == toe_out
                and r["g0_pa"] == g0 and r["friction_scale"] == friction)


# quantities of the key contrast: (name, how to read it from a record, unit)
KEY_QUANTITIES = (("peak shear stress", lambda r: r["peak_shear_kpa"], "kPa"),
                  ("frictional work per km (region)", lambda r: r["per_km"]["region_friction_work_j"], "J/km"),
                  ("shear-time integral per km (worst element)",
                   lambda r: r["per_km"]["peak_shear_time_integral_kpa_s"], "kPa s/km"))


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.inf if a > 0 else math.nan


def tissue_sensitivity(rows: list[dict]) -> dict:
    """The key contrasts (origin against each contrast case) at every G0 x friction combination."""
    out = {}
    for pattern, toe_out in CONTRASTS:
        per_quantity = {}
        for name, get, _ in KEY_QUANTITIES:
            ratios = []
            for g0, friction in itertools.product(CONTRAST_G0_PA, CONTRAST_FRICTION):
                origin, other = pick(rows, *ORIGIN, g0, friction), pick(rows, pattern, toe_out, g0, friction)
                if origin["status"] == "done" and other["status"] == "done":
                    ratios.append({"g0_pa": g0, "friction_scale": friction, "ratio": _ratio(get(origin), get(other))})
            values = [r["ratio"] for r in ratios if not math.isnan(r["ratio"])]
            default = next((r["ratio"] for r in ratios if (r["g0_pa"], r["friction_scale"]) == DEFAULT_TISSUE), math.nan)
            per_quantity[name] = {"default": default, "min": min(values, default=math.nan),
                                  "max": max(values, default=math.nan),
                                  "origin_larger_in": sum(v > 1 for v in values), "combinations": len(values),
                                  "ratios": ratios}
        out[f"{pattern}_{toe_out:g}"] = per_quantity
    return out


def rearfoot_row_is_bundled_scenario(overrides: tuple[str, ...]) -> bool:
    """Whether the contrast's (rearfoot, 10 deg) row is scenarios/rearfoot_barefoot.toml (names aside, same overrides)."""
    bundled = load_scenario(REARFOOT, overrides=overrides)
    origin = load_scenario(SCENARIO, overrides=[*overrides, "strike.pattern=rearfoot", "strike.toe_out_deg=10"])
    return {k: v for k, v in bundled.items() if k != "name"} == {k: v for k, v in origin.items() if k != "name"}


def contrast_figure(rows: list[dict], out: Path) -> Path:
    """The region's peak shear and per-km load for each strike x toe-out: bars at the default tissue,
    whiskers over the nine G0 x friction combinations."""
    cases = list(itertools.product(CONTRAST_PATTERNS, CONTRAST_TOE_OUT_DEG))
    fig, axes = plt.subplots(1, len(KEY_QUANTITIES), figsize=(13, 3.8))
    x = np.arange(len(cases))
    for panel, (name, get, unit) in zip(axes, KEY_QUANTITIES):
        for k, (pattern, toe_out) in enumerate(cases):
            values = [get(r["record"]) for r in rows if r["pattern"] == pattern and r["toe_out_deg"] == toe_out
                      and r["record"]["status"] == "done"]
            record = pick(rows, pattern, toe_out, *DEFAULT_TISSUE)
            middle = get(record) if record["status"] == "done" else np.nan
            colour = "C3" if (pattern, toe_out) == ORIGIN else ("C0" if pattern == "forefoot" else "C1")
            panel.bar(k, middle, color=colour, alpha=0.8)
            if values:
                panel.plot([k, k], [min(values), max(values)], color="k", lw=1)
                panel.plot([k], [min(values)], "_", color="k")
                panel.plot([k], [max(values)], "_", color="k")
        panel.set_xticks(x, [f"{p}\n{t:g} deg" for p, t in cases], fontsize=7)
        panel.set_ylabel(f"{name} ({unit})", fontsize=8)
        panel.set_yscale("log")
        panel.tick_params(labelsize=7)
    return save_figure(fig, out / "contrast.png", f"{REGION}: bars at G0 = 100 kPa and friction x1 (origin runner in red); whiskers: min-max over "
                 "G0 50-500 kPa x friction x0.6-1.4")


def contrast_maps(study: Study, folder: Path, rows: list[dict], out: Path) -> Path:
    """Peak shear maps of the origin runner and the contrasts at the default tissue."""
    mesh = mesh_for(study.base_scenario())
    _, h5 = sweep_paths(folder, "contrast")
    cases = (("forefoot", 0.0), ("forefoot", 15.0), ORIGIN, ("rearfoot", 10.0))
    fig, axes = plt.subplots(1, len(cases), figsize=(3.2 * len(cases) + 0.4, 4.0))
    with open_file(h5) as ds:
        for panel, (pattern, toe_out) in zip(axes, cases):
            index = next(i for i, r in enumerate(rows) if (r["pattern"], r["toe_out_deg"]) == (pattern, toe_out)
                         and (r["g0_pa"], r["friction_scale"]) == DEFAULT_TISSUE)
            shear = ds["element_peak_shear_stress_pa"][index].values / 1e3
            arrows = np.stack([ds["element_peak_shear_dir_x"][index].values,
                               ds["element_peak_shear_dir_y"][index].values], axis=1)
            rearfoot_map(panel, mesh, shear, "peak shear (kPa)", arrows=arrows)
            record = rows[index]["record"]
            panel.set_title(f"{pattern}, toe-out {toe_out:g} deg\n{REGION}: {fmt(record.get('peak_shear_kpa', np.nan))} kPa",
                            fontsize=8)
            panel.set_xlabel("")
            panel.set_ylabel("")
            panel.tick_params(labelsize=6)
    return save_figure(fig, out / "contrast_maps.png", "rearfoot peak skin shear stress (each panel on its own scale); arrows: the ground's pull on the skin "
                 "at peak")


def make_studies(factor_names, n: int, oat_points: int, overrides: tuple[str, ...]) -> dict[str, Study]:
    """The two explain studies: every strike, and forefoot strikes only; strike_angle is always a factor."""
    names = ["strike_angle"] + [f for f in factor_names if f != "strike_angle"]
    factors = parse_factors(",".join(names))
    forefoot = tuple(replace(f, low=FOREFOOT_STRIKE_DEG[0], high=FOREFOOT_STRIKE_DEG[1]) if f.name == "strike_angle"
                     else f for f in factors)
    common = dict(n=n, oat_points=oat_points, overrides=overrides)
    return {"all_strikes": Study(SCENARIO, REGION, factors, name="origin_all_strikes", **common),
            "forefoot_only": Study(SCENARIO, REGION, forefoot, name="origin_forefoot_only", **common)}


def run_case(out: Path, n: int = 256, workers: int | None = None, factor_names=CASE_FACTORS, oat_points: int = 9,
             overrides: tuple[str, ...] = (), overwrite: bool = False, command: str = "") -> dict:
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    studies = make_studies(factor_names, n, oat_points, overrides)
    numbers = {"command": command, "footsim_version": __version__, "git_commit": git_commit(), "region": REGION,
               "studies": {}}
    for name, study in studies.items():
        numbers["studies"][name] = explain(study, out / name, workers=workers, overwrite=overwrite, command=command)
    base = studies["all_strikes"]
    stats = run_sweeps({"contrast": contrast_text(base.base_raw)}, out, workers=workers, overwrite=overwrite)
    rows = contrast_numbers(base, out)
    numbers["contrast"] = {"rows": rows, "tissue_sensitivity": tissue_sensitivity(rows),
                           "rearfoot_10_is_bundled_scenario": rearfoot_row_is_bundled_scenario(overrides)}
    contrast_figure(rows, out)
    contrast_maps(base, out, rows, out)
    wall = time.perf_counter() - start
    studies_timing = {name: numbers["studies"][name]["timing"] for name in studies}
    contrast_timing = sweep_timing(stats, start)
    numbers["timing"] = {"wall_s": wall, "workers": contrast_timing["workers"],
                         "computed": contrast_timing["computed"] + sum(t["computed"] for t in studies_timing.values()),
                         "already": contrast_timing["already"] + sum(t["already"] for t in studies_timing.values()),
                         "scenarios": sum(s.scenario_count() for s in studies.values()) + len(rows)}
    write_json(out / "origin_case.json", numbers)
    (out / "README.md").write_text(readme(numbers), encoding="utf-8")
    return numbers


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.explain.origin_case", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=str(DEFAULT_OUT), help="case study folder (default results/origin_case)")
    p.add_argument("--n", type=int, default=256, help="Saltelli base points of each study (default 256)")
    p.add_argument("--oat-points", type=int, default=9, help="points of each one-at-a-time curve (default 9)")
    p.add_argument("--workers", type=int, help="local worker processes (default: the number of cores)")
    p.add_argument("--factors", default=",".join(CASE_FACTORS),
                   help=f"factors besides strike_angle (default: {','.join(CASE_FACTORS)}); named factors: {', '.join(FACTORS)}")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="override a base parameter (e.g. coarse numerics for a quick look)")
    p.add_argument("--overwrite", action="store_true", help="recompute sweeps whose files hold another study")
    args = p.parse_args(argv)
    out = Path(args.out)
    command = shlex.join(["python", "-m", "sim.explain.origin_case", "--out", shown_path(out), "--n", str(args.n),
                          "--oat-points", str(args.oat_points), "--factors", args.factors]
                         + [w for s in args.set for w in ("--set", s)])
    try:
        if args.workers is not None and args.workers < 1:
            raise InputError(f"--workers {args.workers}: allowed a whole number >= 1")
        names = [f.strip() for f in args.factors.split(",") if f.strip()]
        numbers = run_case(out, n=args.n, workers=args.workers, factor_names=names, oat_points=args.oat_points,
                           overrides=tuple(args.set), overwrite=args.overwrite, command=command)
    except InputError as exc:
        print(f"origin_case: error: {exc}", file=sys.stderr)
        return 2
    except SweepAborted as exc:
        print(f"origin_case: {exc}", file=sys.stderr)
        return 1
    timing = numbers["timing"]
    print(f"{timing['computed']} scenarios computed in {timing['wall_s']:.0f} s; wrote {out / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
