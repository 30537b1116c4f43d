"""Which code made a report: the git commit of the checkout it ran from."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = ("sim", "scenarios", "benchmarks", "pyproject.toml")  # what the numbers depend on


def git_commit(repo: Path = REPO) -> str | None:
    """HEAD's short hash, marked when the code differs from it (a report's own files do not count);
    None outside a git checkout."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=10).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no", "--", *CODE)
    except (OSError, subprocess.SubprocessError):
        return None
    if not head:
        return None
    return f"{head} with uncommitted changes" if changed else head
