"""An explain study: the sweep files it is made of, written into its folder, and running them.

A study around a base scenario is
- one Sobol sweep (Saltelli's layout, `sim.sweeps`) over the factors' ranges, for the indices;
- one grid sweep per factor, the others held at the base: the one-at-a-time curves, the base case
  and the plantar maps at the factor's extremes.
Each sweep file is written to `<folder>/sweeps/<name>.toml` with the base scenario inline (so the
folder says how it was made even if the scenario file changes) and computed into
`<folder>/data/<name>.h5` by `sim.sweeps.run_sweep`: an interrupted study resumes where it stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np

from ..errors import InputError
from ..scenario import Scenario, read_checked, resolve
from ..sweeps import SweepStats, load_sweep, run_sweep
from .factors import Factor, check_region

SOBOL = "sobol"


REPO = Path(__file__).resolve().parents[2]


def shown_path(path: str | Path) -> str:
    """A path as a report shows it: relative to the repository's root when inside it (reports are committed)."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)


def oat_name(factor: Factor) -> str:
    return f"oat_{factor.name.replace('.', '_')}"


@dataclass(frozen=True)
class Study:
    """What to compute: base scenario (file + overrides), region, factors, Sobol size, curve points."""

    scenario_path: Path
    region: str
    factors: tuple[Factor, ...]
    n: int = 256
    seed: int = 1
    oat_points: int = 9
    overrides: tuple[str, ...] = ()
    name: str = ""
    base_raw: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.n < 2 or self.n & (self.n - 1):
            raise InputError(f"--n {self.n}: allowed a power of 2 >= 2 (Saltelli base points), e.g. 256")
        if self.oat_points < 2:
            raise InputError(f"--oat-points {self.oat_points}: allowed a whole number >= 2")
        object.__setattr__(self, "base_raw", read_checked(self.scenario_path, self.overrides))
        resolve(self.base_raw)
        check_region(self.region)

    @property
    def title(self) -> str:
        return self.name or self.base_raw["name"]

    def base_scenario(self) -> Scenario:
        return resolve(self.base_raw)

    def base_value(self, factor: Factor) -> float:
        section, key = factor.key.split(".", 1)
        return float(self.base_scenario()[section][key])

    def oat_levels(self, factor: Factor) -> np.ndarray:
        """The factor's evenly spread levels and its base value (so the base case is on every curve)."""
        return np.unique(np.append(factor.levels(self.oat_points), self.base_value(factor)))

    def sweeps(self) -> dict[str, str]:
        """Sweep name -> sweep file text: the Sobol sweep, then one grid per factor."""
        texts = {SOBOL: sweep_text(f"{self.title}_{SOBOL}", self.base_raw,
                                    [f.axis_toml() for f in self.factors],
                                    f'[design]\nmethod = "sobol"\nn = {self.n}\nseed = {self.seed}\n',
                                    f"Sobol design over {len(self.factors)} factors for `footsim explain`")}
        for factor in self.factors:
            levels = ", ".join(repr(float(v)) for v in self.oat_levels(factor))
            texts[oat_name(factor)] = sweep_text(f"{self.title}_{oat_name(factor)}", self.base_raw,
                                                  [f'"{factor.key}" = [{levels}]'], "",
                                                  f"{factor.name} one at a time, the other keys at the base")
        return texts

    def scenario_count(self) -> int:
        return self.n * (len(self.factors) + 2) + sum(len(self.oat_levels(f)) for f in self.factors)

    def describe(self) -> dict:
        return {"scenario_file": shown_path(self.scenario_path), "overrides": list(self.overrides), "region": self.region,
                "n": self.n, "seed": self.seed, "oat_points": self.oat_points, "title": self.title,
                "factors": [{"name": f.name, "key": f.key, "low": f.low, "high": f.high, "log": f.log,
                             "unit": f.unit, "show_scale": f.show_scale, "meaning": f.meaning,
                             "base": self.base_value(f)} for f in self.factors],
                "scenarios": self.scenario_count()}


def _toml_value(value) -> str:
    # json's string escapes are TOML's basic-string escapes; repr of a float is exact
    return json.dumps(value) if isinstance(value, str) else repr(float(value))


def sweep_text(name: str, base_raw: dict, axes: list[str], design: str, comment: str) -> str:
    lines = [f"# Written by footsim explain: {comment}.", "# Run alone with `footsim sweep <this file> --out FILE.h5`.",
             f"name = {_toml_value(name)}", "", "[base]", f"name = {_toml_value(base_raw['name'])}"]
    for section, table in base_raw.items():
        if section == "name":
            continue
        lines.append(f"\n[base.{section}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
    lines += ["", "[axes]", *axes, "", design]
    return "\n".join(lines).rstrip() + "\n"


def sweep_paths(folder: Path, name: str) -> tuple[Path, Path]:
    """(sweep file, HDF5 file) of one sweep of a study folder."""
    return folder / "sweeps" / f"{name}.toml", folder / "data" / f"{name}.h5"


def run_sweeps(texts: dict[str, str], folder: str | Path, workers: int | None = None, overwrite: bool = False,
               stream: TextIO | None = None) -> dict[str, SweepStats]:
    """Write each sweep file into `folder/sweeps` and compute what `folder/data` lacks; stats per sweep.

    All files are parsed first, so a bad one stops the study before anything runs."""
    folder = Path(folder)
    sweeps = {}
    for name, text in texts.items():
        sweep_file, _ = sweep_paths(folder, name)
        sweeps[name] = load_sweep(sweep_file, text=text)
    stats = {}
    for name, text in texts.items():
        sweep_file, h5 = sweep_paths(folder, name)
        h5.parent.mkdir(parents=True, exist_ok=True)
        stats[name] = run_sweep(sweeps[name], h5, workers=workers, overwrite=overwrite, stream=stream)
        # written once the file holds this sweep: a refused resume (another sweep's file) leaves it as it was
        sweep_file.parent.mkdir(parents=True, exist_ok=True)
        sweep_file.write_text(text, encoding="utf-8")
    return stats
