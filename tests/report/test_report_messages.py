"""An incident made from messages prints them as a transcript (time, sender, exact text,
emoji as sent, pictures as exhibits), each line traceable to its export file's mark and
message numbers; the summary counts messages and calls per week; the exhibit list names
each export file with its hash."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from pypdf import PdfReader

from evidence_app.core import conversations as api
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.messages import import_messages
from evidence_app.core.report import ReportOptions, ReportResult, build_report
from tests.fixtures import message_exports as fx


def build(case, out: Path) -> ReportResult:
    events = list(build_report(case, ReportOptions.for_profile("police"), out))
    result = events[-1].item
    assert isinstance(result, ReportResult)
    return result


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_transcript_weekly_counts_and_export_in_exhibit_list(case, tmp_path):
    path = fx.whatsapp_zip(tmp_path / "WhatsApp Chat - Mark.zip", fx.IPHONE, "_chat.txt",
                           {"00000012-PHOTO-2025-03-14-22-15-40.jpg": fx.jpeg_bytes()})
    [got] = [e.item for e in import_messages(case, path) if isinstance(e.item, ConversationImport)]
    conv = api.get_conversation(case, got.conversation_id)
    mark = next(p for p in conv.participants if p.name == "Mark")
    api.set_participant(case, mark.id, is_suspect=True)
    chosen = api.messages_in_range(case, conv.id, 2, 6)
    iid = api.incident_from_messages(case, [m.id for m in chosen])
    result = build(case, tmp_path / "report.pdf")
    pages = [p.extract_text() for p in PdfReader(result.path).pages]
    text = squash("\n".join(pages))
    export = got.export_exhibit
    # Traceable: the conversation, the export's mark and the message numbers.
    assert (f"WhatsApp conversation \u201cMark\u201d: 4 messages and 1 missed call. Source: "
            f"{export}, messages 2-6.") in text
    assert "read in the case's time zone (Europe/London)" in text
    for line in ("Why are you ignoring me?", "Look who's outside", "image omitted",
                 "Leave me alone", "Missed call from Mark"):
        assert line in text, line
    photo = chosen[1].attachments[0]
    assert f"exhibit {photo.exhibit_mark}" in text
    assert "14 Mar 2025 22:15:03 GMT" in text
    # The picture is an exhibit of the incident, drawn with it.
    assert result.exhibits == 1
    # The summary counts by week; the exhibit list names the export with its hash.
    assert "Messages and calls by week" in text
    summary = squash(pages[1] + pages[2] if len(pages) > 2 else pages[1])
    assert re.search(r"10 Mar 2025 4 1 1", summary), summary
    assert "4 messages and 1 missed call from Mark" in text
    listing = text[text.rindex("Exhibit list"):]
    assert "WhatsApp Chat - Mark.zip" in listing and "Messages export" in listing
    assert got.export_sha256 in listing.replace(" ", "")
    assert iid


def test_the_persons_address_in_a_message_is_withheld_from_the_transcript(case, tmp_path):
    from evidence_app.core.settings import update_settings

    update_settings(case, address="Flat 2\n14 Elm Road\nBristol\nBS7 8AA")
    chat = ("14/03/2025, 22:15 - Mark: I'm outside 14 Elm Road again\n"
            "14/03/2025, 22:16 - Jane Smith: Go away\n")
    path = tmp_path / "WhatsApp Chat with Mark.txt"
    path.write_text(chat, encoding="utf-8")
    [got] = [e.item for e in import_messages(case, path) if isinstance(e.item, ConversationImport)]
    api.incident_from_messages(case, [m.id for m in api.messages_page(case, got.conversation_id)])
    result = build(case, tmp_path / "report.pdf")
    text = squash(" ".join(p.extract_text() for p in PdfReader(result.path).pages))
    assert "Elm Road" not in text and "I'm outside [address withheld] again" in text
    assert "Go away" in text


def test_a_transcript_from_a_download_in_parts_cites_each_part(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    got = {e.item.title: e.item for e in import_messages(case, parts)
           if isinstance(e.item, ConversationImport)}
    mark = got["Mark Jon\u00e9s"]
    first, second, third = mark.parts
    chosen = api.messages_in_range(case, mark.conversation_id, 1, 5)
    api.incident_from_messages(case, [m.id for m in chosen])
    result = build(case, tmp_path / "report.pdf")
    text = squash("\n".join(p.extract_text() for p in PdfReader(result.path).pages))
    # Messages 1-2 were read from part 2's message_2.json, 3-5 from part 1's message_1.json;
    # each is cited by its number in its own file.
    assert (f"Source: {second['exhibit']}, messages 1-2; {first['exhibit']}, messages 1-3."
            in text)
    listing = text[text.rindex("Exhibit list"):]
    for part in (first, second, third):
        assert part["sha256"] in listing.replace(" ", ""), part["file"]
    assert listing.count("the file the transcripts were read from") == 2
    assert "a part of the download the pictures in the transcripts came from" in listing
def test_transcript_numbers_stay_when_a_later_export_slots_earlier_messages_in(case, tmp_path):
    """Each line cites its number in its own export file: an incident printed before a
    longer export was imported prints the same numbers after, though the messages'
    places in the conversation moved; an incident holding messages of two exports
    names each line's file."""
    lines = ["14/03/2025, 22:15 - Mark: one", "14/03/2025, 22:16 - Mark: two",
             "14/03/2025, 22:17 - Mark: three", "14/03/2025, 22:18 - Mark: four"]
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "WhatsApp Chat with Mark.txt"
    first.write_text("".join(x + "\n" for x in lines[2:]), encoding="utf-8")
    [one] = [e.item for e in import_messages(case, first) if isinstance(e.item, ConversationImport)]
    made = api.messages_page(case, one.conversation_id)
    iid = api.incident_from_messages(case, [m.id for m in made])

    def transcript_text() -> str:
        result = build(case, tmp_path / "report.pdf")
        return squash("\n".join(p.extract_text() for p in PdfReader(result.path).pages))

    before = transcript_text()
    assert f"Source: {one.export_exhibit}, messages 1-2." in before
    (tmp_path / "b").mkdir()
    longer = tmp_path / "b" / "WhatsApp Chat with Mark.txt"
    longer.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    [two] = [e.item for e in import_messages(case, longer) if isinstance(e.item, ConversationImport)]
    assert (two.messages_added, two.renumbered) == (2, 2)
    assert [m.index for m in api.incident_messages(case, iid)] == [3, 4]
    after = transcript_text()
    assert f"Source: {one.export_exhibit}, messages 1-2." in after
    assert re.search(r"No\. Time From Message 1 14 Mar 2025", after), after
    # Now add "one" (message 1 of the second file) to the incident.
    earliest = api.messages_page(case, one.conversation_id, limit=1)[0]
    api.add_messages_to_incident(case, iid, [earliest.id])
    both = transcript_text()
    assert (f"Source: {two.export_exhibit}, message 1; {one.export_exhibit}, messages 1-2."
            in both), both
    assert f"1 {two.export_exhibit} 14 Mar 2025" in both, both


def test_transcript_shows_the_phone_times_after_the_case_zone_changed(case, tmp_path):
    """Messages read in the case's zone keep showing the times the phone showed, and
    say which zone they were read in, after the case's zone is changed."""
    from evidence_app.core.settings import update_settings

    path = tmp_path / "WhatsApp Chat with Mark.txt"
    path.write_text(fx.ANDROID_UK, encoding="utf-8")
    [got] = [e.item for e in import_messages(case, path) if isinstance(e.item, ConversationImport)]
    chosen = api.messages_in_range(case, got.conversation_id, 2, 3)
    api.incident_from_messages(case, [m.id for m in chosen])
    update_settings(case, timezone="Asia/Tokyo")
    result = build(case, tmp_path / "report.pdf")
    text = squash("\n".join(p.extract_text() for p in PdfReader(result.path).pages))
    assert "read in Europe/London, the case's time zone when they were imported" in text
    assert "14 Mar 2025 22:15:00 GMT" in text and "22:16:00 GMT" in text


def test_forwarded_and_edited_messages_say_so_in_the_transcript(case, tmp_path):
    data = {"name": "Mark", "type": "personal_chat", "id": 5550123, "messages": [
        {"id": 11, "type": "message", "date": "2025-03-14T22:15:00",
         "date_unixtime": "1741990500", "from": "Mark", "from_id": "user5550123",
         "forwarded_from": "Dave Price", "text": "She was at the gym at 6 again",
         "text_entities": []},
        {"id": 12, "type": "message", "date": "2025-03-14T22:17:00",
         "date_unixtime": "1741990620", "edited": "2025-03-14T22:40:00",
         "edited_unixtime": "1741992000", "from": "Mark", "from_id": "user5550123",
         "text": "I never said I'd wait outside", "text_entities": []},
        {"id": 13, "type": "message", "date": "2025-03-14T22:18:00",
         "date_unixtime": "1741990680", "from": "Jane Smith", "from_id": "user1",
         "text": "Stop messaging me", "text_entities": []}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    [got] = [e.item for e in import_messages(case, path) if isinstance(e.item, ConversationImport)]
    api.incident_from_messages(case, [m.id for m in api.messages_page(case, got.conversation_id)])
    result = build(case, tmp_path / "report.pdf")
    text = squash(" ".join(p.extract_text() for p in PdfReader(result.path).pages))
    assert "[Forwarded from Dave Price] She was at the gym at 6 again" in text
    # Edited at 22:40 UTC = 22:40 GMT in March, in the case's zone.
    assert "[Edited 14/03/2025 22:40 GMT] I never said I'd wait outside" in text
    assert "] Stop messaging me" not in text and "Stop messaging me" in text
    if os.environ.get("MARKS_PDF"):  # to look at the page
        shutil.copy(result.path, os.environ["MARKS_PDF"])


def test_an_incident_from_messages_seconds_apart_gives_one_time(case, tmp_path):
    """Two messages at 22:15:03 and 22:15:40: the report, the timeline and the editor say
    "22:15" once, never "between 22:15 and 22:15"."""
    from evidence_app.core.incidents import get_incident, list_incidents

    path = fx.whatsapp_zip(tmp_path / "WhatsApp Chat - Mark.zip", fx.IPHONE, "_chat.txt",
                           {"00000012-PHOTO-2025-03-14-22-15-40.jpg": fx.jpeg_bytes()})
    [got] = [e.item for e in import_messages(case, path) if isinstance(e.item, ConversationImport)]
    chosen = api.messages_in_range(case, got.conversation_id, 2, 3)
    iid = api.incident_from_messages(case, [m.id for m in chosen])
    assert get_incident(case, iid).when_text == "14 Mar 2025, 22:15"
    assert [r.when_text for r in list_incidents(case) if r.id == iid] == ["14 Mar 2025, 22:15"]
    text = squash(" ".join(p.extract_text() for p in PdfReader(build(case, tmp_path / "r.pdf")
                                                                 .path).pages))
    assert "14 Mar 2025, 22:15" in text
    assert "between" not in text.replace("\u201cbetween\u201d", "")
