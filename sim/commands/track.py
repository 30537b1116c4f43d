"""`footsim track TRIAL.c3d|TRIAL.trc [--forces FILE] [--vertical recorded|markers] [--side R|L]
[--markers LANDMARK=LABEL ...] [--mass KG] [--out DIR] [--json FILE] [--plot DIR]`.

A recorded runner's foot poses (markers) drive the contact layer; the same trial's force plate
checks it, stance by stance. One run file per stance, as `footsim run` writes, with
the plate's signals beside the model's under `recorded/`. The JSON (a contract scripts rely on):
{"stances": [{side, touchdown_s, toe_off_s, cop_ap_rms_m, cop_ml_rms_m, vertical_rms_bw,
ap_rms_bw, ml_rms_bw, braking_impulse_bw_s {model, plate}, propulsive_impulse_bw_s {model,
plate}, run_file, + free_moment_rms_nm, vertical_offset_mm {mean, min, max}}], "vertical",
+ "trial", "mass_kg", "notes"}.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from ..outputs import append_series, write_run
from ..tracking.markers import axes_matrix, parse_overrides
from ..tracking.poses import MARKER_CUTOFF_HZ
from ..tracking.track import FORCE_CUTOFF_HZ, TrackOptions, track


def add_arguments(p) -> None:
    p.add_argument("trial", help="motion-capture trial: .c3d (markers and force plate) or .trc (with --forces)")
    p.add_argument("--forces", metavar="FILE", help="the trial's force-plate file when the markers are a TRC file")
    p.add_argument("--vertical", choices=("recorded", "markers"), default="recorded",
                   help="recorded: solve the height per step so model Fz = plate Fz (default); "
                        "markers: the markers' heights with one offset per stance")
    p.add_argument("--side", choices=("R", "L"), help="one foot only (default both)")
    p.add_argument("--markers", action="append", default=[], metavar="LANDMARK=LABEL",
                   help="map a marker to a landmark (heel, heel_lateral, heel_top, mth1, mth5, toe, "
                        "ankle_lateral, ankle_medial); {S} in LABEL stands for R or L")
    p.add_argument("--marker-axes", metavar="X,Y,Z", help="file axes giving ground x forward, y left, z up, e.g. x,-z,y")
    p.add_argument("--mass", type=float, metavar="KG", help="body mass (default: subject table, or mean Fz over the steps)")
    p.add_argument("--height", type=float, metavar="M", help="body height")
    p.add_argument("--foot-length", type=float, metavar="M", help="foot length (default: from the markers)")
    p.add_argument("--belt-speed", type=float, metavar="M_S", help="treadmill belt speed (default: the stance foot's speed)")
    p.add_argument("--marker-cutoff", type=float, default=MARKER_CUTOFF_HZ, metavar="HZ",
                   help=f"markers' low-pass, 4th-order zero-lag Butterworth (default {MARKER_CUTOFF_HZ:g} Hz; 0 none)")
    p.add_argument("--force-cutoff", type=float, default=FORCE_CUTOFF_HZ, metavar="HZ",
                   help=f"plate's low-pass, as footsim validate (default {FORCE_CUTOFF_HZ:g} Hz; 0 none)")
    p.add_argument("--standing-frame", type=int, metavar="N", help="marker frame (0-based) of a standing, foot-flat pose "
                   "for the marker offsets (default: each stance's foot-flat frame)")
    p.add_argument("--max-stances", type=int, metavar="N", help="track at most N stances per foot")
    p.add_argument("--scenario", help="scenario TOML for tissue, footwear and numerics (default scenario otherwise)")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="scenario override")
    p.add_argument("--out", metavar="DIR", default="results/track", help="directory for the run files")
    p.add_argument("--json", metavar="FILE", help="per-stance errors as JSON ('-' for stdout)")
    p.add_argument("--plot", metavar="DIR", help="COP paths, AP/ML force, free moment and plantar maps per stance")


RECORDED = {
    "grf_n": ("grf", "N", "recorded ground reaction force on the foot, ground frame, on the model's time axis"),
    "cop_m": ("cop", "m", "recorded centre of pressure, ground (belt) frame, NaN where unloaded"),
    "free_moment_nm": ("free_moment", "N m", "recorded free moment"),
}


def _finite(value):
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _line(e) -> str:
    return (f"  {e['side']:<5} {e['touchdown_s']:7.3f} {e['toe_off_s']:7.3f} {e['cop_ap_rms_m'] * 1e3:8.1f} "
            f"{e['cop_ml_rms_m'] * 1e3:8.1f} {e['vertical_rms_bw']:8.3f} {e['ap_rms_bw']:8.3f} {e['ml_rms_bw']:8.3f} "
            f"{e['braking_impulse_bw_s']['model']:7.4f}/{e['braking_impulse_bw_s']['plate']:.4f} "
            f"{e['propulsive_impulse_bw_s']['model']:7.4f}/{e['propulsive_impulse_bw_s']['plate']:.4f} "
            f"{e['free_moment_rms_nm']:7.2f} {e['vertical_offset_mm']['mean']:7.2f}")


def run(args) -> int:
    from ..tracking.compare import stance_errors

    options = TrackOptions(
        vertical=args.vertical, sides=(args.side,) if args.side else ("R", "L"), mass_kg=args.mass,
        height_m=args.height, foot_length_m=args.foot_length, belt_speed_m_s=args.belt_speed,
        marker_cutoff_hz=args.marker_cutoff, force_cutoff_hz=args.force_cutoff, standing_frame=args.standing_frame,
        max_stances=args.max_stances, marker_overrides=parse_overrides(args.markers),
        marker_axes=axes_matrix(args.marker_axes) if args.marker_axes else None, forces=args.forces,
        scenario=args.scenario, overrides=args.set)
    tracking = track(args.trial, options)
    out = Path(args.out)
    records = []
    for stance in tracking.stances:
        stem = f"{Path(args.trial).stem}_{stance.side}_{stance.touchdown_s:07.3f}s"
        path = write_run(out / f"{stem}.h5", stance.result)
        series = {name: (stance.recorded[key], unit, meaning) for key, (name, unit, meaning) in RECORDED.items()}
        series["vertical_offset"] = (stance.vertical_offset_m, "m", "solved ankle height minus the markers' ankle height")
        append_series(path, "recorded", series, {"source": tracking.source, "vertical": tracking.vertical,
                                                 "touchdown_s": stance.touchdown_s, "toe_off_s": stance.toe_off_s})
        record = stance_errors(stance)
        record["run_file"] = str(path)
        records.append(_finite(record))
        if args.plot:
            from ..tracking.plots import stance_pictures

            Path(args.plot).mkdir(parents=True, exist_ok=True)
            stance_pictures(stance, Path(args.plot), stem)
    # with --json - the JSON alone goes to stdout, the table to stderr
    table = sys.stderr if args.json == "-" else sys.stdout
    print(f"{tracking.source}: {len(records)} stance(s), vertical {tracking.vertical}; " + "; ".join(tracking.notes),
          file=table)
    print("  side   on (s) off (s)  COP AP   COP ML   Fz RMS   Fx RMS   Fy RMS  braking model/plate   "
          "propulsive model/plate  Tz RMS  offset\n"
          "                         (mm)     (mm)     (BW)     (BW)     (BW)   (BW s)               (BW s)"
          "                  (N m)   (mm)", file=table)
    for record in records:
        print(_line({k: (float("nan") if v is None else v) for k, v in record.items()}), file=table)
    print(f"wrote {len(records)} run file(s) to {out}", file=table)
    if args.json:
        document = {"stances": records, "vertical": tracking.vertical, "trial": tracking.source,
                    "mass_kg": tracking.mass_kg, "notes": tracking.notes}
        text = json.dumps(document, indent=1)
        if args.json == "-":
            sys.stdout.write(text + "\n")
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text + "\n")
    return 0
