"""`verify` on the command line: the records, the head, damage met calmly."""

import sqlite3

from fixtures.on_disk import raw_sql


def _note(case_dir, cli):
    code, out, err = cli("--case", case_dir, "incident", "add", "--title", "Car outside",
                         "--json")
    assert code == 0, err
    import json

    incident = json.loads(out)["id"]
    code, out, err = cli("--case", case_dir, "note", "add", incident, "--text", "Rang 101", "--json")
    assert code == 0, err
    con = sqlite3.connect(case_dir / "case.db")
    note = con.execute("SELECT id FROM notes").fetchone()[0]
    con.close()
    return incident, note


def test_a_note_edited_with_sqlite_is_named_and_verify_fails(case_dir, cli):
    _, note = _note(case_dir, cli)
    assert cli("--case", case_dir, "verify")[0] == 0
    raw_sql(case_dir, f"UPDATE notes SET text = 'Never rang' WHERE id = {note}")
    code, out, _ = cli("--case", case_dir, "verify")
    assert code == 1
    assert (f'PROBLEM: note {note}, field text: the audit trail records "Rang 101"' in out), out
    assert 'the database holds "Never rang"' in out


def test_verify_prints_the_head_and_checks_a_stated_one(case_dir, cli):
    _note(case_dir, cli)
    code, out, _ = cli("--case", case_dir, "verify")
    assert code == 0
    [line] = [x for x in out.splitlines() if x.startswith("The log's head: ")]
    head = line.removeprefix("The log's head: ").split(";")[0].rstrip(".")
    count, digest = head.split(":")
    assert count.isdigit() and len(digest) == 64
    _note(case_dir, cli)
    code, out, _ = cli("--case", case_dir, "verify", "--head", f"{count}:{digest[:16]}")
    assert code == 0 and "note: the log has only grown since the head given" in out
    code, out, _ = cli("--case", case_dir, "verify", "--head", f"{count}:{'0' * 16}")
    assert code == 1 and "rewritten since" in out
    code, _, err = cli("--case", case_dir, "verify", "--head", "nonsense")
    assert code != 0 and "EVENTS:HASH" in err


def test_files_never_added_are_named_with_the_apps_offer(case_dir, cli, tmp_path):
    """verify tells the person what the app does with stored files no exhibit names: it
    offers them back at open (Add to the Inbox); they are not called harmless debris."""
    from fixtures.media_factory import phone_jpeg

    from evidence_app.core.cases import open_case

    with open_case(case_dir) as case:
        sha, _size, _new = case.originals.put_bytes(
            phone_jpeg(tmp_path / "IMG_1.jpg", seed=3).read_bytes())
    code, out, err = cli("--case", case_dir, "verify")
    assert code == 0, out + err
    assert ("note: 1 file was saved into this case but never added to it, probably because "
            "the app was closed during an import. Nothing has been deleted.") in out
    assert "\u201cFiles that were never added\u201d" in out and "Add to the Inbox" in out
    assert f"note: stored file {sha} was saved into the case but never added to it" in out
    assert "harmless" not in out
    assert "Everything holds." in out
    code, out, _ = cli("--case", case_dir, "verify", "--json")
    import json

    assert json.loads(out)["unreferenced"] == [sha]
