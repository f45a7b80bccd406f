"""The conversation API the GUI builds on: paging, counts by day, incidents from
messages, Group by day proposals, who is who, search hits, and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from evidence_app.core import conversations as conv_api
from evidence_app.core.importers.chat import ChatExport, ChatMessage, save_exports
from evidence_app.core.incidents import get_incident
from evidence_app.core.people import create_person
from evidence_app.core.search.messages import search_messages
from evidence_app.core.store.audit import entries


def _run(gen):
    return [e.item for e in gen if e.item is not None and hasattr(e.item, "conversation_id")]


def _export(tmp_path, n_days=3):
    start = datetime(2025, 3, 14, 21, 0, tzinfo=UTC)
    msgs = []
    line = 1
    for d in range(n_days):
        for i in range(4):
            msgs.append(ChatMessage("Mark", start + timedelta(days=d, minutes=i), "case_zone",
                                    line, text=f"day {d} message {i} from AB12 CDE"))
            line += 1
        msgs.append(ChatMessage("Mark", start + timedelta(days=d, minutes=30), "exact", line,
                                kind="call", call_direction="incoming", call_status="missed",
                                call_number="+44 7700 900123"))
        line += 1
        msgs.append(ChatMessage("Jane", start + timedelta(days=d, minutes=40), "case_zone",
                                line, text="Leave me alone"))
        line += 1
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(m.text for m in msgs), encoding="utf-8")
    ex = ChatExport("whatsapp", "Mark", "Mark", msgs, owner_names={"Jane"})
    return path, ex


def test_import_then_read_page_count_and_propose(case, tmp_path):
    path, ex = _export(tmp_path)
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    assert outcome.messages_added == 18 and outcome.first_index == 1
    [view] = conv_api.list_conversations(case)
    assert view.message_count == 18 and view.call_count == 3
    assert view.exports[0].sha256 == outcome.export_sha256
    mark, jane = (view.participants[0], view.participants[1])
    assert (mark.name, mark.is_owner) == ("Mark", False) and jane.is_owner

    page = conv_api.messages_page(case, view.id, after_index=5, limit=4)
    assert [m.index for m in page] == [6, 7, 8, 9]
    [call] = conv_api.messages_in_range(case, view.id, 5, 5)
    assert call.call_summary() == "Missed call from +44 7700 900123"
    assert page[0].outgoing and page[0].text == "Leave me alone"
    back = conv_api.messages_page(case, view.id, before_index=5, limit=2)
    assert [m.index for m in back] == [3, 4]

    days = conv_api.day_counts(case, view.id)
    assert days[0] == conv_api.DayCount(date(2025, 3, 14), 5, 1, 1)

    conv_api.set_participant(case, mark.id, is_suspect=True)
    proposals = conv_api.propose_days(case, view.id)
    assert [p.label for p in proposals] == [
        "4 messages and 1 missed call, 14 March", "4 messages and 1 missed call, 15 March",
        "4 messages and 1 missed call, 16 March"]
    ids = conv_api.incidents_from_proposals(case, proposals[:1])
    detail = get_incident(case, ids[0])
    assert detail.title == "4 messages and 1 missed call from Mark"
    got = conv_api.incident_messages(case, ids[0])
    assert [m.index for m in got] == [1, 2, 3, 4, 5]
    assert conv_api.index_ranges(m.index for m in got) == "1-5"
    # What is in an incident is proposed no more.
    assert len(conv_api.propose_days(case, view.id)) == 2


def test_incident_from_selection_links_suspect_and_widens_on_add(case, tmp_path):
    path, ex = _export(tmp_path)
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    cid = outcome.conversation_id
    person = create_person(case, "Mark Jones", role="suspect")
    mark = next(p for p in conv_api.get_conversation(case, cid).participants if p.name == "Mark")
    conv_api.set_participant(case, mark.id, is_suspect=True, person_id=person)
    msgs = conv_api.messages_in_range(case, cid, 1, 3)
    iid = conv_api.incident_from_messages(case, [m.id for m in msgs])
    detail = get_incident(case, iid)
    assert [p.name for p in detail.people] == ["Mark Jones"]
    assert detail.occurred_at == msgs[0].sent_at and detail.occurred_end == msgs[2].sent_at
    later = conv_api.messages_in_range(case, cid, 8, 8)
    assert conv_api.add_messages_to_incident(case, iid, [later[0].id]) == 1
    assert get_incident(case, iid).occurred_end == later[0].sent_at
    assert conv_api.remove_messages_from_incident(case, [later[0].id]) == 1
    assert [m.index for m in conv_api.incident_messages(case, iid)] == [1, 2, 3]
    with case.read() as session:
        actions = [(e.action, e.entity) for e in entries(session, "message")]
    assert actions == [("link", "message"), ("link", "message"), ("unlink", "message")]


def test_reimport_of_a_longer_export_adds_only_new_messages(case, tmp_path):
    path, ex = _export(tmp_path, n_days=2)
    _run(save_exports(case, path, [ex], "test"))
    path2, longer = _export(tmp_path / "later" if (tmp_path / "later").mkdir() is None
                            else tmp_path, n_days=3)
    [again] = _run(save_exports(case, path2, [longer], "test"))
    assert (again.new_conversation, again.messages_read, again.messages_added) == (False, 18, 6)
    assert (again.first_index, again.last_index) == (13, 18)
    assert len(conv_api.list_conversations(case)) == 1


def test_search_finds_message_text_numbers_and_plates(case, tmp_path):
    path, ex = _export(tmp_path)
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    hits, total = search_messages(case, "leave me")
    assert total == 3 and hits[0].conversation_id == outcome.conversation_id
    assert hits[0].message_index in (6, 12, 18) and hits[0].kind == "message"
    hits, total = search_messages(case, "07700900123")
    assert total == 3
    hits, total = search_messages(case, "ab12")
    assert total == 12


@pytest.mark.parametrize("bad", [[], [999999]])
def test_incident_from_nothing_or_unknown_messages_is_refused(case, bad):
    from evidence_app.core.errors import NotFoundError, ValidationError

    with pytest.raises((ValidationError, NotFoundError)):
        conv_api.incident_from_messages(case, bad)


def test_the_message_index_is_in_step_after_imports_and_edits(case, tmp_path):
    from evidence_app.core.search.messages import differences

    path, ex = _export(tmp_path)
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    mark = next(p for p in conv_api.get_conversation(case, outcome.conversation_id).participants
                if p.name == "Mark")
    with case.connect() as conn:
        assert differences(conn) == []
    # Renaming a participant rewrites the documents of their messages (trigger).
    with case.write() as (session, _audit):
        from evidence_app.core.store.models import Participant
        session.get(Participant, mark.id).name = "Mark Jones"
    with case.connect() as conn:
        assert differences(conn) == []
    hits, total = search_messages(case, "jones")
    assert total == 15  # his 12 messages and 3 calls


def test_a_conversation_in_the_trash_leaves_the_list_and_search_until_restored(case, tmp_path):
    path, ex = _export(tmp_path)
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    cid = outcome.conversation_id
    with case.tracking() as log:
        conv_api.delete_conversation(case, cid)
    assert log.changes.trash and cid in log.changes.conversations
    assert conv_api.list_conversations(case) == []
    assert search_messages(case, "leave me")[1] == 0
    assert [c.id for c in conv_api.list_conversations(case, include_deleted=True)] == [cid]
    conv_api.restore_conversation(case, cid)
    assert search_messages(case, "leave me")[1] == 3
    # A longer export later continues it, rather than starting a second one.
    [again] = _run(save_exports(case, path, [ex], "test"))
    assert again.conversation_id == cid and again.messages_added == 0


def test_emptying_the_trash_of_an_incident_made_from_messages_keeps_them(case, tmp_path):
    from evidence_app.core.incidents import delete_incident
    from evidence_app.core.trash import empty_trash
    from tests.fixtures import message_exports as fx

    picture = tmp_path / "files" / "photo.jpg"
    picture.parent.mkdir()
    picture.write_bytes(fx.jpeg_bytes())
    path, ex = _export(tmp_path)
    ex.files["photo.jpg"] = picture
    ex.messages[0].files = ["photo.jpg"]
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    first = conv_api.messages_in_range(case, outcome.conversation_id, 1, 2)
    [att] = first[0].attachments
    iid = conv_api.incident_from_messages(case, [m.id for m in first])
    delete_incident(case, iid)
    removed = empty_trash(case)
    assert removed["incidents"] == 1 and removed["attachments"] == 0
    again = conv_api.messages_in_range(case, outcome.conversation_id, 1, 2)
    assert [m.incident_id for m in again] == [None, None]
    assert again[0].attachments == (att,)
    assert case.originals.read_bytes(att.sha256) == picture.read_bytes()


def test_a_picture_from_a_chat_put_in_the_trash_goes_back_to_its_conversation(case, tmp_path):
    from evidence_app.core.attachments import delete_attachments
    from evidence_app.core.trash import empty_trash
    from tests.fixtures import message_exports as fx

    picture = tmp_path / "files" / "photo.jpg"
    picture.parent.mkdir()
    picture.write_bytes(fx.jpeg_bytes())
    path, ex = _export(tmp_path)
    ex.files["photo.jpg"] = picture
    ex.messages[0].files = ["photo.jpg"]
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    [att] = conv_api.messages_in_range(case, outcome.conversation_id, 1, 1)[0].attachments
    delete_attachments(case, [att.attachment_id])
    assert empty_trash(case)["attachments"] == 0
    assert case.originals.read_bytes(att.sha256) == picture.read_bytes()
    with case.read() as session:
        from evidence_app.core.store.models import Attachment
        assert session.get(Attachment, att.attachment_id).deleted_at is None


def test_group_by_day_counts_messages_of_a_trashed_incident_as_free(case, tmp_path):
    from evidence_app.core.incidents import delete_incident, restore_incident
    path, ex = _export(tmp_path)
    [outcome] = _run(save_exports(case, path, [ex], "test"))
    cid = outcome.conversation_id
    mark = next(p for p in conv_api.get_conversation(case, cid).participants if p.name == "Mark")
    conv_api.set_participant(case, mark.id, is_suspect=True)
    [first, *_] = conv_api.propose_days(case, cid)
    [iid] = conv_api.incidents_from_proposals(case, [first])
    assert [p.day for p in conv_api.propose_days(case, cid)] == [
        date(2025, 3, 15), date(2025, 3, 16)]
    delete_incident(case, iid)
    again = conv_api.propose_days(case, cid)
    assert [p.day for p in again] == [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]
    assert again[0].message_ids == first.message_ids
    restore_incident(case, iid)
    assert [p.day for p in conv_api.propose_days(case, cid)] == [
        date(2025, 3, 15), date(2025, 3, 16)]
    # Grouping the day again while the old incident is in the trash moves the messages.
    delete_incident(case, iid)
    [new] = conv_api.incidents_from_proposals(case, conv_api.propose_days(case, cid)[:1])
    assert [m.index for m in conv_api.incident_messages(case, new)] == [1, 2, 3, 4, 5]
    assert conv_api.incident_messages(case, iid) == []
