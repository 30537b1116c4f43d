"""Layers enforced (STYLE 1, 8): the compiled kernels import nothing above them, and the
import-linter contracts of pyproject.toml hold."""

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KERNELS = REPO / "sim" / "kernels"
# sim.config is the one place for numba's options (the @jit every kernel uses); it imports no sim module
ALLOWED = ("sim.kernels", "sim.config", "numpy", "numba", "__future__")


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module) if p)
            out.add(module)
    return out


def _allowed(module: str) -> bool:
    return any(module == a or module.startswith(a + ".") for a in ALLOWED)


def test_kernels__import_only_the_kernels_numpy_numba_and_the_jit_options():
    offending = {path.name: sorted(m for m in imported_modules(path) if not _allowed(m))
                 for path in sorted(KERNELS.glob("*.py"))}
    assert not {k: v for k, v in offending.items() if v}, offending
    assert imported_modules(REPO / "sim" / "config.py") <= {"hashlib", "os", "tempfile", "pathlib", "numba"}


def test_imported_modules__resolves_relative_imports(tmp_path):
    stance = imported_modules(KERNELS / "stance.py")  # from ..config import jit; from .contact import ...
    assert {"sim.config", "sim.kernels.contact", "numpy"} <= stance


def test_scenario__reading_one_does_not_import_the_kernels():
    code = "import sys, sim.scenario; sys.exit(any(m.startswith(('sim.kernels', 'numba')) for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_import_contracts__lint_imports_passes():
    done = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout
