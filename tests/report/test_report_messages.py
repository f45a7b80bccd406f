"""An incident made from messages prints them as a transcript (time, sender, exact text,
emoji as sent, pictures as exhibits), each line traceable to its export file's mark and
message numbers; the summary counts messages and calls per week; the exhibit list names
each export file with its hash."""

from __future__ import annotations

import re
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
    # Messages 1-2 were read from part 2's message_2.json, 3-5 from part 1's message_1.json.
    assert (f"Source: {second['exhibit']}, messages 1-2; {first['exhibit']}, messages 3-5."
            in text)
    listing = text[text.rindex("Exhibit list"):]
    for part in (first, second, third):
        assert part["sha256"] in listing.replace(" ", ""), part["file"]
    assert listing.count("the file the transcripts were read from") == 2
    assert "a part of the download the pictures in the transcripts came from" in listing
