"""`footsim` command line (DESIGN 7). Each subcommand lives in `sim/commands/<name>.py` with
`add_arguments(parser)` and `run(args) -> exit status`; input errors become one line and status 2."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys

from . import __version__
from .errors import InputError

COMMANDS = {
    "run": "run one scenario: HDF5 file, summary table, optional pictures",
    "mesh": "build the plantar mesh and draw it coloured by region",
    "verify": "run the verification cases against exact solutions",
    "sweep": "run a parameter sweep into one HDF5 file (local pool or Dask)",
    "report": "plots and sensitivity indices of a sweep file",
    "validate": "compare the model with a recorded force-plate trial",
    "bench": "measure kernel and scenario speed",
    "compare": "compare footwear designs for each strike pattern",
    "explain": "variance-based sensitivity study of a region's skin shear",
    "crosscheck": "compare with an independent pymunk twin of the runner",
    "animate": "animate a run's plantar pressure and shear over the stance (run it with --frames)",
    "design": "search shoe (or any) keys that minimise a region's skin dose, with robustness",
    "track": "drive the contact layer with a motion-capture trial's foot poses, checked against its force plate",
}


def _available():
    for name, help_text in COMMANDS.items():
        try:
            yield name, help_text, importlib.import_module(f"sim.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"sim.commands.{name}":
                raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footsim", description="Foot-ground contact and plantar skin shear while running.")
    parser.add_argument("--version", action="version", version=f"footsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text, module in _available():
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
        sub.choices[name].set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args) or 0)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at interpreter exit
        return status
    except InputError as exc:
        print(f"footsim {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`footsim mesh | head -1`): stop quietly, as a pipeline expects
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except OSError as exc:  # a file the checks did not foresee: still one line, an output that cannot be written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"footsim {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"footsim {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
