"""Data files shipped inside the package: footwear presets and the bundled scenarios (sim/data/).

Found with `importlib.resources`, so a source checkout, an editable install, a wheel and an sdist
all see the same files. These are the only copies: in a checkout, `scenarios/footwear/` and
`scenarios/*.toml` are links to them, for users who look there.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_DATA = files("sim") / "data"


def _folder(name: str) -> Path:
    # footsim is installed as files on disk (numba's cache needs that too), so the Traversable is a Path
    return Path(str(_DATA / name))


def footwear_dir() -> Path:
    """The folder of the bundled footwear presets (NAME.toml)."""
    return _folder("footwear")


def scenario_path(name: str) -> Path:
    """A bundled scenario by name, e.g. `scenario_path("rearfoot_barefoot")`."""
    return _folder("scenarios") / f"{name}.toml"


def scenario_names() -> list[str]:
    return sorted(p.stem for p in _folder("scenarios").glob("*.toml"))
