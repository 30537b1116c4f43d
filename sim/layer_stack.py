"""The layer stack under every element (DESIGN 3.5): a checked footwear preset and a mesh as the kernel's arrays.

Kept apart from `footwear.py` so that reading a scenario never imports the compiled kernels.
"""

from __future__ import annotations

import math

import numpy as np

from .foot import ANKLE_FROM_HEEL, HEEL_CENTRE_S, REGION_NAMES, PlantarMesh
from .footwear import Footwear
from .kernels import layout as L
from .kernels.contact import barefoot_stack


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
