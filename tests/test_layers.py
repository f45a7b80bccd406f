"""The layer rules of docs/ARCHITECTURE.md, checked on the source itself, and the
import-linter contracts in pyproject.toml shown to fail when a module imports upward."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "evidence_app"


def imports_of(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(PKG))] = names
    return found


def test_core_never_imports_qt_gui_or_cli():
    for path, names in imports_of(PKG / "core").items():
        bad = {n for n in names if n.split(".")[0] == "PySide6"
               or n.startswith(("evidence_app.gui", "evidence_app.cli"))}
        assert not bad, f"{path} imports {bad}"


def test_gui_never_imports_sqlalchemy_or_cli():
    gui = PKG / "gui"
    if not gui.exists():
        return
    for path, names in imports_of(gui).items():
        bad = {n for n in names if n.split(".")[0] in ("sqlalchemy", "alembic")
               or n.startswith("evidence_app.cli")}
        assert not bad, f"{path} imports {bad}"


def _lint_copy(tmp_path: Path, planted: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """lint-imports, with the project's own contracts, on a copy of the package with some
    modules added."""
    root = PKG.parent
    shutil.copytree(PKG, tmp_path / "evidence_app",
                    ignore=shutil.ignore_patterns("resources", "__pycache__"))
    (tmp_path / "evidence_app" / "resources").mkdir()
    (tmp_path / "evidence_app" / "resources" / "__init__.py").write_text("")
    shutil.copy(root / "pyproject.toml", tmp_path / "pyproject.toml")
    for name, text in planted.items():
        (tmp_path / "evidence_app" / name).write_text(text, encoding="utf-8")
    lint = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(tmp_path)},
                          timeout=300, check=False)


def test_the_layer_contracts_fail_when_a_module_imports_upward(tmp_path):
    done = _lint_copy(tmp_path, {
        # The store reaching up into search (as case.py once did to refresh the index).
        "core/store/sneaky.py": "from evidence_app.core.search import find\n",
        # Media reaching into the domain services.
        "core/media/nosy.py": "import evidence_app.core.incidents\n",
        # A new top-level module nobody placed in a layer.
        "core/stray.py": "X = 1\n",
    })
    assert done.returncode == 1, done.stdout
    out = done.stdout
    assert "core's layers: report and importers above search, services, media, store BROKEN" in out
    assert "evidence_app.core.store.sneaky -> evidence_app.core.search.find" in out
    assert "evidence_app.core.media.nosy -> evidence_app.core.incidents" in out
    assert "evidence_app.core.stray" in out  # exhaustive: every module needs a layer


def test_the_layer_contracts_hold_on_an_untouched_copy(tmp_path):
    done = _lint_copy(tmp_path, {})
    assert done.returncode == 0, done.stdout
