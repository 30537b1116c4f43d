"""Tables of results/track/README.md from the `footsim track` JSON and run files of S001 T35.

    PYTHONPATH=. python results/track/make_report.py

The runner model for the same runner is `footsim validate`'s prediction for this trial (the
parameters stored in results/validation/validation.json), compared stance by stance.
"""

import json
from pathlib import Path

import h5py
import numpy as np

from sim.runner import run_stance
from sim.scenario import load_scenario
from sim.tracking.compare import runner_model_errors

HERE = Path(__file__).parent
TRIAL = "fukuchi2017_S001/RBDS001runT35"
LIMITS = {"cop_ap_rms_m": 0.025, "cop_ml_rms_m": 0.015}


def runner_model():
    record = next(t["record"] for t in json.loads(Path("results/validation/validation.json").read_text())["trials"]
                  if t["name"] == TRIAL)
    overrides = [f"{k}={v}" for k, v in record["parameters"].items()]
    return run_stance(load_scenario(None, overrides=overrides))


def stance_rows(document, model):
    rows = []
    for s in document["stances"]:
        row = dict(s)
        if Path(s["run_file"]).is_file():
            with h5py.File(s["run_file"]) as f:
                row["runner_model"] = runner_model_errors(model, f["time"][:], f["recorded/grf"][:],
                                                          f["recorded/free_moment"][:], s["side"])
        rows.append(row)
    return rows


def _mark(value, limit):
    return f"**{value:.1f} MISS**" if value > limit else f"{value:.1f}"


def recorded_table(rows):
    lines = ["| side | touchdown (s) | COP AP (mm) | COP ML (mm) | Fx RMS (BW) | Fy RMS (BW) | braking model / plate (BW s) "
             "| propulsive model / plate (BW s) | Tz RMS (N m) | runner model Fy / Tz RMS | offset mean (mm) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        rm = r.get("runner_model", {})
        lines.append(
            f"| {r['side']} | {r['touchdown_s']:.3f} | {_mark(r['cop_ap_rms_m'] * 1e3, 25)} | "
            f"{_mark(r['cop_ml_rms_m'] * 1e3, 15)} | {r['ap_rms_bw']:.3f} | {r['ml_rms_bw']:.3f} | "
            f"{r['braking_impulse_bw_s']['model']:.4f} / {r['braking_impulse_bw_s']['plate']:.4f} | "
            f"{r['propulsive_impulse_bw_s']['model']:.4f} / {r['propulsive_impulse_bw_s']['plate']:.4f} | "
            f"{r['free_moment_rms_nm']:.1f} | {rm.get('ml_rms_bw', np.nan):.3f} / {rm.get('free_moment_rms_nm', np.nan):.1f} | "
            f"{r['vertical_offset_mm']['mean']:.1f} |")
    return "\n".join(lines)


def summary(rows):
    out = {}
    for side in ("right", "left"):
        mine = [r for r in rows if r["side"] == side]
        if not mine:
            continue
        med = lambda key, scale=1.0: float(np.median([r[key] for r in mine]) * scale)  # noqa: E731
        out[side] = {
            "stances": len(mine),
            "cop_ap_rms_mm_median": med("cop_ap_rms_m", 1e3), "cop_ap_rms_mm_max": max(r["cop_ap_rms_m"] for r in mine) * 1e3,
            "cop_ap_misses": sum(r["cop_ap_rms_m"] > LIMITS["cop_ap_rms_m"] for r in mine),
            "cop_ml_rms_mm_median": med("cop_ml_rms_m", 1e3), "cop_ml_rms_mm_max": max(r["cop_ml_rms_m"] for r in mine) * 1e3,
            "cop_ml_misses": sum(r["cop_ml_rms_m"] > LIMITS["cop_ml_rms_m"] for r in mine),
            "ap_rms_bw_median": med("ap_rms_bw"), "ml_rms_bw_median": med("ml_rms_bw"),
            "free_moment_rms_nm_median": med("free_moment_rms_nm"),
            # the recorded signs: net braking in the first half of stance, net propulsion in the second
            "halves_signs_agree": sum(np.sign(r["ap_impulse_halves_bw_s"]["model"]).tolist()
                                      == np.sign(r["ap_impulse_halves_bw_s"]["plate"]).tolist() for r in mine),
            "net_ap_sign_agrees": sum(np.sign(r["propulsive_impulse_bw_s"]["model"] - r["braking_impulse_bw_s"]["model"])
                                      == np.sign(r["propulsive_impulse_bw_s"]["plate"] - r["braking_impulse_bw_s"]["plate"])
                                      for r in mine),
            "runner_model_ml_rms_bw_median": float(np.median([r["runner_model"]["ml_rms_bw"] for r in mine if "runner_model" in r])),
            "runner_model_free_moment_rms_nm_median": float(np.median([r["runner_model"]["free_moment_rms_nm"]
                                                                        for r in mine if "runner_model" in r])),
            "vertical_rms_bw_median": med("vertical_rms_bw"),
            "vertical_offset_mm_median": float(np.median([r["vertical_offset_mm"]["mean"] for r in mine])),
        }
    return out


if __name__ == "__main__":
    model = runner_model()
    for mode in ("recorded", "markers"):
        document = json.loads((HERE / f"S001_T35_{mode}.json").read_text())
        rows = stance_rows(document, model)
        (HERE / f"S001_T35_{mode}_table.md").write_text(recorded_table(rows) + "\n")
        (HERE / f"S001_T35_{mode}_summary.json").write_text(json.dumps(summary(rows), indent=1, default=float) + "\n")
        print(mode, json.dumps(summary(rows), indent=1, default=float))
