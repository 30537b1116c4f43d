"""What a sweep file will hold, decided before anything is computed: its layout, mesh and identity.

Per-element records are stored only when every scenario has the same plantar mesh: element k
is then the same patch of skin in every scenario, so a mean or worst map over the sweep means
something. The mesh grid depends on the foot length (from body height unless given) and the mesh
spacing; when a sweep varies either, the file keeps the summary and per-region records and says
why the per-element ones are missing (attribute `elements_note`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError
from ..foot import PlantarMesh
from ..model import mesh_for
from .layout import TIME_STEP_S, Layout
from .spec import Sweep

GEOMETRY_KEYS = ("runner.height_m", "runner.foot_length_m", "numerics.mesh_spacing_mm")


@dataclass(frozen=True, eq=False)
class Plan:
    sweep: Sweep
    layout: Layout
    mesh: PlantarMesh | None
    elements_note: str
    timeseries: bool

    @property
    def fingerprint(self) -> str:
        return self.sweep.fingerprint


def _common_mesh(sweep: Sweep) -> tuple[PlantarMesh | None, str]:
    varying = [k for k in GEOMETRY_KEYS if k in sweep.columns]
    grids: dict[tuple[float, float], int] = {}
    for index in range(len(sweep)):
        try:
            scenario = sweep.resolved(index)
        except InputError:
            continue
        grids.setdefault((scenario["runner"]["foot_length_m"], scenario["numerics"]["mesh_spacing_mm"]), index)
        if not varying or len(grids) > 1:
            break
    if not grids:
        return None, "per-element records not stored: no scenario of the sweep resolves"
    if len(grids) > 1:
        return None, (f"per-element records not stored: the plantar mesh varies across the sweep "
                      f"(axes {', '.join(varying)} change the foot length or mesh spacing)")
    try:
        return mesh_for(sweep.resolved(next(iter(grids.values())))), ""
    except InputError as exc:
        return None, f"per-element records not stored: {exc}"


def plan_sweep(sweep: Sweep, timeseries: bool = False) -> Plan:
    mesh, note = _common_mesh(sweep)
    n_time = 0
    if timeseries:
        longest = max(max(sweep.values("numerics.duration_s")), max(sweep.values("kinematic.stance_time_s")))
        n_time = int(math.floor(longest / TIME_STEP_S + 1e-9)) + 1
    return Plan(sweep, Layout(mesh.n_elements if mesh is not None else 0, n_time), mesh, note, timeseries)
