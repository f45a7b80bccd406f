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
