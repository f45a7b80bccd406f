"""verify proves the records, not only the files: every row the audit trail describes
must hold what the trail's full records say, and the log's head is kept outside the
database (case.head), in every report, and for backups."""

import shutil
import sqlite3

import pytest
from fixtures.media_factory import phone_jpeg
from fixtures.on_disk import database_file, head_file, raw_sql, rehash_chain

from evidence_app.core.attachments import set_caption
from evidence_app.core.cases import open_case
from evidence_app.core.dates import parse_when
from evidence_app.core.incidents import add_note, create_incident, update_incident
from evidence_app.core.people import create_person, link_person
from evidence_app.core.store import records
from evidence_app.core.store.anchor import parse_head_text, read_head
from evidence_app.core.store.verify import run_verify, verify_case


@pytest.fixture
def filled(case, tmp_path, import_paths):
    """A case with an incident, a note on it, a person linked to it and one exhibit."""
    inc = create_incident(case, when=parse_when("12/03/2025 21:15", "Europe/London"),
                          title="Car outside", description="Silver Astra, engine running")
    note = add_note(case, inc, "Rang 101")
    person = create_person(case, "Mark", role="suspect")
    link_person(case, inc, person)
    [res] = import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1), incident_id=inc)
    set_caption(case, res.id, "The car")
    update_incident(case, inc, title="Silver car outside")
    report = run_verify(case)
    assert report.ok, report.problems
    assert report.records_checked >= 5
    return {"incident": inc, "note": note, "attachment": res.id, "person": person,
            "mark": res.exhibit}


EDITS = [
    ("incidents", "title", "'Friendly visit'", "incident", "Silver car outside"),
    ("incidents", "description", "'Nothing happened'", "incident", "Silver Astra"),
    ("incidents", "occurred_at", "'2025-03-14 09:00:00.000000'", "incident", "2025-03-12"),
    ("notes", "text", "'Did not ring anyone'", "note", "Rang 101"),
    ("attachments", "captured_at", "'2020-01-01 00:00:00.000000'", "attachment", None),
    ("attachments", "incident_id", "NULL", "attachment", None),
    ("attachments", "gps_lat", "51.5", "attachment", None),
    ("attachments", "caption", "'A different car'", "attachment", "The car"),
    ("attachments", "original_name", "'innocent.jpg'", "attachment", "a.jpg"),
    ("people", "role", "'witness'", "person", "suspect"),
]


@pytest.mark.parametrize(("table", "column", "value", "kind", "before"), EDITS,
                         ids=[f"{e[0]}.{e[1]}" for e in EDITS])
def test_a_field_edited_with_sqlite_is_named_with_both_values(filled, case, table, column,
                                                               value, kind, before):
    ident = filled[kind]
    raw_sql(case, f"UPDATE {table} SET {column} = {value} WHERE id = {ident}")
    report = run_verify(case)
    assert not report.ok
    name = f"exhibit {filled['mark']}" if kind == "attachment" else f"{kind} {ident}"
    found = [p for p in report.problems if p.startswith(name) and f"field {column}:" in p]
    assert found, report.problems
    assert "the database holds" in found[0]
    if before is not None:
        assert before in found[0].split("the database holds")[0], found[0]
    shown_value = value.strip("'")
    if value != "NULL" and column != "occurred_at" and column != "captured_at":
        assert shown_value in found[0].split("the database holds")[1]


def test_a_link_removed_or_a_row_deleted_is_named(filled, case):
    raw_sql(case, f"DELETE FROM incident_people WHERE incident_id = {filled['incident']}",
            f"DELETE FROM notes WHERE id = {filled['note']}")
    problems = run_verify(case).problems
    assert any(p.startswith(f"incident {filled['incident']}, field people:") for p in problems)
    assert any(p.startswith(f"note {filled['note']} is missing from the database")
               for p in problems), problems


def test_every_kind_of_change_still_verifies(case, tmp_path, import_paths):
    """No false alarm: trash, restore, links, impacts, settings, tags, the trash emptied,
    a diary import, OCR text corrected by hand."""
    from evidence_app.core.attachments import delete_attachments, move_attachments
    from evidence_app.core.impacts import clear_impact, set_impact
    from evidence_app.core.importers.diary_csv import import_diary, read_diary
    from evidence_app.core.incidents import delete_incident, delete_note, set_tags
    from evidence_app.core.ocr import correct_text
    from evidence_app.core.people import create_vehicle, delete_person, link_vehicle
    from evidence_app.core.settings import update_settings
    from evidence_app.core.store.state import set_state
    from evidence_app.core.trash import empty_trash
    from evidence_app.core.vocab import ImpactKind

    one = create_incident(case, title="One")
    two = create_incident(case, title="Two")
    person = create_person(case, "Mark")
    link_person(case, one, person)
    link_person(case, two, person)
    link_vehicle(case, one, create_vehicle(case, plate="AB12 CDE"))
    kind = next(iter(ImpactKind))
    set_impact(case, one, kind.value, details="Could not sleep")
    set_impact(case, None, kind.value, details="Changed my route")
    set_impact(case, two, kind.value, details="Stayed in")
    clear_impact(case, None, kind.value)
    set_tags(case, one, ["night", "astra"])
    note = add_note(case, two, "Gone")
    delete_note(case, note)
    [a, b] = import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1),
                          phone_jpeg(tmp_path / "b.jpg", seed=2))
    move_attachments(case, [a.id], one)
    correct_text(case, a.id, "typed by hand")
    delete_attachments(case, [b.id])
    update_settings(case, case_name="Renamed", address="1 High St")
    set_state(case, "ocr_paused", "1")
    diary = tmp_path / "diary.csv"
    diary.write_text("date,title,notes\n01/04/2025,Three,Rang the police\n", encoding="utf-8")
    import_diary(case, read_diary(diary, "Europe/London"))
    delete_person(case, person)
    delete_incident(case, two)
    empty_trash(case)
    report = run_verify(case)
    assert report.ok, report.problems
    assert not any("before this version kept full records" in n for n in report.notices)


def test_rows_written_before_full_records_are_said_so_and_checked_by_their_events(
        case, monkeypatch):
    monkeypatch.setattr(records, "seal", lambda session, audit: None)  # an older version
    inc = create_incident(case, title="Car outside")
    monkeypatch.undo()
    report = run_verify(case)
    assert report.ok, report.problems
    assert any("1 record(s) were last written before this version kept full records" in n
               and f"incident {inc}" in n for n in report.notices), report.notices
    raw_sql(case, f"UPDATE incidents SET title = 'Friendly visit' WHERE id = {inc}")
    problems = run_verify(case).problems
    assert any(p.startswith(f"incident {inc}, field title: the audit trail records \"Car outside\"")
               for p in problems), problems


# --------------------------------------------------------------------------- the head
def test_the_head_file_follows_every_write(case):
    before = read_head(case.folder)
    create_incident(case, title="One")
    after = read_head(case.folder)
    assert after.events > before.events
    assert after == case.head().__class__(**{**after.__dict__}) and after.hash == case.head().hash
    assert after.rows["incidents"] == 1
    assert oct(head_file(case).stat().st_mode & 0o777) == "0o600"


def test_a_cut_tail_is_named(case, tmp_path, import_paths):
    create_incident(case, title="One")
    keep = case.head().events
    [res] = import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    create_incident(case, title="Two")
    raw_sql(case, f"DELETE FROM audit_events WHERE id > {keep}",
            f"DELETE FROM attachments WHERE id = {res.id}",
            "DELETE FROM incidents WHERE title = 'Two'",
            "UPDATE case_settings SET next_exhibit_serial = 1", unprotect=True)
    problems = run_verify(case).problems
    assert any(f"the audit trail has {keep} events" in p and "are missing" in p
               for p in problems), problems


def test_a_rewritten_chain_is_named(case):
    inc = create_incident(case, title="Threatening voicemail")
    create_incident(case, title="Two")
    raw_sql(case, "UPDATE audit_events SET details = replace(details, 'Threatening', 'Friendly')",
            f"UPDATE incidents SET title = 'Friendly voicemail' WHERE id = {inc}", unprotect=True)
    rehash_chain(case)
    raw_sql(case, "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN "
                  "SELECT RAISE(ABORT, 'append-only'); END",
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN "
            "SELECT RAISE(ABORT, 'append-only'); END")
    problems = run_verify(case).problems
    assert not any("altered" in p for p in problems)  # the chain itself holds
    assert any("the log has been rewritten" in p for p in problems), problems


def test_a_lost_write_ahead_log_is_named(case, tmp_path):
    folder = case.folder
    create_incident(case, title="One")
    case.close()
    shutil.copy(database_file(folder), tmp_path / "before.db")
    with open_case(folder) as again:
        for i in range(25):
            create_incident(again, title=f"Row {i}")
    # The 25 committed rows were only in the write-ahead log, which was lost.
    shutil.copy(tmp_path / "before.db", database_file(folder))
    with open_case(folder) as again:
        problems = run_verify(again).problems
        # Opening did not overwrite the head file: it still says what was lost.
        assert read_head(folder).rows["incidents"] == 26
    assert any("are missing" in p and "lost writes" in p for p in problems), problems


def test_a_lowered_mark_counter_with_the_log_intact_is_named(case, tmp_path, import_paths):
    import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    raw_sql(case, "DELETE FROM attachments", "UPDATE case_settings SET next_exhibit_serial = 1")
    problems = run_verify(case).problems
    assert any("exhibit numbering has gone back" in p for p in problems), problems
    assert any("exhibits after event" in p for p in problems), problems


def test_a_stated_head_shows_the_log_only_grew(case):
    create_incident(case, title="One")
    stated = parse_head_text(case.head().text)
    create_incident(case, title="Two")
    [*_, last] = verify_case(case, stated_head=stated)
    assert last.item.ok
    assert any("only grown since the head given" in n for n in last.item.notices)
    [*_, last] = verify_case(case, stated_head=(stated[0], "0" * 16))
    assert any("rewritten since" in p for p in last.item.problems)
    [*_, last] = verify_case(case, stated_head=(stated[0] + 1000, stated[1]))
    assert any("shorter than when that head was stated" in p for p in last.item.problems)


def test_a_damaged_head_file_is_reported_and_kept(case):
    head_file(case).write_bytes(b"\x00garbage")
    folder = case.folder
    case.close()
    with open_case(folder) as again:
        create_incident(again, title="One")
        problems = run_verify(again).problems
    assert any("case.head" in p and "damaged" in p for p in problems), problems
    assert head_file(folder).read_bytes() == b"\x00garbage"


def test_a_head_from_another_case_is_named(case, tmp_path):
    from evidence_app.core.cases import create_case

    other = create_case(tmp_path / "other", owner_name="Someone Else", initials="SE")
    other.close()
    folder = case.folder
    case.close()
    shutil.copy(head_file(tmp_path / "other"), head_file(folder))
    with open_case(folder) as again:
        problems = run_verify(again).problems
    assert any("belongs to another case" in p for p in problems), problems


def test_parse_head_text_refuses_what_is_not_a_head():
    assert parse_head_text(" 12:ABCDEF0123 ") == (12, "abcdef0123")
    for bad in ("12", "x:abcdef0123", "12:abc", "12:not-hex-at-all"):
        with pytest.raises(ValueError):
            parse_head_text(bad)


def test_raw_sql_helper_really_reaches_the_file(case):
    inc = create_incident(case, title="One")
    raw_sql(case, f"UPDATE incidents SET title = 'Two' WHERE id = {inc}")
    con = sqlite3.connect(database_file(case))
    assert con.execute(f"SELECT title FROM incidents WHERE id = {inc}").fetchone() == ("Two",)
    con.close()


def test_a_case_from_an_older_version_gets_a_baseline_when_first_opened(tmp_path,
                                                                         monkeypatch):
    from evidence_app.core.cases import create_case

    monkeypatch.setattr(records, "seal", lambda session, audit: None)  # an older version
    folder = tmp_path / "old"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        one = create_incident(case, title="Car outside")
        two = create_incident(case, title="Flowers on the doorstep")
    monkeypatch.undo()
    # Edited outside the app before this version ever opened it: the baseline records
    # it as found, and the incident's own events still name it.
    raw_sql(folder, f"UPDATE incidents SET title = 'Nothing happened' WHERE id = {one}")
    with open_case(folder) as again:
        report = run_verify(again)
        assert any("begin on" in n and "first opened the case" in n for n in report.notices)
        assert any(p.startswith(f"incident {one}, field title: the audit trail records "
                                "\"Car outside\"") for p in report.problems), report.problems
        before = len(report.problems)
        # After the baseline, an edit outside the app is named from the full record.
        raw_sql(folder, f"UPDATE incidents SET location = 'Home' WHERE id = {two}")
        problems = run_verify(again).problems
    about_records = [p for p in problems if "search index" not in p]
    assert len(about_records) == before + 1, problems
    assert any(p.startswith(f"incident {two}, field location:") for p in problems), problems
