"""Footwear (DESIGN 3.5): shoe presets as TOML data, read and checked (sim/layer_stack.py turns them into arrays).

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

from .errors import InputError

PRESET_DIR = Path(__file__).resolve().parents[1] / "scenarios" / "footwear"

# layer.key -> (default, low, high, unit, meaning); a missing layer is absent (thickness 0)
FOOTWEAR_KEYS = {
    "insole.thickness_mm": (0.0, 0.0, 15.0, "mm", "rigid insole thickness"),
    "insole.mu_skin": (0.6, 0.0, 3.0, "-", "static friction of the skin on the insole (sock included)"),
    "midsole.heel_thickness_mm": (0.0, 0.0, 60.0, "mm", "compliant sole under the heel"),
    "midsole.forefoot_thickness_mm": (0.0, 0.0, 60.0, "mm", "compliant sole under the forefoot (drop = heel - forefoot)"),
    "midsole.e0_pa": (400e3, 1e4, 1e8, "Pa", "midsole modulus at zero strain"),
    "midsole.exponent": (3.0, 0.1, 15.0, "-", "exponential stiffening of the midsole in compression"),
    "midsole.damping_s_m": (0.5, 0.0, 5.0, "s/m", "Hunt-Crossley damping of the midsole"),
    "midsole.shear_modulus_pa": (300e3, 1e4, 1e8, "Pa", "midsole shear modulus (foam ~0.1-1 MPa)"),
    "outsole.thickness_mm": (0.0, 0.0, 15.0, "mm", "rigid outsole thickness"),
    "outsole.mu_ground": (0.8, 0.0, 3.0, "-", "static friction of the outsole on the ground (before the surface scale)"),
    "geometry.footbed_conformity": (0.5, 0.0, 1.0, "-", "0 flat footbed, 1 moulded to the sole of the foot"),
    "geometry.heel_bevel_radius_mm": (0.0, 0.0, 200.0, "mm", "posterior rounding of the outsole heel (0 = square)"),
    "geometry.heel_flare_mm": (0.0, 0.0, 20.0, "mm", "lateral and medial widening of the sole at the heel"),
    "geometry.heel_counter_grip": (1.0, 1.0, 5.0, "-", "factor on skin-insole friction under the heel that the counter holds"),
}
LAYERS = tuple(dict.fromkeys(k.split(".")[0] for k in FOOTWEAR_KEYS))


@dataclass(frozen=True)
class Footwear:
    name: str
    values: dict  # "layer.key" -> value; absent layers have no entries
    layers: tuple[str, ...]

    def get(self, key: str) -> float:
        return self.values.get(key, FOOTWEAR_KEYS[key][0])

    @property
    def is_barefoot(self) -> bool:
        return not self.layers


BAREFOOT = Footwear("barefoot", {}, ())


def preset_path(name: str, base: Path | None = None) -> Path:
    """A preset by name (scenarios/footwear/NAME.toml) or by path (relative to `base`)."""
    candidate = Path(name)
    if candidate.suffix == ".toml":
        return candidate if candidate.is_absolute() or base is None else base / candidate
    return PRESET_DIR / f"{name}.toml"


def available_presets() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


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
        if layer not in LAYERS:
            match = difflib.get_close_matches(layer, LAYERS, n=1, cutoff=0.0)
            raise InputError(f"{where}: unknown layer [{layer}] (known: {', '.join(LAYERS)}; closest {match[0]!r})")
        if not isinstance(table, dict):
            raise InputError(f"{where}: [{layer}] must be a table of keys")
        if layer != "geometry":
            layers.append(layer)
        for key, value in table.items():
            name = f"{layer}.{key}"
            if name not in FOOTWEAR_KEYS:
                known = [k for k in FOOTWEAR_KEYS if k.startswith(layer + ".")]
                match = difflib.get_close_matches(name, known, n=1, cutoff=0.0)
                raise InputError(f"{where}: unknown key {name} (closest known: {match[0]!r})")
            default, low, high, unit, _ = FOOTWEAR_KEYS[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not low <= value <= high:
                raise InputError(f"{where}: {name} = {value!r}: allowed a number in [{low:g}, {high:g}] {unit}")
            values[name] = float(value)
    return Footwear(str(raw.get("name", Path(where).stem)), values, tuple(layers))
