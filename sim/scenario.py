"""Scenario files (DESIGN 4.1): read, check against the parameter registry, resolve derived values.

A scenario is TOML with the sections of `sim.params`; every key optional; an empty file is the
default scenario. The resolved scenario (every key, derived values filled in) is plain data and
is stored as TOML text in every result file.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .errors import InputError
from .footwear import available_presets, load_footwear
from .params import (BY_NAME, FOOTWEAR_LAYERS, PARAMETERS, PATTERN_STRIKE_ANGLE_DEG, SECTIONS,
                     SURFACE_FRICTION_SCALE)

Scenario = dict[str, Any]  # {"name": str, section: {key: value}}


def _closest(word: str, candidates: Iterable[str]) -> str:
    """The known name `word` most likely meant: one it is the dotted tail of (`midsole.e0_pa` for
    `footwear.midsole.e0_pa`), else the closest spelling."""
    candidates = list(candidates)
    tails = [c for c in candidates if c.endswith("." + word)]
    match = tails or difflib.get_close_matches(word, candidates, n=1, cutoff=0.0)
    return f" (closest known: {match[0]!r})" if match else ""


def _flat(table: dict, prefix: str = "") -> Iterable[tuple[str, Any]]:
    """`[footwear.midsole] e0_pa = ...` and `[footwear] "midsole.e0_pa" = ...` both give the key `midsole.e0_pa`."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _check_value(where: str, name: str, value: Any) -> Any:
    p = BY_NAME[name]
    if p.is_flag:
        if not isinstance(value, bool):
            raise InputError(f"{where}: {name} = {value!r}: allowed {p.allowed()}")
        return value
    if p.is_text:
        if not isinstance(value, str):
            raise InputError(f"{where}: {name} = {value!r}: allowed {p.allowed()}")
        if p.choices and value not in p.choices:
            raise InputError(f"{where}: {name} = {value!r}: allowed {p.allowed()}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: {name} = {value!r}: allowed {p.allowed()}")
    value = float(value)
    if not math.isfinite(value) or not p.low <= value <= p.high:
        unit = "" if p.unit == "1" else f" {p.unit}"
        raise InputError(f"{where}: {name} = {value!r}: allowed {p.allowed()}{unit}")
    return value


def check_sections(raw: dict, where: str) -> Scenario:
    """Check a parsed scenario mapping: known sections and keys, types, ranges. Returns a copy."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a scenario must be a table of sections")
    out: Scenario = {"name": raw.get("name", "scenario")}
    if not isinstance(out["name"], str):
        raise InputError(f"{where}: name = {out['name']!r}: allowed a string")
    for section, table in raw.items():
        if section == "name":
            continue
        if section not in SECTIONS:
            footwear_layers = [f"footwear.{layer}" for layer in FOOTWEAR_LAYERS]
            raise InputError(f"{where}: unknown section [{section}]{_closest(section, [*SECTIONS, *footwear_layers])}")
        if not isinstance(table, dict):
            raise InputError(f"{where}: [{section}] must be a table of keys")
        known = [p.key for p in PARAMETERS if p.section == section]
        for key, value in _flat(table):
            if key not in known:
                raise InputError(f"{where}: unknown key {section}.{key}{_closest(key, known)}")
            out.setdefault(section, {})[key] = _check_value(where, f"{section}.{key}", value)
    return out


def parse_override(text: str) -> tuple[str, Any]:
    """`section.key=value` (or `name=NAME`) from the command line; the value is a number when it reads as one."""
    if "=" not in text:
        raise InputError(f"--set {text!r}: expected section.key=value")
    name, value_text = (part.strip() for part in text.split("=", 1))
    if name == "name":
        return name, value_text.strip("\"'")
    if name not in BY_NAME:
        raise InputError(f"--set {name}: unknown key{_closest(name, BY_NAME)}")
    if BY_NAME[name].is_flag and value_text.lower() in ("true", "false"):
        return name, value_text.lower() == "true"
    try:
        value: Any = float(value_text)
    except ValueError:
        value = value_text.strip("\"'")
    return name, value


def apply_overrides(raw: dict, overrides: Iterable[tuple[str, Any]]) -> dict:
    """A copy of raw with dotted-key overrides applied (for --set and sweep axes)."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.items()}
    for name, value in overrides:
        if name == "name":
            out["name"] = value
            continue
        section, key = name.split(".", 1)
        out.setdefault(section, {})[key] = value
    return out


def resolve(checked: Scenario) -> Scenario:
    """Every parameter filled in: explicit values, registry defaults, then derived values."""
    out: Scenario = {"name": checked.get("name", "scenario")}
    for p in PARAMETERS:
        out.setdefault(p.section, {})[p.key] = checked.get(p.section, {}).get(p.key, p.default)
    runner, strike, surface = out["runner"], out["strike"], out["surface"]
    if runner["foot_length_m"] is None:
        runner["foot_length_m"] = round(0.147 * runner["height_m"], 6)
    if runner["leg_length_m"] is None:
        runner["leg_length_m"] = round(0.47 * runner["height_m"], 6)
    if strike["foot_strike_angle_deg"] is None:
        strike["foot_strike_angle_deg"] = PATTERN_STRIKE_ANGLE_DEG[strike["pattern"]]
    # Touchdown defaults that follow the strike angle, interpolated between forefoot (-10 deg)
    # and rearfoot (+15 deg): heel-first feet fall faster and forefoot strikers' ankles yield
    # (DESIGN 3.4); overstride and leg push-off were fitted so that the default stance is steady
    # at either end.
    for table, key, forefoot, rearfoot in ((strike, "foot_descent_velocity_m_s", 0.5, 1.5),
                                           (runner, "overstride_m", 0.266, 0.273),
                                           (runner, "push_off_extension_m", 0.062, 0.020),
                                           (runner, "ankle_stiffness_sagittal_n_m_rad", 230.0, 300.0)):
        if table[key] is None:
            table[key] = round(float(np.interp(strike["foot_strike_angle_deg"], [-10.0, 15.0], [forefoot, rearfoot])), 6)
    if surface["friction_scale"] is None:
        surface["friction_scale"] = SURFACE_FRICTION_SCALE[surface["name"]]
    if runner["impose_cadence"] and not runner["steady"]:
        raise InputError("runner.impose_cadence = true: the cadence is imposed by the steady solve; set runner.steady = true")
    if out["tissue"]["mu_kinetic"] > out["tissue"]["mu_static"]:
        raise InputError(f"tissue.mu_kinetic = {out['tissue']['mu_kinetic']:g} exceeds tissue.mu_static = "
                         f"{out['tissue']['mu_static']:g}: allowed mu_kinetic <= mu_static")
    out["footwear"] = _resolve_footwear(out["footwear"], checked.get("footwear", {}))
    return out


def _resolve_footwear(section: dict, explicit: dict) -> dict:
    """The preset's values with the scenario's footwear keys on top; a barefoot scenario has none.

    Reading the preset here makes a bad preset an input error before any run."""
    shoe = load_footwear(section["preset"])
    layer_keys = [p for p in PARAMETERS if p.is_footwear_layer]
    if shoe.is_barefoot:
        given = [p.name for p in layer_keys if p.key in explicit]
        if given:
            raise InputError(f"{given[0]} = {explicit[given[0].split('.', 1)[1]]!r}: footwear.preset = "
                             f"{section['preset']!r} has no shoe layers; set footwear.preset to a shoe "
                             f"({', '.join(n for n in available_presets() if n != 'barefoot')}) or a preset file")
        return {"preset": section["preset"]}
    return {"preset": section["preset"], **{p.key: explicit.get(p.key, shoe.get(p.key)) for p in layer_keys}}


def load_scenario(path: str | Path | None = None, overrides: Iterable[str] = (), text: str | None = None) -> Scenario:
    """Read, check and resolve a scenario file (or TOML text); `overrides` are `section.key=value`."""
    return resolve(read_checked(path, overrides, text))


def read_checked(path: str | Path | None = None, overrides: Iterable[str] = (), text: str | None = None) -> Scenario:
    """A scenario file (or TOML text) read and checked with its overrides, not yet resolved (a sweep's base)."""
    where = str(path) if path is not None else "scenario"
    if text is None and path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{where}: cannot read scenario file ({exc.__class__.__name__}: {exc})") from None
    try:
        raw = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: not valid TOML ({exc})") from None
    if path is not None and "name" not in raw:
        raw["name"] = Path(path).stem
    raw = apply_overrides(raw, (parse_override(o) for o in overrides))
    return check_sections(raw, where)


def to_toml(scenario: Scenario) -> str:
    """TOML text of a resolved scenario (numbers and strings only), readable and diffable."""
    lines = [f"name = {_toml_value(scenario['name'])}"]
    for section in SECTIONS:
        lines.append(f"\n[{section}]")
        lines.extend(f"{_toml_key(key)} = {_toml_value(value)}" for key, value in scenario[section].items())
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(float(value))


def _toml_key(key: str) -> str:
    return f'"{key}"' if "." in key else key
