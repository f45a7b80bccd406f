"""Guards: each test goes red when one promise the app makes is weakened.

- The power-cut promise of the originals store: a file is written whole, fsynced, renamed
  into place, and its folder fsynced, in that order (spied on the real calls).
- The audit chain: each hash covers the previous event's hash, so an edited event whose
  own hash and next link are repaired is still found.
- verify compares rows with the audit trail (not only that creation records exist).
"""

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from fixtures.on_disk import database_file, raw_sql

from evidence_app.core.incidents import create_incident
from evidence_app.core.store.audit import event_hash
from evidence_app.core.store.originals import Originals
from evidence_app.core.store.verify import run_verify


def _target(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def test_an_original_is_written_fsynced_renamed_then_its_folder_fsynced(tmp_path, monkeypatch):
    store = Originals(tmp_path / "originals")
    data = os.urandom(3 * 1024 * 1024 + 17)
    calls: list[tuple[str, str, int]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        where = _target(fd)
        size = os.fstat(fd).st_size
        calls.append(("fsync", where, size))
        return real_fsync(fd)

    def replace(src, dst, *args, **kwargs):
        calls.append(("rename", f"{src} -> {dst}", Path(src).stat().st_size))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    source = tmp_path / "photo.jpg"
    source.write_bytes(data)
    sha, size, new = store.put_file(source)
    assert new and size == len(data)
    final = tmp_path / "originals" / sha[:2] / sha
    kinds = [c[0] for c in calls]
    assert "rename" in kinds, calls
    rename = kinds.index("rename")
    temp_name = calls[rename][1].split(" -> ")[0]
    assert calls[rename][1].endswith(f"-> {final}")
    # The file's own fsync comes before the rename, with every byte already written.
    file_syncs = [c for c in calls[:rename] if c[0] == "fsync" and c[1] == temp_name]
    assert file_syncs and file_syncs[-1][2] == len(data), calls
    # The folder holding the new name is fsynced after the rename.
    assert any(c[0] == "fsync" and c[1] == str(final.parent) for c in calls[rename + 1:]), calls


def test_the_guard_sees_real_calls(tmp_path, monkeypatch):
    """The spy is not looking at nothing: a plain fsync of a file is seen by it."""
    seen = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (seen.append(_target(fd)), real(fd)))
    path = tmp_path / "f"
    with open(path, "wb") as fh:
        fh.write(b"x")
        os.fsync(fh.fileno())
    assert seen == [str(path)]


def test_an_edited_event_with_its_hash_and_next_link_repaired_is_still_found(case):
    """The hash of each event covers the previous event's hash: repairing the edited
    event's own hash and the next event's link leaves the next event's hash wrong."""
    ids = [create_incident(case, title=t) for t in ("Threatening voicemail", "Two", "Three")]
    con = sqlite3.connect(database_file(case))
    event_id = con.execute("SELECT id FROM audit_events WHERE entity = 'incident' AND "
                           "entity_id = ? AND action = 'create'", (ids[0],)).fetchone()[0]
    prev, at, action, entity, entity_id, details = con.execute(
        "SELECT prev_hash, at, action, entity, entity_id, details FROM audit_events "
        "WHERE id = ?", (event_id,)).fetchone()
    con.close()
    details = details.replace("Threatening", "Friendly")
    when = datetime.fromisoformat(at).replace(tzinfo=UTC)
    digest = event_hash(prev, event_id, when, action, entity, entity_id, details)
    raw_sql(case, "UPDATE audit_events SET details = ?, hash = ? WHERE id = ?",
            params=(details, digest, event_id), unprotect=True)
    raw_sql(case, "UPDATE audit_events SET prev_hash = ? WHERE id = ?",
            params=(digest, event_id + 1))
    problems = run_verify(case).problems
    assert f"audit event {event_id + 1} has been altered (hash mismatch)" in problems, problems
    assert not any(f"audit event {event_id} " in p for p in problems)  # its own hash holds


def test_verify_compares_each_row_with_the_trail(case):
    inc = create_incident(case, title="Threatening voicemail")
    raw_sql(case, f"UPDATE incidents SET title = 'Friendly voicemail' WHERE id = {inc}")
    report = run_verify(case)
    assert not report.ok
    assert any(p.startswith(f"incident {inc}, field title:") for p in report.problems)
