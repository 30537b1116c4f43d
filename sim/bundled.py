"""Bundled data files (the scenarios)."""

from __future__ import annotations

from pathlib import Path


def scenario_path(name: str) -> Path:
    """A bundled scenario by name, e.g. `scenario_path("rearfoot_barefoot")`."""
    return Path(__file__).resolve().parents[1] / "scenarios" / f"{name}.toml"
