"""Parametric plantar surface of a right foot, discretised into elements (DESIGN 3.1).

Foot frame F: origin at the ankle joint centre, x along the foot (heel to second toe), y to
the left, z up. For the right foot the medial side is +y. The outline and surface are written
in s = (distance from the heel) / L and w = y / L, so one shape serves every foot length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError

REGION_NAMES = (
    "heel_posterolateral", "heel_posteromedial", "heel_lateral", "heel_medial",
    "midfoot_lateral", "midfoot_medial", "mth1", "mth2_3", "mth4_5", "hallux", "lesser_toes",
)
HEEL_REGIONS = tuple(name for name in REGION_NAMES if name.startswith("heel_"))


def in_regions(region: np.ndarray, names) -> np.ndarray:
    """(E,) bool: the elements whose region index (into REGION_NAMES) is one of `names`."""
    return np.isin(region, [REGION_NAMES.index(name) for name in names])

ANKLE_FROM_HEEL = 0.2  # ankle joint centre, fraction of L in front of the heel (DESIGN 3.1)
HEEL_CENTRE_S = 0.125  # heel pad centre, half a heel breadth in front of the heel
HEEL_END_S, MIDFOOT_END_S, MTH_END_S = 0.29, 0.60, 0.80

# Outline control points (s, medial half-width / L, lateral half-width / L), anthropometric
# proportions: heel breadth 0.25 L, ball breadth 0.37 L (Jurca et al. 2019).
_OUTLINE = np.array([
    [0.125, 0.125, 0.125],
    [0.25, 0.118, 0.128],
    [0.40, 0.100, 0.140],
    [0.55, 0.140, 0.160],
    [0.70, 0.190, 0.180],
    [0.78, 0.185, 0.160],
    [0.88, 0.170, 0.110],
    [0.95, 0.140, 0.060],
])


@dataclass(frozen=True)
class PlantarMesh:
    """Plantar elements of one foot in the foot frame (SI units)."""

    position_m: np.ndarray   # (E, 3) bone-attached skin point, unloaded
    area_m2: np.ndarray      # (E,) projected area
    normal: np.ndarray       # (E, 3) outward unit normal (points down)
    thickness_m: np.ndarray  # (E,) unloaded soft-tissue thickness
    region: np.ndarray       # (E,) index into REGION_NAMES
    foot_length_m: float
    side: str
    plantar_plane_z_m: float = 0.0  # foot-frame height of the plantar plane the unloaded skin rises from

    @property
    def n_elements(self) -> int:
        return len(self.area_m2)

    @property
    def x(self) -> np.ndarray:
        return self.position_m[:, 0]

    @property
    def y(self) -> np.ndarray:
        return self.position_m[:, 1]

    def mirrored(self) -> "PlantarMesh":
        """The other foot: the mirror image in y."""
        flip = np.array([1.0, -1.0, 1.0])
        return PlantarMesh(self.position_m * flip, self.area_m2, self.normal * flip, self.thickness_m,
                           self.region, self.foot_length_m, "left" if self.side == "right" else "right",
                           self.plantar_plane_z_m)


def _half_widths(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Medial and lateral half-widths / L at s; elliptical heel behind its centre, rounded toes."""
    from scipy.interpolate import PchipInterpolator  # imported here: 0.28 s of a sweep worker's start-up

    med = PchipInterpolator(_OUTLINE[:, 0], _OUTLINE[:, 1], extrapolate=True)(s)
    lat = PchipInterpolator(_OUTLINE[:, 0], _OUTLINE[:, 2], extrapolate=True)(s)
    heel = np.clip((HEEL_CENTRE_S - s) / HEEL_CENTRE_S, 0.0, 1.0)
    heel_shape = np.sqrt(np.clip(1.0 - heel**2, 0.0, 1.0))
    toe = np.clip((s - 0.95) / 0.05, 0.0, 1.0)
    toe_shape = np.sqrt(np.clip(1.0 - toe**2, 0.0, 1.0))
    med = np.where(s < HEEL_CENTRE_S, 0.125 * heel_shape, med * np.where(s > 0.95, toe_shape, 1.0))
    lat = np.where(s < HEEL_CENTRE_S, 0.125 * heel_shape, lat * np.where(s > 0.95, toe_shape, 1.0))
    return med, lat


def _surface_height(s, w, foot_length_m):
    """Height of the unloaded plantar skin above the plantar plane (m) at (s, w)."""
    L = foot_length_m
    # Heel: flat central patch, edges curving up (sagittal radius 35 mm, frontal 28 mm; DESIGN 3.1).
    dx = np.maximum(0.0, np.abs((s - HEEL_CENTRE_S) * L) - 0.012) * (s < HEEL_CENTRE_S)
    dy = np.maximum(0.0, np.abs(w * L) - 0.012) * (s < HEEL_END_S) * np.clip((HEEL_END_S + 0.05 - s) / 0.1, 0, 1)
    heel = dx**2 / (2 * 0.035) + dy**2 / (2 * 0.028)
    # Medial longitudinal arch: raised up to 15 mm at the medial border, zero laterally.
    arch_s = np.exp(-(((s - 0.45) / 0.13) ** 2))
    arch_w = np.clip((w + 0.02) / 0.12, 0.0, 1.0)
    arch = 0.015 * arch_s * arch_w**1.5
    # Sulcus behind the toes; the toes curve up like a rocker (radius 60 mm) so that a rigid
    # foot rolling off at push-off spreads its load as flexing toes would, not onto the tips.
    sulcus = 0.004 * np.exp(-(((s - 0.82) / 0.03) ** 2))
    toes = 0.002 * np.clip((s - 0.80) / 0.05, 0.0, 1.0) + (np.maximum(0.0, s - 0.80) * L) ** 2 / (2 * 0.06)
    # Rounded rim: every edge curves up over its last 8 mm.
    med, lat = _half_widths(s)
    edge_gap = np.minimum(med * L - w * L, lat * L + w * L)
    rim_r = 0.008
    rim = np.where(edge_gap < rim_r, rim_r - np.sqrt(np.clip(rim_r**2 - (rim_r - edge_gap) ** 2, 0, None)), 0.0)
    return heel + arch + sulcus + toes + rim * (s > HEEL_END_S)


def _thickness(s, heel_m, forefoot_m, arch_m, toe_m):
    """Soft tissue thickness along the foot: heel pad, arch, metatarsal pads, toes."""
    return np.interp(s, [0.0, 0.27, 0.42, 0.60, 0.78, 0.84, 1.0],
                     [heel_m, heel_m, arch_m, forefoot_m, forefoot_m, toe_m, toe_m])


def _regions(s, w):
    """Region index per element; lateral is -y for the right foot."""
    r = np.empty(s.shape, dtype=np.int64)
    heel, post = s < HEEL_END_S, s < HEEL_CENTRE_S
    lat = w < 0
    r[heel & post & lat] = 0
    r[heel & post & ~lat] = 1
    r[heel & ~post & lat] = 2
    r[heel & ~post & ~lat] = 3
    mid = (s >= HEEL_END_S) & (s < MIDFOOT_END_S)
    r[mid & (w < 0.02)] = 4
    r[mid & (w >= 0.02)] = 5
    mth = (s >= MIDFOOT_END_S) & (s < MTH_END_S)
    r[mth & (w >= 0.08)] = 6
    r[mth & (w >= -0.05) & (w < 0.08)] = 7
    r[mth & (w < -0.05)] = 8
    toes = s >= MTH_END_S
    r[toes & (w >= 0.07)] = 9
    r[toes & (w < 0.07)] = 10
    return r


def build_mesh(
    foot_length_m: float = 0.257,
    ankle_height_m: float = 0.068,
    spacing_m: float = 0.004,
    heel_thickness_m: float = 0.018,
    forefoot_thickness_m: float = 0.011,
    arch_thickness_m: float = 0.008,
    toe_thickness_m: float = 0.015,
    side: str = "right",
) -> PlantarMesh:
    """Plantar elements on a regular grid of the given spacing, for a right or left foot.

    Element points lie on the unloaded skin; the plantar plane sits `ankle_height_m` below the
    ankle joint centre (0.039 x height, DESIGN 3.1).
    """
    if not np.isfinite(spacing_m) or spacing_m <= 0:
        raise InputError(f"mesh spacing {spacing_m * 1e3:g} mm: must be a positive number of mm (2-12)")
    if not 0.10 <= foot_length_m <= 0.40:
        raise InputError(f"foot length {foot_length_m:g} m: allowed range is [0.10, 0.40] m")
    if side not in ("right", "left"):
        raise InputError(f"foot side {side!r}: allowed 'right' or 'left'")
    L = foot_length_m
    half = 0.2 * L
    xs = np.arange(spacing_m / 2, L, spacing_m)
    ys = np.arange(-half + spacing_m / 2, half, spacing_m)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    s, w = (X / L).ravel(), (Y / L).ravel()
    med, lat = _half_widths(s)
    inside = (w <= med) & (w >= -lat) & (s <= 1.0)
    s, w = s[inside], w[inside]
    z = _surface_height(s, w, L)
    eps = 1e-5
    dzdx = (_surface_height(s + eps / L, w, L) - _surface_height(s - eps / L, w, L)) / (2 * eps)
    dzdy = (_surface_height(s, w + eps / L, L) - _surface_height(s, w - eps / L, L)) / (2 * eps)
    normal = np.stack([dzdx, dzdy, -np.ones_like(z)], axis=1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    position = np.stack([(s - ANKLE_FROM_HEEL) * L, w * L, z - ankle_height_m], axis=1)
    area = np.full(s.shape, spacing_m**2)
    thickness = _thickness(s, heel_thickness_m, forefoot_thickness_m, arch_thickness_m, toe_thickness_m)
    region = _regions(s, w)
    missing = [REGION_NAMES[i] for i in range(len(REGION_NAMES)) if not np.any(region == i)]
    if missing:
        raise InputError(f"mesh spacing {spacing_m * 1e3:g} mm is too coarse: no element in {', '.join(missing)};"
                         " allowed range is [2, 12] mm")
    mesh = PlantarMesh(position, area, normal, thickness, region, L, "right", -ankle_height_m)
    return mesh.mirrored() if side == "left" else mesh
