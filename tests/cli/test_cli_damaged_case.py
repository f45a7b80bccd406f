"""A damaged or busy case is met calmly: verify reports damage with what can still be
read, a lost database never passes for a new case, one clear line for each fault."""

import sqlite3

from fixtures.media_factory import phone_jpeg
from fixtures.on_disk import database_file, head_file


def one_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "unexpected problem" not in err, err
    return lines[0]


def _filled(case_dir, cli, tmp_path, incidents=20):
    for i in range(incidents):
        assert cli("--case", case_dir, "incident", "add", "--title", f"Incident {i}")[0] == 0
    assert cli("--case", case_dir, "import", phone_jpeg(tmp_path / "a.jpg", seed=1))[0] == 0


def corrupt_page_of(db, name):
    """Overwrite the body of one page of the index `name` (as a failing disk would)."""
    con = sqlite3.connect(db)
    size = con.execute("PRAGMA page_size").fetchone()[0]
    page = con.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,)).fetchone()[0]
    con.close()
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * size + 8)
        fh.write(b"\xff" * 200)


def test_a_corrupt_index_page_is_reported_as_damage_with_what_can_be_read(case_dir, cli,
                                                                           tmp_path):
    _filled(case_dir, cli, tmp_path)
    corrupt_page_of(database_file(case_dir), "ix_audit_entity")
    code, out, err = cli("--case", case_dir, "verify")
    assert code == 1, out + err
    assert "Traceback" not in err and "unexpected problem" not in err
    assert "PROBLEM: database damage:" in out
    assert "note: despite the damage, 20 incidents can still be read" in out
    # Every original is still checked.
    assert "Checked 1 original(s)" in out


def test_a_zero_byte_database_is_not_a_new_case(case_dir, cli, tmp_path):
    _filled(case_dir, cli, tmp_path, incidents=1)
    database_file(case_dir).write_bytes(b"")
    code, _, err = cli("--case", case_dir, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code != 0
    line = one_line(err)
    assert "cannot be read" in line and "exhibit numbers would start again" in line
    code, _, err = cli("--case", case_dir, "incident", "list")
    assert code != 0
    assert "Restore the case from a backup" in one_line(err)
    assert database_file(case_dir).stat().st_size == 0  # nothing was written


def test_an_interrupted_creation_may_still_be_created_again(tmp_path, cli):
    folder = tmp_path / "new"
    folder.mkdir()
    database_file(folder).write_bytes(b"")
    code, _, err = cli("--case", folder, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0, err


def test_a_dropped_version_table_gives_one_line_and_no_more_copies(case_dir, cli):
    con = sqlite3.connect(database_file(case_dir))
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()
    for _ in range(3):
        code, _, err = cli("--case", case_dir, "verify")
        assert code != 0
        assert "alembic_version" in one_line(err)
    backups = case_dir / "backups"
    assert not backups.exists() or not list(backups.iterdir())


def test_another_program_holding_the_write_lock_gets_a_clear_message(case_dir, cli):
    holder = sqlite3.connect(database_file(case_dir), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO case_state (key, value) VALUES ('x', 'y')")
        code, _, err = cli("--case", case_dir, "incident", "add", "--title", "New")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code != 0
    assert "Another program is using the case database" in one_line(err)
    assert cli("--case", case_dir, "incident", "add", "--title", "New")[0] == 0


def test_init_into_an_existing_folder_keeps_it_private(tmp_path, cli):
    folder = tmp_path / "existing"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    code, _, err = cli("--case", folder, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0, err
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct(database_file(folder).stat().st_mode & 0o777) == "0o600"
    assert oct(head_file(folder).stat().st_mode & 0o777) == "0o600"
    for extra in ("case.db-wal", "case.db-shm"):
        path = folder / extra
        if path.exists():
            assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_log_file_is_private(cli, app_home, tmp_path):
    from evidence_app.logs import log_file, setup_logging

    path = setup_logging()
    assert path == log_file()
    import logging

    logging.getLogger("evidence_app").warning("written")
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_corrupt_table_page_is_counted_up_to_the_damage(case_dir, cli):
    from evidence_app.core.cases import open_case
    from evidence_app.core.incidents import create_incident

    with open_case(case_dir) as case:
        for i in range(60):
            create_incident(case, title=f"Incident {i} " + "x" * 300)
    db = database_file(case_dir)
    con = sqlite3.connect(db)
    size = con.execute("PRAGMA page_size").fetchone()[0]
    leaves = [r[0] for r in con.execute(
        "SELECT pageno FROM dbstat WHERE name = 'incidents' AND pagetype = 'leaf'")]
    con.close()
    with open(db, "r+b") as fh:
        fh.seek((leaves[1] - 1) * size + 100)
        fh.write(b"\xfe" * 300)
    code, out, err = cli("--case", case_dir, "verify")
    assert code == 1 and "Traceback" not in err
    assert "incidents can be read before the damage" in out, out
    code, _, err = cli("--case", case_dir, "incident", "list")
    assert code == 1
    line = one_line(err)
    assert "the case database is damaged" in line and "evidence-app verify" in line
