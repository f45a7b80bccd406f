"""salvage.py: a repaired copy of a database whose start is wrecked, for each page size
SQLite may have used; the damaged file is only read."""

import sqlite3

import pytest
from fixtures.on_disk import database_file

from evidence_app.core.incidents import create_incident
from evidence_app.core.store.salvage import header_damage, salvage


def _with_page_size(db, size):
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute(f"PRAGMA page_size = {size}")
        con.execute("VACUUM")
        con.execute("PRAGMA journal_mode = WAL")
    finally:
        con.close()


@pytest.mark.parametrize("page_size", [1024, 8192, 65536])
def test_the_page_size_is_found_again_and_every_row_read(case, tmp_path, page_size):
    for i in range(30):
        create_incident(case, title=f"Incident {i}", description="x" * 300)
    folder = case.folder
    case.close()
    db = database_file(folder)
    _with_page_size(db, page_size)
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT * FROM incidents ORDER BY id").fetchall()
        events = con.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    with open(db, "r+b") as fh:
        fh.write(bytes(100))
    damaged = db.read_bytes()
    assert header_damage(db) == "its first bytes have been overwritten with zeros"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    found = salvage(db, scratch)
    assert found.copy is not None and found.page_size == page_size
    assert found.problems == []
    with sqlite3.connect(found.copy) as con:
        assert con.execute("SELECT * FROM incidents ORDER BY id").fetchall() == rows
        assert con.execute("SELECT count(*) FROM audit_events").fetchone()[0] == events
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.read_bytes() == damaged
    assert not db.with_name("case.db-wal").exists() or db.with_name(
        "case.db-wal").stat().st_size == 0


def test_a_sound_header_is_not_called_damaged(case):
    assert header_damage(database_file(case.folder)) is None


def test_random_bytes_give_no_copy(tmp_path):
    db = tmp_path / "case.db"
    db.write_bytes(bytes(range(256)) * 64)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    found = salvage(db, scratch)
    assert found.copy is None
    assert "SQLite format 3" in found.damage
