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
# Attributes through which storage internals were reached before the seam existed.
FORBIDDEN_ATTRIBUTES = {"_path", "_engine", "_sessions", "engine", "blobs", "cache_dir",
                        "thumbnail_path", "_thumb"}
FORBIDDEN_TEXT = {"case.db", "originals", "thumbs", ".incoming-"}


def seam_violations(pkg: Path) -> list[str]:
    """Every place outside core/store that reaches storage directly."""
    found: list[str] = []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        if rel.is_relative_to(STORE):
            continue
        allowed = ALLOWED.get(rel, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value in FORBIDDEN_TEXT):
                found.append(f"{where} names {node.value!r}")
    return found


def test_nothing_outside_core_store_opens_the_database_or_an_original_by_path():
    assert seam_violations(PKG) == []


def test_the_seam_check_finds_a_planted_violation(tmp_path):
    copy = tmp_path / "evidence_app"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("resources", "__pycache__"))
    (copy / "gui" / "sneaky.py").write_text(
        "import sqlite3\n"
        "from sqlalchemy import create_engine\n"
        "def peek(case, sha):\n"
        "    con = sqlite3.connect(case.folder / 'case.db')\n"
        "    return case.originals._path(sha).read_bytes(), case.engine, con\n",
        encoding="utf-8")
    found = seam_violations(copy)
    assert len(found) == 5, found
    assert all(f.startswith("gui/sneaky.py:") for f in found)
