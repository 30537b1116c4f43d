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
from .kernels import layout as L
from .kernels.contact import barefoot_stack
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


def layer_stack(footwear: Footwear, mesh: PlantarMesh, mu_static: float, mu_kinetic: float,
                friction_scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Contact points (E,3) in the foot frame and the stack table (E, N_STACK) under each element.

    mu_static, mu_kinetic: skin friction on the ground (barefoot); the shoe's interfaces keep the
    skin's kinetic/static ratio. friction_scale: the surface's factor on the ground-side friction.
    """
    if footwear.is_barefoot:
        return mesh.position_m, barefoot_stack(mesh.n_elements, mu_static * friction_scale, mu_kinetic * friction_scale)
    f = footwear.get
    L_foot = mesh.foot_length_m
    s = mesh.x / L_foot + ANKLE_FROM_HEEL  # fraction of foot length from the heel
    surface = mesh.position_m[:, 2] - mesh.plantar_plane_z_m
    midsole = np.interp(s, [0.25, 0.65], [f("midsole.heel_thickness_mm"), f("midsole.forefoot_thickness_mm")]) * 1e-3
    rigid = (f("insole.thickness_mm") + f("outsole.thickness_mm")) * 1e-3
    conformity = f("geometry.footbed_conformity")
    # posterior bevel: behind the heel centre the outsole curves up with the given radius and/or is
    # cut at the given angle; the cut cannot remove more than the sole is thick
    radius = f("geometry.heel_bevel_radius_mm") * 1e-3
    behind = np.maximum(0.0, (HEEL_CENTRE_S - s) * L_foot)
    bevel = behind**2 / (2 * radius) if radius > 0 else np.zeros_like(s)
    bevel = np.minimum(bevel + behind * math.tan(math.radians(f("geometry.heel_bevel_deg"))), midsole + rigid)
    position = mesh.position_m.copy()
    # over a compliant sole the contact point is the outsole under the footbed; where the sole is
    # only rigid layers the skin meets a flat rigid footbed exactly as it meets the ground
    position[:, 2] = np.where(midsole > 0, mesh.plantar_plane_z_m + conformity * surface - midsole - rigid + bevel,
                              mesh.position_m[:, 2] - rigid)
    # flare: the sole widens at the heel, moving the edge elements' ground contact outwards
    heel = mesh.region <= REGION_NAMES.index("heel_medial")
    half_width = np.abs(mesh.y).max(initial=0.0)
    edge = np.clip(1.0 - (0.125 * L_foot - np.abs(mesh.y)) / 0.01, 0.0, 1.0) * heel
    position[:, 1] += np.sign(mesh.y) * f("geometry.heel_flare_mm") * 1e-3 * edge * (half_width > 0)

    ratio = mu_kinetic / mu_static if mu_static > 0 else 1.0
    stack = np.zeros((mesh.n_elements, L.N_STACK))
    stack[:, L.SOLE_THICKNESS] = midsole
    stack[:, L.SKIN_GAP] = (1.0 - conformity) * surface
    stack[:, L.SOLE_E0] = f("midsole.e0_pa")
    stack[:, L.SOLE_EXPONENT] = f("midsole.exponent")
    stack[:, L.SOLE_DAMPING] = f("midsole.damping_s_m")
    stack[:, L.SOLE_SHEAR_MODULUS] = f("midsole.shear_modulus_pa")
    grip = np.where(heel, f("geometry.heel_counter_grip"), 1.0)
    stack[:, L.MU_SKIN_STATIC] = f("insole.mu_skin") * grip
    stack[:, L.MU_SKIN_KINETIC] = f("insole.mu_skin") * grip * ratio
    stack[:, L.MU_GROUND_STATIC] = f("outsole.mu_ground") * friction_scale
    stack[:, L.MU_GROUND_KINETIC] = f("outsole.mu_ground") * friction_scale * ratio
    return position, stack
