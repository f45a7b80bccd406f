"""WhatsApp chat exports in the shapes the phones write, imported end to end: sender,
time (including a clock-change night), exact text, attachments, system lines, calls,
date order, re-import of a longer export, and damaged input."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import pytest

from evidence_app.core import conversations as api
from evidence_app.core.attachments import get_attachment
from evidence_app.core.importers.chat import ConversationImport, ImportProblem
from evidence_app.core.importers.messages import (
    AmbiguousDateOrder,
    import_messages,
    sniff_export,
)
from evidence_app.core.store.models import Attachment
from tests.fixtures import message_exports as fx


def run(case, path, **kw) -> list[ConversationImport]:
    return [e.item for e in import_messages(case, path, **kw)
            if isinstance(e.item, ConversationImport)]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def msgs(case, conversation_id):
    return api.messages_page(case, conversation_id, limit=1000)


def test_android_uk_24h_text_export(case, tmp_path):
    path = tmp_path / "WhatsApp Chat with Mark.txt"
    path.write_text(fx.ANDROID_UK, encoding="utf-8")
    assert sniff_export(path) == "whatsapp"
    [got] = run(case, path)
    assert (got.title, got.messages_added, got.problems) == ("Mark", 8, [])
    m = msgs(case, got.conversation_id)
    assert [x.kind for x in m] == ["system", "text", "text", "text", "text", "text", "call",
                                   "text"]
    assert m[0].text.startswith("Messages and calls are end-to-end encrypted.")
    # 22:15 on 14 March 2025 in London is GMT: the same in UTC.
    assert (m[1].sender_name, m[1].sent_at, m[1].text) == (
        "Mark", utc(2025, 3, 14, 22, 15), "Why are you ignoring me?")
    assert m[1].time_basis == "case_zone" and m[1].source_line == 2
    assert m[2].text == ("I know you're home. I can see the light on 😡\nI'll wait outside\n"
                         "all night if I have to")
    assert m[3].text == "<Media omitted>" and m[3].attachments == ()
    assert m[4].sender_name == "Jane Smith" and m[4].outgoing
    assert m[5].text == "This message was deleted" and not m[5].outgoing
    assert (m[6].call_status, m[6].call_direction) == ("missed", "incoming")
    assert m[7].source_line == 10


@pytest.mark.parametrize(("text", "order", "first", "last"), [
    (fx.ANDROID_US_12H, None, utc(2025, 3, 14, 22, 15), utc(2025, 3, 15, 0, 5)),
    (fx.ANDROID_NEW_12H, None, utc(2025, 3, 14, 22, 15), utc(2025, 3, 15, 9, 30)),
])
def test_twelve_hour_clocks_and_month_first_dates(case, tmp_path, text, order, first, last):
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    [got] = run(case, path, date_order=order)
    m = msgs(case, got.conversation_id)
    assert m[0].sent_at == first and m[-1].sent_at == last
    assert m[0].text == "Why are you ignoring me?"


def test_iphone_zip_with_marks_and_attached_photo(case, tmp_path):
    picture = fx.jpeg_bytes()
    path = fx.whatsapp_zip(tmp_path / "WhatsApp Chat - Mark.zip", fx.IPHONE, "_chat.txt",
                           {"00000012-PHOTO-2025-03-14-22-15-40.jpg": picture})
    assert sniff_export(path) == "whatsapp"
    [got] = run(case, path)
    assert got.title == "Mark" and got.files == 1 and got.problems == []
    m = msgs(case, got.conversation_id)
    assert m[0].kind == "system" and m[0].sender_name == ""
    assert (m[1].sent_at, m[1].text) == (utc(2025, 3, 14, 22, 15, 3), "Why are you ignoring me?")
    assert m[2].text == "Look who's outside"
    [att] = m[2].attachments
    assert att.name == "00000012-PHOTO-2025-03-14-22-15-40.jpg" and att.media_type == "image/jpeg"
    with case.read() as session:
        origin = session.get(Attachment, att.attachment_id).original_path
    assert get_attachment(case, att.attachment_id).original_name == att.name
    assert origin.endswith("WhatsApp Chat - Mark.zip/00000012-PHOTO-2025-03-14-"
                                       "22-15-40.jpg")
    assert m[3].text == "image omitted" and m[3].attachments == ()
    assert m[4].text == "Leave me alone\nPlease" and m[4].outgoing
    assert m[5].kind == "call" and m[5].call_status == "missed"
    conv = api.get_conversation(case, got.conversation_id)
    assert conv.exports[0].file_name == "WhatsApp Chat - Mark.zip"
    assert conv.exports[0].sha256 == got.export_sha256


def test_android_zip_with_file_attached_and_caption(case, tmp_path):
    path = fx.whatsapp_zip(tmp_path / "WhatsApp Chat with Mark.zip", fx.ANDROID_WITH_MEDIA,
                           "WhatsApp Chat with Mark.txt",
                           {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes("#2040c0")})
    [got] = run(case, path)
    m = msgs(case, got.conversation_id)
    assert m[0].text == "Look who's outside"
    assert [a.name for a in m[0].attachments] == ["IMG-20250314-WA0003.jpg"]


def test_a_clock_change_night_keeps_the_order_of_the_repeated_hour(case, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(fx.CLOCK_CHANGE, encoding="utf-8")
    [got] = run(case, path)
    m = msgs(case, got.conversation_id)
    assert [x.sent_at for x in m] == [
        utc(2024, 10, 26, 23, 50), utc(2024, 10, 27, 0, 10), utc(2024, 10, 27, 0, 50),
        utc(2024, 10, 27, 1, 20), utc(2024, 10, 27, 2, 30)]
    assert "recorded as the first, 01:10 BST" in m[1].time_note
    assert "recorded as the second, 01:20 GMT" in m[3].time_note
    assert m[0].time_note == "" and m[4].time_note == ""


def test_a_time_the_clocks_skipped_is_kept_and_said(case, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("31/03/2024, 01:30 - Mark: skipped hour\n31/03/2024, 02:30 - Mark: x\n",
                    encoding="utf-8")
    [got] = run(case, path)
    m = msgs(case, got.conversation_id)
    assert "did not exist in Europe/London" in m[0].time_note


def test_an_ambiguous_date_order_is_asked_then_honoured(case, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(fx.AMBIGUOUS, encoding="utf-8")
    with pytest.raises(AmbiguousDateOrder) as info:
        run(case, path)
    assert set(info.value.choices) == {"dmy", "mdy"}
    assert "day/month/year" in str(info.value) and "month/day/year" in str(info.value)
    [got] = run(case, path, date_order="mdy")
    assert msgs(case, got.conversation_id)[0].sent_at == utc(2025, 3, 4, 22, 15)


def test_the_date_order_is_decided_from_the_whole_file(case, tmp_path):
    text = fx.AMBIGUOUS + "13/04/2025, 09:00 - Mark: the 13th settles it\n"
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    [got] = run(case, path)
    assert msgs(case, got.conversation_id)[0].sent_at == utc(2025, 4, 3, 21, 15)


def test_reimporting_a_longer_export_adds_only_new_messages(case, tmp_path):
    first = tmp_path / "a" / "WhatsApp Chat with Mark.txt"
    first.parent.mkdir()
    lines = fx.ANDROID_UK.splitlines(keepends=True)
    first.write_text("".join(lines[:6]), encoding="utf-8")
    [one] = run(case, first)
    later = tmp_path / "b" / "WhatsApp Chat with Mark.txt"
    later.parent.mkdir()
    later.write_text(fx.ANDROID_UK, encoding="utf-8")
    [two] = run(case, later)
    assert two.conversation_id == one.conversation_id and not two.new_conversation
    assert (one.messages_added, two.messages_read, two.messages_added) == (4, 8, 4)
    assert (two.first_index, two.last_index) == (5, 8)
    m = msgs(case, one.conversation_id)
    assert [x.index for x in m] == list(range(1, 9))
    assert len(api.get_conversation(case, one.conversation_id).exports) == 2
    # Importing the same export again adds nothing.
    [three] = run(case, later)
    assert three.messages_added == 0


def test_damaged_lines_are_listed_by_number_and_the_rest_imported(case, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes(b"garbage at the top\n" + fx.ANDROID_UK.encode()
                     + b"31/02/2025, 10:00 - Mark: impossible date\n"
                     + b"\x00\x01\x02 binary\n"
                     + b"16/03/2025, 10:00 - Mark: caf\xe9 not utf-8\n")
    [got] = run(case, path)
    assert got.messages_added == 9
    text = "\n".join(got.problems)
    assert "line 1: text before the first message" in text
    assert "line 12: the date 31/02/2025 10:00" in text
    assert "line 13: unreadable characters" in text
    assert "line 14: not valid UTF-8" in text
    conv = api.get_conversation(case, got.conversation_id)
    assert conv.exports[0].problems == tuple(got.problems)


def test_zip_slip_and_bombs_are_refused(case, tmp_path):
    path = tmp_path / "WhatsApp Chat - Mark.zip"
    chat = fx.ANDROID_WITH_MEDIA.replace("IMG-20250314-WA0003.jpg", "evil.jpg")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("WhatsApp Chat with Mark.txt", chat)
        zf.writestr("../evil.jpg", fx.jpeg_bytes())
        zf.writestr("bomb.jpg", b"\0" * (5 * 1024 * 1024))
    [got] = run(case, path)
    text = "\n".join(got.problems)
    assert "../evil.jpg: its path points outside the export" in text
    assert "bomb.jpg: compressed" in text
    assert not (tmp_path.parent / "evil.jpg").exists()
    assert msgs(case, got.conversation_id)[0].attachments == ()


def test_the_importer_is_picked_from_content_not_name(case, tmp_path):
    renamed = tmp_path / "notes.xml"
    renamed.write_text(fx.ANDROID_UK, encoding="utf-8")
    assert sniff_export(renamed) == "whatsapp"
    other = tmp_path / "chat.txt"
    other.write_text("Just a shopping list\nmilk\n", encoding="utf-8")
    assert sniff_export(other) is None
    with pytest.raises(ImportProblem, match="not a message export"):
        run(case, other)


def test_files_from_a_chat_stay_out_of_the_inbox_until_their_messages_are_filed(case, tmp_path):
    from evidence_app.core.attachments import count_inbox, incident_attachments, list_inbox

    path = fx.whatsapp_zip(tmp_path / "WhatsApp Chat - Mark.zip", fx.IPHONE, "_chat.txt",
                           {"00000012-PHOTO-2025-03-14-22-15-40.jpg": fx.jpeg_bytes()})
    [got] = run(case, path)
    assert count_inbox(case) == 0 and list_inbox(case) == []
    [picture] = msgs(case, got.conversation_id)[2].attachments
    iid = api.incident_from_messages(case, [msgs(case, got.conversation_id)[2].id])
    assert [a.id for a in incident_attachments(case, iid)] == [picture.attachment_id]


def test_broken_and_empty_exports_say_so_and_change_nothing(case, tmp_path):
    from evidence_app.core.attachments import count_inbox

    cut = tmp_path / "WhatsApp Chat - Mark.zip"
    fx.whatsapp_zip(cut, fx.IPHONE, "_chat.txt", {"a.jpg": fx.jpeg_bytes()})
    cut.write_bytes(cut.read_bytes()[:200])  # cut short: no central directory
    with pytest.raises(ImportProblem, match="not a message export"):
        run(case, cut)
    no_chat = tmp_path / "photos.zip"
    with zipfile.ZipFile(no_chat, "w") as zf:
        zf.writestr("notes.txt", "just some notes\n")
    with pytest.raises(ImportProblem):
        run(case, no_chat, importer="whatsapp")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportProblem):
        run(case, empty, importer="whatsapp")
    assert api.list_conversations(case) == [] and count_inbox(case) == 0


@pytest.mark.parametrize(("text", "first"), [
    # German Android (dots, as in whatstk's sample chats), year first (seen in exports
    # from phones set to ISO dates), iPhone in the US (month first, 12-hour, seconds).
    ("15.04.2016, 15:04 - Ash Ketchum: Hey guys!\n06.08.2016, 13:25 - Brock: Hey Ash\n",
     datetime(2016, 4, 15, 14, 4, tzinfo=UTC)),
    ("[2025-03-13, 5:17:38 PM] Mark: Message text\n[2025-03-13, 5:47:51 PM] Mark: more\n",
     datetime(2025, 3, 13, 17, 17, 38, tzinfo=UTC)),
    (f"{fx.LRM}[3/14/25, 10:15:03 PM] Mark: Why?\n[3/15/25, 12:00:01 AM] Mark: Answer\n",
     datetime(2025, 3, 14, 22, 15, 3, tzinfo=UTC)),
])
def test_other_date_forms_phones_write(case, tmp_path, text, first):
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    [got] = run(case, path)
    m = msgs(case, got.conversation_id)
    assert m[0].sent_at == first and len(m) == 2 and m[0].sender_name in ("Ash Ketchum", "Mark")


def test_an_export_without_its_media_says_each_missing_file_once(case, tmp_path):
    """Shared without media: one line, with the reason, by the message number the app
    shows, and singular or plural as it should be (not once by line and again by message)."""
    one = tmp_path / "WhatsApp Chat with Mark.txt"
    one.write_text(fx.ANDROID_WITH_MEDIA, encoding="utf-8")
    [got] = run(case, one)
    assert got.problems == ["1 file named in the chat is not in this export (it was shared "
                            "without media): message 1 (IMG-20250314-WA0003.jpg)."]
    two = tmp_path / "WhatsApp Chat with Dave.txt"
    two.write_text(fx.ANDROID_WITH_MEDIA + "14/03/2025, 22:17 - Mark: VID-20250314-WA0004.mp4 "
                   "(file attached)\n14/03/2025, 22:18 - Mark: IMG-20250314-WA0005.jpg "
                   "(file attached)\n", encoding="utf-8")
    [got] = run(case, two)
    assert got.problems == ["3 files named in the chat are not in this export (it was shared "
                            "without media): messages 1, 3-4."]


def test_a_zip_missing_one_of_its_pictures_names_it_once(case, tmp_path):
    chat = fx.IPHONE + ("[14/03/2025, 22:19:00] Mark: <attached: "
                        "00000013-PHOTO-2025-03-14-22-19-00.jpg>\n")
    path = fx.whatsapp_zip(tmp_path / "WhatsApp Chat - Mark.zip", chat, "_chat.txt",
                           {"00000012-PHOTO-2025-03-14-22-15-40.jpg": fx.jpeg_bytes()})
    [got] = run(case, path)
    assert got.files == 1
    assert got.problems == ["message 7: 00000013-PHOTO-2025-03-14-22-19-00.jpg was not in "
                            "the export"]
