"""The storage seam: only core/store opens the database or reaches a stored file by path.

An encrypted case (or another database engine) is meant to be a second implementation
of core/store; that only works while nothing else knows how a case is kept on disk.
The check walks the source; it is itself tested on a planted violation, so it cannot
pass by looking at nothing.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "evidence_app"
STORE = Path("core") / "store"
# The Alembic environment belongs to the store's migrations runner (it is only ever run
# by core/store/schema.py, or by a developer autogenerating a migration).
ALLOWED = {Path("migrations") / "env.py": {"evidence_app.core.store.database"}}

FORBIDDEN_MODULES = {"sqlite3", "evidence_app.core.store.database"}
FORBIDDEN_NAMES = {("sqlalchemy", "create_engine"), ("sqlalchemy.orm", "sessionmaker"),
                   ("sqlalchemy", "event")}
# Attributes through which storage internals were (or could be) reached, also when
# named in a string (getattr); and calls that open a database whatever the import.
FORBIDDEN_ATTRIBUTES = {"_path", "_root", "root", "_engine", "_sessions", "engine", "blobs",
                        "cache_dir", "thumbnail_path", "_thumb", "create_engine",
                        "sessionmaker", "raw_connection"}
# Names of what lies inside a case folder (core/store/folder.py has the constants).
FORBIDDEN_TEXT = {"originals", "thumbs", "cache", "reports", "backups", ".incoming-"}
FORBIDDEN_SUBSTRINGS = ("case.db", "case.lock", "sqlite")


def seam_violations(pkg: Path) -> list[str]:
    """Every place outside core/store that reaches storage directly."""
    found: list[str] = []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        if rel.is_relative_to(STORE):
            continue
        allowed = ALLOWED.get(rel, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Docstrings and other bare strings are prose: they may name SQLite.
        prose = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if id(node) in prose:
                continue
            where = f"{rel}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in FORBIDDEN_MODULES - allowed:
                        found.append(f"{where} imports {alias.name}")
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module in FORBIDDEN_MODULES - allowed:
                    found.append(f"{where} imports from {node.module}")
                for alias in node.names:
                    if (node.module, alias.name) in FORBIDDEN_NAMES:
                        found.append(f"{where} imports {node.module}.{alias.name}")
                    if f"{node.module}.{alias.name}" in FORBIDDEN_MODULES - allowed:
                        found.append(f"{where} imports {node.module}.{alias.name}")
            elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f"{where} uses .{node.attr}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if (text in FORBIDDEN_TEXT | FORBIDDEN_ATTRIBUTES | FORBIDDEN_MODULES
                        or any(s in text.lower() for s in FORBIDDEN_SUBSTRINGS)):
                    found.append(f"{where} names {text!r}")
    return found


def test_nothing_outside_core_store_opens_the_database_or_an_original_by_path():
    assert seam_violations(PKG) == []


def test_the_seam_check_finds_a_planted_violation(tmp_path):
    copy = tmp_path / "evidence_app"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("resources", "__pycache__"))
    (copy / "gui" / "sneaky.py").write_text(
        "import importlib\n"
        "import sqlite3\n"
        "import sqlalchemy\n"
        "from sqlalchemy import create_engine\n"
        "def peek(case, sha):\n"
        "    con = sqlite3.connect(case.folder / 'case.db')\n"
        "    engine = sqlalchemy.create_engine(f'sqlite:///{case.folder}/x')\n"
        "    raw = importlib.import_module('sqlite3')\n"
        "    thumbs = case.folder / 'cache' / 'thumbs'\n"
        "    hidden = getattr(case.originals, '_path')(sha)\n"
        "    return case.originals.root / sha, case.engine, con, engine, raw, thumbs, hidden\n",
        encoding="utf-8")
    found = seam_violations(copy)
    assert all(f.startswith("gui/sneaky.py:") for f in found), found
    lines = {int(f.split(":")[1].split()[0]) for f in found}
    assert lines == {2, 4, 6, 7, 8, 9, 10, 11}, found  # every line that reaches storage
