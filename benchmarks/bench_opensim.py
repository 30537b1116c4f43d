"""Side by side with OpenSim (pip `opensim`, optional): the same foot as N contact spheres with
SmoothSphereHalfSpaceForce on a half space, time per element-step against footsim's.

Model: as `bench_mujoco` (the default foot's N elements as spheres of radius half the grid
spacing on one free 70 kg body with the foot's rotational inertia, started flat 0.5 mm above
the ground with footsim's touchdown foot velocity), z up. Each sphere's force is OpenSim's smooth
Hunt-Crossley with smoothed Coulomb/Stribeck friction (stiffness 1e6, dissipation 2 s/m, friction
0.8 / 0.7, viscous 0.5, transition 0.2 m/s: values of OpenSim's examples, not a calibration).
Integrator: explicit Euler, fixed dt = 1e-4 s. The smooth force is evaluated for every sphere at
every step (no contact detection), so time per element-step is the fair unit; OpenSim runs a
shorter window than the stance (`steps`), enough for a stable per-step figure.

What OpenSim computes that footsim does not: general musculoskeletal models (joints,
muscles, constraints), variable-step error-controlled integration; its smooth contact has no
per-element bristle state, so no skin shear history, slip distance or frictional work per element.

    python -m benchmarks.bench_opensim [--quick]
"""

from __future__ import annotations

import argparse
import json
import time

from .common import BODY_MASS_KG, GRAVITY_M_S2, default_scenario, machine_info, mesh_of_size

INSTALL_HINT = "pip install opensim"


def available() -> bool:
    try:
        import opensim  # noqa: F401
    except ImportError:
        return False
    return True


def time_opensim(n_elements: int, steps: int) -> dict:
    import numpy as np
    import opensim as osim

    from sim.kernels import stance as S
    from sim.model import body_vector, contact_model, touchdown_state

    scenario = default_scenario()
    mesh, spacing_mm = mesh_of_size(n_elements)
    position_m = mesh.position_m
    radius = spacing_mm * 5e-4
    body = body_vector(scenario)
    y0 = touchdown_state(scenario, contact_model(scenario).position_m)
    dt = scenario["numerics"]["dt_s"]

    osim.Logger.setLevelString("warn")
    osim.Logger.removeFileSink()  # no opensim.log in the working folder
    model = osim.Model()
    model.setGravity(osim.Vec3(0, 0, -GRAVITY_M_S2))
    foot = osim.Body("foot", BODY_MASS_KG, osim.Vec3(0), osim.Inertia(*body[[S.I_XX, S.I_YY, S.I_ZZ]]))
    model.addBody(foot)
    model.addJoint(osim.FreeJoint("free", model.getGround(), foot))
    # a ContactHalfSpace's outward normal is -x of its frame: turned to +z
    ground = osim.ContactHalfSpace(osim.Vec3(0, 0, 0), osim.Vec3(0, -np.pi / 2, 0), model.getGround(), "floor")
    model.addContactGeometry(ground)
    for i, (x, y, z) in enumerate(position_m):
        sphere = osim.ContactSphere(radius, osim.Vec3(x, y, z + radius), foot, f"sphere{i}")
        model.addContactGeometry(sphere)
        force = osim.SmoothSphereHalfSpaceForce(f"contact{i}", sphere, ground)
        force.set_stiffness(1e6)
        force.set_dissipation(2.0)
        force.set_static_friction(0.8)
        force.set_dynamic_friction(0.7)
        force.set_viscous_friction(0.5)
        force.set_transition_velocity(0.2)
        model.addForce(force)
    model.setUseVisualizer(False)
    state = model.initSystem()
    coordinates = model.getCoordinateSet()  # free joint: 3 rotations, then x, y, z
    coordinates.get(5).setValue(state, 0.0005 - float(position_m[:, 2].min()))
    coordinates.get(3).setSpeedValue(state, float(y0[S.FOOT_VEL]))
    coordinates.get(5).setSpeedValue(state, float(y0[S.FOOT_VEL + 2]))
    manager = osim.Manager(model)
    manager.setIntegratorMethod(osim.Manager.IntegratorMethod_ExplicitEuler)
    manager.setIntegratorFixedStepSize(dt)
    state.setTime(0.0)
    manager.initialize(state)
    c0, t0 = time.thread_time(), time.perf_counter()
    manager.integrate(steps * dt)
    wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
    return {"elements": n_elements, "steps": steps, "wall_s": wall, "cpu_s": cpu,
            "s_per_element_step": cpu / (n_elements * steps)}


def run(footsim_by_elements: list[dict] | None, quick: bool = False) -> dict | None:
    """OpenSim figures beside footsim's per element-step; None when opensim is not installed."""
    if not available():
        return None
    import opensim

    sizes = (250,) if quick else (250, 1000, 4000)
    steps = 20 if quick else 300
    rows = []
    for n in sizes:
        row = time_opensim(n, steps)
        ours = next((r for r in footsim_by_elements or [] if r["elements"] == n), None)
        if ours:
            row["footsim_s_per_element_step"] = ours["s_per_element_step"]
            row["opensim_over_footsim_per_element_step"] = row["s_per_element_step"] / ours["s_per_element_step"]
        rows.append(row)
    return {
        "version": opensim.__version__,
        "model": __doc__.split("\n\n")[1].replace("\n", " "),
        "elements": [r["elements"] for r in rows],
        "s_per_element_step": [r["s_per_element_step"] for r in rows],
        "opensim_over_footsim": [r.get("opensim_over_footsim_per_element_step") for r in rows],
        "only_opensim_computes": ("general musculoskeletal models (joints, muscles, constraints), variable-step "
                                  "error-controlled integration; its smooth contact keeps no per-element bristle "
                                  "state, so no skin shear history, slip distance or frictional work per element"),
        "details": rows,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not available():
        print(f"opensim is not installed: {INSTALL_HINT}")
    else:
        from .bench_scenario import scaling

        ours = scaling(args.quick, 3)["scenario_vs_elements"]
        print(json.dumps({"machine": machine_info(), "opensim": run(ours, args.quick)}, indent=1, default=float))
