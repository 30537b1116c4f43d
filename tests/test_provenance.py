"""Reports name the commit that made them, and say when the code had changed since."""

import subprocess

import pytest

from sim.provenance import git_commit


def _git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def test_git_commit__names_head_and_marks_changed_code_but_not_changed_reports(tmp_path):
    try:
        _git(tmp_path, "init", "-q")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not installed")
    (tmp_path / "sim").mkdir()
    (tmp_path / "results").mkdir()
    (tmp_path / "sim" / "model.py").write_text("k = 1\n")
    (tmp_path / "results" / "README.md").write_text("old\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    head = _git(tmp_path, "rev-parse", "--short", "HEAD")
    assert git_commit(tmp_path) == head
    (tmp_path / "results" / "README.md").write_text("new\n")
    assert git_commit(tmp_path) == head
    (tmp_path / "sim" / "model.py").write_text("k = 2\n")
    assert git_commit(tmp_path) == f"{head} with uncommitted changes"


def test_git_commit__none_outside_a_checkout(tmp_path):
    assert git_commit(tmp_path) is None
