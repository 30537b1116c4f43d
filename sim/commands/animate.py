"""`footsim animate RUN.h5 --out stance.gif [--every K] [--fps F] [--overwrite]`: plantar pressure and
shear over the stance beside the GRF, from a run file written with `footsim run --frames`."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..outpaths import output_file


def add_arguments(p) -> None:
    p.add_argument("run", help="run file written by footsim run --frames")
    p.add_argument("--out", required=True, help="animation to write: .gif, or .mp4 where ffmpeg is installed")
    p.add_argument("--every", type=int, default=1, metavar="K", help="draw every K-th frame (default 1)")
    p.add_argument("--fps", type=float, default=20.0, help="playback frames per second (default 20)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out file")


def run(args) -> int:
    from ..animation import animate

    if args.every < 1:
        raise InputError(f"--every {args.every}: allowed a whole number >= 1")
    if not 0.5 <= args.fps <= 100:
        raise InputError(f"--fps {args.fps:g}: allowed [0.5, 100]")
    if not Path(args.run).is_file():
        raise InputError(f"{args.run}: no such run file")
    out = output_file(args.out, "--out", args.overwrite)
    count = animate(args.run, out, every=args.every, fps=args.fps)
    print(f"wrote {out} ({count} frames, {out.stat().st_size / 1e6:.1f} MB)")
    return 0
