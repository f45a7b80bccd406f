"""The Import button (File > Import) while an incident is open: pictures go to the Inbox
as always, a chat export goes into Conversations, and, as when the chat is dropped on
the incident, the person is offered the messages from the incident's day."""

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from evidence_app.core import conversations as conv
from evidence_app.core import incidents as inc
from evidence_app.core.attachments import incident_attachments, list_inbox
from evidence_app.core.dates import parse_when
from evidence_app.gui.conversations_hookup import install as install_conversations
from evidence_app.gui.dialogs.import_dialog import ImportSummaryDialog
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from tests.fixtures.message_exports import ANDROID_UK, jpeg_bytes
from tests.gui.helpers import settle

QUESTION = "Add messages to this incident?"


@pytest.fixture
def win(qtbot, case_window):
    install_exhibits(case_window)
    install_conversations(case_window)
    case_window.case_opened.emit(case_window.session.ops)
    return case_window


def open_incident(qtbot, win, when):
    made: list[int] = []
    win.session.ops.op(inc.create_incident, title="He waited outside all night",
                       when=parse_when(when, "Europe/London"), on_done=made.append)
    qtbot.waitUntil(lambda: bool(made) and win.view.model.rowCount() > 0, timeout=15000)
    win.show_incident(made[0])
    qtbot.waitUntil(lambda: win.view.editor.detail is not None
                    and win.exhibits.gallery.incident_id == made[0], timeout=15000)
    return made[0]


def choose_in_file_dialog(monkeypatch, paths):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(p) for p in paths], ""))


def the_question(qtbot):
    found: list[QMessageBox] = []

    def shown():
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()
                    and w.windowTitle() == QUESTION]
        return bool(found)

    qtbot.waitUntil(shown, timeout=20000)
    for w in QApplication.topLevelWidgets():
        if isinstance(w, ImportSummaryDialog):
            w.close()
    return found[0]


def test_import_button_with_an_incident_open_offers_its_days_messages(
        qtbot, win, tmp_path, monkeypatch):
    incident_id = open_incident(qtbot, win, "14/03/2025 22:10")
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text(ANDROID_UK, encoding="utf-8")
    photo = tmp_path / "doorstep.jpg"
    photo.write_bytes(jpeg_bytes())
    choose_in_file_dialog(monkeypatch, [chat, photo])
    qtbot.mouseClick(win.import_button, Qt.MouseButton.LeftButton)
    box = the_question(qtbot)
    assert box.text() == "The chat \u201cMark\u201d is in Conversations now."
    assert "It holds 5 messages and 1 call from 14 March, the day of the incident " \
           "\u201cHe waited outside all night\u201d" in box.informativeText()
    if os.environ.get("OFFER_SHOT"):  # to look at the question over the window
        win.resize(1366, 768)
        qtbot.wait(200)
        win.grab().save(os.environ["OFFER_SHOT"] + "-window.png")
        box.grab().save(os.environ["OFFER_SHOT"] + "-box.png")
    case = win.session.ops.case
    assert conv.incident_messages(case, incident_id) == []  # nothing added unasked
    add = next(b for b in box.buttons() if b.text().startswith("Add the 5"))
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(conv.incident_messages(case, incident_id)) == 6,
                    timeout=10000)
    qtbot.waitUntil(lambda: "Added 6 messages from 14 March" in
                    win.statusBar().currentMessage(), timeout=5000)
    # The picture went where the Import button always puts files: the Inbox.
    assert [a.original_name for a in list_inbox(case)] == ["doorstep.jpg"]
    assert "doorstep.jpg" not in {a.original_name for a in incident_attachments(case,
                                                                                 incident_id)}


def test_import_with_no_incident_open_asks_nothing(qtbot, win, tmp_path, monkeypatch):
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text(ANDROID_UK, encoding="utf-8")
    choose_in_file_dialog(monkeypatch, [chat])
    win.exhibits.act_import.trigger()
    case = win.session.ops.case
    qtbot.waitUntil(lambda: len(conv.list_conversations(case)) == 1, timeout=20000)
    settle(qtbot, win)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()
                and w.windowTitle() == QUESTION]
