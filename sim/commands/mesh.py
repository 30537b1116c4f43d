"""`footsim mesh [--spacing-mm S] [--side right|left] --plot FILE.png`."""

from __future__ import annotations

import numpy as np

from ..foot import REGION_NAMES, build_mesh
from ..outpaths import output_file


def add_arguments(p) -> None:
    p.add_argument("--spacing-mm", type=float, default=4.0, help="element grid spacing (2-12 mm)")
    p.add_argument("--foot-length-m", type=float, default=0.257)
    p.add_argument("--side", choices=("right", "left"), default="right")
    p.add_argument("--plot", metavar="FILE.png", help="draw the mesh coloured by region")


def run(args) -> int:
    from ..errors import InputError

    if not 2.0 <= args.spacing_mm <= 12.0:
        raise InputError(f"--spacing-mm {args.spacing_mm:g}: allowed range is [2, 12] mm")
    picture = output_file(args.plot, "--plot") if args.plot else None
    mesh = build_mesh(foot_length_m=args.foot_length_m, spacing_m=args.spacing_mm * 1e-3, side=args.side)
    print(f"{mesh.side} foot, length {mesh.foot_length_m * 1e3:.0f} mm: {mesh.n_elements} elements, "
          f"plantar area {mesh.area_m2.sum() * 1e4:.1f} cm2")
    for k, name in enumerate(REGION_NAMES):
        sel = mesh.region == k
        print(f"  {name:<20} {sel.sum():5d} elements  {mesh.area_m2[sel].sum() * 1e4:6.1f} cm2  "
              f"pad {np.mean(mesh.thickness_m[sel]) * 1e3:4.1f} mm")
    if picture:
        from ..plots import mesh_picture

        mesh_picture(mesh, picture)
        print(f"wrote {picture}")
    return 0
