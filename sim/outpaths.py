"""Checks of the files and folders a command will write, made before the work starts, so that a
wrong path is one line (and exit status 2) instead of a traceback after the run."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError


def _file_in_the_way(path: Path) -> Path | None:
    """The first existing ancestor of path that is not a folder, if any."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def output_file(path: str | Path, option: str, overwrite: bool = True) -> Path:
    """A file to be written: its folder is made; an existing file is refused unless overwrite."""
    path = Path(path)
    blocker = _file_in_the_way(path)
    if blocker is not None:
        raise InputError(f"{option} {path}: {blocker} is a file, not a folder")
    if path.is_dir():
        raise InputError(f"{option} {path}: is a folder; give a file name")
    if path.exists() and not overwrite:
        raise InputError(f"{option} {path}: exists; pass --overwrite to replace it (or --name/--out for another file)")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def output_folder(path: str | Path, option: str) -> Path:
    """A folder to write into, made when missing."""
    path = Path(path)
    blocker = path if path.exists() and not path.is_dir() else _file_in_the_way(path)
    if blocker is not None:
        raise InputError(f"{option} {path}: {blocker} is a file, not a folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_stem(text: str) -> str:
    """text as a file name: characters other than letters, digits and . _ = + - become '-'."""
    return re.sub(r"[^A-Za-z0-9._=+-]", "-", text.strip()).strip(".") or "run"
