"""The trash: deleted evidence can be restored; emptying it removes originals for good,
while every exhibit mark stays issued."""

import pytest
from fixtures.media_factory import phone_jpeg

from evidence_app.core.attachments import (
    delete_attachments,
    get_attachment,
    list_inbox,
    restore_attachment,
    thumbnail,
)
from evidence_app.core.errors import NotFoundError
from evidence_app.core.incidents import (
    add_note,
    count_incidents,
    create_incident,
    delete_incident,
    get_incident,
    list_incidents,
    restore_incident,
)
from evidence_app.core.people import create_person, delete_person, list_people
from evidence_app.core.store.verify import run_verify
from evidence_app.core.trash import empty_trash, list_trash
from tests.fixtures.on_disk import thumbnail_file


def test_a_trashed_incident_travels_with_its_notes_and_exhibits(case, tmp_path, import_paths):
    inc = create_incident(case, title="Flowers left at work")
    add_note(case, inc, "Card said 'always watching'")
    [res] = import_paths(phone_jpeg(tmp_path / "flowers.jpg", seed=1), incident_id=inc)
    delete_incident(case, inc)
    assert list_incidents(case) == []
    assert [i.id for i in list_trash(case).incidents] == [inc]
    assert list_inbox(case) == []  # its exhibit did not fall into the inbox
    with pytest.raises(NotFoundError):
        get_incident(case, inc)
    [dup] = import_paths(tmp_path / "flowers.jpg")
    assert dup.reason == "same file as exhibit JS/1 (it is in the trash)"
    restore_incident(case, inc)
    detail = get_incident(case, inc)
    assert [n.text for n in detail.notes] == ["Card said 'always watching'"]
    assert [a.id for a in detail.attachments] == [res.id]
    assert list_trash(case).empty


def test_a_trashed_exhibit_can_be_restored_with_its_bytes(case, tmp_path, import_paths):
    photo = phone_jpeg(tmp_path / "fence.jpg", seed=2)
    [res] = import_paths(photo)
    delete_attachments(case, [res.id])
    assert list_inbox(case) == []
    assert [a.exhibit_mark for a in list_trash(case).attachments] == ["JS/1"]
    assert case.originals.read_bytes(res.sha256) == photo.read_bytes()  # kept until emptied
    restore_attachment(case, res.id)
    assert [a.id for a in list_inbox(case)] == [res.id]


def test_emptying_the_trash_removes_rows_originals_and_thumbnails(case, tmp_path, import_paths):
    keep = create_incident(case, title="Keep")
    gone = create_incident(case, title="Entered by mistake")
    add_note(case, gone, "typo")
    [a, b, c] = import_paths(*(phone_jpeg(tmp_path / f"p{i}.jpg", seed=i) for i in range(3)))
    from evidence_app.core.attachments import move_attachments

    move_attachments(case, [b.id], gone)
    for r in (a, b, c):
        assert thumbnail(case, get_attachment(case, r.id)) is not None
    thumbs = {r.sha256: thumbnail_file(case, r.sha256) for r in (a, b, c)}
    delete_incident(case, gone)
    delete_attachments(case, [c.id])
    person = create_person(case, "Wrong name", role="witness")
    delete_person(case, person)
    counts = empty_trash(case)
    assert counts == {"incidents": 1, "attachments": 2, "notes": 1, "people": 1, "vehicles": 0}
    assert [i.id for i in list_incidents(case)] == [keep]
    assert count_incidents(case, trashed=True) == 0
    assert list_people(case) == []
    assert [x.id for x in list_inbox(case)] == [a.id]
    for r in (b, c):
        assert not case.originals.exists(r.sha256)
        assert not thumbs[r.sha256].exists()
        with pytest.raises(NotFoundError):
            get_attachment(case, r.id, allow_deleted=True)
    assert case.originals.exists(a.sha256) and thumbs[a.sha256].exists()
    assert list_trash(case).empty
    report = run_verify(case)
    assert report.ok and report.notices == []
    [d] = import_paths(phone_jpeg(tmp_path / "new.jpg", seed=9))
    assert d.exhibit == "JS/4"


def test_emptying_an_empty_trash_records_nothing(case):
    from evidence_app.core.store.audit import entries

    with case.read() as session:
        before = len(list(entries(session)))
    assert empty_trash(case) == {"incidents": 0, "attachments": 0, "notes": 0, "people": 0,
                                 "vehicles": 0}
    with case.read() as session:
        assert len(list(entries(session))) == before


def test_ids_of_emptied_records_are_never_given_again(case, tmp_path, import_paths):
    """A new record taking a deleted one's id would inherit its audit history (and show
    the deleted incident's edits as its own amendments in a report)."""
    from evidence_app.core.incidents import update_incident
    from evidence_app.core.people import create_person

    first = create_incident(case, title="Keep")
    gone = create_incident(case, title="Mistake")
    update_incident(case, gone, title="Still a mistake")
    note = add_note(case, gone, "typo")
    person = create_person(case, "Wrong person")
    delete_person(case, person)
    [att] = import_paths(phone_jpeg(tmp_path / "x.jpg", seed=1))
    delete_attachments(case, [att.id])
    delete_incident(case, gone)
    empty_trash(case)
    new = create_incident(case, title="A new incident")
    assert new > gone > first
    assert get_incident(case, new).amendments == []
    assert add_note(case, new, "fresh") > note
    assert create_person(case, "Right person") > person
    [again] = import_paths(phone_jpeg(tmp_path / "y.jpg", seed=2))
    assert again.id > att.id
    assert run_verify(case).ok


def test_a_diary_import_after_emptying_the_trash_uses_fresh_ids(case, tmp_path):
    from evidence_app.core.importers.diary_csv import import_diary, read_diary

    gone = create_incident(case, title="Mistake")
    delete_incident(case, gone)
    empty_trash(case)
    path = tmp_path / "d.csv"
    path.write_text("date,title,notes\n01/04/2025,From the diary,a note\n", encoding="utf-8")
    result = import_diary(case, read_diary(path, "Europe/London"))
    assert result.incident_ids == [gone + 1]
    assert get_incident(case, gone + 1).amendments == []
    assert run_verify(case).ok


def test_a_deleted_person_or_vehicle_is_listed_in_the_trash_and_restored_with_its_links(case):
    from evidence_app.core.incidents import create_incident, get_incident
    from evidence_app.core.people import (
        create_vehicle,
        delete_vehicle,
        link_person,
        link_vehicle,
        list_vehicles,
        restore_person,
        restore_vehicle,
    )
    from evidence_app.core.store.audit import entries

    incident = create_incident(case, title="Followed home")
    person = create_person(case, "Mark Davies", role="suspect")
    vehicle = create_vehicle(case, plate="AB12 CDE", make="Vauxhall")
    link_person(case, incident, person)
    link_vehicle(case, incident, vehicle)
    delete_person(case, person)
    delete_vehicle(case, vehicle)
    trash = list_trash(case)
    assert [p.name for p in trash.people] == ["Mark Davies"]
    assert [v.plate for v in trash.vehicles] == ["AB12 CDE"]
    assert trash.people[0].deleted_at is not None and not trash.empty
    assert get_incident(case, incident).people == []  # hidden while in the trash
    restore_person(case, person)
    restore_vehicle(case, vehicle)
    restore_person(case, person)  # already back: nothing happens, nothing is logged
    assert list_trash(case).empty
    assert [p.name for p in list_people(case)] == ["Mark Davies"]
    assert [v.plate for v in list_vehicles(case)] == ["AB12 CDE"]
    detail = get_incident(case, incident)
    assert [p.name for p in detail.people] == ["Mark Davies"]
    assert [v.plate for v in detail.vehicles] == ["AB12 CDE"]
    with case.read() as session:
        restores = [(e.action, e.entity) for e in entries(session) if e.action == "restore"]
    assert restores == [("restore", "person"), ("restore", "vehicle")]
    assert run_verify(case).ok
