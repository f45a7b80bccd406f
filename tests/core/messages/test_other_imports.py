"""Text messages and calls (SMS Backup & Restore), email (.eml, .mbox), Instagram and
Messenger downloads, and Telegram exports, imported end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from evidence_app.core import conversations as api
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.messages import import_messages, sniff_export
from evidence_app.core.importers.meta_dyi import repair_mojibake
from tests.fixtures import message_exports as fx


def run(case, path, **kw) -> list[ConversationImport]:
    return [e.item for e in import_messages(case, path, **kw)
            if isinstance(e.item, ConversationImport)]


def msgs(case, conversation_id):
    return api.messages_page(case, conversation_id, limit=1000)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_sms_backup_texts_mms_picture_and_emoji(case, tmp_path):
    picture = fx.jpeg_bytes("#30a050")
    path = tmp_path / "sms-20250316090000.xml"
    path.write_text(fx.sms_backup_xml(picture), encoding="utf-8")
    assert sniff_export(path) == "sms_backup"
    [got] = run(case, path)
    assert (got.title, got.messages_added, got.files) == ("Mark", 3, 1)
    m = msgs(case, got.conversation_id)
    # The emoji was written as two surrogate references; it reads as one character.
    assert (m[0].sender_name, m[0].text, m[0].sent_at) == (
        "Mark", "Why are you ignoring me? 😡", utc(2025, 3, 14, 22, 15))
    assert m[0].time_basis == "exact" and m[0].source_line == 1
    assert m[1].outgoing and m[1].sender_name == "Jane Smith" and m[1].text == "Please stop"
    assert m[2].text == "Outside your door" and m[2].source_line == 3
    [att] = m[2].attachments
    assert att.media_type == "image/jpeg" and att.kind in ("image", "photo")
    # A picture with no date of its own is dated when its message was sent.
    from evidence_app.core.attachments import get_attachment
    shown = get_attachment(case, att.attachment_id)
    assert shown.captured_at == m[2].sent_at
    # ...and says so: not "c. ..., from the file modification time".
    from evidence_app.core.capture_time import capture_source_text, capture_text
    assert shown.captured_from == "message"
    assert capture_source_text(shown.captured_from) == "time of the message it was sent in"
    assert capture_text(shown.captured_at, shown.captured_from, shown.original_name,
                        "Europe/London") == "14 Mar 2025, 22:17 GMT"
    with case.read() as session:
        from evidence_app.core.store.models import Attachment
        sha = session.get(Attachment, att.attachment_id).sha256
    import hashlib
    assert sha == hashlib.sha256(picture).hexdigest()


def test_call_log_missed_rejected_withheld_and_outgoing(case, tmp_path):
    texts = tmp_path / "sms.xml"
    texts.write_text(fx.sms_backup_xml(fx.jpeg_bytes()), encoding="utf-8")
    [first] = run(case, texts)
    path = tmp_path / "calls-20250316.xml"
    path.write_text(fx.CALLS_XML, encoding="utf-8")
    assert sniff_export(path) == "sms_backup"
    got = {g.title: g for g in run(case, path)}
    # Calls from Mark's number join the conversation of his texts, however it is written.
    assert got["Mark"].conversation_id == first.conversation_id
    assert got["Mark"].messages_added == 3 and got["Mark"].calls == 3
    m = msgs(case, first.conversation_id)[3:]
    assert [(x.call_status, x.call_direction) for x in m] == [
        ("missed", "incoming"), ("rejected", "incoming"), ("answered", "outgoing")]
    assert m[0].call_summary() == "Missed call from +447700900123"
    assert m[2].call_seconds == 125 and m[2].call_summary().endswith("2 min 5 s")
    withheld = msgs(case, got["Withheld numbers"].conversation_id)
    assert [(x.kind, x.call_number, x.call_status) for x in withheld] == [
        ("call", "Withheld number", "missed")]
    days = api.day_counts(case, first.conversation_id)
    assert days == [api.DayCount(datetime(2025, 3, 14).date(), 3, 3, 2)]


def test_a_cut_off_backup_keeps_what_it_read_and_says_where(case, tmp_path):
    xml = fx.sms_backup_xml(fx.jpeg_bytes())
    path = tmp_path / "sms.xml"
    path.write_text(xml[: xml.index("<mms")] + "<sms address=\"+447", encoding="utf-8")
    [got] = run(case, path)
    assert got.messages_added == 2
    assert any("damaged or cut short at line" in p and "after entry 2" in p
               for p in got.problems)


def test_eml_with_attachment(case, tmp_path):
    when = datetime(2025, 3, 14, 22, 15, tzinfo=timezone(timedelta(hours=1)))
    path = tmp_path / "message.eml"
    path.write_bytes(fx.mail("Mark Jones <mark@example.com>", "Jane <jane@example.org>",
                             "You can't hide", when, "I know where you work.\n",
                             ("photo.jpg", fx.jpeg_bytes())))
    assert sniff_export(path) == "eml"
    [got] = run(case, path)
    [m] = msgs(case, got.conversation_id)
    assert (m.sender_name, m.subject, m.sent_at, m.time_basis) == (
        "Mark Jones", "You can't hide", utc(2025, 3, 14, 21, 15), "offset")
    assert m.text == "To: Jane <jane@example.org>\n\nI know where you work."
    assert [a.name for a in m.attachments] == ["photo.jpg"]


def test_mbox_threads_by_correspondent_and_finds_the_owner(case, tmp_path):
    base = datetime(2025, 3, 14, 22, 0, tzinfo=UTC)
    mails = [
        fx.mail("Mark <mark@example.com>", "jane@example.org", "One", base, "From the start\n"),
        fx.mail("jane@example.org", "Mark <mark@example.com>", "Re: One",
                base + timedelta(minutes=5), "Stop.\n"),
        fx.mail("Sam <sam@example.net>", "jane@example.org", "Hi", base + timedelta(hours=1),
                "Unrelated\n", ("pic.jpg", fx.jpeg_bytes())),
    ]
    path = tmp_path / "Inbox"
    path.write_bytes(fx.mbox(mails))
    assert sniff_export(path) == "mbox"
    got = {g.title: g for g in run(case, path)}
    assert set(got) == {"Mark", "Sam"}
    mark = msgs(case, got["Mark"].conversation_id)
    assert [m.text.split("\n\n", 1)[1] for m in mark] == ["From the start", "Stop."]
    assert mark[1].outgoing and not mark[0].outgoing
    assert mark[0].source_line == 1
    sam = msgs(case, got["Sam"].conversation_id)
    assert sam[0].source_line > mark[1].source_line and len(sam[0].attachments) == 1


def test_instagram_download_repairs_the_mis_encoded_text(case, tmp_path):
    folder = tmp_path / "your_instagram_activity" / "messages" / "inbox" / "markjones_123"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "1.jpg").write_bytes(fx.jpeg_bytes())
    path = folder / "message_1.json"
    path.write_text(fx.meta_message_json(), encoding="utf-8")
    assert sniff_export(path) == "meta_dyi"
    [got] = run(case, path)
    assert got.source == "instagram" and got.title == "Mark Jonés"
    m = msgs(case, got.conversation_id)
    assert [x.sender_name for x in m] == ["Mark Jonés", "Mark Jonés", "Jane Smith"]
    assert m[0].text == "Why are you ignoring me? ☺️ I’m outside 🚗"
    assert m[0].sent_at == utc(2025, 3, 14, 22, 15) and m[0].source_line == 3
    assert len(m[1].attachments) == 1 and m[2].outgoing


def test_mojibake_repair_leaves_proper_text_alone():
    assert repair_mojibake(fx.mojibake("Zoë 😡")) == "Zoë 😡"
    assert repair_mojibake("Zoë") == "Zoë"  # Latin-1 that is not UTF-8 bytes stays
    assert repair_mojibake("plain") == "plain"


def test_telegram_formatted_text_calls_and_photo(case, tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "photo_1@14-03-2025_22-18-00.jpg").write_bytes(fx.jpeg_bytes())
    path = tmp_path / "result.json"
    path.write_text(fx.telegram_json(), encoding="utf-8")
    assert sniff_export(path) == "telegram"
    [got] = run(case, path)
    m = msgs(case, got.conversation_id)
    assert m[1].text == "I know where you live. See https://example.com/x"
    assert m[1].source_line == 102 and m[1].sent_at == utc(2025, 3, 14, 22, 15, 30)
    assert (m[2].kind, m[2].call_status, m[2].call_direction) == ("call", "missed", "incoming")
    assert m[3].outgoing and m[3].sender_name == "Jane Smith"
    assert len(m[4].attachments) == 1


def test_a_mail_the_person_sent_is_theirs_by_the_case_owners_name(case, tmp_path):
    when = datetime(2025, 3, 14, 22, 15, tzinfo=UTC)
    path = tmp_path / "sent.eml"
    path.write_bytes(fx.mail("Jane Smith <jane@example.org>", "Mark <mark@example.com>",
                             "Stop", when, "Please stop contacting me.\n"))
    [got] = run(case, path)
    assert got.title == "Mark"
    [m] = msgs(case, got.conversation_id)
    assert m.outgoing and m.sender_name == "Jane Smith"
