"""Messages from the command line: `import` picks the importer from the content and
reports what it found; `conversation list|show|days|propose|who|add-to`; `incident add
--from-messages`; all with --json."""

from __future__ import annotations

import json

from tests.fixtures import message_exports as fx


def test_import_recognises_a_renamed_chat_and_reports_it(cli, case_dir, tmp_path):
    chat = tmp_path / "evidence.dat"
    chat.write_text(fx.ANDROID_UK, encoding="utf-8")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(fx.jpeg_bytes())
    code, out, err = cli("--case", case_dir, "import", chat, photo)
    assert code == 0, err
    assert f"{chat}: WhatsApp chat export" in out
    # The case's owner is Jane Smith: her messages are hers, the chat is with Mark.
    assert "new conversation 1 \u201cMark\u201d" in out
    assert "8 messages read, 8 new (messages 1-8), 1 call; the export is exhibit" in out
    assert "imported  JS/2" in out or "imported  JS/1" in out
    code, out, _ = cli("--case", case_dir, "import", chat, "--json")
    data = json.loads(out)
    assert data["conversations"][0]["messages_added"] == 0
    assert data["conversations"][0]["importer"] == "whatsapp"


def test_ambiguous_dates_are_one_clear_line_then_an_option(cli, case_dir, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(fx.AMBIGUOUS, encoding="utf-8")
    code, out, err = cli("--case", case_dir, "import", chat)
    assert code == 2 and "Traceback" not in err
    assert "can be read more than one way" in err and "--date-order" not in out
    code, out, err = cli("--case", case_dir, "import", chat, "--date-order", "dmy")
    assert code == 0, err


def test_conversation_commands_and_incident_from_messages(cli, case_dir, tmp_path):
    xml = tmp_path / "sms.xml"
    xml.write_text(fx.sms_backup_xml(fx.jpeg_bytes()), encoding="utf-8")
    calls = tmp_path / "calls.xml"
    calls.write_text(fx.CALLS_XML, encoding="utf-8")
    assert cli("--case", case_dir, "import", xml, calls)[0] == 0
    code, out, _ = cli("--case", case_dir, "conversation", "list", "--json")
    convs = {c["title"]: c for c in json.loads(out)}
    mark = convs["Mark"]
    assert (mark["messages"], mark["calls"]) == (6, 3)
    code, out, _ = cli("--case", case_dir, "conversation", "show", mark["id"])
    assert "     1  14/03/2025 22:15:00  Mark: Why are you ignoring me? 😡" in out
    assert "Missed call from +447700900123" in out
    them = next(p for p in mark["participants"] if p["name"] == "Mark")
    assert cli("--case", case_dir, "conversation", "who", them["id"], "--suspect")[0] == 0
    code, out, _ = cli("--case", case_dir, "conversation", "propose", mark["id"])
    assert "14/03/2025  2 messages and 2 missed calls, 14 March" in out
    assert "Nothing was created" in out
    code, out, err = cli("--case", case_dir, "incident", "add", "--from-messages",
                         f"{mark['id']}:1-3", "--json")
    assert code == 0, err
    incident = json.loads(out)["id"]
    code, out, _ = cli("--case", case_dir, "incident", "show", incident, "--json")
    shown = json.loads(out)
    assert shown["title"] == "3 messages from Mark"
    code, out, _ = cli("--case", case_dir, "conversation", "add-to", incident,
                       f"{mark['id']}:4")
    assert code == 0 and "Added 1 message to incident" in out
    code, out, err = cli("--case", case_dir, "incident", "add", "--from-messages",
                         f"{mark['id']}:99")
    assert code == 2 and "has no message 99" in err
    code, out, err = cli("--case", case_dir, "incident", "add", "--from-messages", "x")
    assert code == 2 and "does not name messages" in err


def test_conversation_delete_and_restore(cli, case_dir, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(fx.ANDROID_UK, encoding="utf-8")
    assert cli("--case", case_dir, "import", chat)[0] == 0
    code, out, _ = cli("--case", case_dir, "conversation", "delete", "1")
    assert code == 0 and "moved to the trash" in out
    assert json.loads(cli("--case", case_dir, "conversation", "list", "--json")[1]) == []
    assert cli("--case", case_dir, "conversation", "delete", "1", "--restore")[0] == 0
    assert len(json.loads(cli("--case", case_dir, "conversation", "list", "--json")[1])) == 1


def test_import_an_instagram_download_zip_as_it_came(cli, case_dir, tmp_path):
    path = fx.meta_download_zip(tmp_path / "instagram-janesmith-2025.zip")
    code, out, err = cli("--case", case_dir, "import", path)
    assert code == 0, err
    assert f"{path}: Instagram / Facebook Messenger download" in out
    assert "new conversation 1 \u201cMark Jon\u00e9s\u201d" in out
    assert "new conversation 2 \u201cSam\u201d" in out
    code, out, _ = cli("--case", case_dir, "conversation", "list", "--json")
    convs = {c["title"]: c for c in json.loads(out)}
    assert convs["Mark Jon\u00e9s"]["messages"] == 5 and convs["Sam"]["messages"] == 1
    code, out, _ = cli("--case", case_dir, "conversation", "show", convs["Sam"]["id"])
    assert "Sam: He asked me where you live \U0001f61f" in out


def test_import_of_the_parts_of_a_meta_download_reads_them_as_one(cli, case_dir, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    code, out, err = cli("--case", case_dir, "import", parts[1], parts[0])
    assert code == 0, err
    assert (f"{parts[0]}, {parts[1]}: Instagram / Facebook Messenger download (JSON) in 2 "
            "parts, read together") in out
    assert "new conversation 1 \u201cMark Jon\u00e9s\u201d: 5 messages read, 5 new" in out
    assert f"read from {parts[0].name} (exhibit JS/1), {parts[1].name} (exhibit JS/2)" in out
    assert f"could not read: The download came in 3 parts and only 2 were given: " \
           f"{parts[2].name} is missing." in out
    assert "photos/1.jpg was in none of the parts given" in out
    code, out, err = cli("--case", case_dir, "import", *parts, "--json")
    assert code == 0, err
    rows = {c["title"]: c for c in json.loads(out)["conversations"]}
    mark = rows["Mark Jon\u00e9s"]
    assert mark["messages_added"] == 0 and mark["problems"] == []
    assert mark["paths"] == [str(p) for p in parts]
    assert [p["file"] for p in mark["parts"]] == [p.name for p in parts]
    assert mark["files"] == 1  # the photo from part 3 now with its message


def test_conversation_show_counts_a_message_in_an_incident_only_while_it_is_one(
        cli, case_dir, tmp_path):
    from evidence_app.core.cases import open_case
    from evidence_app.core.incidents import restore_incident

    chat = tmp_path / "chat.txt"
    chat.write_text(fx.ANDROID_UK, encoding="utf-8")
    assert cli("--case", case_dir, "import", chat)[0] == 0
    code, out, err = cli("--case", case_dir, "incident", "add", "--from-messages", "1:2-3",
                         "--json")
    assert code == 0, err
    incident = json.loads(out)["id"]

    def held() -> list[int]:
        page = json.loads(cli("--case", case_dir, "conversation", "show", "1", "--json")[1])
        return [m["index"] for m in page["page"] if m["incident_id"] == incident]

    assert held() == [2, 3]
    assert cli("--case", case_dir, "incident", "delete", incident)[0] == 0
    page = json.loads(cli("--case", case_dir, "conversation", "show", "1", "--json")[1])
    assert all(m["incident_id"] is None for m in page["page"])
    case = open_case(case_dir)
    try:
        restore_incident(case, incident)
    finally:
        case.close()
    assert held() == [2, 3]
def test_import_says_when_earlier_messages_were_slotted_in_and_pictures_added(
        cli, case_dir, tmp_path):
    lines = fx.ANDROID_UK.splitlines(keepends=True)
    part = tmp_path / "a" / "WhatsApp Chat with Mark.txt"
    part.parent.mkdir()
    part.write_text("".join(lines[:1] + lines[5:]), encoding="utf-8")  # from "<Media omitted>"
    code, out, err = cli("--case", case_dir, "import", part)
    assert code == 0, err
    full = fx.whatsapp_zip(
        tmp_path / "WhatsApp Chat with Mark.zip",
        fx.ANDROID_UK.replace("<Media omitted>", "IMG-20250314-WA0003.jpg (file attached)"),
        "WhatsApp Chat with Mark.txt", {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    code, out, err = cli("--case", case_dir, "import", full)
    assert code == 0, err
    assert "8 messages read, 2 new" in out
    assert "earlier messages slotted in by time: 5 messages already there moved along" in out
    assert "pictures or files added to 1 message already imported without them" in out
    code, out, _ = cli("--case", case_dir, "import", full, "--json")
    row = json.loads(out)["conversations"][0]
    assert (row["messages_added"], row["renumbered"], row["files_added"]) == (0, 0, 0)


def test_conversation_show_says_which_messages_were_forwarded_or_edited(cli, case_dir,
                                                                        tmp_path):
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text("14/03/2025, 22:15 - Mark: You looked nice today <This message was "
                    "edited>\n14/03/2025, 22:16 - Mark: I'm outside\n", encoding="utf-8")
    assert cli("--case", case_dir, "import", chat)[0] == 0
    code, out, err = cli("--case", case_dir, "conversation", "show", "1")
    assert code == 0, err
    assert "Mark: [Edited] You looked nice today <This message was edited>" in out
    assert "Mark: I'm outside" in out
    page = json.loads(cli("--case", case_dir, "conversation", "show", "1", "--json")[1])
    assert [(m["edited"], m["forwarded_from"]) for m in page["page"]] == [
        (True, None), (False, None)]


def test_import_names_the_new_messages_by_their_numbers_when_slotted_in(cli, case_dir,
                                                                         tmp_path):
    lines = ["14/03/2025, 22:15 - Mark: one\n", "14/03/2025, 22:16 - Mark: two\n",
             "14/03/2025, 22:17 - Mark: three\n", "14/03/2025, 22:18 - Mark: four\n"]
    for folder, chosen in (("a", [0, 2]), ("b", [0, 1, 2, 3]), ("c", [0, 1, 2, 3])):
        chat = tmp_path / folder / "WhatsApp Chat with Mark.txt"
        chat.parent.mkdir()
        extra = "14/03/2025, 22:19 - Mark: five\n" if folder == "c" else ""
        chat.write_text("".join(lines[i] for i in chosen) + extra, encoding="utf-8")
    code, out, err = cli("--case", case_dir, "import", tmp_path / "a" / chat.name)
    assert code == 0, err
    assert "2 messages read, 2 new (messages 1-2)" in out
    code, out, err = cli("--case", case_dir, "import", tmp_path / "b" / chat.name)
    assert code == 0, err
    # "two" goes between "one" and "three", "four" after them: not messages 2-4.
    assert "4 messages read, 2 new (messages 2, 4)" in out
    code, out, err = cli("--case", case_dir, "import", tmp_path / "c" / chat.name)
    assert code == 0, err
    assert "5 messages read, 1 new (message 5)" in out


def test_propose_names_a_day_of_one_message_by_its_number(cli, case_dir, tmp_path):
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text("14/03/2025, 22:15 - Mark: one\n14/03/2025, 22:16 - Mark: two\n"
                    "15/03/2025, 07:00 - Mark: three\n", encoding="utf-8")
    assert cli("--case", case_dir, "import", chat)[0] == 0
    code, out, err = cli("--case", case_dir, "conversation", "propose", 1)
    assert code == 0, err
    assert "(messages 1-2)" in out and "(message 3)" in out and "3-3" not in out


def test_import_says_when_marks_were_added_to_messages_already_there(cli, case_dir, tmp_path):
    msg = {"id": 12, "type": "message", "date": "2025-03-14T22:17:00",
           "date_unixtime": "1741990620", "from": "Mark", "from_id": "user5550123",
           "text": "I never said that", "text_entities": []}
    chat = {"name": "Mark", "type": "personal_chat", "id": 5550123, "messages": [msg]}
    (tmp_path / "a.json").write_text(json.dumps(chat), encoding="utf-8")
    assert cli("--case", case_dir, "import", tmp_path / "a.json")[0] == 0
    msg.update(edited="2025-03-14T22:40:00", edited_unixtime="1741992000")
    (tmp_path / "b.json").write_text(json.dumps(chat), encoding="utf-8")
    code, out, err = cli("--case", case_dir, "import", tmp_path / "b.json")
    assert code == 0, err
    assert "1 message read, 0 new" in out
    assert ("forwarded/edited/unsent marks added to 1 message already imported without "
            "them (their text is unchanged)") in out
