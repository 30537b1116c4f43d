"""Every scenario parameter, declared once: key with unit suffix, default, allowed range, meaning, source.

Scenario parsing, `--set`, sweep axes, error messages and the documentation all read from
`PARAMETERS`; nothing else repeats a default. A default of `None` means "derived", and the
`derived` text says from what (e.g. foot length from body height).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    section: str
    key: str
    default: float | str | None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    meaning: str = ""
    source: str = ""
    derived: str = ""

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def is_flag(self) -> bool:
        return isinstance(self.default, bool)

    @property
    def is_text(self) -> bool:
        """Not a number to range over (a choice, a string or a true/false flag)."""
        return bool(self.choices) or isinstance(self.default, (str, bool))

    def allowed(self) -> str:
        if self.is_flag:
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.is_text:
            return "a string"
        return f"a number in [{self.low:g}, {self.high:g}]"


STRIKE_PATTERNS = ("rearfoot", "midfoot", "forefoot")

_P = Param
PARAMETERS: tuple[Param, ...] = (
    # runner: body and leg (DESIGN 3.4)
    _P("runner", "body_mass_kg", 70.0, 20.0, 250.0, meaning="total body mass M"),
    _P("runner", "height_m", 1.75, 1.0, 2.3, meaning="body height"),
    _P("runner", "speed_m_s", 3.5, 0.5, 10.0, meaning="forward speed of the hip at touchdown"),
    _P("runner", "overstride_m", None, -0.1, 0.7, derived="from strike angle: 0.273 m heel-first to 0.266 m forefoot-first",
       meaning="horizontal distance of the ankle ahead of the hip at touchdown",
       source="fitted for steady running (zero net AP impulse) at the defaults"),
    _P("runner", "hip_vertical_velocity_m_s", -0.45, -2.0, 1.0,
       meaning="vertical velocity of the hip at touchdown (negative = falling)"),
    _P("runner", "leg_length_m", None, 0.4, 1.3, derived="0.47 x height",
       meaning="hip-to-ankle distance at touchdown (leg spring unloaded)"),
    _P("runner", "leg_stiffness_n_m", 22000.0, 2000.0, 80000.0,
       meaning="leg spring stiffness (calibrate)",
       source="Farley & Gonzalez 1996 (11 kN/m); ~20 kN/m in this series arrangement (DESIGN 3.4)"),
    _P("runner", "leg_damping_n_s_m", 0.0, 0.0, 5000.0, meaning="leg damping (calibrate)"),
    _P("runner", "push_off_extension_m", None, -0.1, 0.2,
       derived="from strike angle: 0.020 m heel-first to 0.062 m forefoot-first",
       meaning="change of the leg's rest length over the second half of stance (balances the energy of the stance)",
       source="fitted for steady running (vertical impulse = BW x step time) at the defaults"),
    _P("runner", "impact_mass_fraction", 0.08, 0.01, 0.3,
       meaning="foot + shank mass as a fraction of body mass (f1)", source="Clark et al. 2017"),
    _P("runner", "step_width_m", 0.06, 0.0, 0.4, meaning="lateral distance between hip and ankle at touchdown x 2"),
    _P("runner", "ankle_stiffness_sagittal_n_m_rad", None, 20.0, 5000.0,
       derived="from strike angle: 300 heel-first to 230 forefoot-first (a yielding ankle lowers the heel)",
       meaning="ankle dorsi/plantarflexion stiffness", source="DESIGN 3.4: 300-450 N m/rad in running"),
    _P("runner", "ankle_stiffness_frontal_n_m_rad", 800.0, 20.0, 10000.0,
       meaning="ankle inversion/eversion stiffness (stiffer than sagittal)"),
    _P("runner", "ankle_stiffness_axial_n_m_rad", 300.0, 10.0, 10000.0,
       meaning="stiffness of the leg-foot rotation about the foot's vertical axis (transmits twist)"),
    _P("runner", "ankle_damping_n_m_s_rad", 8.0, 0.0, 100.0,
       meaning="ankle rotational damping (limits the foot slap after a heel strike)"),
    _P("runner", "steady", False, meaning="solve overstride, hip vertical velocity and push-off for one step of steady "
       "running (|net AP impulse| <= 0.01 BW s, vertical impulse = BW x step time) before the stance", source="DESIGN 3.4b"),
    _P("runner", "foot_length_m", None, 0.15, 0.35, derived="0.147 x height", source="DESIGN 3.1"),
    # strike (DESIGN 2, 3.4)
    _P("strike", "pattern", "rearfoot", choices=STRIKE_PATTERNS,
       meaning="strike class; sets the default foot-strike angle (+15, +3, -10 deg)"),
    _P("strike", "foot_strike_angle_deg", None, -40.0, 40.0, derived="from pattern",
       meaning="sagittal plantar angle at touchdown, + = dorsiflexed (heel first)"),
    _P("strike", "toe_out_deg", 10.0, -20.0, 60.0, meaning="foot progression angle, + = toes away from the midline"),
    _P("strike", "twist_deg", 0.0, -45.0, 45.0,
       meaning="leg rotation relative to the foot over late stance, + = toes turned further out at push-off"),
    _P("strike", "twist_onset_fraction", 0.5, 0.0, 0.95,
       meaning="fraction of the leg's sweep (0 touchdown, 0.5 leg vertical, 1 toe-off) where the twist starts"),
    _P("strike", "inversion_deg", 5.0, -20.0, 30.0, meaning="foot inversion at touchdown"),
    _P("strike", "foot_velocity_m_s", 0.0, -2.0, 3.0,
       meaning="forward foot velocity relative to the ground at touchdown (+ sliding, - pawing)"),
    _P("strike", "foot_descent_velocity_m_s", None, 0.0, 4.0, derived="from strike angle: 1.5 m/s heel-first to 0.5 m/s forefoot-first",
       meaning="downward foot velocity at touchdown", source="DESIGN 3.4"),
    # surface
    _P("surface", "name", "concrete", choices=("concrete", "asphalt", "track", "grass"),
       meaning="ground surface; sets the friction scale"),
    _P("surface", "friction_scale", None, 0.05, 3.0, derived="from surface name",
       meaning="multiplies the skin friction coefficients"),
    # tissue (DESIGN 3.2, 3.3)
        # E0, a, c fitted to Kinoshita et al. 1993's heel drop (5 kg at 0.93 m/s, assumed 30 mm flat
    # impactor): DESIGN's 40 kPa / 8 / 0.9 gave 17 g peak deceleration against 11.6 g measured.
    _P("tissue", "e0_pa", 210e3, 1e3, 2e6, meaning="pad modulus at zero strain (E0)",
       source="calibrated on the heel drop (DESIGN 3.2 start: 40 kPa)"),
    _P("tissue", "exponent", 4.6, 0.5, 20.0, meaning="exponential stiffening of the pad (a)",
       source="calibrated on the heel drop (DESIGN 3.2 start: 8)"),
    _P("tissue", "damping_s_m", 1.0, 0.0, 5.0, meaning="Hunt-Crossley damping c",
       source="calibrated on the heel drop (DESIGN 3.2 start: 0.9 s/m)"),
    _P("tissue", "max_strain", 0.9, 0.5, 0.97, meaning="barrier strain of the pad"),
    _P("tissue", "g0_pa", 100e3, 5e3, 2e6, meaning="tissue shear modulus at zero strain (G0)",
       source="DESIGN 3.3 (calibrate; 50-500 kPa)"),
    _P("tissue", "shear_exponent", 2.0, 0.0, 10.0, meaning="compression stiffening of shear (a_s)", source="DESIGN 3.3"),
    _P("tissue", "shear_damping_pa_s_m", 1e5, 0.0, 1e7,
       meaning="tangential tissue damping c_t (bristle time constant of a few ms; damps the foot's fore-aft ringing)"),
    _P("tissue", "mu_static", 0.8, 0.0, 3.0, meaning="static skin-ground friction", source="Derler & Gerhardt 2012"),
    _P("tissue", "mu_kinetic", 0.7, 0.0, 3.0, meaning="kinetic skin-ground friction", source="Derler & Gerhardt 2012"),
    _P("tissue", "heel_thickness_mm", 18.0, 5.0, 40.0, meaning="unloaded heel pad thickness", source="DESIGN 3.1 (14-26 mm)"),
    _P("tissue", "forefoot_thickness_mm", 11.0, 3.0, 30.0, meaning="pad thickness under the metatarsal heads"),
    _P("tissue", "arch_thickness_mm", 8.0, 2.0, 30.0, meaning="pad thickness under the arch"),
    _P("tissue", "toe_thickness_mm", 15.0, 3.0, 40.0,
       meaning="effective compliant thickness under the toes: 8 mm pulp plus the give of the flexing toe joints, "
               "which the rigid foot lacks"),
    # footwear
    _P("footwear", "preset", "barefoot", meaning="'barefoot' or a name or path of a file in scenarios/footwear/"),
    # foot model (DESIGN 3.4b): the rigid one-piece foot, or hindfoot, forefoot and toes on joints
    _P("foot", "model", "rigid", choices=("rigid", "articulated"),
       meaning="one rigid foot on a three-axis ankle spring, or the articulated foot on a leg that can rotate"),
    _P("foot", "talocrural_stiffness_n_m_rad", 375.0, 100.0, 2000.0,
       meaning="passive stiffness of the talocrural (ankle) hinge", source="DESIGN 3.4: 300-450 N m/rad in running (mid-range)"),
    _P("foot", "talocrural_inclination_deg", 8.0, 0.0, 20.0,
       meaning="talocrural axis through the malleoli, inclined down laterally", source="Inman 1976 (DESIGN 3.4b)"),
    _P("foot", "talocrural_rotation_deg", 6.0, -10.0, 20.0,
       meaning="talocrural axis rotated posterolaterally from the transverse", source="Inman 1976 (DESIGN 3.4b)"),
    _P("foot", "subtalar_elevation_deg", 42.0, 20.0, 65.0,
       meaning="subtalar axis angle up from the plantar plane", source="Inman 1976: 42 deg (foot_joints in published.toml)"),
    _P("foot", "subtalar_deviation_deg", 23.0, 4.0, 47.0,
       meaning="subtalar axis angle medial of the foot's long axis", source="Inman 1976: 16-23 deg (23 +/- 11)"),
    _P("foot", "subtalar_stiffness_n_m_rad", 400.0, 50.0, 3000.0,
       meaning="passive stiffness of the subtalar hinge (inversion-eversion of the hindfoot)",
       source="assumed, of the order of the rigid model's frontal 800 N m/rad split over two hinges (calibrate)"),
    _P("foot", "ankle_residual_stiffness_n_m_rad", 3000.0, 500.0, 20000.0,
       meaning="stiffness of the ankle complex about the normal to both hinges (what neither hinge allows)",
       source="assumed: bony and ligamentous constraint, several times the hinge stiffnesses"),
    _P("foot", "ankle_damping_n_m_s_rad", 2.0, 0.1, 50.0, meaning="passive rotational damping of the ankle complex",
       source="assumed (calibrate)"),
    _P("foot", "dorsiflexor_braking_n_m_s_rad", 6.0, 0.0, 50.0,
       meaning="dorsiflexors' eccentric damping of plantarflexion until the leg is vertical (removes the foot slap)",
       source="assumed (calibrate)"),
    _P("foot", "plantarflexor_moment_n_m", 60.0, 0.0, 300.0,
       meaning="peak active plantarflexor push-off moment about the talocrural hinge (sin^2 from the leg vertical "
               "to toe-off; before that the talocrural quasi-stiffness carries the muscles' share)",
       source="of the order of the active share of the 2.5-3 N m/kg running ankle moment (Hamner & Delp 2013) (calibrate)"),
    _P("foot", "arch_stiffness_n_m_rad", 500.0, 100.0, 3000.0,
       meaning="sagittal bending stiffness of the midfoot joint (the arch spring)",
       source="assumed, order of Ker et al. 1987's arch spring (stores ~17 % of a stride's work) (calibrate)"),
    _P("foot", "arch_damping_n_m_s_rad", 1.0, 0.05, 20.0, meaning="damping of the arch bending", source="assumed"),
    _P("foot", "midfoot_axis_elevation_deg", 15.0, 0.0, 40.0,
       meaning="longitudinal midtarsal axis (forefoot inversion-eversion) angle up from the plantar plane",
       source="Manter 1941: 15 deg"),
    _P("foot", "midfoot_axis_deviation_deg", 9.0, 0.0, 30.0,
       meaning="longitudinal midtarsal axis angle medial of the foot's long axis", source="Manter 1941: 9 deg"),
    _P("foot", "forefoot_inversion_stiffness_n_m_rad", 150.0, 20.0, 2000.0,
       meaning="stiffness of forefoot inversion-eversion about the longitudinal midtarsal axis", source="assumed (calibrate)"),
    _P("foot", "forefoot_inversion_damping_n_m_s_rad", 0.5, 0.05, 20.0, meaning="damping of forefoot inversion-eversion",
       source="assumed"),
    _P("foot", "mtp_stiffness_n_m_rad", 60.0, 5.0, 500.0,
       meaning="stiffness of the metatarsophalangeal hinge on the oblique MTH1-MTH5 line", source="assumed (calibrate)"),
    _P("foot", "mtp_damping_n_m_s_rad", 0.3, 0.05, 10.0, meaning="damping of the metatarsophalangeal hinge",
       source="assumed"),
    _P("foot", "limb_rotation_stiffness_n_m_rad", 60.0, 5.0, 1000.0,
       meaning="stiffness of the shank's axial rotation (hip and knee rotation in series)", source="assumed (calibrate)"),
    _P("foot", "limb_rotation_damping_n_m_s_rad", 0.5, 0.01, 20.0, meaning="damping of the shank's axial rotation",
       source="assumed"),
    _P("foot", "twist_torque_limit_n_m", 15.0, 0.5, 60.0,
       meaning="largest axial torque the limb applies to reach its twisted rest angle (strike.twist_deg)",
       source="above the 6-10 N m free moments runners produce (Holden & Cavanagh 1991; Milner et al. 2006)"),
    # numerics
    _P("numerics", "dt_s", 1e-4, 1e-6, 1e-3, meaning="fixed time step"),
    _P("numerics", "mesh_spacing_mm", 4.0, 2.0, 12.0, meaning="plantar element grid spacing"),
    _P("numerics", "duration_s", 0.6, 0.05, 3.0, meaning="longest simulated time (the stance ends at toe-off)"),
    _P("numerics", "mode", "dynamic", choices=("dynamic", "kinematic"),
       meaning="forward dynamics, or a prescribed roll-over (DESIGN 3.6)"),
    # kinematic roll-over (numerics.mode = "kinematic"; DESIGN 3.6)
    _P("kinematic", "stance_time_s", 0.25, 0.05, 2.0, meaning="duration of the prescribed roll-over"),
    _P("kinematic", "peak_load_bw", 2.5, 0.1, 6.0,
       meaning="peak of the half-sine vertical load the roll-over's depth is set for (elastic pad, before damping)"),
    _P("kinematic", "load_profile", "half_sine", choices=("half_sine", "double_hump"),
       meaning="shape of the vertical load: running's half-sine or walking's two humps"),
    _P("kinematic", "toe_off_pitch_deg", 35.0, 0.0, 80.0, meaning="plantarflexion of the foot at toe-off (rolls over the metatarsal heads)"),
)

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMETERS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMETERS))

PATTERN_STRIKE_ANGLE_DEG = {"rearfoot": 15.0, "midfoot": 3.0, "forefoot": -10.0}
SURFACE_FRICTION_SCALE = {"concrete": 1.0, "asphalt": 1.0, "track": 1.1, "grass": 0.7}


def markdown_table() -> str:
    """The parameter table for the documentation."""
    rows = ["| key | default | allowed | meaning | source |", "|---|---|---|---|---|"]
    for p in PARAMETERS:
        default = p.derived if p.default is None else p.default
        rows.append(f"| `{p.name}` | {default} | {p.allowed()} | {p.meaning} | {p.source} |")
    return "\n".join(rows)


def parameter_document() -> str:
    """docs/parameters.md, regenerated by `python -m sim.params > docs/parameters.md`."""
    return ("# Scenario parameters\n\nEvery key of a scenario file, generated from `sim/params.py` (the one place "
            "that defines them;\nregenerate with `python -m sim.params > docs/parameters.md`). Derived defaults "
            "are filled in\nfrom the named quantities when a key is absent.\n\n" + markdown_table() + "\n")


if __name__ == "__main__":
    print(parameter_document(), end="")
