"""A case is a folder: create, open, close, its settings, its database settings and its lock."""

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import text

from evidence_app.core.cases import create_case, open_case
from evidence_app.core.errors import CaseError, CaseLockedError, ValidationError
from evidence_app.core.incidents import count_incidents, create_incident
from evidence_app.core.settings import update_settings
from evidence_app.core.store.folder import DB_NAME


def test_create_makes_the_folder_layout_and_settings(tmp_path):
    folder = tmp_path / "new" / "case"
    with create_case(folder, owner_name="  Jane Smith ", initials="js",
                     timezone="Europe/London") as case:
        assert (folder / DB_NAME).is_file()
        assert (folder / "originals").is_dir()
        assert (folder / "cache").is_dir()
        s = case.settings()
        assert (s.owner_name, s.initials, s.case_name, s.timezone) == (
            "Jane Smith", "JS", "Jane Smith", "Europe/London")
        assert s.next_exhibit_serial == 1
        assert len(s.case_uuid) == 36
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_open_after_close_keeps_everything(tmp_path):
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS", case_name="Mine") as case:
        create_incident(case, title="First")
    with open_case(folder) as case:
        assert case.settings().case_name == "Mine"
        assert count_incidents(case) == 1


def test_close_twice_is_harmless(tmp_path):
    case = create_case(tmp_path / "c", owner_name="A B", initials="AB")
    case.close()
    case.close()
    open_case(tmp_path / "c").close()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"owner_name": "  ", "initials": "JS"}, "name of the person"),
    ({"owner_name": "Jane", "initials": "J5"}, "Initials"),
    ({"owner_name": "Jane", "initials": ""}, "Initials"),
    ({"owner_name": "Jane", "initials": "ABCDEFG"}, "Initials"),
    ({"owner_name": "Jane", "initials": "JS", "timezone": "Mars/Olympus"}, "time zone"),
])
def test_create_refuses_bad_settings_and_leaves_nothing(tmp_path, kwargs, message):
    folder = tmp_path / "case"
    with pytest.raises(ValidationError, match=message):
        create_case(folder, **kwargs)
    assert not folder.exists()


def test_create_refuses_an_existing_case_and_a_file(tmp_path, case):
    with pytest.raises(CaseError, match="already a case"):
        create_case(case.folder, owner_name="X Y", initials="XY")
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(CaseError, match="is a file"):
        create_case(afile, owner_name="X Y", initials="XY")


def test_open_refuses_a_folder_that_is_not_a_case(tmp_path):
    with pytest.raises(CaseError, match="not a case folder"):
        open_case(tmp_path)
    with pytest.raises(CaseError, match="not a case folder"):
        open_case(tmp_path / "missing")


def test_open_explains_a_corrupt_database_and_releases_the_lock(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="A B", initials="AB").close()
    (folder / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        (folder / (DB_NAME + suffix)).unlink(missing_ok=True)
    with pytest.raises(CaseError, match="cannot be read"):
        open_case(folder)
    with pytest.raises(CaseError, match="cannot be read"):  # not "already open"
        open_case(folder)


def test_an_interrupted_creation_can_be_finished(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    sqlite3.connect(folder / DB_NAME).close()  # the file exists, nothing in it
    with pytest.raises(CaseError, match="interrupted"):
        open_case(folder)
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        assert case.settings().initials == "JS"


def test_settings_changes_are_validated_and_audited(case):
    from evidence_app.core.store.audit import entries

    update_settings(case, address="1 High Street, Leeds", initials="jas")
    assert case.settings().initials == "JAS"
    with pytest.raises(ValidationError):
        update_settings(case, initials="1")
    with pytest.raises(ValidationError):
        update_settings(case, colour="blue")
    with pytest.raises(ValidationError):
        update_settings(case, owner_name=" ")
    with case.read() as session:
        last = list(entries(session, "case"))[-1]
    assert last.action == "update"
    assert last.details["changes"]["initials"] == {"old": "JS", "new": "JAS"}
    assert last.details["changes"]["address"] == {"old": "", "new": "1 High Street, Leeds"}


def test_every_connection_uses_wal_full_sync_and_foreign_keys(case):
    for _ in range(2):  # the pool may hand out a new connection: each gets the settings
        with case.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    # And the database file itself is in WAL mode, as any other program would see it.
    raw = sqlite3.connect(case.folder / DB_NAME)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_foreign_keys_are_enforced(case):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), case.write() as (session, _audit):
        session.execute(text("INSERT INTO notes (incident_id, text, private, created_at, updated_at)"
                             " VALUES (999, 'x', 0, '2024-01-01', '2024-01-01')"))


# --------------------------------------------------------------------------- the lock
def test_a_second_open_in_the_same_process_is_refused(case):
    with pytest.raises(CaseLockedError, match="already open"):
        open_case(case.folder)


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "evidence_app", *args], capture_output=True,
                          text=True, timeout=60, cwd=cwd)


def test_a_second_process_gets_a_clear_message(case):
    proc = _cli("--case", str(case.folder), "incident", "list")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "already open in another window or program" in lines[0]
    assert f"(process {os.getpid()})" in lines[0]
    assert "Traceback" not in proc.stderr


def test_the_lock_is_released_on_close(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="A B", initials="AB").close()
    proc = _cli("--case", str(folder), "incident", "list")
    assert proc.returncode == 0, proc.stderr


HOLD = textwrap.dedent("""
    import sys, time
    from evidence_app.core.cases import Case, create_case, open_case
    case = open_case(sys.argv[1])
    print("holding", flush=True)
    time.sleep(120)
""")


def test_a_lock_left_by_a_killed_process_never_locks_anyone_out(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="A B", initials="AB").close()
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline().strip() == "holding"
        with pytest.raises(CaseLockedError, match=f"process {child.pid}"):
            open_case(folder)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    assert (folder / "case.lock").exists()  # the file stays behind; nobody holds it
    deadline = time.monotonic() + 10
    with open_case(folder) as case:
        assert case.settings().initials == "AB"
    assert time.monotonic() < deadline
