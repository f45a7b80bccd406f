"""A case database whose start is wrecked (header overwritten, page size garbage, first
page zeroed, file cut short) is reported as damage, with what a repaired copy made aside
can still read; the person's own files are never written."""

import hashlib
import json
import os
import sqlite3

import pytest
from fixtures.media_factory import phone_jpeg
from fixtures.on_disk import database_file


def _filled(case_dir, cli, tmp_path, incidents=12):
    for i in range(incidents):
        assert cli("--case", case_dir, "incident", "add", "--title", f"Incident {i}")[0] == 0
    assert cli("--case", case_dir, "import", phone_jpeg(tmp_path / "a.jpg", seed=1))[0] == 0
    assert cli("--case", case_dir, "import", phone_jpeg(tmp_path / "b.jpg", seed=2))[0] == 0


def _state(folder):
    """Every file in the case folder and its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _overwrite(db, at, data):
    with open(db, "r+b") as fh:
        fh.seek(at)
        fh.write(data)


def _page_size(db):
    with sqlite3.connect(db) as con:
        return con.execute("PRAGMA page_size").fetchone()[0]


DAMAGE = {
    "zeroed header": (lambda db: _overwrite(db, 0, bytes(100)),
                      "overwritten with zeros"),
    "random header": (lambda db: _overwrite(db, 0, os.urandom(100)),
                      "SQLite format 3"),
    "magic only": (lambda db: _overwrite(db, 0, b"Not a database!!"),
                   "SQLite format 3"),
    "page size garbage": (lambda db: _overwrite(db, 16, b"\x12\x34"),
                          "page size"),
    "wrong page size": (lambda db: _overwrite(db, 16, b"\x04\x00"),
                        "page size written in its header (1024 bytes) has been overwritten"),
    "fixed fields garbage": (lambda db: _overwrite(db, 21, b"\x00\x00\x00"),
                             "never change"),
    "zeroed first page": (lambda db: _overwrite(db, 0, bytes(_page_size(db))),
                          "overwritten with zeros"),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_wrecked_header_is_reported_with_everything_still_readable(case_dir, cli, tmp_path,
                                                                       kind):
    _filled(case_dir, cli, tmp_path)
    db = database_file(case_dir)
    damage, words = DAMAGE[kind]
    damage(db)
    before = _state(case_dir)
    code, out, err = cli("--case", case_dir, "verify")
    assert code == 1, out + err
    assert "Traceback" not in err and "unexpected problem" not in err, err
    assert out.startswith("THE CASE DATABASE IS DAMAGED: ")
    assert words in out.splitlines()[0]
    assert "What can still be read: 12 incidents, 0 notes, 2 exhibits" in out
    # The repaired copy holds the whole case: every check passes on it, the log's head
    # agrees with case.head, both originals were re-hashed.
    assert "Checked 2 original(s)" in out
    assert "1 problem(s) found." in out
    problems = [line for line in out.splitlines() if line.startswith("PROBLEM:")]
    assert len(problems) == 1
    assert "A repaired copy was made aside" in problems[0]
    assert "case.db itself was not changed" in problems[0]
    assert "restore it into a new folder" in problems[0]
    assert _state(case_dir) == before  # nothing in the folder written, nothing added


def test_json_says_what_was_damaged_and_what_was_recovered(case_dir, cli, tmp_path):
    _filled(case_dir, cli, tmp_path, incidents=3)
    _overwrite(database_file(case_dir), 0, bytes(100))
    code, out, _ = cli("--case", case_dir, "verify", "--json")
    assert code == 1
    found = json.loads(out)
    assert found["ok"] is False
    assert "overwritten" in found["damage"]
    assert found["recovered"]["incidents"] == 3
    assert found["recovered"]["exhibits"] == 2
    assert found["originals_checked"] == 2


def test_a_file_cut_short_lists_what_can_be_read_before_the_cut(case_dir, cli, tmp_path):
    _filled(case_dir, cli, tmp_path)
    db = database_file(case_dir)
    size = db.stat().st_size
    os.truncate(db, size // 2 + 300)  # mid-page
    before = _state(case_dir)
    code, out, err = cli("--case", case_dir, "verify")
    assert code == 1, out + err
    assert "Traceback" not in err and "unexpected problem" not in err, err
    assert "the file has been cut short" in out.splitlines()[0]
    assert out.splitlines()[1].startswith("What can still be read: ")
    assert "Checked 2 original(s)" in out
    assert _state(case_dir) == before


def test_a_database_shorter_than_its_header_still_has_its_originals_checked(case_dir, cli,
                                                                             tmp_path):
    _filled(case_dir, cli, tmp_path, incidents=1)
    db = database_file(case_dir)
    os.truncate(db, 50)
    code, out, err = cli("--case", case_dir, "verify")
    assert code == 1, out + err
    assert "Traceback" not in err
    assert "only 50 bytes long" in out.splitlines()[0]
    assert "What can still be read: 2 stored files." in out
    assert "No repaired copy of it could be read" in out
    assert db.stat().st_size == 50


def test_an_encrypted_case_with_a_wrecked_start_gets_one_clear_line(tmp_path, cli, monkeypatch):
    import io
    import sys

    folder = tmp_path / "enc"
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery staple\n"))
    code, _, err = cli("--case", folder, "--passphrase-stdin", "init", "--encrypt",
                       "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0, err
    _overwrite(database_file(folder), 0, bytes(100))
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery staple\n"))
    code, out, err = cli("--case", folder, "--passphrase-stdin", "verify")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "is damaged" in lines[0] and "encrypted" in lines[0]
    assert "restore the case from a backup file" in lines[0]


def test_a_stated_head_is_checked_on_the_repaired_copy(case_dir, cli, tmp_path):
    _filled(case_dir, cli, tmp_path, incidents=2)
    code, out, _ = cli("--case", case_dir, "verify", "--json")
    head = json.loads(out)["head"]
    _overwrite(database_file(case_dir), 0, bytes(100))
    code, out, _ = cli("--case", case_dir, "verify", "--head",
                       f"{head['events']}:{head['hash']}")
    assert code == 1 and "1 problem(s) found." in out  # only the damage itself
    code, out, _ = cli("--case", case_dir, "verify", "--head", f"{head['events']}:{'0' * 64}")
    assert code == 1 and "2 problem(s) found." in out
