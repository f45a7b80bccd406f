"""Re-importing a conversation: an export holding earlier messages slots them in by time
(the numbers a report cites, each message's number in its own export file, never move),
and the same message is recognised across a change of the case's time zone and across
exports with and without their media (the picture goes onto the message already there)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from evidence_app.core import conversations as api
from evidence_app.core.attachments import get_attachment
from evidence_app.core.importers.chat import (
    ChatMessage,
    ConversationImport,
    identities,
    is_media_placeholder,
    place_new,
)
from evidence_app.core.importers.messages import import_messages
from evidence_app.core.report.transcript import sources_text
from evidence_app.core.settings import update_settings
from evidence_app.core.store.models import AuditEvent
from evidence_app.core.store.verify import run_verify
from tests.fixtures import message_exports as fx

CHAT = "WhatsApp Chat with Mark.txt"
LINES = [
    "14/03/2025, 22:15 - Mark: one",
    "14/03/2025, 22:16 - Mark: two",
    "14/03/2025, 22:17 - Jane Smith: three",
    "14/03/2025, 22:18 - Mark: four",
    "14/03/2025, 22:19 - Mark: five",
    "15/03/2025, 07:02 - Mark: six",
    "15/03/2025, 07:03 - Mark: seven",
]


def run(case, path, **kw) -> ConversationImport:
    [got] = [e.item for e in import_messages(case, path, **kw)
             if isinstance(e.item, ConversationImport)]
    return got


def write(tmp_path: Path, folder: str, lines: list[str], name: str = CHAT) -> Path:
    path = tmp_path / folder / name
    path.parent.mkdir()
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def texts(case, conversation_id):
    return [(m.index, m.text, m.export_mark, m.export_number)
            for m in api.messages_page(case, conversation_id, limit=1000)]


def test_an_export_reaching_further_back_slots_earlier_messages_in_by_time(case, tmp_path):
    one = run(case, write(tmp_path, "a", LINES[3:6]))  # four, five, six
    first = api.messages_page(case, one.conversation_id, limit=10)
    incident = api.incident_from_messages(case, [first[0].id, first[1].id])
    before = sources_text(api.incident_messages(case, incident))
    two = run(case, write(tmp_path, "b", LINES))
    assert (two.messages_read, two.messages_added, two.renumbered) == (7, 4, 3)
    assert (two.first_index, two.last_index) == (1, 7)
    a, b = first[0].export_mark, api.get_conversation(case, one.conversation_id).exports[-1].exhibit_mark
    assert a != b
    # In time order; each message keeps its number in the export file it came from.
    assert texts(case, one.conversation_id) == [
        (1, "one", b, 1), (2, "two", b, 2), (3, "three", b, 3), (4, "four", a, 1),
        (5, "five", a, 2), (6, "six", a, 3), (7, "seven", b, 7)]
    # The incident made before is as it was: same messages, same citation.
    kept = api.incident_messages(case, incident)
    assert [m.text for m in kept] == ["four", "five"]
    assert sources_text(kept) == before == f"{a}, messages 1-2"
    [m] = [m for m in api.messages_page(case, one.conversation_id, limit=10)
           if m.text == "seven"]
    assert sources_text([m]) == f"{b}, message 7"
    report = run_verify(case)
    assert report.ok, report.problems


def test_an_export_that_filled_a_gap_puts_the_messages_between(case, tmp_path):
    one = run(case, write(tmp_path, "a", [LINES[0], LINES[1], LINES[5]]))
    two = run(case, write(tmp_path, "b", LINES[1:6]))
    assert (two.messages_added, two.renumbered) == (3, 1)
    assert [t[1] for t in texts(case, one.conversation_id)] == [
        "one", "two", "three", "four", "five", "six"]
    three = run(case, write(tmp_path, "c", LINES))
    assert (three.messages_added, three.renumbered, three.first_index) == (1, 0, 7)
    assert [t[0] for t in texts(case, one.conversation_id)] == [1, 2, 3, 4, 5, 6, 7]


def test_placing_by_time_within_the_exports_own_order():
    times = ["2025-03-14 22:15", "2025-03-14 22:20", "2025-03-14 22:30"]
    # Export: new (22:10), matched 0, new (22:25: by time after existing 1, but the
    # export has it before existing 1's match... it has none, so time decides), matched 2.
    assert place_new(times, [None, 0, None, 2], ["2025-03-14 22:10", "2025-03-14 22:25"]) \
        == [0, 2]
    # Bounded by the export's order: a message the export has right after existing 0
    # and before existing 1 goes between them whatever its time says.
    assert place_new(times, [0, None, 1], ["2025-03-14 23:59"]) == [1]
    # Nothing matched: by time alone; no time: at the end.
    assert place_new(times, [None, None], ["2025-03-14 22:17", None]) == [1, 3]
    assert place_new([], [None], [None]) == [0]


def test_same_messages_after_the_case_time_zone_changed_are_not_duplicated(case, tmp_path):
    one = run(case, write(tmp_path, "a", LINES[:5]))
    update_settings(case, timezone="America/New_York")
    two = run(case, write(tmp_path, "b", LINES))
    assert (two.messages_added, two.renumbered, two.first_index) == (2, 0, 6)
    got = api.messages_page(case, one.conversation_id, limit=10)
    assert [m.text for m in got] == ["one", "two", "three", "four", "five", "six", "seven"]
    # Read in the zone the conversation's messages already use (London, GMT in March),
    # so they stay in order with them.
    assert got[5].sent_at == datetime(2025, 3, 15, 7, 2, tzinfo=UTC)


def test_an_export_with_a_zone_given_again_in_another_zone_matches_by_wall_clock(case, tmp_path):
    path = write(tmp_path, "a", LINES[:3])
    one = run(case, path, timezone="Europe/Paris")
    again = run(case, path, timezone="Asia/Tokyo")
    assert again.conversation_id == one.conversation_id and again.messages_added == 0


def test_with_media_export_after_one_without_gives_the_picture_to_the_same_message(
        case, tmp_path):
    without = write(tmp_path, "a", ["14/03/2025, 22:15 - Mark: <Media omitted>",
                                    "14/03/2025, 22:16 - Mark: Why are you ignoring me?"])
    one = run(case, without)
    first = api.messages_page(case, one.conversation_id, limit=10)
    incident = api.incident_from_messages(case, [first[0].id])
    (tmp_path / "b").mkdir()
    media = fx.whatsapp_zip(tmp_path / "b" / "WhatsApp Chat with Mark.zip",
                            fx.ANDROID_WITH_MEDIA, CHAT,
                            {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    two = run(case, media)
    assert two.conversation_id == one.conversation_id
    assert (two.messages_added, two.files_added, two.files) == (0, 1, 1)
    got = api.messages_page(case, one.conversation_id, limit=10)
    assert len(got) == 2
    # The text stays as first imported; the picture is now the message's.
    assert got[0].text == "<Media omitted>"
    assert [a.name for a in got[0].attachments] == ["IMG-20250314-WA0003.jpg"]
    # The message is in an incident: the picture is now one of its exhibits, as the
    # files of messages put into an incident are.
    att = get_attachment(case, got[0].attachments[0].attachment_id)
    assert att.incident_id == incident
    assert [m.id for m in api.incident_messages(case, incident)] == [first[0].id]
    # Importing it again adds nothing more.
    again = run(case, media)
    assert (again.messages_added, again.files_added) == (0, 0)
    assert len(api.messages_page(case, one.conversation_id, limit=10)[0].attachments) == 1
    report = run_verify(case)
    assert report.ok, report.problems


def test_without_media_export_after_one_with_adds_nothing(case, tmp_path):
    (tmp_path / "a").mkdir()
    media = fx.whatsapp_zip(tmp_path / "a" / "WhatsApp Chat with Mark.zip",
                            fx.ANDROID_WITH_MEDIA, CHAT,
                            {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    one = run(case, media)
    without = write(tmp_path, "b", ["14/03/2025, 22:15 - Mark: <Media omitted>",
                                    "14/03/2025, 22:16 - Mark: Why are you ignoring me?",
                                    "14/03/2025, 22:17 - Mark: Answer"])
    two = run(case, without)
    assert (two.messages_added, two.first_index) == (1, 3)
    got = api.messages_page(case, one.conversation_id, limit=10)
    assert [m.text for m in got] == ["Look who's outside", "Why are you ignoring me?", "Answer"]
    assert len(got[0].attachments) == 1


def test_iphone_image_omitted_and_attached_are_the_same_message():
    def msg(text: str, files: list[str]) -> ChatMessage:
        return ChatMessage("Mark", None, "case_zone", 1, text=text, files=files,
                           wall="2025-03-14 22:15:40",
                           media=bool(files) or is_media_placeholder(text))

    with_media = msg("Look who's outside", ["00000012-PHOTO-2025-03-14-22-15-40.jpg"])
    without = msg("\u200eimage omitted", [])
    other = msg("Look who's outside", [])
    assert without.media and with_media.media and not other.media
    assert identities([with_media]) == identities([without]) != identities([other])
    for text in ("<Media omitted>", "video omitted", "\u200esticker omitted",
                 "report.pdf • 3 pages \u200edocument omitted"):
        assert is_media_placeholder(text), text
    assert not is_media_placeholder("the image omitted nothing")


def test_repeated_messages_in_the_same_minute_stay_two(case, tmp_path):
    lines = ["14/03/2025, 22:15 - Mark: ok", "14/03/2025, 22:15 - Mark: ok"]
    one = run(case, write(tmp_path, "a", lines))
    two = run(case, write(tmp_path, "b", [*lines, "14/03/2025, 22:16 - Mark: ok"]))
    assert (one.messages_added, two.messages_added) == (2, 1)


def test_a_case_from_before_message_identities_is_upgraded_and_recognises_them(tmp_path):
    import sqlite3

    from evidence_app.core.cases import create_case, open_case
    from evidence_app.core.store.folder import DB_NAME

    folder = tmp_path / "case"
    path = write(tmp_path, "a", fx.ANDROID_UK.splitlines())
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        one = run(case, path)
    # As revision 0004 left it: no export numbers, identities made the old way.
    con = sqlite3.connect(folder / DB_NAME)
    con.execute("ALTER TABLE messages DROP COLUMN source_index")
    for column in ("forwarded_from", "edited", "edited_at", "unsent"):  # 0006's
        con.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    con.execute("UPDATE messages SET dedupe_key = 'old-' || id")
    con.execute("UPDATE alembic_version SET version_num = '0004'")
    con.commit()
    con.close()
    with open_case(folder) as case:
        got = api.messages_page(case, one.conversation_id, limit=20)
        assert [m.export_number for m in got] == [m.index for m in got] == list(range(1, 9))
        assert all(m.source_index is None for m in got)
        again = run(case, path)
        assert again.messages_added == 0
        longer = write(tmp_path, "b", [*fx.ANDROID_UK.splitlines(),
                                       "15/03/2025, 07:05 - Mark: Answer me"])
        assert run(case, longer).messages_added == 1
        report = run_verify(case)
        assert report.ok, report.problems


def test_an_older_telegram_export_with_local_times_matches_after_a_zone_change(case, tmp_path):
    import json

    data = json.loads(fx.telegram_json())
    for m in data["messages"]:
        del m["date_unixtime"]  # older exports: local times only
    data["messages"] = [m for m in data["messages"] if "photo" not in m]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    one = run(case, path)
    assert one.messages_added == 4
    assert {m.time_basis for m in api.messages_page(case, one.conversation_id)} == {"case_zone"}
    update_settings(case, timezone="Asia/Tokyo")
    again = run(case, path)
    assert again.conversation_id == one.conversation_id and again.messages_added == 0


def test_a_picture_given_while_earlier_messages_slot_in_is_logged_by_its_new_number(
        case, tmp_path):
    """One import both slots earlier messages in (renumbering those there) and gives a
    message already there its picture: the audit event names that message by the number
    it has after the import, as it names the new ones."""
    later = ["16/03/2025, 22:15 - Mark: IMG-20250314-WA0003.jpg (file attached)",
             "Look who's outside", "16/03/2025, 22:16 - Mark: Why are you ignoring me?"]
    one = run(case, write(tmp_path, "a", ["16/03/2025, 22:15 - Mark: <Media omitted>",
                                          "16/03/2025, 22:16 - Mark: Why are you ignoring me?"]))
    (tmp_path / "b").mkdir()
    chat = "".join(line + "\n" for line in LINES + later)
    media = fx.whatsapp_zip(tmp_path / "b" / "WhatsApp Chat with Mark.zip", chat, CHAT,
                            {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    two = run(case, media)
    assert (two.messages_added, two.renumbered, two.files_added) == (7, 2, 1)
    got = api.messages_page(case, one.conversation_id, limit=20)
    [with_picture] = [m.index for m in got if m.attachments]
    assert with_picture == 8
    with case.read() as session:
        details = json.loads(session.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "import", AuditEvent.entity == "conversation")
            .order_by(AuditEvent.id.desc())).first())
    assert (details["messages"], details["files_added_to"]) == ("1-7", "8")
    assert run_verify(case).ok


def test_messages_from_before_export_numbers_keep_the_number_reports_cited(tmp_path):
    """A case from before revision 0005: its messages have no number of their own in
    their export, so reports cite their place in the conversation. An export reaching
    further back then moves them along; the numbers a report cites must not change."""
    import sqlite3

    from evidence_app.core.cases import create_case, open_case
    from evidence_app.core.store.folder import DB_NAME

    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        one = run(case, write(tmp_path, "a", LINES[3:]))
    con = sqlite3.connect(folder / DB_NAME)  # as revision 0004 left it
    con.execute("ALTER TABLE messages DROP COLUMN source_index")
    for column in ("forwarded_from", "edited", "edited_at", "unsent"):  # 0006's
        con.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    con.execute("UPDATE alembic_version SET version_num = '0004'")
    con.commit()
    con.close()
    with open_case(folder) as case:
        before = {m.text: m.export_number
                  for m in api.messages_page(case, one.conversation_id, limit=20)}
        assert before == {"four": 1, "five": 2, "six": 3, "seven": 4}
        two = run(case, write(tmp_path, "b", LINES))
        assert (two.messages_added, two.renumbered) == (3, 4)
        got = api.messages_page(case, one.conversation_id, limit=20)
        assert [m.text for m in got] == ["one", "two", "three", "four", "five", "six",
                                         "seven"]
        assert {m.text: m.export_number for m in got[3:]} == before
        assert [m.export_number for m in got[:3]] == [1, 2, 3]  # in the new export
        report = run_verify(case)
        assert report.ok, report.problems


def test_a_message_from_before_0005_whose_picture_was_missing_gets_it_not_a_twin(tmp_path):
    """Before revision 0005 a message whose picture the export lacked (or could not be
    kept) was stored by its words; 0005 could not tell it had sent one. The same export
    with its picture must give it the picture, not add the message a second time."""
    import sqlite3

    from evidence_app.core.cases import create_case, open_case
    from evidence_app.core.store.folder import DB_NAME

    folder = tmp_path / "case"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    lacking = fx.whatsapp_zip(tmp_path / "a" / "WhatsApp Chat with Mark.zip",
                              fx.ANDROID_WITH_MEDIA, CHAT, {})
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        one = run(case, lacking)
        assert any("IMG-20250314-WA0003.jpg" in p for p in one.problems)
    con = sqlite3.connect(folder / DB_NAME)  # as revision 0004 left it
    con.execute("ALTER TABLE messages DROP COLUMN source_index")
    for column in ("forwarded_from", "edited", "edited_at", "unsent"):  # 0006's
        con.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    con.execute("UPDATE messages SET dedupe_key = 'old-' || id")
    con.execute("UPDATE alembic_version SET version_num = '0004'")
    con.commit()
    con.close()
    media = fx.whatsapp_zip(tmp_path / "b" / "WhatsApp Chat with Mark.zip",
                            fx.ANDROID_WITH_MEDIA, CHAT,
                            {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    with open_case(folder) as case:
        two = run(case, media)
        assert (two.messages_added, two.files_added, two.problems) == (0, 1, [])
        got = api.messages_page(case, one.conversation_id, limit=10)
        assert [m.text for m in got] == ["Look who's outside", "Why are you ignoring me?"]
        assert [[a.name for a in m.attachments] for m in got] == [
            ["IMG-20250314-WA0003.jpg"], []]
        again = run(case, media)
        assert (again.messages_added, again.files_added) == (0, 0)
        report = run_verify(case)
        assert report.ok, report.problems
