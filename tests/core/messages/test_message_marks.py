"""Forwarded, edited and unsent messages: recorded with the message as the export says
them, while the text stays exactly as exported. Excerpts are written here in the shapes
of real exports: Telegram Desktop's JSON writer ("forwarded_from", "edited",
"edited_unixtime"), WhatsApp's "<This message was edited>" at the end of the text (as in
public chat-analyser test chats), Meta's "is_unsent"."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from evidence_app.core import conversations as api
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.message_marks import whatsapp_edited
from evidence_app.core.importers.messages import import_messages

LRM = "\u200e"


def run(case, path):
    return [e.item for e in import_messages(case, path)
            if isinstance(e.item, ConversationImport)]


def messages(case, got):
    return api.messages_page(case, got.conversation_id, limit=50)


def test_telegram_forwarded_and_edited_messages(case, tmp_path):
    data = {"name": "Mark", "type": "personal_chat", "id": 5550123, "messages": [
        {"id": 11, "type": "message", "date": "2025-03-14T22:15:00",
         "date_unixtime": "1741990500", "from": "Mark", "from_id": "user5550123",
         "forwarded_from": "Dave Price",
         "text": "She was at the gym at 6", "text_entities": []},
        {"id": 12, "type": "message", "date": "2025-03-14T22:16:00",
         "date_unixtime": "1741990560", "from": "Mark", "from_id": "user5550123",
         "forwarded_from": None, "text": "Saw you", "text_entities": []},
        {"id": 13, "type": "message", "date": "2025-03-14T22:17:00",
         "date_unixtime": "1741990620", "edited": "2025-03-14T22:40:00",
         "edited_unixtime": "1741992000", "from": "Mark", "from_id": "user5550123",
         "text": "I never said that", "text_entities": []},
        {"id": 14, "type": "message", "date": "2025-03-14T22:18:00",
         "date_unixtime": "1741990680", "from": "Jane Smith", "from_id": "user1",
         "text": "Stop", "text_entities": []}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    [got] = run(case, path)
    fwd, hidden, edited, plain = messages(case, got)
    assert (fwd.text, fwd.forwarded_from, fwd.edited) == (
        "She was at the gym at 6", "Dave Price", False)
    assert fwd.marks() == ["Forwarded from Dave Price"]
    assert (hidden.forwarded_from, hidden.marks()) == ("", ["Forwarded"])
    assert edited.text == "I never said that" and edited.forwarded_from is None
    assert edited.edited and edited.edited_at == datetime(2025, 3, 14, 22, 40, tzinfo=UTC)
    assert edited.marks("Europe/London") == ["Edited 14/03/2025 22:40 GMT"]
    assert (plain.forwarded_from, plain.edited, plain.unsent, plain.marks()) == (
        None, False, False, [])


def test_whatsapp_edited_marker_is_recorded_and_the_text_kept(case, tmp_path):
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text(
        "14/03/2025, 22:15 - Mark: You looked nice today <This message was edited>\n"
        "14/03/2025, 22:16 - Mark: I'm outside\n"
        "14/03/2025, 22:17 - Jane Smith: Leave me alone\n"
        "14/03/2025, 22:18 - Mark: I said <This message was edited> wasn't me\n",
        encoding="utf-8")
    [got] = run(case, chat)
    first, second, _, inside = messages(case, got)
    assert first.text == "You looked nice today <This message was edited>"  # exact
    assert first.edited and first.edited_at is None and first.marks() == ["Edited"]
    assert not second.edited and second.marks() == []
    assert not inside.edited  # the words in the middle of a message are not the marker


def test_whatsapp_iphone_edited_marker_after_a_direction_mark():
    assert whatsapp_edited(f"Where are you {LRM}<This message was edited>")
    assert whatsapp_edited("Wo bist du <Diese Nachricht wurde bearbeitet>")
    assert not whatsapp_edited("<This message was edited> later")
    assert not whatsapp_edited("")


def test_instagram_unsent_message(case, tmp_path):
    folder = tmp_path / "your_instagram_activity" / "messages" / "inbox" / "markjones_123"
    folder.mkdir(parents=True)
    data = {"participants": [{"name": "markjones"}, {"name": "Jane Smith"}], "messages": [
        {"sender_name": "markjones", "timestamp_ms": 1741990560000,
         "content": "markjones unsent a message", "is_unsent": True,
         "is_geoblocked_for_viewer": False},
        {"sender_name": "markjones", "timestamp_ms": 1741990500000, "content": "Answer me",
         "is_geoblocked_for_viewer": False}],
        "title": "markjones", "is_still_participant": True,
        "thread_path": "inbox/markjones_123", "magic_words": []}
    path = folder / "message_1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    [got] = run(case, path)
    answer, unsent = messages(case, got)
    assert (answer.unsent, answer.marks()) == (False, [])
    assert unsent.unsent and unsent.text == "markjones unsent a message"
    assert unsent.marks() == ["Unsent by the sender"] and unsent.time_note == ""


def _telegram(path, marks: bool, hidden: str | None = None):
    """Mark's chat; with `marks`, as a later export shows it: one forwarded, one edited,
    one forwarded by someone who hid their name (`hidden` as given)."""
    msgs = [
        {"id": 11, "type": "message", "date": "2025-03-14T22:15:00",
         "date_unixtime": "1741990500", "from": "Mark", "from_id": "user5550123",
         "text": "She was at the gym at 6", "text_entities": []},
        {"id": 12, "type": "message", "date": "2025-03-14T22:17:00",
         "date_unixtime": "1741990620", "from": "Mark", "from_id": "user5550123",
         "text": "I never said that", "text_entities": []},
        {"id": 13, "type": "message", "date": "2025-03-14T22:18:00",
         "date_unixtime": "1741990680", "from": "Mark", "from_id": "user5550123",
         "text": "Saw you", "text_entities": []},
        {"id": 14, "type": "message", "date": "2025-03-14T22:19:00",
         "date_unixtime": "1741990740", "from": "Jane Smith", "from_id": "user1",
         "text": "Stop", "text_entities": []}]
    if marks:
        msgs[0]["forwarded_from"] = "Dave Price"
        msgs[1].update(edited="2025-03-14T22:40:00", edited_unixtime="1741992000")
    if hidden is not None or marks:
        msgs[2]["forwarded_from"] = hidden if hidden is not None else "Dave Price"
    data = {"name": "Mark", "type": "personal_chat", "id": 5550123, "messages": msgs}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_later_export_showing_marks_adds_them_to_the_messages_already_there(case, tmp_path):
    from evidence_app.core.store.audit import entries
    from evidence_app.core.store.verify import run_verify

    # The first export: no marks, except message 3 forwarded by a hidden sender.
    [first] = run(case, _telegram(tmp_path / "first.json", marks=False, hidden=""))
    before = messages(case, first)
    assert [m.marks() for m in before] == [[], [], ["Forwarded"], []]
    [got] = run(case, _telegram(tmp_path / "later.json", marks=True))
    assert (got.messages_added, got.marks_added) == (0, 2)
    fwd, edited, hidden, plain = after = messages(case, got)
    assert [m.id for m in after] == [m.id for m in before]  # the same messages, no twins
    assert [m.text for m in after] == [m.text for m in before]  # words never changed
    assert fwd.marks() == ["Forwarded from Dave Price"]
    assert edited.edited and edited.edited_at == datetime(2025, 3, 14, 22, 40, tzinfo=UTC)
    # A mark already recorded is kept as it was, not replaced by the later export's.
    assert hidden.forwarded_from == "" and hidden.marks() == ["Forwarded"]
    assert plain.marks() == []
    with case.read() as session:
        event = [e for e in entries(session, "conversation") if e.action == "import"][-1]
    assert event.details["marks_added"] == [
        {"message": 1, "added": {"forwarded_from": "Dave Price"}},
        {"message": 2, "added": {"edited": True, "edited_at": "2025-03-14T22:40:00+00:00"}}]
    report = run_verify(case)
    assert report.ok, report.problems
    # The same export again: nothing more to add, and nothing said.
    [again] = run(case, _telegram(tmp_path / "again.json", marks=True))
    assert (again.messages_added, again.marks_added) == (0, 0)
    with case.read() as session:
        event = [e for e in entries(session, "conversation") if e.action == "import"][-1]
    assert "marks_added" not in event.details
    assert run_verify(case).ok


def test_marks_added_while_earlier_messages_slot_in_name_the_new_numbers(case, tmp_path):
    from evidence_app.core.store.audit import entries

    later = _telegram(tmp_path / "later.json", marks=True)
    data = json.loads(later.read_text(encoding="utf-8"))
    first = dict(data, messages=[{k: v for k, v in m.items()
                                  if k not in ("forwarded_from", "edited", "edited_unixtime")}
                                 for m in data["messages"][1:]])  # from message 12, unmarked
    part = tmp_path / "part.json"
    part.write_text(json.dumps(first), encoding="utf-8")
    [one] = run(case, part)
    assert [m.text for m in messages(case, one)][0] == "I never said that"
    [got] = run(case, later)  # message 11 slots in first; 12 and 13 gain their marks
    assert (got.messages_added, got.renumbered, got.marks_added) == (1, 3, 2)
    texts = [(m.text, m.marks("Europe/London")) for m in messages(case, got)]
    assert texts == [("She was at the gym at 6", ["Forwarded from Dave Price"]),
                     ("I never said that", ["Edited 14/03/2025 22:40 GMT"]),
                     ("Saw you", ["Forwarded from Dave Price"]), ("Stop", [])]
    with case.read() as session:
        event = [e for e in entries(session, "conversation") if e.action == "import"][-1]
    assert [a["message"] for a in event.details["marks_added"]] == [2, 3]


def _forwarded_chat(tmp_path, name, marked=True):
    data = {"name": "Mark", "type": "personal_chat", "id": 5550123, "messages": [
        {"id": 11, "type": "message", "date": "2025-03-14T22:15:00",
         "date_unixtime": "1741990500", "from": "Mark", "from_id": "user5550123",
         **({"forwarded_from": "Dave Price"} if marked else {}),
         "text": "She was at the gym at 6", "text_entities": []},
        {"id": 12, "type": "message", "date": "2025-03-14T22:16:00",
         "date_unixtime": "1741990560", "from": "Mark", "from_id": "user5550123",
         **({"forwarded_from": None} if marked else {}),
         "text": "Saw you", "text_entities": []},
        {"id": 13, "type": "message", "date": "2025-03-14T22:17:00",
         "date_unixtime": "1741990620", "from": "Mark", "from_id": "user5550123",
         "text": "Dave told me where you live", "text_entities": []}]}
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _found(case, words):
    from evidence_app.core.search.messages import search_messages
    hits, _total = search_messages(case, words)
    return sorted(h.snippet.replace("[", "").replace("]", "") for h in hits)


def _index_true(case):
    from evidence_app.core.search import messages as search
    with case.read() as session:
        conn = session.connection()
        assert search.pending(conn) == 0
        assert search.differences(conn) == []


def test_a_forwarded_message_is_found_by_forwarded_and_by_whom(case, tmp_path):
    [got] = run(case, _forwarded_chat(tmp_path, "result.json"))
    assert _found(case, "forwarded") == ["Forwarded from Dave Price: She was at the gym at 6",
                                         "Forwarded: Saw you"]
    assert _found(case, "Dave Price") == ["Forwarded from Dave Price: She was at the gym at 6"]
    assert _found(case, "Dave") == ["Dave told me where you live",
                                    "Forwarded from Dave Price: She was at the gym at 6"]
    assert [m.text for m in messages(case, got)][:2] == ["She was at the gym at 6",
                                                         "Saw you"]  # exact
    _index_true(case)


def test_a_forwarded_mark_added_on_reimport_is_found(case, tmp_path):
    run(case, _forwarded_chat(tmp_path, "a.json", marked=False))
    assert _found(case, "forwarded") == []
    [again] = run(case, _forwarded_chat(tmp_path, "b.json"))
    assert again.marks_added == 2 and again.messages_added == 0
    assert _found(case, "forwarded") == ["Forwarded from Dave Price: She was at the gym at 6",
                                         "Forwarded: Saw you"]
    assert _found(case, "Price") == ["Forwarded from Dave Price: She was at the gym at 6"]
    _index_true(case)
