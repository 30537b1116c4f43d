"""Validation against recorded force-plate data and published tables, with calibration.

    prepared = prepare(read_trial(path))                # the right foot's stances, mean curve, subject
    evaluation = evaluate(prepared, {"runner.leg_stiffness_n_m": 15e3})
    evaluation.rms_bw, evaluation.metric_rows(), evaluation.as_json()
    calibration = calibrate(prepared)                   # bounded least squares on the recorded GRF
    parameters, note = predict_parameters(calibration, other_prepared_trial_of_the_same_subject)
    rows = published_targets()                          # every entry of published.toml and the heel drop

Modules: `compare` (stances, mean curve, RMS, metric table), `drive` (the trial's subject and
filter applied to the model), `evaluate` (one trial against one parameter set, the JSON record),
`calibrate` (the fit and the prediction of other trials), `published` (the published targets),
`plots`, `report` (`python -m sim.validation.report`, the committed report in results/validation).
"""

from .calibrate import CALIBRATABLE, Calibration, calibrate, predict_parameters
from .drive import PreparedTrial, prepare
from .evaluate import Evaluation, evaluate
from .published import TargetRow, published_targets

__all__ = ["CALIBRATABLE", "Calibration", "Evaluation", "PreparedTrial", "TargetRow", "calibrate", "evaluate",
           "predict_parameters", "prepare", "published_targets"]
