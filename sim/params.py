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
    unit: str = "1"  # as CF/udunits writes it; "" for a text value

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def is_footwear_layer(self) -> bool:
        """A shoe quantity (`footwear.<layer>.<key>`): its default is the preset's value."""
        return self.section == "footwear" and "." in self.key

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
    _P("runner", "body_mass_kg", 70.0, 20.0, 250.0, meaning="total body mass M", unit="kg"),
    _P("runner", "height_m", 1.75, 1.0, 2.3, meaning="body height", unit="m"),
    _P("runner", "speed_m_s", 3.5, 0.5, 10.0, meaning="forward speed of the hip at touchdown", unit="m/s"),
    _P("runner", "overstride_m", None, -0.1, 0.7, derived="from strike angle: 0.273 m heel-first to 0.266 m forefoot-first",
       meaning="horizontal distance of the ankle ahead of the hip at touchdown",
       source="fitted for steady running (zero net AP impulse) at the defaults", unit="m"),
    _P("runner", "hip_vertical_velocity_m_s", -0.45, -2.0, 1.0,
       meaning="vertical velocity of the hip at touchdown (negative = falling)", unit="m/s"),
    _P("runner", "leg_length_m", None, 0.4, 1.3, derived="0.47 x height",
       meaning="hip-to-ankle distance at touchdown (leg spring unloaded)", unit="m"),
    _P("runner", "leg_stiffness_n_m", 22000.0, 2000.0, 80000.0,
       meaning="leg spring stiffness (calibrate)",
       source="Farley & Gonzalez 1996 (11 kN/m); ~20 kN/m in this series arrangement (DESIGN 3.4)", unit="N/m"),
    _P("runner", "leg_damping_n_s_m", 0.0, 0.0, 5000.0, meaning="leg damping (calibrate)", unit="N s/m"),
    _P("runner", "push_off_extension_m", None, -0.1, 0.2,
       derived="from strike angle: 0.020 m heel-first to 0.062 m forefoot-first",
       meaning="change of the leg's rest length over the second half of stance (balances the energy of the stance)",
       source="fitted for steady running (vertical impulse = BW x step time) at the defaults", unit="m"),
    _P("runner", "impact_mass_fraction", 0.08, 0.01, 0.3,
       meaning="foot + shank mass as a fraction of body mass (f1)", source="Clark et al. 2017", unit="1"),
    _P("runner", "soft_tissue_mass_fraction", 0.0, 0.0, 0.8,
       meaning="share of the impact mass that is soft tissue moving on the shank's bone (a wobbling mass); "
       "the rest moves with the foot", source="0 is DESIGN 3.4's rigid lump; wobbling-mass models of running "
       "impacts carry most of the shank's mass in soft tissue (Liu & Nigg 2000; Nikooyan & Zadpoor 2011 review), "
       "so studies sample 0-0.8 (docs/articulated_foot.md: what 0.5 moves)", unit="1"),
    _P("runner", "soft_tissue_frequency_hz", 15.0, 8.0, 50.0,
       meaning="natural frequency of the soft tissue on its spring about the ankle",
       source="range of free soft-tissue vibration frequencies of the leg (Wakeling & Nigg 2001; Boyer & Nigg 2006)",
       unit="Hz"),
    _P("runner", "soft_tissue_damping_ratio", 0.5, 0.1, 1.0,
       meaning="damping ratio of the soft tissue's spring-damper",
       source="leg soft-tissue vibrations in running are heavily damped (Wakeling & Nigg 2001; Boyer & Nigg 2006)",
       unit="1"),
    _P("runner", "step_width_m", 0.06, 0.0, 0.4, meaning="lateral distance between hip and ankle at touchdown x 2",
       unit="m"),
    _P("runner", "ankle_stiffness_sagittal_n_m_rad", None, 20.0, 5000.0,
       derived="from strike angle: 300 heel-first to 230 forefoot-first (a yielding ankle lowers the heel)",
       meaning="ankle dorsi/plantarflexion stiffness", source="DESIGN 3.4: 300-450 N m/rad in running", unit="N m/rad"),
    _P("runner", "ankle_stiffness_frontal_n_m_rad", 800.0, 20.0, 10000.0,
       meaning="ankle inversion/eversion stiffness (stiffer than sagittal)", unit="N m/rad"),
    _P("runner", "ankle_stiffness_axial_n_m_rad", 300.0, 10.0, 10000.0,
       meaning="stiffness of the leg-foot rotation about the foot's vertical axis (transmits twist)", unit="N m/rad"),
    _P("runner", "ankle_damping_n_m_s_rad", 8.0, 0.0, 100.0,
       meaning="ankle rotational damping (limits the foot slap after a heel strike)", unit="N m s/rad"),
    _P("runner", "steady", False, meaning="solve overstride and push-off (and, with runner.impose_cadence, the hip's vertical velocity) for one step of steady "
       "running (|net AP impulse| <= 0.01 BW s, vertical impulse = BW x step time) before the stance", source="DESIGN 3.4b", unit=""),
    _P("runner", "impose_cadence", False, meaning="with runner.steady: also solve the hip's vertical velocity at touchdown "
       "so that the step (stance + flight) lasts 60 / runner.cadence_steps_per_min", source="DESIGN 3.4b; runners vary "
       "cadence, not overstride, at a given speed", unit=""),
    _P("runner", "cadence_steps_per_min", 170.0, 140.0, 220.0,
       meaning="steps per minute that the steady solve imposes when runner.impose_cadence = true",
       source="Lieberman et al. 2015: metabolically optimal 84.8 +/- 3.6 strides/min (170 steps/min) at 3.0 m/s, "
       "runners held at 150-190 steps/min; van Oeveren et al. 2020 (outdoors): preferred 165 +/- 8 steps/min at "
       "3.0 m/s, 3 more at 15 % faster", unit="min-1"),
    _P("runner", "foot_length_m", None, 0.15, 0.35, derived="0.147 x height", source="DESIGN 3.1", unit="m"),
    # strike (DESIGN 2, 3.4)
    _P("strike", "pattern", "rearfoot", choices=STRIKE_PATTERNS,
       meaning="strike class; sets the default foot-strike angle (+15, +3, -10 deg)", unit=""),
    _P("strike", "foot_strike_angle_deg", None, -40.0, 40.0, derived="from pattern",
       meaning="sagittal plantar angle at touchdown, + = dorsiflexed (heel first)", unit="degree"),
    _P("strike", "toe_out_deg", 10.0, -20.0, 60.0, meaning="foot progression angle, + = toes away from the midline",
       unit="degree"),
    _P("strike", "twist_deg", 0.0, -45.0, 45.0,
       meaning="leg rotation relative to the foot over late stance, + = toes turned further out at push-off",
       unit="degree"),
    _P("strike", "twist_onset_fraction", 0.5, 0.0, 0.95,
       meaning="fraction of the leg's sweep (0 touchdown, 0.5 leg vertical, 1 toe-off) where the twist starts",
       unit="1"),
    _P("strike", "inversion_deg", 5.0, -20.0, 30.0, meaning="foot inversion at touchdown", unit="degree"),
    _P("strike", "foot_velocity_m_s", 0.0, -2.0, 3.0,
       meaning="forward foot velocity relative to the ground at touchdown (+ sliding, - pawing)", unit="m/s"),
    _P("strike", "foot_descent_velocity_m_s", None, 0.0, 4.0, derived="from strike angle: 1.5 m/s heel-first to 0.5 m/s forefoot-first",
       meaning="downward foot velocity at touchdown", source="DESIGN 3.4", unit="m/s"),
    # surface
    _P("surface", "name", "concrete", choices=("concrete", "asphalt", "track", "grass"),
       meaning="ground surface; sets the friction scale", unit=""),
    _P("surface", "friction_scale", None, 0.05, 3.0, derived="from surface name",
       meaning="multiplies the skin friction coefficients", unit="1"),
    # tissue (DESIGN 3.2, 3.3)
    # Pad law v2 (DESIGN 3.2): with the Hunt-Crossley c held at 1.0 s/m, E0, a, the viscous branch
    # (g1, tau) and the leg tissue behind the pad fitted together to both targets: Kinoshita et al. 1993's in-vivo drop (5 kg at 0.93 m/s,
    # assumed 30 mm flat impactor; 11.6 g, 11.3 mm, 75-89 % absorbed, each within 10 %) and 25-35 %
    # isolated-pad hysteresis at 1-3 Hz to 50 % strain (Bennett & Ker 1990; Ker 1996).
    # (v1: E0 210 kPa, a 4.6, Hunt-Crossley c 1.0 s/m fitted to the drop alone.)
    _P("tissue", "e0_pa", 210e3, 1e3, 2e6, meaning="pad modulus at zero strain (E0)",
       source="fitted to the heel drop and pad hysteresis together (DESIGN 3.2 start: 40 kPa)", unit="Pa"),
    _P("tissue", "exponent", 4.6, 0.5, 20.0, meaning="exponential stiffening of the pad (a)",
       source="fitted to the heel drop and pad hysteresis together (DESIGN 3.2 start: 8)", unit="1"),
    _P("tissue", "damping_s_m", 1.0, 0.0, 5.0, meaning="Hunt-Crossley pad damping c (the pad's loss at impact rates)",
       source="held at its v1 value (fitted to the heel drop alone); without it the running heel strike rings "
              "(active peak 7 BW), since the viscous branch relaxes too slowly to damp 50-100 Hz", unit="s/m"),
    _P("tissue", "max_strain", 0.9, 0.5, 0.97, meaning="barrier strain of the pad", unit="1"),
    _P("tissue", "g0_pa", 100e3, 5e3, 2e6, meaning="tissue shear modulus at zero strain (G0)",
       source="DESIGN 3.3 (calibrate; 50-500 kPa)", unit="Pa"),
    _P("tissue", "shear_exponent", 2.0, 0.0, 10.0, meaning="compression stiffening of shear (a_s)", source="DESIGN 3.3", unit="1"),
    _P("tissue", "shear_damping_pa_s_m", 0.0, 0.0, 1e7,
       meaning="constant tangential damping c_t added to the loss-tangent damping (the v1 knob; 0 in v2)", unit="Pa s/m"),
    _P("tissue", "shear_loss_tangent", 0.15, 0.05, 0.3,
       meaning="loss tangent of the skin and pad in shear at 5 Hz; sets the bristle's damping c = tan(delta) k / omega",
       source="DESIGN 3.3: skin and pad loss tangent about 0.1-0.25 at 1-10 Hz", unit="1"),
    _P("tissue", "pad_branch_fraction", 0.8, 0.0, 3.0,
       meaning="stiffness of the pad's viscous (Maxwell) branch relative to its elastic law (g1)",
       source="fitted with E0 and a: 25-35 % isolated-pad hysteresis at 1-3 Hz (Bennett & Ker 1990; Ker 1996) and the heel drop", unit="1"),
    _P("tissue", "pad_relaxation_time_s", 0.12, 0.001, 1.0,
       meaning="relaxation time of the pad's viscous branch at small strain (tau)",
       source="fitted with E0 and a: 25-35 % isolated-pad hysteresis at 1-3 Hz (Bennett & Ker 1990; Ker 1996) and the heel drop", unit="s"),
    _P("tissue", "leg_tissue_stiffness_n_m", 500.0, 0.0, 1e7,
       meaning="the leg's soft tissue in series behind the heel pad, as the in-vivo drop test loads it",
       source="fitted with the pad law to Kinoshita 1993's drop (the loss beyond the pad's own; DESIGN 3.2)", unit="N/m"),
    _P("tissue", "leg_tissue_damping_n_s_m", 4600.0, 0.0, 1e4,
       meaning="damping of the leg's soft tissue behind the heel pad (the drop's loss beyond the pad's)",
       source="fitted with the pad law to Kinoshita 1993's drop (the loss beyond the pad's own; DESIGN 3.2)", unit="N s/m"),
    _P("tissue", "fatigue_exponent", 6.0, 2.0, 10.0, unit="1",
       meaning="exponent m of the skin's fatigue dose, sum of (stick-phase strain range / gamma_ref)^m",
       source="DESIGN 3.7: no published fit; studies sample 2-10"),
    _P("tissue", "fatigue_reference_strain", 0.5, 0.05, 5.0, unit="1",
       meaning="reference strain range gamma_ref of the fatigue dose (a scale: the dose ranks, it is no threshold)",
       source="DESIGN 3.7: uncertain; of the order of the stick-phase shear strains"),
    _P("tissue", "mu_static", 0.8, 0.0, 3.0, meaning="static skin-ground friction", source="Derler & Gerhardt 2012", unit="1"),
    _P("tissue", "mu_kinetic", 0.7, 0.0, 3.0, meaning="kinetic skin-ground friction", source="Derler & Gerhardt 2012", unit="1"),
    _P("tissue", "heel_thickness_mm", 18.0, 5.0, 40.0, meaning="unloaded heel pad thickness", source="DESIGN 3.1 (14-26 mm)", unit="mm"),
    _P("tissue", "forefoot_thickness_mm", 11.0, 3.0, 30.0, meaning="pad thickness under the metatarsal heads", unit="mm"),
    _P("tissue", "arch_thickness_mm", 8.0, 2.0, 30.0, meaning="pad thickness under the arch", unit="mm"),
    _P("tissue", "toe_thickness_mm", 15.0, 3.0, 40.0,
       meaning="effective compliant thickness under the toes: 8 mm pulp plus the give of the flexing toe joints, "
               "which the rigid foot lacks", unit="mm"),
    # footwear
    _P("footwear", "preset", "barefoot",
       meaning="'barefoot', a bundled preset's name (sim/data/footwear/, also seen as scenarios/footwear/) "
               "or a path to a preset TOML file; the keys below override the preset's values", unit=""),
    # footwear.<layer>.<key> (DESIGN 3.5): the default is the preset's value, else the one given here;
    # a barefoot scenario has none of them. A preset file holds the same keys as [layer] tables.
    _P("footwear", "insole.thickness_mm", 0.0, 0.0, 15.0, meaning="rigid insole thickness", unit="mm"),
    _P("footwear", "insole.mu_skin", 0.6, 0.0, 3.0, meaning="static friction of the skin on the insole (sock included)",
       source="0.4-0.8 on textile sockliners", unit="1"),
    _P("footwear", "midsole.heel_thickness_mm", 0.0, 0.0, 60.0, meaning="compliant sole under the heel",
       source="25-40 mm in cushioned trainers", unit="mm"),
    _P("footwear", "midsole.forefoot_thickness_mm", 0.0, 0.0, 60.0,
       meaning="compliant sole under the forefoot (drop = heel - forefoot)", unit="mm"),
    _P("footwear", "midsole.e0_pa", 400e3, 1e4, 1e8, meaning="midsole modulus at zero strain",
       source="EVA/TPU foams 0.15-1.5 MPa, solid rubber 1-5 MPa", unit="Pa"),
    _P("footwear", "midsole.exponent", 3.0, 0.1, 15.0, meaning="exponential stiffening of the midsole in compression", unit="1"),
    _P("footwear", "midsole.damping_s_m", 0.5, 0.0, 5.0, meaning="Hunt-Crossley damping of the midsole", unit="s/m"),
    _P("footwear", "midsole.shear_modulus_pa", 300e3, 1e4, 1e8, meaning="midsole shear modulus", source="foam ~0.1-1 MPa", unit="Pa"),
    _P("footwear", "outsole.thickness_mm", 0.0, 0.0, 15.0, meaning="rigid outsole thickness", unit="mm"),
    _P("footwear", "outsole.mu_ground", 0.8, 0.0, 3.0,
       meaning="static friction of the outsole on the ground (before the surface scale)",
       source="rubber on dry concrete 0.7-1.0", unit="1"),
    _P("footwear", "geometry.footbed_conformity", 0.5, 0.0, 1.0, meaning="0 flat footbed, 1 moulded to the sole of the foot", unit="1"),
    _P("footwear", "geometry.heel_bevel_radius_mm", 0.0, 0.0, 200.0,
       meaning="posterior rounding of the outsole behind the heel centre: the sole rises by d^2 / (2 R) at a "
               "distance d behind it (0 = square)", source="20-60 mm on bevelled trainers", unit="mm"),
    _P("footwear", "geometry.heel_bevel_deg", 0.0, 0.0, 45.0,
       meaning="posterior chamfer of the outsole behind the heel centre: the sole rises by d tan(angle) at a "
               "distance d behind it (0 = square; adds to the radius' rise; capped at the sole's thickness)",
       source="10-25 deg on bevelled trainers", unit="degree"),
    _P("footwear", "geometry.heel_flare_mm", 0.0, 0.0, 20.0, meaning="lateral and medial widening of the sole at the heel", unit="mm"),
    _P("footwear", "geometry.heel_counter_grip", 1.0, 1.0, 5.0,
       meaning="factor on skin-insole friction under the heel that the counter holds", unit="1"),
    # foot model (DESIGN 3.4b): the rigid one-piece foot, or hindfoot, forefoot and toes on joints
    _P("foot", "model", "rigid", choices=("rigid", "articulated"),
       meaning="one rigid foot on a three-axis ankle spring, or the articulated foot on a leg that can rotate", unit=""),
    _P("foot", "talocrural_stiffness_n_m_rad", 375.0, 100.0, 2000.0,
       meaning="passive stiffness of the talocrural (ankle) hinge", source="DESIGN 3.4: 300-450 N m/rad in running (mid-range)", unit="N m/rad"),
    _P("foot", "talocrural_inclination_deg", 8.0, 0.0, 20.0,
       meaning="talocrural axis through the malleoli, inclined down laterally", source="Inman 1976 (DESIGN 3.4b)", unit="degree"),
    _P("foot", "talocrural_rotation_deg", 6.0, -10.0, 20.0,
       meaning="talocrural axis rotated posterolaterally from the transverse", source="Inman 1976 (DESIGN 3.4b)", unit="degree"),
    _P("foot", "subtalar_elevation_deg", 42.0, 20.0, 65.0,
       meaning="subtalar axis angle up from the plantar plane", source="Inman 1976: 42 deg (foot_joints in published.toml)", unit="degree"),
    _P("foot", "subtalar_deviation_deg", 23.0, 4.0, 47.0,
       meaning="subtalar axis angle medial of the foot's long axis", source="Inman 1976: 16-23 deg (23 +/- 11)", unit="degree"),
    _P("foot", "subtalar_stiffness_n_m_rad", 400.0, 50.0, 3000.0,
       meaning="passive stiffness of the subtalar hinge (inversion-eversion of the hindfoot)",
       source="assumed, of the order of the rigid model's frontal 800 N m/rad split over two hinges (calibrate)", unit="N m/rad"),
    _P("foot", "ankle_residual_stiffness_n_m_rad", 3000.0, 500.0, 20000.0,
       meaning="stiffness of the ankle complex about the normal to both hinges (what neither hinge allows)",
       source="assumed: bony and ligamentous constraint, several times the hinge stiffnesses", unit="N m/rad"),
    _P("foot", "ankle_damping_n_m_s_rad", 2.0, 0.1, 50.0, meaning="passive rotational damping of the ankle complex",
       source="assumed (calibrate)", unit="N m s/rad"),
    _P("foot", "dorsiflexor_braking_n_m_s_rad", 6.0, 0.0, 50.0,
       meaning="dorsiflexors' eccentric damping of plantarflexion until the leg is vertical (removes the foot slap)",
       source="assumed (calibrate)", unit="N m s/rad"),
    _P("foot", "plantarflexor_moment_n_m", 60.0, 0.0, 300.0,
       meaning="peak active plantarflexor push-off moment about the talocrural hinge (sin^2 from the leg vertical "
               "to toe-off; before that the talocrural quasi-stiffness carries the muscles' share)",
       source="of the order of the active share of the 2.5-3 N m/kg running ankle moment (Hamner & Delp 2013) (calibrate)", unit="N m"),
    _P("foot", "triceps_subtalar_inversion_ratio", 0.0, 0.0, 0.3,
       meaning="generalised inversion moment about the subtalar axis per unit plantarflexor moment about the "
               "talocrural axis (the triceps surae pulls on the calcaneus medial of the subtalar axis; 0 = none)",
       source="Hintermann, Nigg & Sommer 1994 (in vitro, tendon excursion): the soleus' invertor arm is 0.24 of "
              "tibialis posterior's, so about 0.1 if that is 2 cm against the Achilles' 48 mm plantarflexion arm "
              "(Wolfram et al. 2018); no absolute value was found, so the default keeps the model without it and "
              "studies sample 0-0.3 (docs/articulated_foot.md: what it moves)", unit="1"),
    _P("foot", "arch_stiffness_n_m_rad", 500.0, 100.0, 3000.0,
       meaning="sagittal bending stiffness of the midfoot joint (the arch spring)",
       source="assumed, order of Ker et al. 1987's arch spring (stores ~17 % of a stride's work) (calibrate)", unit="N m/rad"),
    _P("foot", "arch_damping_n_m_s_rad", 1.0, 0.05, 20.0, meaning="damping of the arch bending", source="assumed", unit="N m s/rad"),
    _P("foot", "midfoot_axis_elevation_deg", 15.0, 0.0, 40.0,
       meaning="longitudinal midtarsal axis (forefoot inversion-eversion) angle up from the plantar plane",
       source="Manter 1941: 15 deg", unit="degree"),
    _P("foot", "midfoot_axis_deviation_deg", 9.0, 0.0, 30.0,
       meaning="longitudinal midtarsal axis angle medial of the foot's long axis", source="Manter 1941: 9 deg", unit="degree"),
    _P("foot", "forefoot_inversion_stiffness_n_m_rad", 150.0, 20.0, 2000.0,
       meaning="stiffness of forefoot inversion-eversion about the longitudinal midtarsal axis", source="assumed (calibrate)", unit="N m/rad"),
    _P("foot", "forefoot_inversion_damping_n_m_s_rad", 0.5, 0.05, 20.0, meaning="damping of forefoot inversion-eversion",
       source="assumed", unit="N m s/rad"),
    _P("foot", "mtp_stiffness_n_m_rad", 60.0, 5.0, 500.0,
       meaning="stiffness of the metatarsophalangeal hinge on the oblique MTH1-MTH5 line", source="assumed (calibrate)", unit="N m/rad"),
    _P("foot", "mtp_damping_n_m_s_rad", 0.3, 0.05, 10.0, meaning="damping of the metatarsophalangeal hinge",
       source="assumed", unit="N m s/rad"),
    _P("foot", "limb_rotation_stiffness_n_m_rad", 60.0, 5.0, 1000.0,
       meaning="stiffness of the shank's axial rotation (hip and knee rotation in series)", source="assumed (calibrate)", unit="N m/rad"),
    _P("foot", "limb_rotation_damping_n_m_s_rad", 0.5, 0.01, 20.0, meaning="damping of the shank's axial rotation",
       source="assumed", unit="N m s/rad"),
    _P("foot", "twist_torque_limit_n_m", 15.0, 0.5, 60.0,
       meaning="largest axial torque the limb applies to reach its twisted rest angle (strike.twist_deg)",
       source="above the 6-10 N m free moments runners produce (Holden & Cavanagh 1991; Milner et al. 2006)", unit="N m"),
    # numerics
    _P("numerics", "dt_s", 1e-4, 1e-6, 1e-3, meaning="fixed time step", unit="s"),
    _P("numerics", "mesh_spacing_mm", 4.0, 2.0, 12.0, meaning="plantar element grid spacing", unit="mm"),
    _P("numerics", "duration_s", 0.6, 0.05, 3.0, meaning="longest simulated time (the stance ends at toe-off)",
       unit="s"),
    _P("numerics", "mode", "dynamic", choices=("dynamic", "kinematic"),
       meaning="forward dynamics, or a prescribed roll-over (DESIGN 3.6)", unit=""),
    # kinematic roll-over (numerics.mode = "kinematic"; DESIGN 3.6)
    _P("kinematic", "stance_time_s", 0.25, 0.05, 2.0, meaning="duration of the prescribed roll-over", unit="s"),
    _P("kinematic", "peak_load_bw", 2.5, 0.1, 6.0,
       meaning="peak of the half-sine vertical load the roll-over's depth is set for (elastic pad, before damping)",
       unit="BW"),
    _P("kinematic", "load_profile", "half_sine", choices=("half_sine", "double_hump"),
       meaning="shape of the vertical load: running's half-sine or walking's two humps", unit=""),
    _P("kinematic", "toe_off_pitch_deg", 35.0, 0.0, 80.0, meaning="plantarflexion of the foot at toe-off (rolls over the metatarsal heads)",
       unit="degree"),
)

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMETERS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMETERS))
FOOTWEAR_LAYER_KEYS: dict[str, Param] = {p.key: p for p in PARAMETERS if p.is_footwear_layer}  # "midsole.e0_pa" -> Param
FOOTWEAR_LAYERS: tuple[str, ...] = tuple(dict.fromkeys(k.split(".")[0] for k in FOOTWEAR_LAYER_KEYS))

PATTERN_STRIKE_ANGLE_DEG = {"rearfoot": 15.0, "midfoot": 3.0, "forefoot": -10.0}
SURFACE_FRICTION_SCALE = {"concrete": 1.0, "asphalt": 1.0, "track": 1.1, "grass": 0.7}


def markdown_table() -> str:
    """The parameter table for the documentation."""
    rows = ["| key | unit | default | allowed | meaning | source |", "|---|---|---|---|---|---|"]
    for p in PARAMETERS:
        default = p.derived if p.default is None else p.default
        if p.is_footwear_layer:
            default = f"the preset's, else {p.default:g}"
        rows.append(f"| `{p.name}` | {p.unit} | {default} | {p.allowed()} | {p.meaning} | {p.source} |")
    return "\n".join(rows)


def parameter_document() -> str:
    """docs/parameters.md, regenerated by `python -m sim.params > docs/parameters.md`."""
    return ("# Scenario parameters\n\nEvery key of a scenario file, generated from `sim/params.py` (the one place "
            "that defines them;\nregenerate with `python -m sim.params > docs/parameters.md`). Derived defaults "
            "are filled in\nfrom the named quantities when a key is absent. A footwear key `footwear.<layer>.<key>` can also be written\nas `<key>` in a `[footwear.<layer>]` table; a footwear preset file holds the same keys in `[<layer>]` tables.\n\n" + markdown_table() + "\n")


if __name__ == "__main__":
    print(parameter_document(), end="")
