"""core.conversation_links: who participants are in People, a person made from a
participant (one audited unit of work), incidents in the trash not counting as holding
messages, and the messages of an incident's day offered after a chat is dropped on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from evidence_app.core import conversations as conv
from evidence_app.core.conversation_links import (
    linked_people,
    live_incidents,
    messages_on_incident_days,
    person_from_participant,
)
from evidence_app.core.dates import parse_when
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.importers.chat import ChatExport, ChatMessage, save_exports
from evidence_app.core.incidents import create_incident, delete_incident, restore_incident
from evidence_app.core.people import create_person, delete_person, list_people
from evidence_app.core.store.audit import entries


@pytest.fixture
def chat(case, tmp_path):
    """Mark writes at 23:30 and 00:30 London time on 14/15 March (UTC == GMT then) and
    calls on the 15th; Jane answers; a number-only sender on the 16th."""
    at = datetime(2025, 3, 14, 23, 30, tzinfo=UTC)
    msgs = [ChatMessage("Mark", at, "exact", 1, text="late on the 14th"),
            ChatMessage("Mark", at + timedelta(hours=1), "exact", 2, text="just after midnight"),
            ChatMessage("Mark", at + timedelta(hours=2), "exact", 3, kind="call",
                        call_direction="incoming", call_status="missed", call_number=""),
            ChatMessage("Jane", at + timedelta(hours=3), "exact", 4, text="Stop"),
            ChatMessage("+447700900123", at + timedelta(days=2), "exact", 5, text="new phone")]
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(m.text for m in msgs), encoding="utf-8")
    list(save_exports(case, path, [ChatExport("whatsapp", "Mark", "Mark", msgs,
                                              owner_names={"Jane"})], "test"))
    [view] = conv.list_conversations(case)
    return view


def test_a_person_made_from_a_participant_is_linked_in_one_audited_step(case, chat):
    mark = next(p for p in chat.participants if p.name == "Mark")
    person_id = person_from_participant(case, mark.id, "Mark Jones", role="suspect",
                                        relation="former partner")
    [person] = list_people(case)
    assert (person.id, person.name, person.role, person.relation) == (
        person_id, "Mark Jones", "suspect", "former partner")
    assert linked_people(case, chat.id) == {mark.id: "Mark Jones"}
    assert conv.get_conversation(case, chat.id).participant(mark.id).person_id == person_id
    with case.read() as session:
        created = [e for e in entries(session, "person", [person_id])]
        changed = [e for e in entries(session, "participant", [mark.id])]
    assert [e.action for e in created] == ["create"]
    assert changed[-1].details["changes"] == {"person_id": {"old": None, "new": person_id}}
    assert changed[-1].details["conversation_id"] == chat.id
    # A person in the trash is nobody's name any more.
    delete_person(case, person_id)
    assert linked_people(case, chat.id) == {}


def test_bad_input_changes_nothing(case, chat):
    mark = next(p for p in chat.participants if p.name == "Mark")
    with pytest.raises(ValidationError):
        person_from_participant(case, mark.id, "   ")
    with pytest.raises(NotFoundError):
        person_from_participant(case, 9999, "Someone")
    assert list_people(case) == []
    other = create_person(case, "Mark Jones")
    conv.set_participant(case, mark.id, person_id=other)
    assert linked_people(case, chat.id) == {mark.id: "Mark Jones"}


def test_an_incident_in_the_trash_holds_no_messages_until_restored(case, chat):
    first = conv.messages_page(case, chat.id, limit=2)
    incident = conv.incident_from_messages(case, [m.id for m in first])
    other = create_incident(case, title="Something else")
    assert live_incidents(case, [incident, other]) == {incident, other}
    delete_incident(case, incident)
    assert live_incidents(case, [incident, other, None]) == {other}  # type: ignore[list-item]
    restore_incident(case, incident)
    assert live_incidents(case, [incident]) == {incident}


def ids(case, chat, *indexes):
    page = conv.messages_page(case, chat.id)
    return tuple(m.id for m in page if m.index in indexes)


def test_the_incidents_day_is_its_own_local_day(case, chat):
    # 14 March in London: Mark's message at 23:30, not the ones after midnight.
    on_14th = create_incident(case, title="x", when=parse_when("14/03/2025 21:00",
                                                               "Europe/London"))
    found = messages_on_incident_days(case, on_14th, [chat.id])
    assert (found.days, found.message_ids, found.calls) == ("14 March", ids(case, chat, 1), 0)
    assert (found.conversation_id, found.first_message_id) == (chat.id, ids(case, chat, 1)[0])
    # In New York the same instants are still the 14th (evening): all of that night's.
    ny = create_incident(case, title="y", when=parse_when("14/03/2025 21:00",
                                                          "America/New_York"))
    found = messages_on_incident_days(case, ny, [chat.id])
    assert found.message_ids == ids(case, chat, 1, 2, 3, 4) and found.calls == 1
    assert found.texts == 3
    # Over two days; and a message already in a (live) incident is left out.
    both = create_incident(case, title="z", when=parse_when(
        "14/03/2025 20:00", "Europe/London", end_text="15/03/2025 09:00"))
    conv.add_messages_to_incident(case, on_14th, ids(case, chat, 1))
    found = messages_on_incident_days(case, both, [chat.id])
    assert found.days == "14 to 15 March"
    assert found.message_ids == ids(case, chat, 2, 3, 4)
    # ...but one whose incident is in the trash is free again.
    delete_incident(case, on_14th)
    assert messages_on_incident_days(case, both, [chat.id]).message_ids == ids(
        case, chat, 1, 2, 3, 4)


def test_no_day_is_offered_for_undated_or_month_long_incidents(case, chat):
    undated = create_incident(case, title="u")
    month = create_incident(case, title="m", when=parse_when("March 2025", "Europe/London"))
    for incident in (undated, month):
        found = messages_on_incident_days(case, incident, [chat.id])
        assert (found.days, found.message_ids, found.first_message_id) == ("", (), None)
    delete_incident(case, undated)
    with pytest.raises(NotFoundError):
        messages_on_incident_days(case, undated, [chat.id])


def test_the_days_messages_already_in_incidents_are_counted_not_offered(case, chat):
    here = create_incident(case, title="h", when=parse_when("14/03/2025 21:00",
                                                            "America/New_York"))
    other = create_incident(case, title="o")
    conv.add_messages_to_incident(case, here, ids(case, chat, 1, 2))
    conv.add_messages_to_incident(case, other, ids(case, chat, 4))
    found = messages_on_incident_days(case, here, [chat.id])
    assert (found.message_ids, found.already_here, found.elsewhere) == (
        ids(case, chat, 3), 2, 1)
