"""Footwear (DESIGN 3.5): shoe presets as TOML data, turned into a layer stack under every element.

A preset names its layers: an insole (thickness, friction with the skin), a midsole (heel and
forefoot thickness, an exponential compression law with damping, a shear modulus), an outsole
(thickness, friction with the ground), and geometry: how far the footbed is moulded to the
sole of the foot, a posterior heel bevel, a heel flare and a heel counter. Barefoot is the empty
stack and takes the barefoot code path exactly.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bundled import footwear_dir
from .errors import InputError
from .foot import ANKLE_FROM_HEEL, HEEL_CENTRE_S, REGION_NAMES, PlantarMesh
from .params import FOOTWEAR_LAYER_KEYS, FOOTWEAR_LAYERS


@dataclass(frozen=True)
class Footwear:
    name: str
    values: dict  # "layer.key" -> value; absent layers have no entries
    layers: tuple[str, ...]

    def get(self, key: str) -> float:
        return self.values.get(key, FOOTWEAR_LAYER_KEYS[key].default)

    @property
    def is_barefoot(self) -> bool:
        return not self.layers


BAREFOOT = Footwear("barefoot", {}, ())


def preset_path(name: str, base: Path | None = None) -> Path:
    """A preset by name (a bundled sim/data/footwear/NAME.toml) or by path (relative to `base`)."""
    candidate = Path(name)
    if candidate.suffix == ".toml":
        return candidate if candidate.is_absolute() or base is None else base / candidate
    return footwear_dir() / f"{name}.toml"


def available_presets() -> list[str]:
    return sorted(p.stem for p in footwear_dir().glob("*.toml"))


def load_footwear(name: str, base: Path | None = None) -> Footwear:
    """Read and check a preset; every error names the file, the key and what is allowed."""
    if name == "barefoot":
        return BAREFOOT
    path = preset_path(name, base)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"footwear.preset = {name!r}: no such preset; available: "
                         f"{', '.join(available_presets())}, or a path to a .toml file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a readable footwear TOML file ({exc})") from None
    return check_footwear(raw, str(path))


def check_footwear(raw: dict, where: str) -> Footwear:
    values: dict[str, float] = {}
    layers = []
    for layer, table in raw.items():
        if layer in ("name", "description"):
            continue
        if layer not in FOOTWEAR_LAYERS:
            match = difflib.get_close_matches(layer, FOOTWEAR_LAYERS, n=1, cutoff=0.0)
            raise InputError(f"{where}: unknown layer [{layer}] (known: {', '.join(FOOTWEAR_LAYERS)}; closest {match[0]!r})")
        if not isinstance(table, dict):
            raise InputError(f"{where}: [{layer}] must be a table of keys")
        if layer != "geometry":
            layers.append(layer)
        for key, value in table.items():
            name = f"{layer}.{key}"
            if name not in FOOTWEAR_LAYER_KEYS:
                known = [k for k in FOOTWEAR_LAYER_KEYS if k.startswith(layer + ".")]
                match = difflib.get_close_matches(name, known, n=1, cutoff=0.0)
                raise InputError(f"{where}: unknown key {name} (closest known: {match[0]!r})")
            p = FOOTWEAR_LAYER_KEYS[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not p.low <= value <= p.high:
                raise InputError(f"{where}: {name} = {value!r}: allowed a number in [{p.low:g}, {p.high:g}] {p.unit}")
            values[name] = float(value)
    return Footwear(str(raw.get("name", Path(where).stem)), values, tuple(layers))


def scenario_footwear(section: dict) -> Footwear:
    """The shoe of a resolved scenario's [footwear] section: the preset's layers with the section's values."""
    shoe = load_footwear(section["preset"])
    if shoe.is_barefoot:
        return shoe
    return Footwear(shoe.name, {key: float(section[key]) for key in FOOTWEAR_LAYER_KEYS}, shoe.layers)
