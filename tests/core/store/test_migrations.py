"""Schema upgrades at open: a database made by the first revision, with data, is upgraded
after a copy is put aside; a failed upgrade changes nothing; a newer schema is refused."""

import shutil
import sqlite3
import textwrap

import pytest
from alembic import command
from sqlalchemy import create_engine

from evidence_app.core.cases import create_case, open_case
from evidence_app.core.errors import CaseError
from evidence_app.core.incidents import get_incident, list_incidents
from evidence_app.core.store import schema as schema_module
from evidence_app.core.store.audit import GENESIS, canonical, event_hash
from evidence_app.core.store.folder import DB_NAME
from evidence_app.core.store.schema import alembic_config, head_revision
from evidence_app.core.store.verify import run_verify

FIRST = "0001"


def make_first_revision_case(folder):
    """A case database exactly as version 0001 of the schema made it, holding data."""
    from datetime import UTC, datetime

    folder.mkdir(parents=True)
    (folder / "originals").mkdir()
    db = folder / DB_NAME
    engine = create_engine(f"sqlite:///{db}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, FIRST)
    engine.dispose()
    con = sqlite3.connect(db)
    now = "2024-03-01 10:00:00.000000"
    con.execute("INSERT INTO case_settings VALUES (1, 'u-u-i-d', 'Old case', 'Jane Smith', 'JS',"
                " '', '', 'Europe/London', 1, ?)", (now,))
    con.execute(
        "INSERT INTO incidents (id, occurred_at, occurred_end, timezone, precision, title,"
        " description, location, category, suspect_appearance, suspect_voice, suspect_clothing,"
        " witnesses, impact, police_reference, police_officer, reported_on, recorded_at,"
        " updated_at, deleted_at) VALUES (1, '2024-02-28 21:15:00.000000', NULL,"
        " 'Europe/London', 'exact', 'Car outside again', 'Silver Astra, engine running', 'Home',"
        " 'loitering', '', '', '', '', 'Could not sleep', '', '', NULL, ?, ?, NULL)", (now, now))
    con.execute("INSERT INTO notes (id, incident_id, text, private, created_at, updated_at)"
                " VALUES (1, 1, 'Told my sister', 1, ?, ?)", (now, now))
    # A valid audit chain, computed the way the app computes it.
    prev = GENESIS
    at = datetime(2024, 3, 1, 10, 0, 0, tzinfo=UTC)
    for event_id, (action, entity, entity_id, details) in enumerate([
        ("create", "case", 1, {"case_name": "Old case"}),
        ("create", "incident", 1, {"title": "Car outside again"}),
        ("create", "note", 1, {"incident_id": 1, "text": "Told my sister", "private": True}),
    ], start=1):
        body = canonical(details)
        digest = event_hash(prev, event_id, at, action, entity, entity_id, body)
        con.execute("INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (event_id, at.strftime("%Y-%m-%d %H:%M:%S.%f"), action, entity, entity_id,
                     body, prev, digest))
        prev = digest
    con.commit()
    con.close()
    return db


def revision_of(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_a_first_revision_case_opens_upgraded_with_its_data(tmp_path):
    folder = tmp_path / "case"
    db = make_first_revision_case(folder)
    with open_case(folder) as case:
        assert revision_of(db) == head_revision()
        [row] = list_incidents(case)
        assert row.title == "Car outside again"
        assert row.occurred_at.isoformat() == "2024-02-28T21:15:00+00:00"
        detail = get_incident(case, row.id)
        assert [n.text for n in detail.notes] == ["Told my sister"]
        report = run_verify(case)
        assert report.ok, report.problems
        if head_revision() == FIRST:
            assert case.migration_backup is None
        else:
            assert case.migration_backup is not None
            assert revision_of(case.migration_backup) == FIRST


@pytest.fixture
def migrations_with_extra_step(tmp_path, monkeypatch):
    """The app's migrations plus one more revision (as a future version would ship)."""
    def install(body):
        scripts = tmp_path / "migrations"
        shutil.copytree(schema_module.MIGRATIONS, scripts,
                        ignore=shutil.ignore_patterns("__pycache__"))
        current_head = head_revision()
        step = "\n".join("    " + line for line in textwrap.dedent(body).strip().splitlines())
        (scripts / "versions" / "9001_future.py").write_text(
            "import sqlalchemy as sa\nfrom alembic import op\n\n"
            f"revision = '9001'\ndown_revision = '{current_head}'\n"
            "branch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n{step}\n\n\ndef downgrade():\n    pass\n")
        monkeypatch.setattr(schema_module, "MIGRATIONS", scripts)
        return current_head
    return install


def test_an_upgrade_copies_the_database_aside_first(tmp_path, migrations_with_extra_step):
    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    with open_case(folder) as case:
        from evidence_app.core.incidents import create_incident

        create_incident(case, title="Before the upgrade")
    old_head = migrations_with_extra_step("""
        op.add_column("incidents", sa.Column("mood", sa.String(20), nullable=False,
                                             server_default="calm"))
    """)
    with open_case(folder) as case:
        assert revision_of(folder / DB_NAME) == "9001"
        backup = case.migration_backup
        assert backup is not None and backup.parent == folder / "backups"
        assert [r.title for r in list_incidents(case)] == ["Before the upgrade"]
        assert run_verify(case).ok
    # The copy is the database as it was: old schema, same rows.
    assert revision_of(backup) == old_head
    con = sqlite3.connect(backup)
    try:
        assert con.execute("SELECT title FROM incidents").fetchall() == [("Before the upgrade",)]
        columns = [r[1] for r in con.execute("PRAGMA table_info(incidents)")]
        assert "mood" not in columns
    finally:
        con.close()
    # Opening again at the new head makes no further copy.
    with open_case(folder) as case:
        assert case.migration_backup is None


def test_a_failed_upgrade_changes_nothing_and_says_where_the_copy_is(
        tmp_path, migrations_with_extra_step):
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        from evidence_app.core.incidents import create_incident

        create_incident(case, title="Keep me")
    old_head = migrations_with_extra_step("""
        op.add_column("incidents", sa.Column("mood", sa.String(20)))
        raise RuntimeError("disk on fire")
    """)
    with pytest.raises(CaseError, match="could not be upgraded.*disk on fire.*backups"):
        open_case(folder)
    assert revision_of(folder / DB_NAME) == old_head
    con = sqlite3.connect(folder / DB_NAME)
    try:
        assert "mood" not in [r[1] for r in con.execute("PRAGMA table_info(incidents)")]
    finally:
        con.close()


def test_a_case_from_a_newer_app_is_refused_untouched(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    con = sqlite3.connect(folder / DB_NAME)
    con.execute("UPDATE alembic_version SET version_num = '7777'")
    con.commit()
    con.close()
    before = (folder / DB_NAME).read_bytes()
    with pytest.raises(CaseError, match="newer version"):
        open_case(folder)
    assert (folder / DB_NAME).read_bytes() == before
    assert not (folder / "backups").exists()


def test_an_upgrade_that_rebuilds_a_table_keeps_every_link(tmp_path, migrations_with_extra_step,
                                                              samples):
    """SQLite rebuilds a table to alter it; with foreign keys on, dropping the old
    `incidents` table would cascade to notes and unlink exhibits."""
    from evidence_app.core.importers.files import import_files
    from evidence_app.core.incidents import add_note, create_incident

    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        incident = create_incident(case, title="Parcel on the doorstep")
        add_note(case, incident, "Did not open it")
        list(import_files(case, [samples[0].path], incident))
    migrations_with_extra_step("""
        with op.batch_alter_table("incidents", recreate="always") as batch:
            batch.add_column(sa.Column("mood", sa.String(20), nullable=False,
                                       server_default="calm"))
    """)
    with open_case(folder) as case:
        detail = get_incident(case, incident)
        assert [n.text for n in detail.notes] == ["Did not open it"]
        assert [a.exhibit_mark for a in detail.attachments] == ["JS/1"]
        with case.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert run_verify(case).ok


def test_head_read_from_the_scripts_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert schema_module.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_opening_an_up_to_date_case_does_not_load_alembic(tmp_path):
    """Alembic is a fifth of start-up; it loads only when a schema must change."""
    import subprocess
    import sys

    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    code = ("import sys; from pathlib import Path; from evidence_app.core.cases import open_case; "
            f"c = open_case(Path({str(folder)!r})); c.close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
