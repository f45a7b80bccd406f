"""Conversations in the main window: the page, incidents from chosen messages, Add to
incident, Group by day (reviewed, then created), the incident's messages in its editor,
and a search hit on a message opening the conversation there."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from evidence_app.core import conversations as conv
from evidence_app.core.cases import open_case
from evidence_app.core.incidents import create_incident, get_incident, list_incidents
from evidence_app.gui.conversations_hookup import install as install_conversations
from evidence_app.gui.dialogs.group_by_day import GroupByDayDialog
from evidence_app.gui.dialogs.incident_picker import IncidentPickerDialog
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from evidence_app.gui.models.conversation import MessageRole, MessageRow
from tests.gui.chat_case import add_chat
from tests.gui.helpers import make_case, settle, wait_open


@pytest.fixture
def chat_folder(tmp_path):
    folder = make_case(tmp_path / "case")
    c = open_case(folder)
    try:
        add_chat(c, tmp_path / "export")
        create_incident(c, title="Car outside the house")
    finally:
        c.close()
    return folder


@pytest.fixture
def win(qtbot, window, chat_folder):
    install_exhibits(window)
    install_conversations(window)
    window.session.open(chat_folder)
    wait_open(qtbot, window)
    return window


def open_page(qtbot, win):
    assert win.act_conversations.isEnabled()
    qtbot.mouseClick(win.conversations_button, Qt.MouseButton.LeftButton)
    page = win.conversations.page
    qtbot.waitUntil(lambda: page.view.model.ready and page.view.model.total > 0, timeout=10000)
    qtbot.waitUntil(lambda: bool(page.view.chart.days), timeout=5000)
    return page


def message_rows(view, n=None, kind=None):
    rows = [r for r in range(view.model.rowCount())
            if isinstance(view.model.index(r).data(MessageRole), MessageRow)
            and (kind is None or view.model.message_at(r).kind == kind)]
    return rows[:n] if n else rows


def click(qtbot, view, row, modifier=Qt.KeyboardModifier.NoModifier):
    view.list.scrollTo(view.model.index(row))
    rect = view.list.visualRect(view.model.index(row))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_the_page_shows_the_chat_as_the_phone_does(qtbot, win):
    page = open_page(qtbot, win)
    assert win.exhibits.right.currentWidget() is page
    assert win.act_conversations.isChecked()
    item = page.list.item(0)
    assert item.text().startswith("Mark Jones\nWhatsApp")
    view = page.view
    assert view.title.text() == "Mark Jones"
    assert "with Mark Jones (suspect)" in view.subtitle.text()
    texts = [view.model.index(r).data() for r in range(view.model.rowCount())]
    assert texts[0] == "Friday 14 March 2025"
    assert any(t.startswith("Mark Jones, 19:00: where are you") for t in texts)
    assert any("Missed call from Mark Jones" in t for t in texts)
    assert any("This message was deleted" in t for t in texts)
    pictures = [view.model.message_at(r) for r in message_rows(view)
                if view.model.message_at(r).attachments]
    assert [p.attachments[0].exhibit_mark for p in pictures] == ["JS/1"]  # the photo; the export is JS/2
    assert [d.messages for d in view.chart.days] == [7, 7, 7]  # 6 of Mark's, 1 of Jane's
    assert [d.missed for d in view.chart.days] == [1, 1, 1]
    # The timeline takes the right-hand side back when an incident is chosen.
    win.act_conversations.trigger()
    assert win.exhibits.right.currentWidget() is win.view.editor
    assert not win.act_conversations.isChecked()


def test_chosen_messages_become_an_incident_that_shows_them(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    rows = message_rows(view, kind="message")[1:5]
    view.list.setFocus()
    click(qtbot, view, rows[0])
    click(qtbot, view, rows[-1], Qt.KeyboardModifier.ShiftModifier)
    chosen = view.selected()
    assert len(chosen) == 4
    assert view.selection_label.text() == "4 messages chosen"
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    editor = win.view.editor
    qtbot.waitUntil(lambda: editor.incident_id is not None
                    and win.exhibits.right.currentWidget() is editor, timeout=10000)
    settle(qtbot, win)
    case = win.session.ops.case
    held = conv.incident_messages(case, editor.incident_id)
    assert [m.id for m in held] == [m.id for m in chosen]
    assert get_incident(case, editor.incident_id).title == "4 messages from Mark Jones"
    panel = win.conversations.panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.total == 4, timeout=10000)
    assert panel.heading.text() == "Messages: 4 messages"
    assert "JS/2" in panel.note.text() and "messages 3-6" in panel.note.text()
    assert "4 messages" in win.statusBar().currentMessage()
    # One taken out again (the list's right-click action): it stays in the chat only.
    first_row = next(r for r in range(panel.model.rowCount())
                     if panel.model.message_at(r) is not None)
    rect = panel.list.visualRect(panel.model.index(first_row))
    panel.list.scrollTo(panel.model.index(first_row))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.take_out in panel.list.actions()
    panel.take_out.trigger()
    qtbot.waitUntil(lambda: panel.model.total == 3, timeout=10000)
    assert [m.id for m in conv.incident_messages(case, editor.incident_id)] == [
        m.id for m in chosen[1:]]
    assert panel.heading.text() == "Messages: 3 messages"
    chosen = chosen[1:]
    # "Show in the conversation" goes back to the chat at the first of them.
    qtbot.mouseClick(panel.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.exhibits.right.currentWidget() is page
                    and [m.id for m in view.selected()] == [chosen[0].id], timeout=10000)


def test_add_to_incident_asks_which_one(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    calls = message_rows(view, kind="call")
    view.list.setFocus()
    click(qtbot, view, calls[0])
    click(qtbot, view, calls[1], Qt.KeyboardModifier.ControlModifier)
    assert view.selection_label.text() == "2 calls chosen"
    bar = view.list.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)  # read on a little: the place is kept after the change
    qtbot.wait(20)
    top = view.list.indexAt(view.list.viewport().rect().topLeft().__class__(4, 4)).row()
    top_id = next(view.model.message_at(r).id for r in range(top, view.model.rowCount())
                  if view.model.message_at(r) is not None)
    top_y = view.list.visualRect(view.model.index_of(top_id)).top()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    picker = win.conversations.picker
    assert isinstance(picker, IncidentPickerDialog)
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1, timeout=5000)
    assert "Car outside the house" in picker.model.index(0).data()
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    case = win.session.ops.case
    [incident] = list_incidents(case)
    held = conv.incident_messages(case, incident.id)
    assert [m.kind for m in held] == ["call", "call"]
    qtbot.waitUntil(lambda: "Added 2 messages" in win.statusBar().currentMessage(),
                    timeout=5000)
    # The conversation, read again, says which are in an incident, where it was.
    def marked():
        texts = [view.model.index(r).data() for r in range(view.model.rowCount())]
        return sum(t.endswith(", in an incident") for t in texts) == 2
    qtbot.waitUntil(marked, timeout=10000)
    index = view.model.index_of(top_id)
    assert index is not None and abs(view.list.visualRect(index).top() - top_y) <= 2


def test_group_by_day_is_reviewed_before_anything_is_made(qtbot, win):
    page = open_page(qtbot, win)
    qtbot.mouseClick(page.view.group_button, Qt.MouseButton.LeftButton)
    dialog = win.conversations.dialog
    assert isinstance(dialog, GroupByDayDialog)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 3, timeout=10000)
    assert dialog.who.currentText() == "Mark Jones (suspect)"
    first, second, third = (dialog.tree.topLevelItem(i) for i in range(3))
    assert first.text(2) == "6 messages and 1 missed call"
    assert first.text(1).startswith("Fri 14 March 2025, 19:00 to 21:00")
    assert dialog.create_button.text() == "Create 3 incidents"
    # Untick the second day; rename the third by typing, as a person would.
    dialog.tree.setFocus()
    dialog.tree.setCurrentItem(second)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)
    assert second.checkState(0) == Qt.CheckState.Unchecked
    assert dialog.create_button.text() == "Create 2 incidents"
    dialog.tree.setCurrentItem(third)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Messages and a missed call after I asked him to stop")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter finished the rename, it did not press Create
    new_title = "Messages and a missed call after I asked him to stop"
    qtbot.waitUntil(lambda: third.text(0) == new_title, timeout=3000)  # the edit lands
    # Looking at Jane's own days and back keeps the choices made for Mark's.
    dialog.who.setCurrentIndex(dialog.who.findText("Jane Smith (you)"))
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 3
                    and dialog.tree.topLevelItem(0).text(2) == "1 message", timeout=10000)
    dialog.who.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 3
                    and dialog.tree.topLevelItem(0).text(2) != "1 message", timeout=10000)
    second, third = dialog.tree.topLevelItem(1), dialog.tree.topLevelItem(2)
    assert second.checkState(0) == Qt.CheckState.Unchecked
    assert third.text(0) == "Messages and a missed call after I asked him to stop"
    assert dialog.create_button.text() == "Create 2 incidents"
    case = win.session.ops.case
    assert len(list_incidents(case)) == 1  # nothing made yet
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    titles = sorted(i.title for i in list_incidents(case))
    assert titles == ["6 messages and 1 missed call from Mark Jones", "Car outside the house",
                      "Messages and a missed call after I asked him to stop"]
    # The unticked day's messages are still free to be grouped later.
    left = conv.propose_days(case, page.current.id)
    assert [p.label for p in left] == ["6 messages and 1 missed call, 15 March"]


def test_a_search_hit_on_a_message_opens_the_conversation_there(qtbot, win):
    bar = win.search_bar
    bar.field.setFocus()
    qtbot.keyClicks(bar.field, "lights")
    search = win.case_search()
    qtbot.waitUntil(lambda: search.results.list.count() > 0, timeout=10000)
    item = search.results.list.item(0)
    hit = item.data(Qt.ItemDataRole.UserRole)
    assert hit.kind == "message"
    label = search.results.list.itemWidget(item)
    assert "Message" in label.text() and "lights" in label.text()
    search.results.list.setCurrentItem(item)
    qtbot.keyClick(search.results.list, Qt.Key.Key_Return)
    page = win.conversations.page
    qtbot.waitUntil(lambda: page is not None and win.exhibits.right.currentWidget() is page
                    and [m.id for m in page.view.selected()] == [hit.id], timeout=10000)
    chosen = page.view.selected()[0]
    assert chosen.text == "I know you're home, the lights are on"
    index = page.view.model.index_of(hit.id)
    rect = page.view.list.visualRect(index)
    assert 0 <= rect.center().y() <= page.view.list.viewport().height()


@pytest.fixture
def win_forwarded(qtbot, window, tmp_path):
    """A chat in which Mark forwarded a message Dave Price wrote."""
    from evidence_app.core.importers.chat import save_exports
    from tests.gui.chat_case import chat_export

    folder = make_case(tmp_path / "case3")
    path, export = chat_export(tmp_path / "export3", picture=False)
    export.messages[4].forwarded_from = "Dave Price"  # "why are you ignoring me?? 😡"
    c = open_case(folder)
    try:
        list(save_exports(c, path, [export], "test"))
    finally:
        c.close()
    install_exhibits(window)
    install_conversations(window)
    window.session.open(folder)
    wait_open(qtbot, window)
    return window


@pytest.mark.parametrize("words", ["Dave Price", "forwarded"])
def test_a_forwarded_message_is_found_by_whom_it_came_from(qtbot, win_forwarded, words):
    win = win_forwarded
    bar = win.search_bar
    bar.field.setFocus()
    qtbot.keyClicks(bar.field, words)
    search = win.case_search()
    qtbot.waitUntil(lambda: search.results.list.count() > 0, timeout=10000)
    assert search.results.list.count() == 1
    item = search.results.list.item(0)
    hit = item.data(Qt.ItemDataRole.UserRole)
    assert hit.kind == "message"
    label = search.results.list.itemWidget(item)
    shown = __import__("re").sub("<[^>]+>", "", label.text())  # as a person reads it
    assert "Forwarded from Dave Price: why are you ignoring me" in shown
    if __import__("os").environ.get("TIDY_PNG"):
        win.grab().save(__import__("os").environ["TIDY_PNG"] + f".{words[0]}.png")
    search.results.list.setCurrentItem(item)
    qtbot.keyClick(search.results.list, Qt.Key.Key_Return)
    page = win.conversations.page
    qtbot.waitUntil(lambda: page is not None and win.exhibits.right.currentWidget() is page
                    and [m.id for m in page.view.selected()] == [hit.id], timeout=10000)
    chosen = page.view.selected()[0]
    assert chosen.text == "why are you ignoring me?? 😡"  # the words as exported
    assert chosen.marks == ["Forwarded from Dave Price"]
    index = page.view.model.index_of(hit.id)
    rect = page.view.list.visualRect(index)
    assert 0 <= rect.center().y() <= page.view.list.viewport().height()

@pytest.fixture
def win_unmarked(qtbot, window, tmp_path):
    """A chat imported with nobody marked a suspect (as after a plain import)."""
    folder = make_case(tmp_path / "case2")
    c = open_case(folder)
    try:
        add_chat(c, tmp_path / "export2", suspect=False)
    finally:
        c.close()
    install_exhibits(window)
    install_conversations(window)
    window.session.open(folder)
    wait_open(qtbot, window)
    return window


def choose_in_menu(qtbot, page, text, submenu=None):
    menu = page.people_menu
    menu.popup(page.people_button.mapToGlobal(page.people_button.rect().bottomLeft()))
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    if submenu is not None:
        holder = next(a for a in menu.actions() if a.text() == submenu)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                         pos=menu.actionGeometry(holder).center())
        menu = holder.menu()
        qtbot.waitUntil(menu.isVisible, timeout=3000)
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    return action


def first_role(view):
    """Who Mark (the first to write) is to the person, once the chat has been read."""
    rows = message_rows(view, kind="message")
    return view.model.message_at(rows[0]).role if rows else None


def test_who_is_who_marks_the_suspect_and_the_person(qtbot, win_unmarked):
    win = win_unmarked
    page = open_page(qtbot, win)
    view = page.view
    roles = {view.model.message_at(r).sender: view.model.message_at(r).role
             for r in message_rows(view, kind="message")}
    assert roles == {"Mark Jones": "other", "Jane Smith": "me"}
    choose_in_menu(qtbot, page, "Mark Jones is a suspect")
    qtbot.waitUntil(lambda: "with Mark Jones (suspect)" in view.subtitle.text(), timeout=10000)
    qtbot.waitUntil(lambda: first_role(view) == "suspect", timeout=10000)
    # Had the import taken Mark for the person, this puts it right.
    choose_in_menu(qtbot, page, "Mark Jones", submenu="Which of them is you?")
    qtbot.waitUntil(lambda: first_role(view) == "me", timeout=10000)
    case = win.session.ops.case
    [chat] = conv.list_conversations(case)
    owner = next(p for p in chat.participants if p.is_owner)
    assert owner.name == "Mark Jones"


def test_double_clicking_a_picture_opens_it_in_the_viewer(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    [row] = [r for r in message_rows(view) if view.model.message_at(r).attachments]
    view.list.scrollTo(view.model.index(row))
    rect = view.list.visualRect(view.model.index(row))
    # A double-click, as the system sends it: press, release, then the double-click.
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.viewer is not None and page.viewer.isVisible(), timeout=5000)
    assert page.viewer.windowTitle() == "Exhibit JS/1"
    page.viewer.close()


def test_group_by_day_offers_again_the_days_of_an_incident_in_the_trash(qtbot, win):
    from evidence_app.core.incidents import delete_incident, restore_incident

    page = open_page(qtbot, win)

    def group_by_day():
        qtbot.mouseClick(page.view.group_button, Qt.MouseButton.LeftButton)
        dialog = win.conversations.dialog
        qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() > 0, timeout=10000)
        settle(qtbot, win)
        return dialog

    dialog = group_by_day()
    assert dialog.tree.topLevelItemCount() == 3
    dialog.tree.setFocus()
    for row in (1, 2):  # keep only the first day
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(row))
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)
    assert dialog.create_button.text() == "Create 1 incident"
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    case = win.session.ops.case
    made = next(i for i in list_incidents(case) if i.title.startswith("6 messages"))
    dialog = group_by_day()
    assert dialog.tree.topLevelItemCount() == 2  # the first day is in an incident
    dialog.reject()
    done: list[object] = []
    win.session.ops.op(delete_incident, made.id, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    dialog = group_by_day()
    assert dialog.tree.topLevelItemCount() == 3  # in the trash: its day is free again
    assert dialog.tree.topLevelItem(0).text(1).startswith("Fri 14 March 2025")
    dialog.reject()
    win.session.ops.op(restore_incident, made.id, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    dialog = group_by_day()
    assert dialog.tree.topLevelItemCount() == 2  # restored: the incident's own again
    dialog.reject()
