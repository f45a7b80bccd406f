"""Who is who in a conversation, from the window: a participant linked to someone in
People (or added to People from the name the export gives), from the Who is who menu
and from the menu on a message; and a message whose incident went into the trash no
longer marked "in an incident" (until the incident is restored)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from evidence_app.core import conversations as conv
from evidence_app.core.cases import open_case
from evidence_app.core.incidents import create_incident, delete_incident, restore_incident
from evidence_app.core.people import create_person, delete_person, list_people, restore_person
from evidence_app.core.store.audit import entries
from evidence_app.gui.conversations_hookup import install as install_conversations
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from tests.gui.chat_case import add_chat
from tests.gui.helpers import make_case, settle, wait_open
from tests.gui.test_conversations_window import message_rows, open_page


@pytest.fixture
def win(qtbot, window, tmp_path):
    """Mark's chat (Mark a suspect), an incident holding two of his messages, and
    "Mark Andrew Jones" already in People."""
    folder = make_case(tmp_path / "case")
    c = open_case(folder)
    try:
        chat = add_chat(c, tmp_path / "export")
        create_person(c, "Mark Andrew Jones", role="suspect")
        create_person(c, "PC Helen Ward", role="officer")
        incident = create_incident(c, title="Messages on Friday")
        first = conv.messages_page(c, chat.id, limit=3)
        conv.add_messages_to_incident(c, incident, [m.id for m in first[1:3]])
    finally:
        c.close()
    install_exhibits(window)
    install_conversations(window)
    window.session.open(folder)
    wait_open(qtbot, window)
    window.incident_id = incident
    return window


def click_action(qtbot, menu, text):
    """Click the menu's entry `text` (opening its submenu if it has one); returns it."""
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    action = next((a for a in menu.actions() if a.text() == text), None)
    assert action is not None, [a.text() for a in menu.actions()]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    return action


def open_who_menu(qtbot, page):
    menu = page.people_menu
    menu.popup(page.people_button.mapToGlobal(page.people_button.rect().bottomLeft()))
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    return menu


def marks(view):
    return [view.model.message_at(r) for r in message_rows(view, kind="message")]


def first(view):
    """Mark's first message as shown (None while the chat is being read again)."""
    shown = marks(view)
    return shown[0] if shown else None


def participant(case, name):
    [chat] = conv.list_conversations(case)
    return next(p for p in chat.participants if p.name == name)


def test_a_participant_is_linked_to_someone_in_people_from_who_is_who(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    qtbot.waitUntil(lambda: len(page.who.people) == 2, timeout=5000)
    menu = open_who_menu(qtbot, page)
    holder = click_action(qtbot, menu, "Mark Jones in People")
    sub = holder.menu()
    assert [a.text() for a in sub.actions() if a.text()] == [
        "Mark Andrew Jones (suspect)", "PC Helen Ward (police officer)",
        "Add Mark Jones to People\u2026", "Not linked to anyone in People"]
    assert [a.isChecked() for a in sub.actions() if a.isCheckable()] == [False, False, True]
    click_action(qtbot, sub, "Mark Andrew Jones (suspect)")
    # The view says who Mark is, beside the name the chat gives him.
    qtbot.waitUntil(lambda: getattr(first(view), "sender", "") == "Mark Andrew Jones (Mark Jones)",
                    timeout=10000)
    assert "with Mark Andrew Jones (\u201cMark Jones\u201d in the chat, suspect)" in \
        view.subtitle.text()
    assert {m.sender for m in marks(view)} == {"Mark Andrew Jones (Mark Jones)", "Jane Smith"}
    case = win.session.ops.case
    mark = participant(case, "Mark Jones")
    person = next(p for p in list_people(case) if p.name == "Mark Andrew Jones")
    assert mark.person_id == person.id
    with case.read() as session:
        event = [e for e in entries(session, "participant", [mark.id])][-1]
    assert event.details["changes"]["person_id"] == {"old": None, "new": person.id}
    # The menu shows the link, and unlinking takes the name away again.
    menu = open_who_menu(qtbot, page)
    sub = click_action(qtbot, menu, "Mark Jones in People").menu()
    ticked = [a.text() for a in sub.actions() if a.isChecked()]
    assert ticked == ["Mark Andrew Jones (suspect)"]
    click_action(qtbot, sub, "Not linked to anyone in People")
    qtbot.waitUntil(lambda: getattr(first(view), "sender", "") == "Mark Jones", timeout=10000)
    assert participant(case, "Mark Jones").person_id is None


def right_click_message(qtbot, view, row):
    view.list.scrollTo(view.model.index(row))
    rect = view.list.visualRect(view.model.index(row))
    pos = rect.center()
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.RightButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                              view.list.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.list.viewport(), event)


def test_a_sender_is_added_to_people_from_the_menu_on_their_message(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    qtbot.waitUntil(lambda: len(page.who.people) == 2, timeout=5000)
    rows = message_rows(view, kind="message")
    mark_row = next(r for r in rows if view.model.message_at(r).sender == "Mark Jones")
    right_click_message(qtbot, view, mark_row)
    qtbot.waitUntil(lambda: page.message_menu is not None and page.message_menu.isVisible(),
                    timeout=3000)
    menu = page.message_menu
    assert [a.text() for a in menu.actions()] == [
        "Mark Jones is a suspect", "Mark Jones is me", "Mark Jones in People"]
    assert menu.actions()[0].isChecked()
    sub = click_action(qtbot, menu, "Mark Jones in People").menu()
    click_action(qtbot, sub, "Add Mark Jones to People\u2026")
    dialog = page.who.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    # Filled in from the chat: his name, and "suspect" as he is marked one.
    assert dialog.fields.name.text() == "Mark Jones"
    assert dialog.fields.role.currentText() == "Suspect"
    dialog.fields.relation.setFocus()
    qtbot.keyClicks(dialog.fields.relation, "former partner")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    case = win.session.ops.case
    qtbot.waitUntil(lambda: any(p.name == "Mark Jones" for p in list_people(case)),
                    timeout=10000)
    settle(qtbot, win)
    person = next(p for p in list_people(case) if p.name == "Mark Jones")
    assert (person.role, person.relation) == ("suspect", "former partner")
    mark = participant(case, "Mark Jones")
    assert mark.person_id == person.id
    with case.read() as session:
        created = [e for e in entries(session, "person", [person.id]) if e.action == "create"]
        linked = [e for e in entries(session, "participant", [mark.id])][-1]
    assert created and linked.details["changes"]["person_id"]["new"] == person.id
    # He is in the People list the menus offer now, ticked as who Mark is.
    qtbot.waitUntil(lambda: len(page.who.people) == 3, timeout=5000)
    right_click_message(qtbot, view, mark_row)
    qtbot.waitUntil(lambda: page.message_menu.isVisible(), timeout=3000)
    sub = click_action(qtbot, page.message_menu, "Mark Jones in People").menu()
    assert [a.text() for a in sub.actions() if a.isChecked()] == ["Mark Jones (suspect)"]
    sub.close()
    page.message_menu.close()


def test_marking_the_sender_as_a_suspect_from_their_message(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    rows = message_rows(view, kind="message")
    jane = next(r for r in rows if view.model.message_at(r).sender == "Jane Smith")
    assert view.model.message_at(jane).role == "me"
    right_click_message(qtbot, view, jane)
    qtbot.waitUntil(lambda: page.message_menu is not None and page.message_menu.isVisible(),
                    timeout=3000)
    me = next(a for a in page.message_menu.actions() if a.text() == "Jane Smith is me")
    assert me.isChecked() and not me.isEnabled()
    mark = next(r for r in rows if view.model.message_at(r).sender == "Mark Jones")
    page.message_menu.close()
    right_click_message(qtbot, view, mark)
    qtbot.waitUntil(lambda: page.message_menu.isVisible(), timeout=3000)
    click_action(qtbot, page.message_menu, "Mark Jones is a suspect")  # untick
    qtbot.waitUntil(lambda: "with Mark Jones (suspect)" not in view.subtitle.text()
                    and "with Mark Jones" in view.subtitle.text(), timeout=10000)
    qtbot.waitUntil(lambda: getattr(first(view), "role", "") == "other", timeout=10000)
    assert not participant(win.session.ops.case, "Mark Jones").is_suspect
    # Had the import taken the wrong one for the person, their message puts it right.
    mark = next(r for r in message_rows(view, kind="message")
                if view.model.message_at(r).sender == "Mark Jones")
    right_click_message(qtbot, view, mark)
    qtbot.waitUntil(lambda: page.message_menu.isVisible(), timeout=3000)
    click_action(qtbot, page.message_menu, "Mark Jones is me")
    qtbot.waitUntil(lambda: getattr(first(view), "role", "") == "me", timeout=10000)
    case = win.session.ops.case
    assert participant(case, "Mark Jones").is_owner
    assert not participant(case, "Jane Smith").is_owner


def test_a_trashed_incidents_messages_are_not_marked_in_an_incident(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view

    def held():
        texts = [view.model.index(r).data() for r in range(view.model.rowCount())]
        return sum(t.endswith(", in an incident") for t in texts)

    assert held() == 2
    ops = win.session.ops
    ops.op(delete_incident, win.incident_id)
    qtbot.waitUntil(lambda: held() == 0, timeout=10000)
    assert all(m.incident_id is None for m in marks(view))
    ops.op(restore_incident, win.incident_id)
    settle(qtbot, win)
    # The window shows the incident brought back; the person goes back to the chat.
    if not win.conversations.shown:
        qtbot.mouseClick(win.conversations_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.conversations.shown and held() == 2, timeout=10000)
    assert sum(m.incident_id == win.incident_id for m in marks(view)) == 2


def test_a_linked_person_in_the_trash_is_nobodys_name_until_restored(qtbot, win):
    page = open_page(qtbot, win)
    view = page.view
    case = win.session.ops.case
    person = next(p for p in list_people(case) if p.name == "Mark Andrew Jones")
    ops = win.session.ops
    ops.op(conv.set_participant, participant(case, "Mark Jones").id, person_id=person.id)
    qtbot.waitUntil(lambda: getattr(first(view), "sender", "") ==
                    "Mark Andrew Jones (Mark Jones)", timeout=10000)
    ops.op(delete_person, person.id)
    qtbot.waitUntil(lambda: getattr(first(view), "sender", "") == "Mark Jones"
                    and "with Mark Jones (suspect)" in view.subtitle.text(), timeout=10000)
    menu = open_who_menu(qtbot, page)
    sub = click_action(qtbot, menu, "Mark Jones in People").menu()
    assert [a.text() for a in sub.actions() if a.isChecked()] == [
        "Not linked to anyone in People"]
    assert "Mark Andrew Jones (suspect)" not in [a.text() for a in sub.actions()]
    sub.close()
    menu.close()
    ops.op(restore_person, person.id)
    qtbot.waitUntil(lambda: getattr(first(view), "sender", "") ==
                    "Mark Andrew Jones (Mark Jones)", timeout=10000)
    assert "Mark Andrew Jones (\u201cMark Jones\u201d in the chat, suspect)" in \
        view.subtitle.text()
