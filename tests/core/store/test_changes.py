"""Operations say what they changed: `Case.tracking()` collects the `Changes` each unit
of work committed, read from what the unit recorded in the audit trail."""

from __future__ import annotations

import pytest

from evidence_app.core import incidents as inc
from evidence_app.core import ocr, people
from evidence_app.core.attachments import delete_attachments, move_attachments
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.importers.files import import_files
from evidence_app.core.settings import update_settings
from evidence_app.core.store.changes import Changes
from evidence_app.core.trash import empty_trash
from tests.fixtures.media_factory import phone_jpeg


def changes_of(case, fn, *args, **kwargs):
    with case.tracking() as log:
        result = fn(case, *args, **kwargs)
    return result, log.changes


def test_creating_and_editing_an_incident(case):
    incident_id, changes = changes_of(case, inc.create_incident, title="Car outside")
    assert changes.incidents == {incident_id}
    assert changes.search_index  # its index document was written in the same transaction
    assert not (changes.attachments or changes.people or changes.settings or changes.trash)
    _, changes = changes_of(case, inc.update_incident, incident_id, title="Silver Astra")
    assert changes == Changes(incidents=frozenset({incident_id}), search_index=True)


def test_an_edit_that_changes_nothing_reports_nothing(case):
    incident_id = inc.create_incident(case, title="Same")
    _, changes = changes_of(case, inc.update_incident, incident_id, title="Same")
    assert not changes


def test_a_note_changes_its_incident_too(case):
    incident_id = inc.create_incident(case, title="Call")
    note_id, changes = changes_of(case, inc.add_note, incident_id, "Rang 101")
    assert changes.notes == {note_id} and changes.incidents == {incident_id}
    _, changes = changes_of(case, inc.delete_note, note_id)
    assert changes.trash and changes.notes == {note_id} and changes.timeline


def test_people_links_and_settings(case):
    incident_id = inc.create_incident(case, title="Seen")
    person_id, changes = changes_of(case, people.create_person, "Mark Smith", role="suspect")
    assert changes.people == {person_id} and not changes.incidents
    _, changes = changes_of(case, people.link_person, incident_id, person_id)
    assert changes.people == {person_id} and changes.incidents == {incident_id}
    _, changes = changes_of(case, update_settings, address="1 High Street")
    assert changes.settings and not changes.timeline
    _, changes = changes_of(case, ocr.set_paused, True)
    assert changes.state == {ocr.PAUSED_KEY} and not changes.timeline


def test_an_import_reports_each_exhibit_and_the_incident_it_joined(case, tmp_path):
    incident_id = inc.create_incident(case, title="Photos")
    files = [phone_jpeg(tmp_path / f"IMG_{i}.jpg", seed=i) for i in range(3)]
    with case.tracking() as log:
        results = [e.item for e in import_files(case, files, incident_id) if e.item]
    assert log.changes.attachments == {r.id for r in results}
    assert log.changes.incidents == {incident_id}
    ids = [r.id for r in results]
    _, changes = changes_of(case, move_attachments, ids[:1], None)
    assert changes.attachments == {ids[0]} and changes.incidents == {incident_id}
    _, changes = changes_of(case, delete_attachments, ids[1:2])
    assert changes.trash and changes.attachments == {ids[1]}
    inc.delete_incident(case, incident_id)
    _, changes = changes_of(case, empty_trash)
    assert changes.trash and incident_id in changes.incidents
    assert set(ids[1:]) <= changes.attachments


def test_a_failed_write_reports_nothing_and_reads_report_nothing(case):
    with case.tracking() as log:
        with pytest.raises(ValidationError):
            inc.add_note(case, inc.create_incident(case, title="x"), "   ")
        with pytest.raises(NotFoundError):
            inc.update_incident(case, 999, title="nobody")
        inc.list_incidents(case)
    assert log.changes.incidents and not log.changes.notes  # only the incident was made


def test_tracking_is_per_thread_and_nests(case):
    import threading

    seen: list[Changes] = []

    def elsewhere() -> None:
        with case.tracking() as other:
            inc.create_incident(case, title="On another thread")
        seen.append(other.changes)

    with case.tracking() as outer:
        first = inc.create_incident(case, title="First")
        with case.tracking() as inner:
            second = inc.create_incident(case, title="Second")
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert inner.changes.incidents == {second}
    assert outer.changes.incidents == {first, second}  # not the other thread's
    assert len(seen) == 1 and seen[0].incidents.isdisjoint({first, second})


def test_changes_merge_and_are_false_when_empty():
    assert not Changes()
    merged = Changes(incidents=frozenset({1})) | Changes(settings=True, incidents=frozenset({2}))
    assert merged.incidents == {1, 2} and merged.settings and merged
