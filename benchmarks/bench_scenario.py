"""The default scenario end to end: wall time and where it goes, compilation cold and cached,
scaling with elements and with simulated duration, peak memory of one process.

Breakdown of one `run_stance` + `write_run`, after compilation (CPU time of the timing thread;
the wall time of the whole run is reported beside it):
- setup: scenario to arrays (mesh, parameter vectors, touchdown state, allocation);
- contact: `advance_contact` over the stance, timed by replaying the stance's own poses and
  velocities (recovered from the trace exactly as the semi-implicit Euler step made them) through
  the compiled kinematic loop; the replayed GRF is checked against the trace;
- dynamics: the rest of the compiled stance loop (body, leg, ankle, integration, trace rows);
- recording: the trace turned into the result (GRF, COP, free moment, summary metrics);
- file writing: the HDF5 file (`write_run`).

    python -m benchmarks.bench_scenario [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np

from sim.kernels import layout as L
from sim.kernels import stance as S
from sim.kernels.contact import new_contact_state
from sim.kernels.rotation import quat_to_matrix, rotation_vector
from sim.model import body_vector, contact_model, touchdown_state
from sim.outputs import write_run
from sim.result import assemble_result
from sim.runner import OUTCOMES, run_stance
from sim.scenario import load_scenario

from .common import default_scenario, interleaved_times, machine_info, mesh_of_size, run_python

PEAK_RSS = """
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
import resource
from pathlib import Path
status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
peak_kib = float(status["VmHWM"].split()[0]) if "VmHWM" in status else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
COMPILE_PROBE = """
import json, tempfile, time
t0 = time.perf_counter()
from sim.scenario import load_scenario
from sim.runner import OUTCOMES, run_stance
from sim.scenario import load_scenario
from sim.outputs import write_run
t1 = time.perf_counter()
scenario = load_scenario(text="")
result = run_stance(scenario)
t2 = time.perf_counter()
result = run_stance(scenario)
t3 = time.perf_counter()
with tempfile.TemporaryDirectory() as folder:
    write_run(folder + "/run.h5", result)
""" + PEAK_RSS + """
print(json.dumps({"import_s": t1 - t0, "first_run_s": t2 - t1, "warm_run_s": t3 - t2, "peak_rss_mib": peak_kib / 1024}))
"""


# --quick: the contact kernel alone (a full cold compile of the stance loop takes seconds)
COMPILE_PROBE_QUICK = """
import json, time
import numpy as np
t0 = time.perf_counter()
from sim.kernels.contact import new_contact_state
from sim.kernels.layout import N_LOAD
from sim.kernels.stance import follow_trajectory, no_frames
from sim.model import contact_model
from sim.scenario import load_scenario
t1 = time.perf_counter()
contact = contact_model(load_scenario(text=""))
def step():
    state, flags, records = new_contact_state(contact.mesh.n_elements)
    follow_trajectory(*contact.kernel_arrays(), np.zeros((1, 3)), np.array([[1.0, 0.0, 0.0, 0.0]]), np.zeros((1, 3)),
                      np.zeros((1, 3)), 1e-4, state, flags, records, no_frames(contact.mesh.n_elements), 1,
                      np.zeros((1, N_LOAD)))
step()
t2 = time.perf_counter()
step()
t3 = time.perf_counter()
""" + PEAK_RSS + """
print(json.dumps({"import_s": t1 - t0, "first_run_s": t2 - t1, "warm_run_s": t3 - t2, "peak_rss_mib": peak_kib / 1024}))
"""


class Prepared:
    """The arrays `run_stance` builds, so the compiled loop can be timed on its own."""

    def __init__(self, scenario):
        self.scenario = scenario
        self.contact = contact_model(scenario)
        self.mesh = self.contact.mesh
        self.body = body_vector(scenario)
        self.y0 = touchdown_state(scenario, self.contact.position_m)
        self.dt = scenario["numerics"]["dt_s"]
        self.n_max = int(round(scenario["numerics"]["duration_s"] / self.dt))

    def simulate(self):
        trace = np.zeros((self.n_max, S.N_TRACE))
        state, flags, records = new_contact_state(self.mesh.n_elements)
        y_end = np.zeros(S.N_DYN_STATE)
        steps, outcome, _ = S.simulate_stance(*self.contact.kernel_arrays(), self.body, self.y0, self.dt, self.n_max,
                                              trace, state, flags, records, S.no_frames(self.mesh.n_elements), 1, y_end)
        return trace[:steps], records, outcome, (state, flags)

    def result(self, trace, records, outcome, contact_state):
        """The named result, as `run_stance` assembles it (with the tissue's stored energy at the end)."""
        return assemble_result(self.scenario, self.mesh, trace, records, OUTCOMES[outcome],
                               self.contact.stored_energy(*contact_state))


def replay_motion(prepared: Prepared, trace: np.ndarray):
    """Poses, velocities and angular velocities of every step of a stance, as the stance loop
    used them: the semi-implicit step makes x[n] - x[n-1] = v[n] dt and R[n] = exp(omega[n] dt) R[n-1]."""
    dt = prepared.dt
    pos = np.ascontiguousarray(trace[:, S.T_POS:S.T_POS + 3])
    quat = np.ascontiguousarray(trace[:, S.T_QUAT:S.T_QUAT + 4])
    vel = np.empty_like(pos)
    omega = np.empty_like(pos)
    vel[0] = prepared.y0[S.FOOT_VEL:S.FOOT_VEL + 3]
    omega[0] = prepared.y0[S.FOOT_OMEGA:S.FOOT_OMEGA + 3]
    vel[1:] = np.diff(pos, axis=0) / dt
    r_prev, r_next = np.zeros((3, 3)), np.zeros((3, 3))
    for n in range(1, len(quat)):
        quat_to_matrix(quat[n - 1], r_prev)
        quat_to_matrix(quat[n], r_next)
        omega[n] = rotation_vector(r_next @ r_prev.T) / dt
    return pos, quat, vel, omega


def breakdown(repeats: int) -> dict:
    scenario = default_scenario()
    run_stance(scenario)  # compile or load from cache, warm up
    prepared = Prepared(scenario)
    simulated = prepared.simulate()
    trace, records, outcome, _ = simulated
    motion = replay_motion(prepared, trace)
    outcome_text = OUTCOMES[outcome]
    result = prepared.result(*simulated)
    box = {}

    def fresh():
        state, flags, recs = new_contact_state(prepared.mesh.n_elements)
        box["arrays"] = (state, flags, recs, S.no_frames(prepared.mesh.n_elements), 1, np.zeros((len(trace), L.N_LOAD)))

    def replay():
        S.follow_trajectory(*prepared.contact.kernel_arrays(), *motion, prepared.dt, *box["arrays"])

    def nothing():
        pass

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.h5"
        timings = interleaved_times({
            "run_stance": (nothing, lambda: run_stance(scenario)),
            "setup": (nothing, lambda: Prepared(scenario)),
            "stance_loop": (nothing, prepared.simulate),
            "contact_replay": (fresh, replay),
            "recording": (nothing, lambda: prepared.result(*simulated)),
            "file_writing": (nothing, lambda: write_run(path, result)),
        }, repeats)
        file_bytes = path.stat().st_size
    grf = trace[:, S.T_FX:S.T_FX + 3]
    replay_loads = box["arrays"][-1]
    replay_error = float(np.abs(replay_loads[:, L.FORCE:L.FORCE + 3] - grf).max() / np.abs(grf).max())
    total, setup, stance_loop = timings["run_stance"], timings["setup"], timings["stance_loop"]
    contact, recording, writing = timings["contact_replay"], timings["recording"], timings["file_writing"]

    steps = len(trace)
    n = prepared.mesh.n_elements
    contact_element_steps = float(records[:, L.CONTACT_TIME].sum() / prepared.dt)
    dynamics_s = stance_loop["cpu_median_s"] - contact["cpu_median_s"]
    return {
        "elements": n,
        "steps": steps,
        "outcome": outcome_text,
        "dt_s": prepared.dt,
        "stance_s": steps * prepared.dt,
        "contact_fraction": contact_element_steps / (n * steps),
        "wall_s": total["median_s"],
        "cpu_s": total["cpu_median_s"],
        "wall_with_file_s": total["median_s"] + writing["median_s"],
        "cpu_with_file_s": total["cpu_median_s"] + writing["cpu_median_s"],
        "breakdown_s": {
            "setup": setup["cpu_median_s"],
            "contact": contact["cpu_median_s"],
            "dynamics": dynamics_s,
            "recording": recording["cpu_median_s"],
            "file_writing": writing["cpu_median_s"],
        },
        "stance_loop_s": stance_loop["cpu_median_s"],
        "element_steps_per_s": n * steps / stance_loop["cpu_median_s"],
        "contact_element_steps_per_s": contact_element_steps / contact["cpu_median_s"],
        "replay_grf_max_rel_error": replay_error,
        "file_bytes": file_bytes,
        "timings": timings,
    }


def compile_times(quick: bool = False) -> dict:
    """Cold: a fresh NUMBA_CACHE_DIR in a new interpreter; cached: a second interpreter on it.
    Compilation time = first run - warm run in the same interpreter. Quick: the contact kernel only."""
    out = {"what": "the contact kernel in its kinematic loop only (--quick)" if quick else "run_stance of the default scenario (every kernel)"}
    with tempfile.TemporaryDirectory(prefix="footsim-bench-cache-") as cache:
        for label in ("cold", "cached"):
            code = COMPILE_PROBE_QUICK if quick else COMPILE_PROBE
            probe = json.loads(run_python(code, {"NUMBA_CACHE_DIR": cache}).strip().splitlines()[-1])
            probe["compile_s"] = probe["first_run_s"] - probe["warm_run_s"]
            out[label] = probe
    return out


def _scenario_runs(overrides_list: list[tuple[str, ...]], repeats: int) -> list[dict]:
    """The compiled stance loop of each scenario variant, timed interleaved."""
    prepared = [Prepared(default_scenario(*overrides)) for overrides in overrides_list]
    timings = interleaved_times({str(k): (lambda: None, p.simulate) for k, p in enumerate(prepared)}, repeats)
    rows = []
    for k, p in enumerate(prepared):
        trace, records, _, _ = p.simulate()
        steps, n = len(trace), p.mesh.n_elements
        cpu = timings[str(k)]["cpu_median_s"]
        contact_element_steps = float(records[:, L.CONTACT_TIME].sum() / p.dt)
        rows.append({"elements": n, "steps": steps, "contact_element_steps": contact_element_steps, "cpu_s": cpu,
                     "wall_s": timings[str(k)]["median_s"], "s_per_element_step": cpu / (n * steps),
                     "s_per_contact_element_step": cpu / max(contact_element_steps, 1.0),
                     "contact_fraction": contact_element_steps / (n * steps)})
    return rows


def linear_cost_fit(runs: list[dict]) -> dict:
    """Least squares time = a steps + b element-steps + c contact-element-steps over runs; linear
    scaling means every run sits on this plane (largest relative residual small)."""
    design = np.array([[r["steps"], r["steps"] * r["elements"], r["contact_element_steps"]] for r in runs], float)
    cpu = np.array([r["cpu_s"] for r in runs])
    coef, *_ = np.linalg.lstsq(design / cpu[:, None], np.ones(len(runs)), rcond=None)
    residual = design @ coef / cpu - 1.0
    return {"s_per_step": coef[0], "s_per_element_step": coef[1], "s_per_contact_element_step": coef[2],
            "max_relative_residual": float(np.abs(residual).max()), "runs": len(runs)}


def _spread(values) -> float:
    """max / min - 1: how far from proportional a cost per unit strays."""
    values = np.asarray(values, dtype=float)
    return float(values.max() / values.min() - 1.0)


def scaling(quick: bool, repeats: int) -> dict:
    sizes = (250, 1000) if quick else (250, 1000, 4000)
    by_elements = _scenario_runs([(f"numerics.mesh_spacing_mm={mesh_of_size(n)[1]!r}",) for n in sizes], repeats)
    durations = (0.05, 0.1) if quick else (0.05, 0.1, 0.2)
    by_duration = [{"duration_s": d, **row} for d, row in
                   zip(durations, _scenario_runs([(f"numerics.duration_s={d!r}",) for d in durations], repeats))]

    from .bench_kernel import Case, compiled_variant, drive_kernel

    step_counts = (100, 400) if quick else (250, 1000, 4000)
    # the flat foot pressed to body weight and held still: the same work every step
    timings = interleaved_times({str(steps): compiled_variant(Case(1000, steps, slide_m_s=0.0, twist_rad_s=0.0),
                                                              drive_kernel)[:2]
                                 for steps in step_counts}, repeats)
    fixed_pose = [{"elements": 1000, "steps": steps, "cpu_s": timings[str(steps)]["cpu_median_s"],
                   "s_per_element_step": timings[str(steps)]["cpu_median_s"] / (1000 * steps)} for steps in step_counts]
    return {
        "scenario_vs_elements": by_elements,
        "scenario_vs_elements_spread": _spread([r["s_per_element_step"] for r in by_elements]),
        "scenario_vs_duration": by_duration,
        "scenario_vs_duration_spread_per_step": _spread([r["cpu_s"] / r["steps"] for r in by_duration]),
        "scenario_vs_duration_spread_per_contact_element_step":
            _spread([r["s_per_contact_element_step"] for r in by_duration]),
        "scenario_cost_fit": linear_cost_fit(by_elements + by_duration),
        "kernel_vs_steps_fixed_pose": fixed_pose,
        "kernel_vs_steps_spread": _spread([r["s_per_element_step"] for r in fixed_pose]),
        "note": ("spread = max/min - 1 of the time per unit. A stance has a cost per step (body dynamics) "
                 "besides its cost per element-step, and truncated stances differ in contact fraction (early "
                 "stance has few elements down), so the scenario runs are judged against one cost plane, "
                 "time = a steps + b element-steps + c contact-element-steps (scenario_cost_fit): linear "
                 "within 15 % means every run within 15 % of it. The kernel alone on the flat foot pressed to "
                 "body weight and held still (the same work every step) is judged per element-step directly."),
    }


def memory() -> dict:
    """Peak Python-side allocation of one run + file (tracemalloc; numba's own allocations are
    not seen by it) in this process, after compilation."""
    scenario = default_scenario()
    run_stance(scenario)
    tracemalloc.start()
    result = run_stance(scenario)
    with tempfile.TemporaryDirectory() as folder:
        write_run(os.path.join(folder, "run.h5"), result)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_mib": peak / 2**20}


def foot_models(repeats: int) -> dict:
    """The default stance with the rigid foot and with the articulated foot (DESIGN 3.4b), interleaved."""
    rigid = default_scenario()
    articulated = load_scenario(text="[foot]\nmodel = 'articulated'\n")
    timings = interleaved_times({"rigid": (lambda: None, lambda: run_stance(rigid)),
                                 "articulated": (lambda: None, lambda: run_stance(articulated))}, repeats)
    return {"rigid_cpu_s": timings["rigid"]["cpu_median_s"], "articulated_cpu_s": timings["articulated"]["cpu_median_s"],
            "articulated_wall_s": timings["articulated"]["median_s"], "timings": timings}


def run(quick: bool = False) -> dict:
    repeats = 3 if quick else 7
    scenario = breakdown(repeats)
    scenario["foot_models"] = foot_models(repeats)
    compiled = compile_times(quick)
    scenario["compile_cold_s"] = compiled["cold"]["compile_s"]
    scenario["compile_cached_s"] = compiled["cached"]["compile_s"]
    scenario["compile"] = compiled
    return {"scenario": scenario,
            "scaling": scaling(quick, repeats),
            "memory": {**memory(), "process_peak_rss_mib": compiled["cached"]["peak_rss_mib"],
                       "process_peak_rss_compiling_mib": compiled["cold"]["peak_rss_mib"],
                       "note": "peak RSS of a fresh interpreter that imports footsim, runs the default "
                               "scenario twice and writes its file: the footprint of one worker"}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps({"machine": machine_info(), **run(args.quick)}, indent=1, default=float))
