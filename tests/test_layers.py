"""The layer rules from ARCHITECTURE.md, checked on the source itself."""

import ast
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
