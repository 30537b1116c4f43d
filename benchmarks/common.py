"""What every benchmark shares: machine description, honest timing, meshes of a given size, a pose.

Timing rule: compile and warm up first, then repeat and keep the median (and the spread, so a
reader sees how noisy the machine was). Ratios are always between figures taken in one run, the
variants timed in turn. Rates use the timing thread's CPU time (the machine is shared: other
processes' turns on the cores are not ours); wall times are reported beside them.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from sim.provenance import git_commit
from sim.variables import GRAVITY_M_S2

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "results" / "bench"
BODY_MASS_KG = 70.0   # the default runner's (sim.params); the flat-foot pose is pressed to this weight


def _summary(wall: list[float], cpu: list[float]) -> dict:
    return {"cpu_median_s": statistics.median(cpu), "median_s": statistics.median(wall), "min_s": min(wall),
            "max_s": max(wall), "repeats": len(wall)}


def median_time(fn, repeats: int, setup=None) -> dict:
    """Medians of fn() over `repeats` calls, setup() run untimed before each call: CPU time of
    this thread (cpu_median_s: what the figures use) and wall time (median_s, min_s, max_s).
    On this shared 2-core machine other processes take turns on the cores; the thread's CPU time
    leaves out the time it waited, wall time does not."""
    wall, cpu = [], []
    for _ in range(repeats):
        if setup is not None:
            setup()
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    return _summary(wall, cpu)


def interleaved_times(variants: dict, repeats: int) -> dict:
    """`median_time` of several variants measured in turn (A B C A B C ...), so that a change in
    the machine's load during the run touches all of them alike and their ratios stay fair.
    variants: name -> (setup, call); setup runs untimed before each call. Each is warmed up first."""
    for setup, call in variants.values():
        setup()
        call()
    wall = {name: [] for name in variants}
    cpu = {name: [] for name in variants}
    for _ in range(repeats):
        for name, (setup, call) in variants.items():
            setup()
            c0, t0 = time.thread_time(), time.perf_counter()
            call()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.thread_time() - c0)
    return {name: _summary(wall[name], cpu[name]) for name in variants}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _cpu_flags() -> list[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return sorted(f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl") if f in flags)
    except OSError:
        pass
    return []


def _version(module: str) -> str | None:
    try:
        return __import__(module).__version__
    except Exception:  # noqa: BLE001 (an optional package that fails to import is simply absent)
        return None


def machine_info() -> dict:
    """The machine and software the figures were measured on."""
    import numba

    from sim import __version__

    return {
        "cpu": _cpu_model(),
        "cpu_flags": _cpu_flags(),
        "logical_cpus": os.cpu_count(),
        "affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average_1min": os.getloadavg()[0],
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "llvmlite": _version("llvmlite"),
        "numba_svml": bool(getattr(numba.config, "USING_SVML", False)),
        "mujoco": _version("mujoco"),
        "opensim": _version("opensim"),
        "footsim": __version__,
        "git_commit": git_commit(),
        "threads": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")},
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def default_scenario(*overrides: str):
    from sim.scenario import load_scenario

    return load_scenario(text="", overrides=overrides)


def mesh_of_size(n_elements: int):
    """The default foot meshed with exactly n_elements: the finest grid spacing that gives at least
    n_elements, the surplus removed evenly along the mesh order and the area rescaled so the
    sole keeps its total area. Returns (PlantarMesh, spacing_mm)."""
    from sim.model import mesh_for

    def mesh_at(spacing_mm: float):
        return mesh_for(default_scenario(f"numerics.mesh_spacing_mm={spacing_mm!r}"))

    low, high = 2.0, 12.0  # the registry's allowed spacings
    if mesh_at(low).n_elements < n_elements:
        raise ValueError(f"{n_elements} elements: more than the finest allowed mesh gives")
    for _ in range(40):
        mid = 0.5 * (low + high)
        if mesh_at(mid).n_elements >= n_elements:
            low = mid
        else:
            high = mid
    mesh = mesh_at(low)
    keep = np.unique(np.round(np.linspace(0, mesh.n_elements - 1, n_elements)).astype(int))
    assert len(keep) == n_elements
    subset = {f.name: np.ascontiguousarray(getattr(mesh, f.name)[keep]) for f in dataclasses.fields(mesh)
              if isinstance(getattr(mesh, f.name), np.ndarray) and getattr(mesh, f.name).shape[:1] == (mesh.n_elements,)}
    subset["area_m2"] = subset["area_m2"] * (mesh.area_m2.sum() / subset["area_m2"].sum())
    return dataclasses.replace(mesh, **subset), low


def contact_arrays(mesh) -> dict:
    """The contact kernel's per-element inputs for a barefoot default runner on this mesh, as the
    model layer builds them: points, areas, pad thickness, tissue vector, layer stack."""
    from sim.footwear import load_footwear
    from sim.layer_stack import layer_stack
    from sim.model import bone_points, tissue_vector

    scenario = default_scenario()
    t = scenario["tissue"]
    position, stack = layer_stack(load_footwear("barefoot"), mesh, t["mu_static"], t["mu_kinetic"],
                                  scenario["surface"]["friction_scale"])
    return {"position_m": np.ascontiguousarray(position), "bone_m": np.ascontiguousarray(bone_points(mesh)),
            "area_m2": mesh.area_m2, "thickness_m": mesh.thickness_m,
            "tissue": tissue_vector(scenario), "stack": np.ascontiguousarray(stack)}


def flat_pressed_height(arrays: dict, load_n: float) -> float:
    """Ankle height (m) at which the flat foot, at rest, carries load_n on the pad (bisection on the
    static elastic force, the same pressure law as the kernel)."""
    from sim.verify.reference import elastic_pressure

    z_sole = arrays["position_m"][:, 2]

    def force(ankle_z):
        depth = -(ankle_z + z_sole)
        touching = depth > 0
        strain = depth[touching] / arrays["thickness_m"][touching]
        return float((elastic_pressure(strain, arrays["tissue"]) * arrays["area_m2"][touching]).sum())

    high = -z_sole.min()          # lowest point just touching
    low = high - 0.9 * arrays["thickness_m"].min()
    for _ in range(80):
        mid = 0.5 * (low + high)
        if force(mid) > load_n:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def flat_foot_motion(arrays: dict, steps: int, dt: float, slide_m_s: float = 0.02,
                     twist_rad_s: float = 0.5):
    """The kernel benchmark's pose: the foot flat on the ground, pressed to body weight, sliding
    forward at slide_m_s and twisting about the vertical through the ankle at twist_rad_s, so
    that elements near the ankle stick and distant ones slip (a mix of both branches).
    Returns (foot_pos (T,3), foot_quat (T,4), foot_vel (T,3), foot_omega (T,3))."""
    z = flat_pressed_height(arrays, BODY_MASS_KG * GRAVITY_M_S2)
    t = np.arange(steps) * dt
    pos = np.zeros((steps, 3))
    pos[:, 0] = slide_m_s * t
    pos[:, 2] = z
    angle = twist_rad_s * t
    quat = np.zeros((steps, 4))
    quat[:, 0] = np.cos(angle / 2)
    quat[:, 3] = np.sin(angle / 2)
    vel = np.zeros((steps, 3))
    vel[:, 0] = slide_m_s
    omega = np.zeros((steps, 3))
    omega[:, 2] = twist_rad_s
    return pos, quat, vel, omega


def quat_matrices(quat: np.ndarray) -> np.ndarray:
    """(T,3,3) rotation matrices of (T,4) unit quaternions (w, x, y, z)."""
    from sim.kernels.rotation import quat_to_matrix

    out = np.zeros((len(quat), 3, 3))
    for n in range(len(quat)):
        quat_to_matrix(quat[n], out[n])
    return out


def run_python(code: str, env_extra: dict | None = None, timeout: float = 600) -> str:
    """Run code in a fresh interpreter from the repository root; returns its stdout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(REPO)) if p)
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stdout
