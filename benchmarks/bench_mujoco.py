"""Side by side with MuJoCo: the same foot as N sphere geoms on a plane, the same stance length and
time step, time per contact-element-step against footsim's (optional extra `[compare]`).

MuJoCo model: the default foot's N elements (the meshes of `mesh_of_size`) as spheres of radius
half the grid spacing, their lowest point on the skin point, on one free rigid body carrying
the runner's body mass (70 kg, so the contacts carry body weight as in footsim's stance) with
the foot's rotational inertia; ground a plane; friction 0.8; soft contacts with a 5 ms time
constant, critically damped; pyramidal cones, Newton solver, Euler integrator, dt = 1e-4 s. The
foot starts flat, its lowest sphere 0.5 mm above the ground, with footsim's touchdown foot
velocity, and runs as many steps as the default stance: it lands and settles under body weight
on about half of its spheres, a contact fraction near footsim's stance average. (Started at the
heel-strike pose, the rigid body balances on its heel: 5 % of the spheres in contact.) MuJoCo's step includes collision detection, the constraint solve and the
rigid-body dynamics; footsim's figure is its whole compiled stance loop (contact + body model)
on a mesh of the same N.

What each computes that the other does not:
- footsim: per element a compressible pad (exponential stiffening, Hunt-Crossley damping), a
  skin bristle with its own shear stiffness (stick, slip, re-stick, static and kinetic friction)
  and a history per element over the stance: peak pressure, peak shear stress and direction,
  peak shear strain, slip distance, frictional work, shear-time integral; the runner's body, leg
  and ankle model. MuJoCo gives no per-element skin shear history.
- MuJoCo: general articulated multi-body dynamics, collision between any geoms (here only
  sphere-plane), a convex constraint solver with implicit contact forces (soft constraints,
  friction cones solved jointly rather than per element), joint limits, actuators, tendons.

    python -m benchmarks.bench_mujoco [--quick]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from .common import BODY_MASS_KG, GRAVITY_M_S2, default_scenario, machine_info, median_time, mesh_of_size

INSTALL_HINT = "pip install 'footsim[compare]'  (or: pip install mujoco)"
FRICTION = 0.8
TIME_CONSTANT_S = 0.005


def available() -> bool:
    try:
        import mujoco  # noqa: F401
    except ImportError:
        return False
    return True


def foot_xml(position_m: np.ndarray, radius_m: float, inertia_kg_m2: np.ndarray, dt_s: float) -> str:
    spheres = "\n".join(
        f'      <geom type="sphere" size="{radius_m:.6g}" pos="{x:.6g} {y:.6g} {z + radius_m:.6g}"/>'
        for x, y, z in position_m)
    ixx, iyy, izz = inertia_kg_m2
    return f"""<mujoco model="footsim-foot">
  <option timestep="{dt_s}" integrator="Euler" cone="pyramidal" solver="Newton" gravity="0 0 -{GRAVITY_M_S2}"/>
  <default><geom friction="{FRICTION} 0.005 0.0001" solref="{TIME_CONSTANT_S} 1" condim="3" contype="1" conaffinity="1"/></default>
  <worldbody>
    <geom name="ground" type="plane" size="0 0 1"/>
    <body name="foot">
      <freejoint/>
      <inertial pos="0 0 0" mass="{BODY_MASS_KG}" diaginertia="{ixx:.6g} {iyy:.6g} {izz:.6g}"/>
{spheres}
    </body>
  </worldbody>
</mujoco>"""


def time_mujoco(n_elements: int, steps: int, repeats: int) -> dict:
    import mujoco

    from sim.kernels import stance as S
    from sim.model import body_vector, contact_model, touchdown_state

    scenario = default_scenario()
    mesh, spacing_mm = mesh_of_size(n_elements)
    position_m = mesh.position_m
    body = body_vector(scenario)
    y0 = touchdown_state(scenario, contact_model(scenario).position_m)
    lowest_m = position_m[:, 2].min()
    dt = scenario["numerics"]["dt_s"]
    model = mujoco.MjModel.from_xml_string(
        foot_xml(position_m, spacing_mm * 5e-4, body[[S.I_XX, S.I_YY, S.I_ZZ]], dt))
    data = mujoco.MjData(model)

    def reset():
        mujoco.mj_resetData(model, data)
        data.qpos[:3] = [0.0, 0.0, 0.0005 - lowest_m]
        data.qpos[3:7] = [1.0, 0.0, 0.0, 0.0]
        data.qvel[:3] = y0[S.FOOT_VEL:S.FOOT_VEL + 3]
        mujoco.mj_forward(model, data)

    counts = {}

    def stance():
        contacts = 0
        for _ in range(steps):
            mujoco.mj_step(model, data)
            contacts += data.ncon
        counts["contact_element_steps"] = contacts

    reset()
    stance()  # warm up
    timing = median_time(stance, repeats, reset)
    contact_steps = counts["contact_element_steps"]

    # the Python loop's own cost, to show it is small against the step
    t0 = time.perf_counter()
    for _ in range(steps):
        pass
    loop_s = time.perf_counter() - t0
    return {
        "elements": n_elements,
        "steps": steps,
        "wall_s": timing["median_s"],
        "cpu_s": timing["cpu_median_s"],
        "contact_fraction": contact_steps / (n_elements * steps),
        "s_per_element_step": timing["cpu_median_s"] / (n_elements * steps),
        "s_per_contact_element_step": timing["cpu_median_s"] / max(contact_steps, 1),
        "python_loop_overhead_s": loop_s,
        "final_height_m": float(data.qpos[2]),
        "timing": timing,
    }


def run(footsim_by_elements: list[dict] | None, quick: bool = False) -> dict | None:
    """MuJoCo figures beside footsim's (`footsim_by_elements`: bench_scenario's runs at the same
    N, each with s_per_contact_element_step); None when mujoco is not installed."""
    if not available():
        return None
    import mujoco

    sizes = (250, 1000) if quick else (250, 1000, 4000)
    steps = 200 if quick else None
    rows = []
    for n in sizes:
        ours = next((r for r in footsim_by_elements or [] if r["elements"] == n), None)
        n_steps = steps or (ours["steps"] if ours else 2000)
        row = time_mujoco(n, n_steps, 1 if quick else 3)
        if ours:
            row["footsim_s_per_contact_element_step"] = ours["s_per_contact_element_step"]
            row["footsim_s_per_element_step"] = ours["s_per_element_step"]
            row["mujoco_over_footsim_per_contact_element_step"] = (row["s_per_contact_element_step"]
                                                                   / ours["s_per_contact_element_step"])
        rows.append(row)
    return {
        "version": mujoco.__version__,
        "model": __doc__.split("\n\n")[1].replace("\n", " "),
        "elements": [r["elements"] for r in rows],
        "s_per_contact_element_step": [r["s_per_contact_element_step"] for r in rows],
        "footsim_s_per_contact_element_step": [r.get("footsim_s_per_contact_element_step") for r in rows],
        "mujoco_over_footsim": [r.get("mujoco_over_footsim_per_contact_element_step") for r in rows],
        "only_footsim_computes": ("per-element compressible pad and skin bristle with stick/slip, per-element "
                                  "shear history (peak pressure, peak shear stress and direction, shear strain, "
                                  "slip distance, frictional work, shear-time integral), runner body/leg/ankle "
                                  "model"),
        "only_mujoco_computes": ("articulated multi-body dynamics, general collision detection, contact forces "
                                 "solved jointly as a convex problem (soft constraints, friction cones), limits, "
                                 "actuators, tendons"),
        "details": rows,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not available():
        print(f"mujoco is not installed: {INSTALL_HINT}")
    else:
        from .bench_scenario import scaling

        ours = scaling(args.quick, 3)["scenario_vs_elements"]
        print(json.dumps({"machine": machine_info(), "mujoco": run(ours, args.quick)}, indent=1, default=float))
