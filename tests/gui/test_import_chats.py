"""Message exports dropped on the window or chosen with Import: recognised by what they
hold, imported as conversations, and the summary says what was found; a chat whose dates
read two ways is asked about, never guessed."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.core import conversations as conv
from evidence_app.core.attachments import count_inbox
from evidence_app.gui.conversations_hookup import install as install_conversations
from evidence_app.gui.dialogs.import_dialog import ImportSummaryDialog
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from tests.fixtures.message_exports import AMBIGUOUS, ANDROID_WITH_MEDIA, jpeg_bytes, whatsapp_zip
from tests.gui_helpers import drop_files
from tests.sample_images import screenshot


@pytest.fixture
def win(case_window):
    install_exhibits(case_window)
    install_conversations(case_window)
    case_window.case_opened.emit(case_window.session.ops)
    return case_window


def summary(qtbot):
    found = []

    def shown():
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, ImportSummaryDialog) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=20000)
    return found[0]


def test_a_dropped_chat_zip_and_a_screenshot_go_where_they_belong(qtbot, win, tmp_path):
    # Named as if it were anything: the content says it is a WhatsApp chat.
    chat = whatsapp_zip(tmp_path / "from phone.zip", ANDROID_WITH_MEDIA, "WhatsApp Chat with "
                        "Mark.txt", {"IMG-20250314-WA0003.jpg": jpeg_bytes()})
    shot = screenshot(tmp_path / "Screenshot_20250314-221900.png", lines=("missed call",))
    assert drop_files(win, [chat, shot])
    dialog = summary(qtbot)
    assert dialog.headline.text() == ("1 file added to the Inbox. 1 conversation: 2 new "
                                      "messages.")
    top = dialog.sections["conversations"]
    assert top.text(0) == "Mark"
    assert top.text(1).startswith("WhatsApp chat export, new conversation: 2 messages, 1 file "
                                  "sent with them; the export is exhibit JS/")
    case = win.session.ops.case
    [found] = conv.list_conversations(case)
    assert found.message_count == 2
    qtbot.mouseClick(win.conversations_button, Qt.MouseButton.LeftButton)
    page = win.conversations.page
    qtbot.waitUntil(lambda: page.list.count() == 1 and page.view.model.total == 2,
                    timeout=10000)
    rows = [page.view.model.message_at(r) for r in range(page.view.model.rowCount())]
    texts = [r.text for r in rows if r is not None]
    assert texts == ["Look who's outside", "Why are you ignoring me?"]
    # The screenshot waits in the Inbox; the export and the picture sent with the chat
    # are kept with their conversation, not in the Inbox.
    assert count_inbox(case) == 1


def test_dates_that_read_two_ways_are_asked_about(qtbot, win, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(AMBIGUOUS, encoding="utf-8")
    win.exhibits._drop_to_inbox([chat])
    boxes = []

    def asked():
        boxes[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()
                    and "can be read more than one way" in w.text()]
        return bool(boxes)

    qtbot.waitUntil(asked, timeout=20000)
    case = win.session.ops.case
    assert conv.list_conversations(case) == []  # nothing guessed
    box = boxes[0]
    day_first = next(b for b in box.buttons() if b.text().startswith("Day/month/year"))
    qtbot.mouseClick(day_first, Qt.MouseButton.LeftButton)
    dialog = summary(qtbot)
    assert "1 conversation: 3 new messages." in dialog.headline.text()
    [found] = conv.list_conversations(case)
    first = conv.messages_page(case, found.id, limit=1)[0]
    assert first.sent_at.astimezone().month == 4 and first.text == "one"


def test_a_dropped_instagram_download_zip_brings_every_chat(qtbot, win, tmp_path):
    from tests.fixtures.message_exports import meta_download_zip

    download = meta_download_zip(tmp_path / "instagram-janesmith-2025-03-20.zip")
    assert drop_files(win, [download])
    dialog = summary(qtbot)
    assert dialog.headline.text() == "2 conversations: 6 new messages."
    top = dialog.sections["conversations"]
    assert top.text(0) == "Mark Jonés"
    assert top.text(1).startswith("Instagram / Facebook Messenger download (JSON), new "
                                  "conversation: 5 messages, 1 file sent with them")
    case = win.session.ops.case
    found = {c.title: c for c in conv.list_conversations(case)}
    assert {t: c.message_count for t, c in found.items()} == {"Mark Jonés": 5, "Sam": 1}
    assert count_inbox(case) == 0


def test_dropped_parts_of_one_download_are_imported_as_one(qtbot, win, tmp_path):
    from tests.fixtures.message_exports import meta_download_parts

    parts = meta_download_parts(tmp_path)
    assert drop_files(win, [parts[2], parts[0]])  # part 2 of 3 left behind
    dialog = summary(qtbot)
    assert dialog.headline.text() == "2 conversations: 4 new messages."
    top = dialog.sections["conversations"]
    assert top.text(0) == "Mark Jonés"
    assert top.text(1).startswith(
        "Instagram / Facebook Messenger download (JSON), new conversation: 3 messages, 1 "
        "file sent with them; read from 2 parts of the download, exhibits JS/")
    said = [top.child(i).text(1) or top.child(i).text(0) for i in range(top.childCount())]
    assert any(f"only 2 were given: {parts[1].name} is missing" in s for s in said), said
    case = win.session.ops.case
    found = {c.title: c for c in conv.list_conversations(case)}
    assert {t: c.message_count for t, c in found.items()} == {"Mark Jonés": 3, "Sam": 1}
    page = conv.messages_page(case, found["Mark Jonés"].id)
    assert [len(m.attachments) for m in page] == [0, 1, 0]  # the photo came from part 3
    assert count_inbox(case) == 0


def test_a_later_export_with_marks_and_one_without_media_say_so_once(qtbot, win, tmp_path):
    """Re-importing a chat whose later export shows an edit mark says the mark was added;
    a chat without its media names the missing picture in one note."""
    import json

    msg = {"id": 12, "type": "message", "date": "2025-03-14T22:17:00",
           "date_unixtime": "1741990620", "from": "Mark", "from_id": "user5550123",
           "text": "I never said that", "text_entities": []}
    chat = {"name": "Mark", "type": "personal_chat", "id": 5550123, "messages": [msg]}
    (tmp_path / "a.json").write_text(json.dumps(chat), encoding="utf-8")
    assert drop_files(win, [tmp_path / "a.json"])
    summary(qtbot).close()
    qtbot.waitUntil(lambda: summary_gone(), timeout=5000)
    msg.update(edited="2025-03-14T22:40:00", edited_unixtime="1741992000")
    (tmp_path / "b.json").write_text(json.dumps(chat), encoding="utf-8")
    bare = tmp_path / "WhatsApp Chat with Dave.txt"
    bare.write_text(ANDROID_WITH_MEDIA, encoding="utf-8")
    assert drop_files(win, [tmp_path / "b.json", bare])
    dialog = summary(qtbot)
    rows = {item.text(0): item for item in (dialog.tree.topLevelItem(i)
                                            for i in range(dialog.tree.topLevelItemCount()))}
    mark = rows["Mark"]
    assert "0 new of 1 read" in mark.text(1)
    assert ("1 message already here now marked forwarded, edited or unsent as this export "
            "shows (words unchanged)") in mark.text(1)
    dave = rows["Dave"]
    assert [dave.child(i).text(1) for i in range(dave.childCount())] == [
        "1 file named in the chat is not in this export (it was shared without media): "
        "message 1 (IMG-20250314-WA0003.jpg)."]
    if __import__("os").environ.get("TIDY_PNG"):
        dialog.grab().save(__import__("os").environ["TIDY_PNG"])


def test_pictures_given_to_messages_already_here_are_said(qtbot, win, tmp_path):
    """A chat first imported without its media, then again with them: the summary says
    the pictures went to the messages already there, as the CLI does."""
    bare = tmp_path / "WhatsApp Chat with Dave.txt"
    bare.write_text(ANDROID_WITH_MEDIA, encoding="utf-8")
    assert drop_files(win, [bare])
    summary(qtbot).close()
    qtbot.waitUntil(lambda: summary_gone(), timeout=5000)
    full = whatsapp_zip(tmp_path / "with media.zip", ANDROID_WITH_MEDIA,
                        "WhatsApp Chat with Dave.txt",
                        {"IMG-20250314-WA0003.jpg": jpeg_bytes()})
    assert drop_files(win, [full])
    dialog = summary(qtbot)
    row = dialog.tree.topLevelItem(0)
    assert row.text(0) == "Dave"
    assert row.text(1).startswith(
        "WhatsApp chat export, added to the conversation: 0 new of 2 read (the others were "
        "already in the case), 1 file sent with them, pictures or files added to 1 message "
        "already imported without them; the export is exhibit ")
    assert row.childCount() == 0  # nothing missing now
    if __import__("os").environ.get("TIDY_PNG"):
        dialog.grab().save(__import__("os").environ["TIDY_PNG"])


def summary_gone():
    return not any(isinstance(w, ImportSummaryDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
