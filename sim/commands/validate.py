"""`footsim validate TRIAL [--format ...] [--mass KG] [--speed M_S] [--strike ...] [--calibrate] [--json FILE]
[--report DIR]`, and `footsim validate --all [--report DIR]` for the whole validation report.

TRIAL is a recorded trial file, or the name of a bundled trial (e.g. `hamner2013_s04/run300_grf_R`,
as listed by `footsim validate --list`), which then carries the facts its files lack (speed,
mass, treadmill). The JSON record: trial, subject, rms_bw {vertical, ap, ml} (null
where the trial lacks the component), metrics {data, model}, parameters.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from ..errors import InputError
from ..params import STRIKE_PATTERNS
from ..scenario import parse_override
from ..trials import READERS, list_bundled_trials, read_trial

REPORT_DPI = 100  # one trial's picture: 1260 x 308 px


def add_arguments(p) -> None:
    p.add_argument("trial", nargs="?", help="trial file (.mot/.sto, .c3d, Fukuchi forces.txt, .csv, ...) or bundled trial name")
    p.add_argument("--format", choices=sorted(READERS), help="trial format (default: from the file name)")
    p.add_argument("--side", choices=("R", "L"), help="foot to compare (formats that hold both feet)")
    p.add_argument("--mass", type=float, metavar="KG", help="body mass (overrides the trial's)")
    p.add_argument("--height", type=float, metavar="M", help="body height (overrides the trial's)")
    p.add_argument("--speed", type=float, metavar="M_S", help="running speed (overrides the trial's)")
    p.add_argument("--strike", choices=STRIKE_PATTERNS, help="strike pattern to drive the model with")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="model parameter override")
    p.add_argument("--calibrate", action="store_true", help="fit the calibratable parameters to this trial first")
    p.add_argument("--json", metavar="FILE", help="write the machine-readable record here ('-' for stdout)")
    p.add_argument("--report", metavar="DIR", help="write Markdown, PNG and JSON here")
    p.add_argument("--all", action="store_true", help="the full validation report of every bundled trial (into --report)")
    p.add_argument("--list", action="store_true", help="list the bundled trials and exit")
    p.add_argument("--data", help="recorded data folder (default ../shared/data beside the project)")


def _data_root(args) -> Path:
    from ..validation.published import DEFAULT_DATA

    return Path(args.data) if args.data else DEFAULT_DATA


def bundled_trials(args) -> tuple[Path, list]:
    """The data folder and its bundled trials; a missing folder is an input error that names it."""
    root = _data_root(args)
    if not root.is_dir():
        raise InputError(f"recorded data folder {root.resolve()} not found: put the data there or give --data FOLDER")
    return root, list_bundled_trials(root)


def load_trial(args):
    """The trial from a file, or a bundled trial by name (with its catalogue options)."""
    path = Path(args.trial)
    if not path.exists():
        root, trials = bundled_trials(args)
        bundled = {s.name: s for s in trials}
        if args.trial in bundled:
            source = bundled[args.trial]
            return source.load(), source.activity
        raise InputError(f"{args.trial}: no such file, nor a bundled trial name in {root.resolve()} "
                         f"(see footsim validate --list)")
    options = {"side": args.side} if args.side else {}
    return read_trial(path, args.format, **options), None


def _parameters(overrides: list[str]) -> dict:
    return dict(parse_override(text) for text in overrides)


def _value(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    return f"{v:.4g}"


def table(evaluation) -> str:
    rms = evaluation.rms_bw
    lines = [f"{evaluation.prepared.trial.name}: {evaluation.prepared.stances_note}; filter: {evaluation.prepared.filter_note}",
             "RMS error over the stance (BW): " + ", ".join(f"{k} {_value(rms[k])}" for k in ("vertical", "ap", "ml")),
             f"{'metric':<28} {'data':>10} {'data SD':>10} {'model':>10} {'error':>10}"]
    for row in evaluation.metric_rows():
        lines.append(f"{row['metric']:<28} {_value(row['data']):>10} {_value(row['data_sd']):>10} "
                     f"{_value(row['model']):>10} {_value(row['error']):>10}")
    return "\n".join(lines)


def fitted_lines(calibration) -> list[str]:
    """One line per calibrated parameter: value, bounds, and whether the trial could identify it."""
    return [f"`{k}` = {_value(v)} (bounds {calibration.bounds[k]})"
            + (" held: not identifiable from this trial" if k in calibration.held else "")
            for k, v in calibration.parameters.items()]


def write_report(directory: Path, evaluation, calibration=None) -> list[Path]:
    """<trial>.md, <trial>.png and <trial>.json in directory."""
    from ..validation.evaluate import json_ready
    from ..validation.plots import overlay_grid
    from ..validation.report import metric_table

    directory.mkdir(parents=True, exist_ok=True)
    stem = evaluation.prepared.trial.name.replace("/", "_")
    record = evaluation.as_json()
    png = overlay_grid([(stem, evaluation.curves(), None)], directory / f"{stem}.png", scale=1.4, dpi=REPORT_DPI)
    (directory / f"{stem}.json").write_text(json.dumps(json_ready(record), indent=1) + "\n", encoding="utf-8")
    fitted = "" if calibration is None else (
        "\n## Calibration\n\n" + "\n".join(f"- {line}" for line in fitted_lines(calibration))
        + f"\n\nSolver: {calibration.nfev} evaluations, {calibration.message}\n")
    text = (f"# {evaluation.prepared.trial.name}\n\n{evaluation.prepared.stances_note}; filter: "
            f"{evaluation.prepared.filter_note}.\n\nRMS error (BW): "
            + ", ".join(f"{k} {_value(record['rms_bw'][k])}" for k in ("vertical", "ap", "ml"))
            + f"\n\n![model over data]({png.name})\n\n"
            + metric_table(evaluation.metric_rows()) + "\n" + fitted)
    (directory / f"{stem}.md").write_text(text, encoding="utf-8")
    return [directory / f"{stem}.md", png, directory / f"{stem}.json"]


def run(args) -> int:
    if args.list:
        root, trials = bundled_trials(args)
        if not trials:
            raise InputError(f"no bundled trials in {root.resolve()} (expected running/ and walking/ folders)")
        print(f"{len(trials)} bundled trials in {root.resolve()}:")
        for source in trials:
            print(f"{source.name}  ({source.activity}{'; ' + source.note if source.note else ''})")
        return 0
    if args.all:
        from ..validation.report import build

        bundled_trials(args)  # the data folder must exist

        out = Path(args.report or "results/validation")
        result = build(out, _data_root(args))
        print(f"wrote {out}/README.md, validation.json, calibration.json and {len(result['pictures'])} pictures "
              f"in {result['seconds']:.0f} s")
        return 0
    if not args.trial:
        raise InputError("TRIAL: a trial file or bundled trial name is required (or --all, --list)")
    from ..validation import calibrate, evaluate, prepare

    trial, activity = load_trial(args)
    prepared = prepare(trial, mass_kg=args.mass, height_m=args.height, speed_m_s=args.speed, strike=args.strike,
                       activity=activity)
    parameters = _parameters(args.set)
    calibration = None
    if args.calibrate:
        calibration = calibrate(prepared, start=parameters)
        parameters = {**parameters, **calibration.parameters}
        # with --json - the record alone goes to stdout
        out = sys.stderr if args.json == "-" else sys.stdout
        print(f"calibrated in {calibration.nfev} evaluations ({calibration.message}):", file=out)
        for line in fitted_lines(calibration):
            print("  " + line.replace("`", ""), file=out)
    evaluation = evaluate(prepared, parameters)
    from ..validation.evaluate import json_ready

    text = json.dumps(json_ready(evaluation.as_json()), indent=1)
    if args.json == "-":
        print(text)
    else:
        print(table(evaluation))
    if args.json and args.json != "-":
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if args.report:
        written = write_report(Path(args.report), evaluation, calibration)
        print("wrote " + ", ".join(str(p) for p in written))
    return 0
