"""A chat export dropped on an open incident: imported as a conversation as always, then
the person is offered the messages from the incident's day (add them, choose them in
the conversation, or not now); nothing goes into the incident unless they say so."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.core import conversations as conv
from evidence_app.core import incidents as inc
from evidence_app.core.dates import parse_when
from evidence_app.core.store.audit import entries
from evidence_app.gui.conversations_hookup import install as install_conversations
from evidence_app.gui.dialogs.import_dialog import ImportSummaryDialog
from evidence_app.gui.dialogs.incident_picker import IncidentPickerDialog
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from tests.fixtures.message_exports import ANDROID_UK
from tests.gui.helpers import settle
from tests.gui_helpers import drop_files

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
                       when=parse_when(when, "Europe/London") if when else None,
                       on_done=made.append)
    qtbot.waitUntil(lambda: bool(made) and win.view.model.rowCount() > 0, timeout=5000)
    win.show_incident(made[0])
    qtbot.waitUntil(lambda: win.view.editor.detail is not None
                    and win.exhibits.gallery.incident_id == made[0], timeout=5000)
    return made[0]


def drop_chat(qtbot, win, tmp_path):
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text(ANDROID_UK, encoding="utf-8")
    # Onto the incident's title field, as a person drags a file over the open incident.
    assert drop_files(win.view.editor.form.title, [chat])
    return question(qtbot)


def question(qtbot):
    found: list[QMessageBox] = []

    def shown():
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible() and w.text() ==
                    "The chat \u201cMark\u201d is in Conversations now."]
        return bool(found)

    qtbot.waitUntil(shown, timeout=20000)
    for w in QApplication.topLevelWidgets():
        if isinstance(w, ImportSummaryDialog):
            w.close()
    box = found[0]
    assert box.windowTitle() == QUESTION
    return box


def button(box, text):
    return next(b for b in box.buttons() if b.text().startswith(text))


def test_the_messages_of_the_incidents_day_are_added_when_asked(qtbot, win, tmp_path):
    incident_id = open_incident(qtbot, win, "14/03/2025 22:10")
    box = drop_chat(qtbot, win, tmp_path)
    assert "It holds 5 messages and 1 call from 14 March, the day of the incident " \
           "\u201cHe waited outside all night\u201d" in box.informativeText()
    assert {b.text() for b in box.buttons()} == {
        "Add the 5 messages and 1 call from 14 March", "Choose messages\u2026", "Not now"}
    assert box.defaultButton().text().startswith("Add the 5")
    case = win.session.ops.case
    [chat] = conv.list_conversations(case)  # imported as a conversation, as always
    assert conv.incident_messages(case, incident_id) == []  # nothing added unasked
    qtbot.mouseClick(button(box, "Add the 5"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(conv.incident_messages(case, incident_id)) == 6,
                    timeout=10000)
    held = conv.incident_messages(case, incident_id)
    assert [m.text for m in held if m.kind == "text"][:2] == [
        "Why are you ignoring me?",
        "I know you're home. I can see the light on 😡\nI'll wait outside\nall night if I "
        "have to"]
    assert all(m.local("Europe/London").day == 14 for m in held)
    qtbot.waitUntil(lambda: "Added 6 messages from 14 March" in
                    win.statusBar().currentMessage(), timeout=5000)
    with case.read() as session:
        linked = [e for e in entries(session, "message") if e.action == "link"]
    assert linked[-1].details["incident_id"] == incident_id
    # The incident's editor lists them, as for "Add to incident...".
    panel = win.conversations.panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.total == 6, timeout=10000)


def test_choose_messages_opens_the_chat_at_that_day_and_offers_the_incident(qtbot, win,
                                                                             tmp_path):
    incident_id = open_incident(qtbot, win, "14/03/2025 22:10")
    box = drop_chat(qtbot, win, tmp_path)
    qtbot.mouseClick(button(box, "Choose messages"), Qt.MouseButton.LeftButton)
    page = win.conversations.page
    qtbot.waitUntil(lambda: win.conversations.shown and len(page.view.selected()) == 1,
                    timeout=10000)
    [first] = page.view.selected()
    assert first.text == "Why are you ignoring me?"  # the day's first message
    assert "Choose the messages that belong in the incident" in \
        win.statusBar().currentMessage()
    view = page.view
    rows = [r for r in range(view.model.rowCount()) if view.model.message_at(r) is not None
            and view.model.message_at(r).kind == "message"]
    view.list.setFocus()
    rect = view.list.visualRect(view.model.index(rows[1]))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, rect.center())
    assert view.selection_label.text() == "2 messages chosen"
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    picker = win.conversations.picker
    assert isinstance(picker, IncidentPickerDialog)
    qtbot.waitUntil(lambda: picker.ok_button.isEnabled(), timeout=5000)
    assert picker.list.currentIndex().data(Qt.ItemDataRole.UserRole) == incident_id
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    case = win.session.ops.case
    qtbot.waitUntil(lambda: len(conv.incident_messages(case, incident_id)) == 2,
                    timeout=10000)


def test_not_now_adds_nothing_and_an_undated_incident_is_not_given_a_day(qtbot, win,
                                                                          tmp_path):
    incident_id = open_incident(qtbot, win, None)
    box = drop_chat(qtbot, win, tmp_path)
    assert "There is no single day to match for the incident" in box.informativeText()
    assert {b.text() for b in box.buttons()} == {"Choose messages\u2026", "Not now"}
    qtbot.mouseClick(button(box, "Not now"), Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    case = win.session.ops.case
    assert len(conv.list_conversations(case)) == 1
    assert conv.incident_messages(case, incident_id) == []
    assert not win.conversations.shown


def test_dropping_the_chat_again_says_its_messages_are_already_there(qtbot, win, tmp_path):
    incident_id = open_incident(qtbot, win, "14/03/2025 22:10")
    box = drop_chat(qtbot, win, tmp_path)
    qtbot.mouseClick(button(box, "Add the 5"), Qt.MouseButton.LeftButton)
    case = win.session.ops.case
    qtbot.waitUntil(lambda: len(conv.incident_messages(case, incident_id)) == 6,
                    timeout=10000)
    box = drop_chat(qtbot, win, tmp_path)
    assert box.informativeText().startswith(
        "Its messages from 14 March are all in incidents already (6 messages already in "
        "this incident).")
    assert {b.text() for b in box.buttons()} == {"Choose messages\u2026", "Not now"}
    qtbot.mouseClick(button(box, "Not now"), Qt.MouseButton.LeftButton)
    assert len(conv.list_conversations(case)) == 1  # the same chat, not a second one
