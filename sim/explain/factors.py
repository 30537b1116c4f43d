"""The factors an explain study varies, with physically plausible default ranges, and the region it looks at.

A factor is a scenario key (sim.params) with a range and a short name a person can type. The
defaults are the origin case's candidate causes (DESIGN 1) plus the uncertain tissue parameters
(DESIGN 3.3): ranges as in `scenarios/sweeps/origin_factors.toml`, G0 over its plausible range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..errors import InputError
from ..foot import REGION_NAMES
from ..params import BY_NAME
from ..scenario import _closest


@dataclass(frozen=True)
class Factor:
    """One varied scenario key: range [low, high] (uniform, or log-uniform), and how to show its values."""

    name: str
    key: str
    low: float
    high: float
    log: bool = False
    unit: str = ""           # unit of the shown values
    show_scale: float = 1.0  # shown value = scenario value x show_scale
    meaning: str = ""

    def levels(self, count: int) -> np.ndarray:
        """`count` values evenly spread over the range (geometrically for a log factor), ends included."""
        if self.log:
            return np.geomspace(self.low, self.high, count)
        return np.linspace(self.low, self.high, count)

    def axis_toml(self) -> str:
        """The factor as a sampled sweep axis (sim.sweeps.spec)."""
        scale = ', scale = "log"' if self.log else ""
        return f'"{self.key}" = {{ min = {self.low!r}, max = {self.high!r}{scale} }}'

    def label(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def show(self, value: float) -> str:
        return f"{value * self.show_scale:.3g}"


FACTORS: dict[str, Factor] = {f.name: f for f in (
    # -15 (forefoot first) to +20 (heel first) spans the three strike classes (DESIGN 2)
    Factor("strike_angle", "strike.foot_strike_angle_deg", -15.0, 20.0, unit="deg",
           meaning="foot-strike angle at touchdown, + = heel first"),
    Factor("toe_out", "strike.toe_out_deg", 0.0, 40.0, unit="deg", meaning="foot progression angle"),
    Factor("twist", "strike.twist_deg", -10.0, 20.0, unit="deg",
           meaning="leg rotation over late stance, + = toes turned further out at push-off"),
    # the derived default is 0.266-0.273 m; over-striding reaches the upper end
    Factor("overstride", "runner.overstride_m", 0.20, 0.45, unit="m", meaning="ankle ahead of the hip at touchdown"),
    # steps/min as runners are held to them at one speed (Lieberman et al. 2015: 150-190); acts through
    # the steady solve, so the base needs runner.steady and runner.impose_cadence
    Factor("cadence", "runner.cadence_steps_per_min", 150.0, 190.0, unit="steps/min",
           meaning="steps per minute imposed by the steady solve"),
    # multiplies mu_static and mu_kinetic together (0.8 and 0.7 on concrete): 0.48-1.12 static,
    # from dry skin on smooth ground to moist skin (DESIGN 3.3; Derler & Gerhardt 2012)
    Factor("friction", "surface.friction_scale", 0.6, 1.4, meaning="scale of the skin-ground friction coefficients"),
    # DESIGN 3.3: plausible 50-500 kPa; log-uniform, so each factor of the range weighs alike
    Factor("g0", "tissue.g0_pa", 50e3, 500e3, log=True, unit="kPa", show_scale=1e-3,
           meaning="tissue shear modulus at zero strain"),
)}
DEFAULT_FACTORS = ("strike_angle", "toe_out", "twist", "overstride", "friction")
BY_KEY = {f.key: f for f in FACTORS.values()}


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {text!r} is not a finite number")
    return value


def parse_factor(text: str) -> Factor:
    """`toe_out`, `strike.toe_out_deg`, `toe_out=0:20` or `runner.speed_m_s=3:5` -> Factor."""
    where = f"--factors {text}"
    name, _, span = (part.strip() for part in text.partition("="))
    factor = FACTORS.get(name) or BY_KEY.get(name)
    if factor is None and name in BY_NAME and not BY_NAME[name].is_text:
        if not span:
            raise InputError(f"{where}: {name} has no default range; give one, e.g. {name}=LOW:HIGH")
        factor = Factor(name, name, BY_NAME[name].low, BY_NAME[name].high)
    if factor is None:
        known = list(FACTORS) + [k for k, p in BY_NAME.items() if not p.is_text]
        raise InputError(f"{where}: unknown factor {name!r}{_closest(name, known)}; named factors: "
                         f"{', '.join(FACTORS)} (or a numeric scenario key with a range, key=LOW:HIGH)")
    if span:
        low_text, colon, high_text = span.partition(":")
        if not colon:
            raise InputError(f"{where}: a range is LOW:HIGH, e.g. {factor.name}={factor.low:g}:{factor.high:g}")
        low, high = _number(low_text, where), _number(high_text, where)
        factor = replace(factor, low=low / factor.show_scale, high=high / factor.show_scale)
    param = BY_NAME[factor.key]
    if not factor.low < factor.high:
        raise InputError(f"{where}: empty range; allowed LOW < HIGH")
    if factor.low < param.low or factor.high > param.high:
        raise InputError(f"{where}: {factor.key} allowed in [{param.low:g}, {param.high:g}]"
                         + (f" (scenario units; shown in {factor.unit})" if factor.show_scale != 1.0 else ""))
    if factor.log and factor.low <= 0:
        raise InputError(f"{where}: a log-uniform factor needs LOW > 0")
    return factor


def parse_factors(text: str | None) -> tuple[Factor, ...]:
    """A comma-separated list (None: the defaults); each scenario key at most once."""
    items = [t.strip() for t in (text.split(",") if text else DEFAULT_FACTORS) if t.strip()]
    if not items:
        raise InputError("--factors: empty list; name at least one factor, e.g. " + ",".join(DEFAULT_FACTORS[:2]))
    factors = tuple(parse_factor(t) for t in items)
    keys = [f.key for f in factors]
    for key in keys:
        if keys.count(key) > 1:
            raise InputError(f"--factors: {key} is named twice; name each factor once")
    return factors


def check_region(name: str) -> int:
    """Index of a region name in sim.foot.REGION_NAMES, or InputError naming the closest."""
    if name not in REGION_NAMES:
        raise InputError(f"--region {name!r}: unknown region{_closest(name, REGION_NAMES)}; "
                         f"allowed {', '.join(REGION_NAMES)}")
    return REGION_NAMES.index(name)
