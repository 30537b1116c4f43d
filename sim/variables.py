"""Every output of footsim declared once: name, unit, dimensions, meaning and scale (after sgkit's variables.py).

The run-file writer (`outputs.py`), the sweep layout (`sweeps/layout.py`), the summary
(`summary.py`), the force-plate metrics (`grf_metrics.py`) and docs/variables.md read from here;
nothing else states a unit. The per-element records are the kernel's (`kernels/layout.RECORDS`):
the kernels import nothing above them, so this module declares every record they name and a
test asserts that none is missing.

Units are written for a person and for CF readers alike: "Pa", "N m", "1" (dimensionless).
"BW" is body weight, body mass x GRAVITY_M_S2; "BW/s" is a rate, "BW s" an impulse.
"""

from __future__ import annotations

from dataclasses import dataclass

from .foot import REGION_NAMES

# Standard gravity as biomechanics normalises forces to body weight (BW = m g); the model's
# gravity is the same number, so a model's BW and a force plate's BW agree.
GRAVITY_M_S2 = 9.81


@dataclass(frozen=True)
class Variable:
    """One output: `scale` converts the SI value of `record` (when it is derived from one) to `units`."""

    name: str
    units: str
    dims: tuple[str, ...]
    long_name: str
    record: str | None = None
    scale: float = 1.0

    @property
    def attrs(self) -> dict[str, str]:
        """The HDF5/CF attributes every stored variable carries."""
        return {"units": self.units, "long_name": self.long_name}


def _table(dims: tuple[str, ...], rows) -> dict[str, Variable]:
    return {name: Variable(name, units, dims, long_name) for name, units, long_name in rows}


# the per-element records of a stance (DESIGN 3.3), in SI, one for every name in kernels/layout.RECORDS
ELEMENT_RECORDS = _table(("element",), (
    ("peak_pressure_pa", "Pa", "peak pad pressure"),
    ("peak_shear_stress_pa", "Pa", "peak skin shear stress magnitude"),
    ("peak_shear_dir_x", "1", "foot-frame x of the unit direction of the ground's traction on the skin at peak shear"),
    ("peak_shear_dir_y", "1", "foot-frame y of that direction"),
    ("peak_shear_strain", "1", "peak skin shear strain |u| / (h (1 - e))"),
    ("slip_distance_m", "m", "total slip distance of the skin anchor (at either interface of a shoe)"),
    ("skin_slip_distance_m", "m", "the part of the slip at the skin's own interface (skin-ground, or skin-insole in a shoe)"),
    ("friction_work_j", "J", "deprecated (per element, so it shrinks with the mesh; use friction_work_j_m2): "
     "frictional work mu p A |slip|"),
    ("shear_time_integral_pa_s", "Pa s", "time integral of the shear stress magnitude"),
    ("contact_time_s", "s", "time in contact"),
    ("stick_slip_transitions", "1", "number of stick-to-slip transitions"),
    ("friction_work_j_m2", "J m-2", "frictional work per unit area, mu p |slip|"),
    ("pressure_time_integral_pa_s", "Pa s", "time integral of the pressure"),
    ("tissue_work_j_m2", "J m-2", "work done on the tissue column by the bone-side motion, per unit area"),
    ("compression_loss_j_m2", "J m-2", "energy dissipated in compression (pad viscous branch, pad and sole damping)"),
    ("shear_damping_loss_j_m2", "J m-2", "energy dissipated by the skin bristle's damping, and the bristle's "
     "energy released when the element lifts off"),
    ("stored_energy_j_m2", "J m-2", "elastic energy the tissue still holds at the end of the run"),
    ("stick_cycles", "1", "rainflow cycles of the shear strain while the skin sticks (half cycles count 1/2), per stance"),
    ("stick_strain_range", "1", "largest range of those stick-phase shear strain cycles"),
    ("fatigue_dose", "1", "stick-phase fatigue dose of one stance: sum of n (strain range / gamma_ref)^m over its cycles"),
    ("fatigue_dose_per_km", "km-1", "stick-phase fatigue dose per km: contacts per km x the stance's fatigue_dose "
     "(a ranking, not a blister threshold)"),
    ("stick_cycles_per_km", "km-1", "stick-phase shear strain cycles per km"),
    ("friction_work_j_m2_per_km", "J m-2 km-1", "frictional work per unit area per km (abrasion)"),
    ("pressure_time_integral_pa_s_per_km", "Pa s km-1", "pressure-time integral per km"),
    ("shear_time_integral_pa_s_per_km", "Pa s km-1", "shear-time integral per km"),
))
# element variables derived from the kernel's records: the energy held at the end of the run, and the
# per-km doses (record -> its per-km name, sim/dose.py)
PER_KM = {"fatigue_dose": "fatigue_dose_per_km", "friction_work_j_m2": "friction_work_j_m2_per_km",
          "pressure_time_integral_pa_s": "pressure_time_integral_pa_s_per_km",
          "shear_time_integral_pa_s": "shear_time_integral_pa_s_per_km", "stick_cycles": "stick_cycles_per_km"}
DERIVED_ELEMENTS = ("stored_energy_j_m2", *PER_KM.values())
# intensive records whose region figure is also an area-weighted mean (`/regions/<name>_mean`), so that
# region doses converge as the mesh is refined (DESIGN 3.3)
MEAN_RECORDS = ("peak_pressure_pa", "peak_shear_stress_pa", "peak_shear_strain", "slip_distance_m",
                "friction_work_j_m2", "shear_time_integral_pa_s", "pressure_time_integral_pa_s", "fatigue_dose_per_km",
                "stick_cycles", "friction_work_j_m2_per_km", "pressure_time_integral_pa_s_per_km",
                "shear_time_integral_pa_s_per_km")
# a direction component's worst over a region would mix elements: regions take it at the peak-shear element
DIRECTION_RECORDS = ("peak_shear_dir_x", "peak_shear_dir_y")


def region_record(name: str) -> Variable:
    """The run file's /regions/<name>: one value per region from the element record `name`."""
    element = ELEMENT_RECORDS[name]
    which = "at the element of the region's peak shear" if name in DIRECTION_RECORDS else "worst element"
    return Variable(name, element.units, ("region",), f"{which} per region: {element.long_name}", name)


def region_mean_record(name: str) -> Variable:
    """The run file's /regions/<name>_mean: the area-weighted mean of an intensive element record."""
    element = ELEMENT_RECORDS[name]
    return Variable(f"{name}_mean", element.units, ("region",), f"area-weighted mean per region: {element.long_name}",
                    name)


# time series of one run (DESIGN 5.1)
RUN_SERIES = {
    "time": Variable("time", "s", ("time",), "time from the start of the run"),
    "grf": Variable("grf", "N", ("time", "axis"), "ground reaction force on the foot, ground frame (x forward, y left, z up)"),
    "cop": Variable("cop", "m", ("time", "plane_axis"), "centre of pressure on the ground plane, NaN where the foot is unloaded"),
    "free_moment": Variable("free_moment", "N m", ("time",), "vertical torque of the ground on the foot about the COP"),
    "foot_pose": Variable("foot_pose", "m, 1", ("time", "pose_component"),
                          "ankle position (x, y, z) and unit quaternion (w, x, y, z) of the foot"),
}
# index coordinates (dimension scales) of a run file
RUN_SCALES = _table((), (
    ("axis", "1", "ground-frame axis: 0 x forward, 1 y left, 2 z up"),
    ("plane_axis", "1", "ground-plane axis: 0 x forward, 1 y left"),
    ("pose_component", "1", "x, y, z (m), then quaternion w, x, y, z"),
    ("element", "1", "element index"),
    ("region", "1", "region index"),
))
# the articulated foot's joint angles over a run (DESIGN 3.4b), /joints/<name>
JOINTS = _table(("time",), (
    ("talocrural", "rad", "talocrural hinge angle from the touchdown posture, + = plantarflexion"),
    ("subtalar", "rad", "subtalar hinge angle from the touchdown posture, + = inversion (supination)"),
    ("ankle_residual", "rad", "ankle rotation about the normal to both hinges (held by the stiff residual spring)"),
    ("arch", "rad", "midfoot sagittal bending of the forefoot on the hindfoot, - = forefoot up (the arch flattening)"),
    ("forefoot_inversion", "rad", "forefoot rotation about the longitudinal midtarsal axis, + = inversion"),
    ("mtp", "rad", "toe rotation about the oblique MTH1-MTH5 axis, - = dorsiflexion"),
    ("limb_rotation", "rad", "shank axial rotation about the leg, + = internal for the right foot"),
    ("rearfoot_eversion", "rad", "eversion of the hindfoot relative to the shank about the floating axis of the "
                                 "ankle joint coordinate system (ISB, Wu et al. 2002), + = eversion"),
))
MESH = _table(("element",), (
    ("x", "m", "element x, foot frame"),
    ("y", "m", "element y, foot frame"),
    ("area", "m2", "element area, foot frame"),
    ("thickness", "m", "element thickness, foot frame"),
    ("region", "1", "region index"),
    ("segment", "1", "segment index of the articulated foot (hindfoot, forefoot, toes)"),
))

# stance metrics of a force-plate curve (grf_metrics.py), model and recordings alike
GRF_METRICS = _table((), (
    ("impact_peak_bw", "BW", "first local maximum of Fz in the first 25 % of stance that is followed by a dip and a "
     "rise to the active peak"),
    ("impact_peak_time_s", "s", "time of the impact peak after touchdown"),
    ("heel_touch_peak_bw", "BW", "without an impact peak, the first local maximum of Fz between 25 % and 40 % of "
     "stance followed by a dip and a rise to the active peak (a forefoot striker's heel coming down)"),
    ("heel_touch_time_s", "s", "time of the heel-touch peak after touchdown"),
    ("loading_rate_bw_s", "BW/s", "mean slope of Fz from 200 N to 90 % of the impact peak, or to Fz at 6.2 % of "
     "stance without impact peak (Lieberman et al. 2010)"),
    ("active_peak_bw", "BW", "maximum of Fz after the impact peak's dip (of the stance without one)"),
    ("active_peak_time_s", "s", "time of the active peak after touchdown"),
    ("stance_time_s", "s", "time from touchdown to toe-off (Fz crossing the threshold)"),
    ("peak_braking_bw", "BW", "magnitude of the most negative Fx"),
    ("peak_propulsive_bw", "BW", "most positive Fx"),
    ("braking_impulse_bw_s", "BW s", "magnitude of the integral of the negative part of Fx"),
    ("propulsive_impulse_bw_s", "BW s", "integral of the positive part of Fx"),
    ("net_ap_impulse_bw_s", "BW s", "integral of Fx (signed)"),
    ("ml_range_bw", "BW", "max - min of Fy in stance"),
    ("vertical_impulse_bw_s", "BW s", "integral of Fz over stance"),
    ("peak_free_moment_nm", "N m", "max |Tz| where Fz > 20 % BW"),
    ("peak_free_moment_bw_height", "1", "peak free moment / (BW x height)"),
    ("cop_path_length_m", "m", "length of the COP path in stance"),
    ("strike_index", "1", "COP x at first valid COP sample as a fraction of foot length from the heel, 0 heel, "
     "1 toe (Cavanagh & Lafortune 1980); foot length approximated by the COP AP range unless given"),
))

# /summary of a run and the scalars of a sweep: these GRF metrics, then per region the worst element of a record
GRF_SUMMARY = ("impact_peak_bw", "impact_peak_time_s", "heel_touch_peak_bw", "heel_touch_time_s", "loading_rate_bw_s", "active_peak_bw", "stance_time_s",
               "peak_braking_bw", "peak_propulsive_bw", "braking_impulse_bw_s", "propulsive_impulse_bw_s",
               "net_ap_impulse_bw_s", "ml_range_bw", "peak_free_moment_nm", "peak_free_moment_bw_height",
               "strike_index")
# summary suffix -> (element record, unit, scale from the record's SI unit)
REGION_SUMMARY = {
    "peak_shear_kpa": ("peak_shear_stress_pa", "kPa", 1e-3),
    "peak_pressure_kpa": ("peak_pressure_pa", "kPa", 1e-3),
    "peak_shear_strain": ("peak_shear_strain", "1", 1.0),
    "slip_mm": ("slip_distance_m", "mm", 1e3),
    "friction_work_mj": ("friction_work_j", "mJ", 1e3),
    "friction_work_kj_m2": ("friction_work_j_m2", "kJ m-2", 1e-3),
    "pressure_time_integral_kpa_s": ("pressure_time_integral_pa_s", "kPa s", 1e-3),
    "fatigue_dose_per_km": ("fatigue_dose_per_km", "km-1", 1.0),
    "stick_cycles": ("stick_cycles", "1", 1.0),
    "shear_time_integral_kpa_s": ("shear_time_integral_pa_s", "kPa s", 1e-3),
    "contact_time_ms": ("contact_time_s", "ms", 1e3),
}


# per region, beside the worst element: the area-weighted mean of these intensive summaries (`<region>_<suffix>_mean`)
REGION_MEAN_SUMMARY = ("peak_shear_kpa", "peak_pressure_kpa", "peak_shear_strain", "slip_mm", "friction_work_kj_m2",
                       "shear_time_integral_kpa_s", "pressure_time_integral_kpa_s", "fatigue_dose_per_km")
# the step's timing in the summary (sim.dose.step_timing)
TIMING_SUMMARY = ("contacts_per_km", "cadence_steps_per_min")


def _summary() -> dict[str, Variable]:
    out = {name: GRF_METRICS[name] for name in GRF_SUMMARY}
    for suffix, (record, units, scale) in REGION_SUMMARY.items():
        for region in REGION_NAMES:
            name = f"{region}_{suffix}"
            out[name] = Variable(name, units, (), f"{region}: worst element, {ELEMENT_RECORDS[record].long_name}",
                                 record, scale)
    for suffix in REGION_MEAN_SUMMARY:
        record, units, scale = REGION_SUMMARY[suffix]
        for region in REGION_NAMES:
            name = f"{region}_{suffix}_mean"
            out[name] = Variable(name, units, (), f"{region}: area-weighted mean, {ELEMENT_RECORDS[record].long_name}",
                                 record, scale)
    out["worst_shear_region_index"] = Variable("worst_shear_region_index", "1", (),
                                               "region of the largest peak shear stress (index into the region names)")
    out.update(ENERGY_SUMMARY)
    out.update(_table((), (
        ("contacts_per_km", "km-1", "the right foot's contacts per km, from stance time, speed and a ballistic flight"),
        ("cadence_steps_per_min", "min-1", "steps per minute, from stance time and a ballistic flight"))))
    return out


# the contact layer's energy bookkeeping over a run (summary.energy_balance)
ENERGY_SUMMARY = _table((), (
    ("tissue_work_j", "J", "work done on the tissue by the foot's bone-side motion over the run"),
    ("compression_loss_j", "J", "energy dissipated in compression (pad viscous branch, pad and sole damping)"),
    ("shear_damping_loss_j", "J", "energy dissipated by the skin bristles' damping and released at lift-off"),
    ("friction_loss_j", "J", "frictional work"),
    ("stored_energy_end_j", "J", "elastic energy the tissue holds at the end of the run"),
    ("energy_residual_fraction", "1", "(tissue work - losses - stored energy) / tissue work"),
    ("ground_work_on_foot_j", "J", "work of the contact force and moment on the foot, from its motion "
     "(minus the tissue work, to the step's accuracy)"),
))


SUMMARY = _summary()

# a sweep's time series, resampled to its fixed grid (DESIGN 5.2)
SWEEP_TIMESERIES = _table(("time",), (
    ("grf_x", "N", "ground reaction force on the foot, forward (ground frame)"),
    ("grf_y", "N", "ground reaction force on the foot, to the left"),
    ("grf_z", "N", "ground reaction force on the foot, vertical"),
    ("cop_x", "m", "centre of pressure, forward; NaN where the foot is unloaded"),
    ("cop_y", "m", "centre of pressure, to the left; NaN where the foot is unloaded"),
    ("free_moment", "N m", "vertical torque of the ground on the foot about the COP"),
))

_GROUPS = (
    ("Per-element records (`/elements/<name>` of a run, `element_<name>` of a sweep)", "elements/", ELEMENT_RECORDS),
    ("Time series of a run", "", RUN_SERIES),
    ("Plantar mesh of a run (`/mesh/<name>`)", "mesh/", MESH),
    ("Joint angles of an articulated-foot run (`/joints/<name>`)", "joints/", JOINTS),
    ("Summary scalars (`/summary/<name>` of a run, variables over `scenario` of a sweep)", "summary/",
     {**{name: SUMMARY[name] for name in GRF_SUMMARY},
      **{f"<region>_{suffix}": Variable(f"<region>_{suffix}", units, (), f"worst element of the region: "
                                        f"{ELEMENT_RECORDS[record].long_name}") for suffix, (record, units, _) in REGION_SUMMARY.items()},
      "worst_shear_region_index": SUMMARY["worst_shear_region_index"]}),
    ("Force-plate metrics (`footsim validate`, recorded and model stances)", "", GRF_METRICS),
    ("Time series of a sweep with `--timeseries` (over `scenario`, `time`)", "", SWEEP_TIMESERIES),
)


def variables_document() -> str:
    """docs/variables.md, regenerated by `python -m sim.variables > docs/variables.md`."""
    parts = ["# Output variables\n\nEvery variable footsim writes, generated from `sim/variables.py` (the one place "
             "that declares\nthem; regenerate with `python -m sim.variables > docs/variables.md`). Each is stored "
             "with its\n`units` and `long_name` attributes. BW = body mass x 9.81 m/s2; `<region>` is one of "
             + ", ".join(f"`{name}`" for name in REGION_NAMES) + ".\n"]
    for title, prefix, table in _GROUPS:
        rows = [f"| `{prefix}{v.name}` | {v.units} | {v.long_name.replace('|', chr(92) + '|')} |" for v in table.values()]
        parts.append(f"## {title}\n\n| name | units | meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(variables_document(), end="")
