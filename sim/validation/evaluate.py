"""One trial against the model with given parameters: the RMS errors, the metric table, the JSON
record of `footsim validate` (its JSON contract)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from sim.grf_metrics import GRAVITY_M_S2
from sim.scenario import Scenario
from sim.trials import Trial

from .compare import (TABLE_METRICS, MeanStance, MetricSummary, comparison_grid, rms_bw, stance_metrics,
                      summarise_metrics)
from .drive import PreparedTrial, model_mean_stance, run_model, scenario_for, subject_overrides


@dataclasses.dataclass
class Evaluation:
    """The model beside one prepared trial."""

    prepared: PreparedTrial
    parameters: dict[str, Any]   # the model parameters set on top of the subject (dotted keys)
    scenario: Scenario
    result: Any                  # sim.result.StanceResult
    model_trial: Trial
    model_mean: MeanStance
    rms_bw: dict[str, float | None]
    data_metrics: MetricSummary
    model_metrics: dict[str, float]

    @property
    def body_weight_n(self) -> float:
        return self.prepared.subject.mass_kg * GRAVITY_M_S2

    def metric_rows(self) -> list[dict[str, Any]]:
        """The metric table: data mean, SD and share of stances, model, error (model - data)."""
        rows = []
        for key in TABLE_METRICS:
            data, model = self.data_metrics.mean[key], self.model_metrics[key]
            rows.append({"metric": key, "data": data, "data_sd": self.data_metrics.sd[key],
                         "data_share": self.data_metrics.share[key], "model": model,
                         "error": model - data if math.isfinite(model) and math.isfinite(data) else math.nan})
        return rows

    def scenario_parameters(self) -> dict[str, Any]:
        """Every key the validation set: the subject's and the model parameters, resolved values."""
        keys = {**subject_overrides(self.prepared.subject), **self.parameters}
        out = {}
        for name in keys:
            section, key = name.split(".")
            out[name] = self.scenario[section][key]
        return out

    def curves(self) -> dict[str, Any]:
        """Data and model in BW on the comparison grid (ms from touchdown), for pictures."""
        grid = comparison_grid(self.prepared.mean, self.model_mean)
        return {"t_ms": grid * 1e3, "data_bw": self.prepared.mean.on_grid(grid) / self.body_weight_n,
                "model_bw": self.model_mean.on_grid(grid) / self.body_weight_n, "rms_bw": dict(self.rms_bw)}

    def as_json(self) -> dict[str, Any]:
        """The record of `footsim validate --json`: trial, subject, rms_bw, metrics, parameters."""
        return {
            "trial": self.prepared.trial.name,
            "subject": self.prepared.subject.as_json(),
            "rms_bw": {name: _finite_or_none(self.rms_bw[name]) for name in ("vertical", "ap", "ml")},
            "metrics": {"data": {k: _finite_or_none(v) for k, v in self.data_metrics.mean.items()},
                        "model": {k: _finite_or_none(v) for k, v in self.model_metrics.items()}},
            "parameters": self.scenario_parameters(),
        }


def _finite_or_none(value):
    return None if value is None or not math.isfinite(value) else float(value)


def json_ready(value):
    """A structure of dicts, lists, numpy and Python numbers as JSON can hold it: non-finite
    numbers become null (the contract's 'null where missing')."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, (np.floating, float)):
        return _finite_or_none(float(value))
    if isinstance(value, np.integer):
        return int(value)
    return value


def evaluate(prepared: PreparedTrial, parameters: dict[str, Any] | None = None) -> Evaluation:
    """Run the model for the trial's subject with `parameters` and compare (sim.validation.compare)."""
    parameters = dict(parameters or {})
    subject = prepared.subject
    scenario = scenario_for(subject, parameters, name=prepared.trial.name.replace("/", "_"))
    result = run_model(scenario)
    model_trial, model_ranges, model_mean = model_mean_stance(result, prepared)
    foot_length_m = scenario["runner"]["foot_length_m"]
    data_rows = stance_metrics(prepared.trial, prepared.ranges, subject.mass_kg, subject.height_m, foot_length_m)
    model_rows = stance_metrics(model_trial, model_ranges, subject.mass_kg, subject.height_m, foot_length_m)
    return Evaluation(prepared, parameters, scenario, result, model_trial, model_mean,
                      rms_bw(prepared.mean, model_mean, subject.mass_kg * GRAVITY_M_S2),
                      summarise_metrics(data_rows), model_rows[0])
