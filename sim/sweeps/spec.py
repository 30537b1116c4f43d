"""Sweep files (DESIGN 4.2): a base scenario, axes over dotted scenario keys, and a design.

```toml
name = "toe_out_by_strike"
base = "../forefoot_barefoot.toml"       # a scenario file, relative to this file; or a table:
# [base]                                 #   file = "../forefoot_barefoot.toml" (optional)
# runner.body_mass_kg = 70.0             #   and inline scenario sections that override it
[axes]
"strike.pattern" = ["rearfoot", "forefoot"]                   # a list of values
"strike.toe_out_deg" = { start = 0.0, stop = 30.0, num = 6 }  # an inclusive range (grid)
"surface.friction_scale" = { min = 0.6, max = 1.4 }           # a sampled interval (latin_hypercube, sobol)
[design]
method = "grid"            # "grid" (default) | "latin_hypercube" | "sobol"; n and seed for the last two
```
(DESIGN 4.2's example writes `base = "file"` and `[base.runner]` together, which TOML forbids:
a key cannot be both a string and a table; the table form takes `file = ...` instead.)

Scenario order and ids are a pure function of the file: grid rows vary the last axis fastest; a
sampled design is drawn from `scipy.stats.qmc` with the file's seed (default 0); `sobol` uses
Saltelli's layout (`sim.sweeps.sobol`). Each scenario's id is a digest of its index and its axis
values, so the same file always gives the same ids in the same order.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import InputError
from ..params import BY_NAME, SECTIONS
from ..scenario import Scenario, _closest, apply_overrides, check_sections, resolve, to_toml
from .sobol import saltelli_design

METHODS = ("grid", "latin_hypercube", "sobol")
TOP_KEYS = ("name", "description", "base", "axes", "design")
DESIGN_KEYS = ("method", "n", "seed")
RANGE_KEYS = ("start", "stop", "num")
INTERVAL_KEYS = ("min", "max", "scale")
SCALES = ("linear", "log")
FORMAT_VERSION = 1  # of the sweep file's layout and of the fingerprint below


@dataclass(frozen=True)
class Axis:
    """One swept scenario key: discrete levels (a list or a range), or a sampled interval."""

    name: str
    levels: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    log: bool = False

    @property
    def sampled(self) -> bool:
        return self.low is not None

    @property
    def is_text(self) -> bool:
        return BY_NAME[self.name].is_text

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map points of [0, 1) to axis values: uniform (or log-uniform) on an interval, equal shares of the levels."""
        if self.sampled:
            if self.log:
                return np.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
            return self.low + u * (self.high - self.low)
        pick = np.minimum((u * len(self.levels)).astype(np.int64), len(self.levels) - 1)
        return np.array(self.levels, dtype=object if self.is_text else np.float64)[pick]


@dataclass(frozen=True, eq=False)
class Sweep:
    """A parsed sweep: every scenario is `base` with the axis values of its row applied."""

    name: str
    source: str                      # the file (or "sweep" for text), for messages
    text: str                        # the sweep file's text, stored in the result file
    base: dict                       # checked, unresolved base scenario mapping
    axes: tuple[Axis, ...]
    method: str
    n: int | None
    seed: int | None
    columns: dict[str, np.ndarray]   # axis name -> (N,) values (float64, or object for text)
    saltelli_block: np.ndarray | None  # sobol only: 0 = A, 1 = B, 1 + i = AB_i (axis i from B)
    ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.ids)

    def overrides(self, index: int) -> list[tuple[str, Any]]:
        return [(axis.name, _plain(self.columns[axis.name][index])) for axis in self.axes]

    def scenario_name(self, index: int) -> str:
        return f"{self.name}_{index:0{len(str(len(self) - 1))}d}"

    def raw_scenario(self, index: int) -> dict:
        raw = apply_overrides(self.base, self.overrides(index))
        raw["name"] = self.scenario_name(index)
        return raw

    def resolved(self, index: int) -> Scenario:
        """The resolved scenario of one row; InputError for a combination the model refuses."""
        return resolve(check_sections(self.raw_scenario(index), self.scenario_name(index)))

    def values(self, key: str) -> list:
        """Every value `key` takes across the sweep (axis values, or the base's, or the default)."""
        if key in self.columns:
            return sorted({_plain(v) for v in self.columns[key]})
        section, name = key.split(".", 1)
        value = self.base.get(section, {}).get(name, BY_NAME[key].default)
        return [value]

    @cached_property
    def fingerprint(self) -> str:
        """Identity of the sweep for resuming: its scenarios, the base, footsim's defaults and version."""
        defaults = to_toml(resolve(check_sections({}, "defaults")))
        ids = hashlib.sha256("\n".join(self.ids).encode()).hexdigest()
        blob = json.dumps([FORMAT_VERSION, __version__, defaults, self.base, [a.name for a in self.axes],
                           self.method, self.n, self.seed, ids], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


def _plain(value: Any) -> Any:
    return value if isinstance(value, str) else float(value)


def scenario_id(index: int, overrides: list[tuple[str, Any]]) -> str:
    """12 hex digits of SHA-256 over the row's index and axis values (repr of floats is exact)."""
    return hashlib.sha256(json.dumps([index, overrides]).encode()).hexdigest()[:12]


def load_sweep(path: str | Path | None = None, text: str | None = None) -> Sweep:
    """Read and check a sweep file (or TOML text with `path` only naming it and anchoring `base`)."""
    source = str(path) if path is not None else "sweep"
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, TypeError) as exc:
            raise InputError(f"{source}: cannot read sweep file ({exc.__class__.__name__}: {exc})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML ({exc})") from None
    for key in raw:
        if key not in TOP_KEYS:
            raise InputError(f"{source}: unknown key {key!r}{_closest(key, TOP_KEYS)}; allowed {', '.join(TOP_KEYS)}")
    name = raw.get("name", Path(path).stem if path is not None else "sweep")
    if not isinstance(name, str) or not name:
        raise InputError(f"{source}: name = {name!r}: allowed a non-empty string")
    folder = Path(path).parent if path is not None else Path.cwd()
    base = _read_base(raw.get("base", {}), source, folder)
    method, n, seed = _read_design(raw.get("design", {}), source)
    axes = _read_axes(raw.get("axes"), source, method)
    _check_cadence_axis(axes, base, source)
    columns, block = _expand(axes, method, n, seed)
    count = len(next(iter(columns.values())))
    ids = tuple(scenario_id(i, [(a.name, _plain(columns[a.name][i])) for a in axes]) for i in range(count))
    return Sweep(name, source, text, base, axes, method, n, seed, columns, block, ids)


def _check_cadence_axis(axes: tuple[Axis, ...], base: dict, source: str) -> None:
    """A cadence axis does nothing unless the steady solve imposes the cadence: refuse it rather than
    sweep a key that cannot move the answer."""
    names = {a.name for a in axes}
    imposed = "runner.impose_cadence" in names or base.get("runner", {}).get("impose_cadence", False)
    if "runner.cadence_steps_per_min" in names and not imposed:
        raise InputError(f"{source}: [axes] runner.cadence_steps_per_min acts only through the steady solve; "
                         "set runner.steady = true and runner.impose_cadence = true in [base]")


POINTS = "points"  # the rows are given by the caller (footsim design), not drawn from axes


def points_sweep(name: str, base: dict, rows: list[dict[str, Any]], description: str) -> Sweep:
    """A sweep over explicit rows (every row sets the same keys), for callers that choose the points
    themselves, such as an optimiser. Ids and fingerprint follow from the rows, as for any sweep, so
    the same rows resume into the same file. `base` is a checked scenario mapping."""
    keys = list(rows[0])
    axes = tuple(Axis(key, levels=tuple(sorted({_plain(r[key]) for r in rows}, key=str))) for key in keys)
    columns = {a.name: np.array([r[a.name] for r in rows], dtype=object if a.is_text else np.float64) for a in axes}
    ids = tuple(scenario_id(i, [(k, _plain(columns[k][i])) for k in keys]) for i in range(len(rows)))
    text = f'# {description}\nname = "{name}"\n'
    return Sweep(name, name, text, base, axes, POINTS, None, None, columns, None, ids)


def _read_base(base: Any, source: str, folder: Path) -> dict:
    if isinstance(base, str):
        base = {"file": base}
    if not isinstance(base, dict):
        raise InputError(f"{source}: base = {base!r}: allowed a scenario file name or a [base] table")
    inline = dict(base)
    merged: dict = {}
    if "file" in inline:
        file = inline.pop("file")
        if not isinstance(file, str):
            raise InputError(f"{source}: base file = {file!r}: allowed a scenario file name")
        scenario_path = folder / file
        try:
            scenario_text = scenario_path.read_text(encoding="utf-8")
            merged = tomllib.loads(scenario_text)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{source}: base file {file!r}: cannot read {scenario_path} ({exc.__class__.__name__})") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{scenario_path}: not valid TOML ({exc})") from None
        merged = check_sections(merged, str(scenario_path))
    for key, value in inline.items():
        if key != "name" and not isinstance(value, dict):
            raise InputError(f"{source}: [base] {key} = {value!r}: allowed 'file' (a scenario file) and scenario "
                             f"sections ({', '.join(SECTIONS)}){_closest(key, ('file',) + SECTIONS)}")
    checked = check_sections(inline, f"{source} [base]")
    return apply_overrides(merged, [(f"{s}.{k}", v) for s, table in checked.items() if s != "name"
                                    for k, v in table.items()])


def _read_design(design: Any, source: str) -> tuple[str, int | None, int | None]:
    if not isinstance(design, dict):
        raise InputError(f"{source}: design = {design!r}: allowed a [design] table")
    for key in design:
        if key not in DESIGN_KEYS:
            raise InputError(f"{source}: [design] unknown key {key!r}{_closest(key, DESIGN_KEYS)}; "
                             f"allowed {', '.join(DESIGN_KEYS)}")
    method = design.get("method", "grid")
    if method not in METHODS:
        raise InputError(f"{source}: [design] method = {method!r}: allowed one of {', '.join(map(repr, METHODS))}")
    if method == "grid":
        for key in ("n", "seed"):
            if key in design:
                raise InputError(f"{source}: [design] {key} = {design[key]!r}: a grid takes every combination "
                                 "of the axes; n and seed are for latin_hypercube and sobol")
        return method, None, None
    if "n" not in design:
        raise InputError(f"{source}: [design] method = {method!r} needs n (the number of samples)")
    n, seed = design["n"], design.get("seed", 0)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InputError(f"{source}: [design] n = {n!r}: allowed a whole number >= 1")
    if method == "sobol" and n & (n - 1):
        raise InputError(f"{source}: [design] n = {n}: allowed a power of 2 for sobol (e.g. {1 << n.bit_length()}); "
                         "the Sobol sequence is balanced only there")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"{source}: [design] seed = {seed!r}: allowed a whole number >= 0")
    return method, n, seed


def _nested_axes(table: dict, prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = prefix + key
        nested = (isinstance(value, dict) and (name in SECTIONS or "." in name)
                  and not set(value) & (set(RANGE_KEYS) | set(INTERVAL_KEYS)))
        if nested and name not in BY_NAME:
            out.extend(_nested_axes(value, name + "."))
        else:
            out.append((name, value))
    return out


def _flatten_axes(table: dict, source: str) -> list[tuple[str, Any]]:
    """`"strike.toe_out_deg" = ...`, `strike.toe_out_deg = ...` and `[axes.strike]` all name one key
    (and `footwear.midsole.e0_pa = ...`, `[axes.footwear.midsole]` one footwear key)."""
    out = _nested_axes(table)
    seen: set[str] = set()
    for name, _ in out:
        if name in seen:
            raise InputError(f"{source}: [axes] {name} is swept twice (as a quoted and as a dotted key); "
                             "sweep each parameter once")
        seen.add(name)
    return out


def _read_axes(table: Any, source: str, method: str) -> tuple[Axis, ...]:
    if not isinstance(table, dict) or not table:
        raise InputError(f"{source}: [axes] is missing or empty: give at least one axis, "
                         'e.g. "strike.toe_out_deg" = { start = 0.0, stop = 40.0, num = 5 }')
    axes = []
    for name, spec in _flatten_axes(table, source):
        if name not in BY_NAME:
            raise InputError(f"{source}: [axes] unknown key {name!r}{_closest(name, BY_NAME)}")
        axes.append(_read_axis(name, spec, source, method))
    return tuple(axes)


def _check_value(name: str, value: Any, source: str) -> Any:
    section, key = name.split(".", 1)
    return check_sections({section: {key: value}}, f"{source} [axes]")[section][key]


def _read_axis(name: str, spec: Any, source: str, method: str) -> Axis:
    where = f"{source}: [axes] {name}"
    param = BY_NAME[name]
    if isinstance(spec, list):
        if not spec:
            raise InputError(f"{where} = []: empty list; give at least one value")
        levels = tuple(_check_value(name, v, source) for v in spec)
        if len(set(levels)) < len(levels):
            raise InputError(f"{where} = {spec!r}: a value is listed twice; list each value once")
        return Axis(name, levels=levels)
    if not isinstance(spec, dict):
        raise InputError(f"{where} = {spec!r}: allowed a list of values, {{ start, stop, num }} or {{ min, max }}")
    if param.is_text:
        raise InputError(f"{where}: a text parameter is swept over a list, e.g. [{', '.join(map(repr, param.choices))}]")
    keys = set(spec)
    if keys & set(RANGE_KEYS):
        if method != "grid":
            raise InputError(f"{where}: {{ start, stop, num }} is a grid range; a {method} design samples "
                             "{ min, max } (or a list of levels)")
        return _read_range(name, spec, where, source)
    if keys & {"min", "max"}:
        if method == "grid":
            raise InputError(f"{where}: {{ min, max }} is for latin_hypercube and sobol designs; "
                             "a grid takes a list or { start, stop, num }")
        return _read_interval(name, spec, where, source)
    unknown = sorted(keys)[0] if keys else "(nothing)"
    raise InputError(f"{where}: unknown key {unknown!r}{_closest(unknown, RANGE_KEYS + INTERVAL_KEYS)}; "
                     "allowed { start, stop, num } or { min, max }")


def _read_range(name: str, spec: dict, where: str, source: str) -> Axis:
    for key in spec:
        if key not in RANGE_KEYS:
            raise InputError(f"{where}: unknown key {key!r}{_closest(key, RANGE_KEYS)}; allowed start, stop, num")
    missing = [k for k in RANGE_KEYS if k not in spec]
    if missing:
        raise InputError(f"{where}: range needs start, stop and num (missing {', '.join(missing)})")
    num = spec["num"]
    if isinstance(num, bool) or not isinstance(num, int):
        raise InputError(f"{where}: num = {num!r}: allowed a whole number >= 1")
    if num < 1:
        raise InputError(f"{where}: num = {num}: empty range; allowed num >= 1")
    start, stop = _check_value(name, spec["start"], source), _check_value(name, spec["stop"], source)
    if num > 1 and start == stop:
        raise InputError(f"{where}: start = stop = {start:g} with num = {num}: the values would repeat; "
                         "allowed start != stop, or num = 1")
    return Axis(name, levels=tuple(float(v) for v in np.linspace(start, stop, num)))


def _read_interval(name: str, spec: dict, where: str, source: str) -> Axis:
    for key in spec:
        if key not in INTERVAL_KEYS:
            raise InputError(f"{where}: unknown key {key!r}{_closest(key, INTERVAL_KEYS)}; allowed min, max, scale")
    if "min" not in spec or "max" not in spec:
        raise InputError(f"{where}: an interval needs both min and max")
    low, high = _check_value(name, spec["min"], source), _check_value(name, spec["max"], source)
    if not low < high:
        raise InputError(f"{where}: min = {low:g}, max = {high:g}: empty interval; allowed min < max")
    scale = spec.get("scale", "linear")
    if scale not in SCALES:
        raise InputError(f"{where}: scale = {scale!r}: allowed 'linear' or 'log'")
    if scale == "log" and low <= 0:
        raise InputError(f"{where}: scale = 'log' with min = {low:g}: allowed min > 0")
    return Axis(name, low=low, high=high, log=scale == "log")


def _expand(axes: tuple[Axis, ...], method: str, n: int | None, seed: int | None):
    """Columns of axis values, one row per scenario, in the design's fixed order."""
    block = None
    if method == "grid":
        rows = list(itertools.product(*(a.levels for a in axes)))
        columns = {a.name: np.array([r[k] for r in rows], dtype=object if a.is_text else np.float64)
                   for k, a in enumerate(axes)}
        return columns, block
    if method == "latin_hypercube":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(axes), rng=np.random.default_rng(seed)).random(n)
    else:
        unit, block = saltelli_design(len(axes), n, seed)
    return {a.name: a.from_unit(unit[:, k]) for k, a in enumerate(axes)}, block
