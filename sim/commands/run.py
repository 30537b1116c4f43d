"""`footsim run SCENARIO.toml [--out FILE.h5 | --name NAME] [--set key=value ...] [--plot DIR] [--overwrite]
[--frames [--frame-rate HZ]]`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from ..frames import DEFAULT_FRAME_RATE_HZ
from ..grf_metrics import IMPACT_WINDOW_FRACTION
from ..outpaths import file_stem, output_file, output_folder
from ..outputs import write_run
from ..runner import SimulationError, run_stance
from ..scenario import load_scenario, parse_override
from ..summary import worst_shear_region

MAX_STEM = 120  # longer names from many overrides end in a hash of them instead


def add_arguments(p) -> None:
    p.add_argument("scenario", help="scenario TOML file (an empty file is the default scenario)")
    p.add_argument("--out", help="HDF5 file to write (default results/<name>.h5, see --name)")
    p.add_argument("--name", help="name of the run and of its files (default: the scenario's name followed by the "
                                  "overrides, e.g. origin__strike.toe_out_deg=30)")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="override a parameter (name=NAME renames the run, like --name)")
    p.add_argument("--plot", metavar="DIR", help="write GRF/COP/free-moment and plantar-map PNGs here")
    p.add_argument("--overwrite", action="store_true", help="replace existing output files (refused otherwise)")
    p.add_argument("--energy", action="store_true",
                   help="print the contact layer's energy bookkeeping over the stance (also in the run file's /summary)")
    p.add_argument("--frames", action="store_true",
                   help="store every element's pressure, shear stress and slip state over time (/frames)")
    p.add_argument("--frame-rate", type=float, metavar="HZ",
                   help=f"frames per second (implies --frames; default {DEFAULT_FRAME_RATE_HZ:g})")


def run_stem(scenario_name: str, overrides: list[str]) -> str:
    """The file name of a run: its name when one is set (`name=...`), else the scenario's name with
    its overrides, so that runs of one scenario with different --set values do not replace one another."""
    settings = [(parse_override(text)[0], text.split("=", 1)[1].strip()) for text in overrides]
    if any(key == "name" for key, _ in settings):
        return file_stem(scenario_name)
    stem = file_stem("__".join([scenario_name, *(f"{key}={value}" for key, value in settings)]))
    if len(stem) > MAX_STEM:
        stem = f"{file_stem(scenario_name)}__{hashlib.sha1(stem.encode()).hexdigest()[:12]}"
    return stem


def summary_table(result) -> str:
    s = result.summary
    region = worst_shear_region(s)
    rows = [
        (f"impact peak (first {IMPACT_WINDOW_FRACTION:.0%} of stance)", s["impact_peak_bw"], "BW"),
        ("heel-touch peak (later)", s["heel_touch_peak_bw"], "BW"),
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


def energy_table(summary: dict) -> str:
    """Work done on the tissue against where it went (DESIGN 3.3): losses plus what is still stored."""
    rows = [("work done on the tissue by the foot", summary["tissue_work_j"]),
            ("  lost in compression (pad viscous branch, damping)", summary["compression_loss_j"]),
            ("  lost in the skin bristles' damping and at lift-off", summary["shear_damping_loss_j"]),
            ("  frictional work", summary["friction_loss_j"]),
            ("  still stored at the end", summary["stored_energy_end_j"]),
            ("the same work from the foot's motion", -summary["ground_work_on_foot_j"])]
    width = max(len(name) for name, _ in rows)
    lines = ["energy (J):"] + [f"  {name:<{width}}  {value:9.4f}" for name, value in rows]
    lines.append(f"  {'unaccounted, of the work':<{width}}  {summary['energy_residual_fraction']:9.2%}")
    return "\n".join(lines)


def run(args) -> int:
    overrides = list(args.set) + ([f"name={args.name}"] if args.name else [])
    scenario = load_scenario(args.scenario, overrides=overrides)
    stem = run_stem(scenario["name"], overrides)
    # every output checked before the stance is computed
    out = output_file(args.out or Path("results") / f"{stem}.h5", "--out", args.overwrite)
    pictures = []
    if args.plot:
        folder = output_folder(args.plot, "--plot")
        pictures = [output_file(folder / f"{stem}_{kind}.png", "--plot", args.overwrite) for kind in ("grf", "plantar")]
    frame_rate = args.frame_rate if args.frame_rate is not None else DEFAULT_FRAME_RATE_HZ if args.frames else None
    try:
        result = run_stance(scenario, frame_rate_hz=frame_rate)
    except SimulationError as exc:
        raise InputError(f"{args.scenario}: {exc}") from None
    write_run(out, result)
    print(summary_table(result))
    if args.energy:
        print(energy_table(result.summary))
    print(f"wrote {out}" + ("" if result.frames is None else
                            f" with {len(result.frames.time_s)} frames at {result.frames.rate_hz:g} Hz"))
    if pictures:
        from ..plots import element_maps, stance_signals

        stance_signals(result, pictures[0])
        element_maps(result, pictures[1])
        print(f"wrote {pictures[0]} and {pictures[1]}")
    return 0
