"""`footsim run SCENARIO.toml [--out FILE.h5] [--set key=value ...] [--plot DIR]`."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..outputs import write_run
from ..runner import SimulationError, run_stance
from ..scenario import load_scenario
from ..summary import worst_shear_region


def add_arguments(p) -> None:
    p.add_argument("scenario", help="scenario TOML file (an empty file is the default scenario)")
    p.add_argument("--out", help="HDF5 file to write (default results/<name>.h5)")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a parameter")
    p.add_argument("--plot", metavar="DIR", help="write GRF/COP/free-moment and plantar-map PNGs here")


def summary_table(result) -> str:
    s = result.summary
    region = worst_shear_region(s)
    rows = [
        ("impact peak", s["impact_peak_bw"], "BW"),
        ("loading rate (Lieberman)", s["loading_rate_bw_s"], "BW/s"),
        ("active peak", s["active_peak_bw"], "BW"),
        ("stance time", s["stance_time_s"] * 1e3, "ms"),
        ("peak braking force", s["peak_braking_bw"], "BW"),
        ("peak propulsive force", s["peak_propulsive_bw"], "BW"),
        ("peak free moment", s["peak_free_moment_nm"], "N m"),
        ("peak free moment", s["peak_free_moment_bw_height"] * 1e3, "1e-3 BW x height"),
        (f"worst shear region: {region}", s[f"{region}_peak_shear_kpa"], "kPa peak shear stress"),
        ("  peak shear strain", s[f"{region}_peak_shear_strain"], "-"),
        ("  slip distance", s[f"{region}_slip_mm"], "mm"),
        ("  frictional work", s[f"{region}_friction_work_mj"], "mJ"),
        ("heel_posterolateral peak shear", s["heel_posterolateral_peak_shear_kpa"], "kPa"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{result.scenario['name']}: {result.outcome}"]
    lines += [f"  {name:<{width}}  {value:9.3f}  {unit}" for name, value, unit in rows]
    return "\n".join(lines)


def run(args) -> int:
    scenario = load_scenario(args.scenario, overrides=args.set)
    try:
        result = run_stance(scenario)
    except SimulationError as exc:
        raise InputError(f"{args.scenario}: {exc}") from None
    out = Path(args.out) if args.out else Path("results") / f"{scenario['name']}.h5"
    write_run(out, result)
    print(summary_table(result))
    print(f"wrote {out}")
    if args.plot:
        from ..plots import element_maps, stance_signals

        plot_dir = Path(args.plot)
        plot_dir.mkdir(parents=True, exist_ok=True)
        stance_signals(result, plot_dir / f"{scenario['name']}_grf.png")
        element_maps(result, plot_dir / f"{scenario['name']}_plantar.png")
        print(f"wrote {plot_dir}/{scenario['name']}_grf.png and _plantar.png")
    return 0
