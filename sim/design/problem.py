"""The design question: objectives, the keys varied and their bounds, constraints, strike patterns.

    --objective heel_posterolateral.peak_shear_kpa    a region's dose (sim.variables.REGION_SUMMARY),
    --objective loading_rate_bw_s                     or any summary metric; a second one gives a Pareto front
    --vary footwear.midsole.e0_pa=1e5..1e6            a numeric scenario key and its search interval
    --constraint loading_rate_bw_s<=80                a summary metric (or region.dose) and a bound, <= or >=
    --strike rearfoot,forefoot                        the objective is the mean over the patterns;
                                                      a constraint must hold for every one
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..foot import REGION_NAMES
from ..params import BY_NAME, STRIKE_PATTERNS
from ..scenario import _check_value, _closest
from ..variables import GRF_SUMMARY, REGION_MEAN_SUMMARY, REGION_SUMMARY

DOSES = tuple(REGION_SUMMARY) + tuple(f"{suffix}_mean" for suffix in REGION_MEAN_SUMMARY)
METRICS = GRF_SUMMARY + tuple(f"{region}_{dose}" for region in REGION_NAMES for dose in DOSES)
MAX_OBJECTIVES = 2


@dataclass(frozen=True)
class Vary:
    key: str
    low: float
    high: float


@dataclass(frozen=True)
class Constraint:
    metric: str
    bound: float
    upper: bool  # metric <= bound (else >=)

    def violation(self, value: float) -> float:
        """How far `value` lies outside the allowed side (0 inside; NaN, a failed run, is outside)."""
        if value != value:
            return float("inf")
        return max(0.0, value - self.bound) if self.upper else max(0.0, self.bound - value)

    def __str__(self) -> str:
        return f"{self.metric}{'<=' if self.upper else '>='}{self.bound:g}"


@dataclass(frozen=True)
class Problem:
    objectives: tuple[str, ...]
    vary: tuple[Vary, ...]
    constraints: tuple[Constraint, ...] = ()
    strikes: tuple[str, ...] = ()  # empty: the scenario's own strike pattern

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(v.key for v in self.vary)

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.objectives, *(c.metric for c in self.constraints)]))


def parse_metric(text: str, flag: str) -> str:
    """`heel_posterolateral.peak_shear_kpa` or `heel_posterolateral_peak_shear_kpa` or `loading_rate_bw_s`."""
    text = text.strip()
    region, dot, dose = text.partition(".")
    if dot:
        if region not in REGION_NAMES:
            raise InputError(f"{flag} {text}: unknown region {region!r}{_closest(region, REGION_NAMES)}; "
                             f"allowed {', '.join(REGION_NAMES)}")
        if dose not in DOSES:
            raise InputError(f"{flag} {text}: unknown dose {dose!r}{_closest(dose, DOSES)}; allowed {', '.join(DOSES)}")
        return f"{region}_{dose}"
    if text not in METRICS:
        raise InputError(f"{flag} {text}: unknown metric{_closest(text, METRICS)}; allowed REGION.DOSE "
                         f"(doses: {', '.join(DOSES)}) or a force-plate metric ({', '.join(GRF_SUMMARY)})")
    return text


def parse_vary(text: str) -> Vary:
    key, eq, interval = text.partition("=")
    low_text, dots, high_text = interval.partition("..")
    key = key.strip()
    if not eq or not dots:
        raise InputError(f"--vary {text!r}: expected KEY=LOW..HIGH, e.g. footwear.midsole.e0_pa=1e5..1e6")
    if key not in BY_NAME:
        raise InputError(f"--vary {key}: unknown key{_closest(key, BY_NAME)}")
    if BY_NAME[key].is_text:
        raise InputError(f"--vary {key}: a text key; allowed a numeric key (vary a preset with footsim compare)")
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise InputError(f"--vary {text!r}: LOW and HIGH must be numbers") from None
    low, high = (_check_value(f"--vary {key}", key, v) for v in (low, high))
    if not low < high:
        raise InputError(f"--vary {text!r}: empty interval; allowed LOW < HIGH")
    return Vary(key, low, high)


def parse_constraint(text: str) -> Constraint:
    match = re.fullmatch(r"\s*([\w.]+)\s*(<=|>=)\s*(\S+)\s*", text)
    if not match:
        raise InputError(f"--constraint {text!r}: expected METRIC<=VALUE or METRIC>=VALUE, e.g. loading_rate_bw_s<=80")
    metric = parse_metric(match[1], "--constraint")
    try:
        bound = float(match[3])
    except ValueError:
        raise InputError(f"--constraint {text!r}: {match[3]!r} is not a number") from None
    return Constraint(metric, bound, match[2] == "<=")


def parse_problem(objectives: list[str], vary: list[str], constraints: list[str] = (), strikes: str = "") -> Problem:
    if not 1 <= len(objectives) <= MAX_OBJECTIVES:
        raise InputError(f"--objective given {len(objectives)} times: allowed 1 (a best design) or 2 (a Pareto front)")
    if not vary:
        raise InputError("--vary: give at least one KEY=LOW..HIGH, e.g. footwear.midsole.e0_pa=1e5..1e6")
    varied = tuple(parse_vary(v) for v in vary)
    keys = [v.key for v in varied]
    if len(set(keys)) < len(keys) or "strike.pattern" in keys:
        raise InputError(f"--vary: each key once ({', '.join(keys)})")
    patterns = tuple(p.strip() for p in strikes.split(",") if p.strip())
    for pattern in patterns:
        if pattern not in STRIKE_PATTERNS:
            raise InputError(f"--strike {pattern!r}: allowed {', '.join(STRIKE_PATTERNS)}")
    return Problem(tuple(dict.fromkeys(parse_metric(o, "--objective") for o in objectives)), varied,
                   tuple(parse_constraint(c) for c in constraints), patterns)
