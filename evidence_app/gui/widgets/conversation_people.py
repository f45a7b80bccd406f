"""Who is who in a conversation: which participant is the person keeping the case, who is
a suspect, and who each of them is in People (someone already there, or a new person made
from the name and number the export gives).

The same choices are offered two ways: the "Who is who" button's menu (every participant)
and the menu on a message (its sender). Each choice is one audited write in core
(`set_participant`, `person_from_participant`); the page reads the conversation again
when the change is announced, so the bubbles, their marks and names follow.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from evidence_app.core.conversation_links import person_from_participant
from evidence_app.core.conversations import ConversationView, ParticipantView, set_participant
from evidence_app.core.people import list_people
from evidence_app.core.views import PersonView
from evidence_app.core.vocab import Role
from evidence_app.gui.alive import while_alive
from evidence_app.gui.dialogs.person_forms import ROLE_LABELS, PersonDialog
from evidence_app.gui.tasks import CaseOps

NOT_LINKED = "Not linked to anyone in People"


def person_label(person: PersonView) -> str:
    """"Mark Jones (suspect)": the name, and what they are in the case unless "other"."""
    role = next((label for r, label in ROLE_LABELS.items() if r.value == person.role), "")
    if not role or person.role == Role.OTHER.value:
        return person.name
    return f"{person.name} ({role.lower()})"


def short_name(p: ParticipantView) -> str:
    return p.name or p.address or "Unknown"


class WhoIsWho(QObject):
    """Builds the who-is-who menus for a conversation and carries out the choices.
    `people` (everyone in People, not in the trash) is read again with `refresh()`."""

    def __init__(self, ops: CaseOps, parent: QWidget) -> None:
        super().__init__(parent)
        self.ops = ops
        self.window = parent
        self.people: list[PersonView] = []
        self.dialog: PersonDialog | None = None

    def refresh(self) -> None:
        self.ops.read(list_people, on_done=while_alive(self, self._read),
                      latest=(self, "people"))

    def _read(self, people: list[PersonView]) -> None:
        self.people = people

    # -- menus ---------------------------------------------------------------------
    def fill(self, menu: QMenu, conversation: ConversationView | None) -> None:
        """Every participant: suspect ticks, which one is you, and who each is in People."""
        menu.clear()
        if conversation is None:
            return
        others = [p for p in conversation.participants if p.name or p.address]
        for p in others:
            self._suspect_action(menu, p, f"{p.label} is a suspect")
        menu.addSeparator()
        mine = menu.addMenu("Which of them is you?")
        group = QActionGroup(mine)
        for p in others:
            act = mine.addAction(p.label)
            act.setCheckable(True)
            act.setChecked(p.is_owner)
            group.addAction(act)
            act.triggered.connect(lambda _c=False, pid=p.id: self.set(pid, is_owner=True))
        menu.addSeparator()
        for p in others:
            if not p.is_owner:
                self.people_menu(menu.addMenu(f"{short_name(p)} in People"), p)

    def fill_for_sender(self, menu: QMenu, p: ParticipantView) -> None:
        """One participant (the sender of a message the person right-clicked)."""
        name = short_name(p)
        self._suspect_action(menu, p, f"{name} is a suspect")
        me = menu.addAction(f"{name} is me")
        me.setCheckable(True)
        me.setChecked(p.is_owner)
        me.setEnabled(not p.is_owner)  # someone else is made "you" from their own menu
        me.triggered.connect(lambda _c=False: self.set(p.id, is_owner=True))
        self.people_menu(menu.addMenu(f"{name} in People"), p)

    def _suspect_action(self, menu: QMenu, p: ParticipantView, text: str) -> None:
        act = menu.addAction(text)
        act.setCheckable(True)
        act.setChecked(p.is_suspect)
        act.toggled.connect(lambda on, pid=p.id: self.set(pid, is_suspect=on))

    def people_menu(self, menu: QMenu, p: ParticipantView) -> None:
        """Link to someone in People (ticked: who they are now), add them, or unlink."""
        group = QActionGroup(menu)
        for person in self.people:
            act = menu.addAction(person_label(person))
            act.setCheckable(True)
            act.setChecked(person.id == p.person_id)
            group.addAction(act)
            act.triggered.connect(lambda _c=False, pid=p.id, person_id=person.id:
                                  self.set(pid, person_id=person_id))
        if self.people:
            menu.addSeparator()
        add = menu.addAction(f"Add {short_name(p)} to People\u2026")
        add.triggered.connect(lambda _c=False: self.add_person(p))
        unlink = menu.addAction(NOT_LINKED)
        unlink.setCheckable(True)
        unlink.setChecked(p.person_id is None)
        group.addAction(unlink)
        unlink.triggered.connect(lambda _c=False: self.set(p.id, person_id=None))

    # -- doing ---------------------------------------------------------------------
    def set(self, participant_id: int, **what: Any) -> None:
        self.ops.op(partial(set_participant, **what), participant_id)

    def add_person(self, p: ParticipantView) -> PersonDialog:
        """The New person form filled in from the export (name, number or address, and
        "suspect" if marked so); saved, the participant is linked to them."""
        role = Role.SUSPECT.value if p.is_suspect else Role.OTHER.value
        dialog = PersonDialog(self.window, role=role)
        dialog.setWindowTitle(f"Add {short_name(p)} to People")
        dialog.fields.name.setText(p.name or p.address)
        if p.address and p.address != p.name:
            dialog.fields.contact.setPlainText(p.address)

        def save() -> None:
            values = dialog.values()
            name = values.pop("name")
            self.ops.op(person_from_participant, p.id, name, **values,
                        on_done=lambda _id: self.refresh())

        dialog.accepted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog
