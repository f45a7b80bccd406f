"""The audit trail: every change is an event, chained by hash, append-only, checked by verify."""

import sqlite3

import pytest
from fixtures.media_factory import phone_jpeg
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from evidence_app.core.attachments import (
    delete_attachments,
    move_attachments,
    restore_attachment,
    set_caption,
)
from evidence_app.core.dates import parse_when
from evidence_app.core.incidents import (
    add_note,
    create_incident,
    delete_incident,
    delete_note,
    restore_incident,
    set_tags,
    update_incident,
    update_note,
)
from evidence_app.core.people import (
    create_person,
    create_vehicle,
    link_person,
    link_vehicle,
    unlink_person,
    unlink_vehicle,
    update_vehicle,
)
from evidence_app.core.store.audit import GENESIS, entries, verify_chain
from evidence_app.core.store.case import DB_NAME
from evidence_app.core.store.verify import run_verify
from evidence_app.core.trash import empty_trash


def events(case):
    with case.read() as session:
        return list(entries(session))


def last(case):
    return events(case)[-1]


def test_every_change_is_recorded_with_what_changed(case, tmp_path, import_paths):
    tz = "Europe/London"
    inc = create_incident(case, when=parse_when("12/03/2025 21:15", tz), title="Car outside",
                          category="loitering", location="Home")
    ev = last(case)
    assert (ev.action, ev.entity, ev.entity_id) == ("create", "incident", inc)
    assert ev.details["title"] == "Car outside"
    assert ev.details["occurred_at"] == "2025-03-12T21:15:00+00:00"

    assert update_incident(case, inc, title="Silver car outside", location="Home") == ["title"]
    ev = last(case)
    assert (ev.action, ev.entity_id) == ("update", inc)
    assert ev.details == {"changes": {"title": {"old": "Car outside", "new": "Silver car outside"}}}

    update_incident(case, inc, when=parse_when("12/03/2025 21:30", tz))
    assert last(case).details["changes"]["occurred_at"] == {
        "old": "2025-03-12T21:15:00+00:00", "new": "2025-03-12T21:30:00+00:00"}

    set_tags(case, inc, ["astra", "night"])
    assert last(case).details == {"changes": {"tags": {"old": [], "new": ["astra", "night"]}}}

    note = add_note(case, inc, "Rang 101", private=True)
    ev = last(case)
    assert (ev.action, ev.entity, ev.entity_id) == ("create", "note", note)
    assert ev.details == {"incident_id": inc, "text": "Rang 101", "private": True}
    update_note(case, note, text="Rang 101, ref given", private=False)
    assert last(case).details["changes"] == {
        "text": {"old": "Rang 101", "new": "Rang 101, ref given"},
        "private": {"old": True, "new": False}}
    delete_note(case, note)
    assert (last(case).action, last(case).entity) == ("trash", "note")

    person = create_person(case, "Mark Taylor", role="suspect")
    assert (last(case).action, last(case).details["name"]) == ("create", "Mark Taylor")
    link_person(case, inc, person)
    assert (last(case).action, last(case).entity, last(case).details) == (
        "link", "person", {"incident_id": inc})
    unlink_person(case, inc, person)
    assert last(case).action == "unlink"

    car = create_vehicle(case, make="Vauxhall", model="Astra", colour="Silver", plate="ab12 cde")
    update_vehicle(case, car, colour="Grey")
    assert last(case).details["changes"]["colour"] == {"old": "Silver", "new": "Grey"}
    link_vehicle(case, inc, car)
    unlink_vehicle(case, inc, car)
    assert [e.action for e in events(case)[-2:]] == ["link", "unlink"]

    [res] = import_paths(phone_jpeg(tmp_path / "car.jpg", seed=1))
    ev = last(case)
    assert (ev.action, ev.entity, ev.entity_id) == ("import", "attachment", res.id)
    assert ev.details["sha256"] == res.sha256 and ev.details["exhibit"] == "JS/1"
    move_attachments(case, [res.id], inc)
    assert (last(case).action, last(case).details["new_incident"]) == ("link", inc)
    move_attachments(case, [res.id], None)
    assert (last(case).action, last(case).details["old_incident"]) == ("unlink", inc)
    set_caption(case, res.id, "The car, 21:16")
    assert last(case).details["changes"]["caption"] == {"old": "", "new": "The car, 21:16"}
    delete_attachments(case, [res.id])
    restore_attachment(case, res.id)
    assert [e.action for e in events(case)[-2:]] == ["trash", "restore"]

    delete_incident(case, inc)
    restore_incident(case, inc)
    assert [e.action for e in events(case)[-2:]] == ["trash", "restore"]
    delete_attachments(case, [res.id])
    empty_trash(case)
    ev = last(case)
    assert ev.action == "empty_trash"
    assert ev.details["attachments"] == [{"id": res.id, "exhibit": "JS/1", "sha256": res.sha256}]
    assert ev.details["notes"] == [note]

    # The story's events and the full records each unit leaves form one unbroken chain.
    with case.read() as session:
        ids = sorted({e.id for e in entries(session)} | {e.id for e in entries(session, "records")})
    assert ids == list(range(1, len(ids) + 1))
    report = run_verify(case)
    assert report.ok, report.problems


def test_events_chain_by_hash(case):
    create_incident(case, title="One")
    create_incident(case, title="Two")
    with case.read() as session:
        rows = session.execute(text("SELECT prev_hash, hash FROM audit_events ORDER BY id")).all()
        assert verify_chain(session) == []
    assert rows[0].prev_hash == GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash


def test_a_change_that_fails_leaves_no_event(case):
    inc = create_incident(case, title="One")
    before = len(events(case))
    with pytest.raises(RuntimeError), case.write() as (session, audit):
        audit.log("update", "incident", inc, changes={"title": {"old": "One", "new": "Two"}})
        raise RuntimeError("power cut")
    assert len(events(case)) == before


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET details = '{}' WHERE id = 1",
    "DELETE FROM audit_events WHERE id = 1",
    "DELETE FROM audit_events",
])
def test_the_database_refuses_to_change_or_delete_events(case, sql):
    with pytest.raises(IntegrityError, match="append-only"), case.write() as (session, _):
        session.execute(text(sql))
    raw = sqlite3.connect(case.folder / DB_NAME)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(sql)
    finally:
        raw.close()
    assert run_verify(case).ok


def tamper(case, *statements):
    """What someone with the database file could do: remove the protection, then edit."""
    raw = sqlite3.connect(case.folder / DB_NAME)
    try:
        raw.execute("DROP TRIGGER audit_events_no_update")
        raw.execute("DROP TRIGGER audit_events_no_delete")
        for sql in statements:
            raw.execute(sql)
        raw.commit()
    finally:
        raw.close()


def test_removing_the_protection_is_itself_detected(case):
    tamper(case)
    problems = run_verify(case).problems
    assert any("audit_events_no_update" in p for p in problems)
    assert any("audit_events_no_delete" in p for p in problems)


def event_of(case, entity, entity_id):
    """The id of the first event about one record."""
    return next(e.id for e in events(case) if (e.entity, e.entity_id) == (entity, entity_id))


def test_an_edited_event_is_detected(case):
    inc = create_incident(case, title="Threatening voicemail")
    n = event_of(case, "incident", inc)
    tamper(case, "UPDATE audit_events SET details = replace(details, 'Threatening', 'Friendly')"
                 f" WHERE id = {n}")
    assert f"audit event {n} has been altered (hash mismatch)" in run_verify(case).problems


def test_a_removed_event_is_detected(case):
    ids = [create_incident(case, title=title) for title in ("One", "Two", "Three")]
    n = event_of(case, "incident", ids[1])
    tamper(case, f"DELETE FROM audit_events WHERE id = {n}")
    problems = run_verify(case).problems
    assert f"audit event {n} is missing (next is {n + 1})" in problems
    assert f"audit event {n + 1} does not link to the event before it" in problems


def test_a_trail_cut_short_is_detected(case, tmp_path, import_paths):
    create_incident(case, title="One")
    import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    tamper(case, "DELETE FROM audit_events WHERE id >= 2")
    problems = run_verify(case).problems
    assert any("JS/1" in p and "no import record" in p for p in problems)
    assert any("1 incident(s) have no creation record" in p for p in problems)


def test_a_record_edited_behind_the_apps_back_is_detected(case, tmp_path, import_paths):
    [res] = import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    [other] = import_paths(phone_jpeg(tmp_path / "b.jpg", seed=2))
    # Point exhibit JS/1 at the other file's bytes: every original still matches its name.
    raw = sqlite3.connect(case.folder / DB_NAME)
    raw.execute("UPDATE attachments SET sha256 = 'x' WHERE id = ?", (other.id,))
    raw.execute("UPDATE attachments SET sha256 = ? WHERE id = ?", (other.sha256, res.id))
    raw.execute("UPDATE attachments SET sha256 = ?, exhibit_mark = 'JS/9' WHERE id = ?",
                (res.sha256, other.id))
    raw.commit()
    raw.close()
    problems = run_verify(case).problems
    assert any("JS/1" in p and "recorded hash differs" in p for p in problems)
    assert any("JS/9" in p and "mark differs" in p for p in problems)


def test_notes_people_and_vehicles_added_behind_the_apps_back_are_detected(case, tmp_path):
    from evidence_app.core.importers.diary_csv import import_diary, read_diary

    incident = create_incident(case, title="One")
    add_note(case, incident, "Told my sister")
    diary = tmp_path / "diary.csv"
    diary.write_text("date,title,notes\n01/04/2025,Two,Rang the police\n", encoding="utf-8")
    import_diary(case, read_diary(diary, "Europe/London"))
    assert run_verify(case).ok  # the diary's note is recorded with its incident
    raw = sqlite3.connect(case.folder / DB_NAME)
    raw.execute("INSERT INTO notes (incident_id, text, private, created_at, updated_at)"
                " VALUES (?, 'Planted', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
                (incident,))
    raw.execute("INSERT INTO people (name, role, description, contact, created_at) VALUES"
                " ('Someone', 'witness', '', '', '2025-01-01 00:00:00')")
    raw.commit()
    raw.close()
    problems = run_verify(case).problems
    assert any("1 note(s) have no creation record" in p for p in problems), problems
    assert any("1 person(s) have no creation record" in p for p in problems), problems


def test_a_note_planted_beside_a_diary_rows_note_is_detected(case, tmp_path):
    """A diary row's note is recorded inside its incident's creation; that accounts for
    one note on the incident, not for any other note added there behind the app's back."""
    from evidence_app.core.importers.diary_csv import import_diary, read_diary

    diary = tmp_path / "diary.csv"
    diary.write_text("date,title,notes\n01/04/2025,Two,Rang the police\n", encoding="utf-8")
    [incident] = import_diary(case, read_diary(diary, "Europe/London")).incident_ids
    add_note(case, incident, "Rang again")  # recorded: never a problem
    assert run_verify(case).ok
    raw = sqlite3.connect(case.folder / DB_NAME)
    raw.execute("INSERT INTO notes (incident_id, text, private, created_at, updated_at)"
                " VALUES (?, 'Planted', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
                (incident,))
    raw.commit()
    raw.close()
    problems = run_verify(case).problems
    assert any("1 note(s) have no creation record" in p for p in problems), problems


def test_rewinding_the_exhibit_counter_is_detected(case, tmp_path, import_paths):
    [res] = import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    delete_attachments(case, [res.id])
    empty_trash(case)
    raw = sqlite3.connect(case.folder / DB_NAME)
    raw.execute("UPDATE case_settings SET next_exhibit_serial = 1")
    raw.commit()
    raw.close()
    assert "the next exhibit number would reuse an issued mark" in run_verify(case).problems


def test_tags_given_at_creation_are_part_of_the_record_not_an_amendment(case):
    from evidence_app.core.incidents import finish_recording, get_incident

    inc = create_incident(case, title="Car outside", tags=["astra", " night ", "astra"])
    ev = last(case)
    assert (ev.action, ev.details["tags"]) == ("create", ["astra", "night"])
    detail = get_incident(case, inc)
    assert detail.tags == ["astra", "night"] and detail.amendments == []
    # A change once the person has left the incident is an amendment (one made while
    # still writing it would be part of its first recording).
    finish_recording(case, inc)
    set_tags(case, inc, ["astra"])
    assert [a.fields for a in get_incident(case, inc).amendments] == [["tags"]]
