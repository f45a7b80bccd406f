"""A chat export dropped on an open incident (or added to it with "Add files..."): the
conversation is imported as any export is, then the person is asked whether the
messages from the incident's day belong in the incident:

    Add the 7 messages from 14 March  |  Choose messages...  |  Not now

Adding does what "Add to incident..." does (core `add_messages_to_incident`, audited).
Choosing shows the conversation at that day, and "Add to incident..." there offers this
incident first. Nothing is added unless the person says so.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from evidence_app.core import conversations as conv
from evidence_app.core.conversation_links import DayMessages, messages_on_incident_days
from evidence_app.gui.alive import while_alive
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural

log = logging.getLogger(__name__)


def counts(found: DayMessages) -> str:
    """"7 messages and 1 call"."""
    parts = [plural(found.texts, "message")] if found.texts else []
    if found.calls:
        parts.append(plural(found.calls, "call"))
    return " and ".join(parts)


class MessageOffer(QObject):
    """Asks once, for one import into one incident. `box` is the question while shown."""

    def __init__(self, ops: CaseOps, incident_id: int, destination: str,
                 conversation_ids: list[int], window: QWidget, titles: list[str] | None = None,
                 ) -> None:
        super().__init__(window)
        self.ops = ops
        self.incident_id = incident_id
        self.destination = destination
        self.conversation_ids = conversation_ids
        self.titles = [t for t in titles or [] if t]
        self.window = window
        self.box: QMessageBox | None = None
        self.found: DayMessages | None = None

    def start(self) -> MessageOffer:
        self.ops.read(messages_on_incident_days, self.incident_id, self.conversation_ids,
                      on_done=while_alive(self, self._ask),
                      on_error=lambda exc: log.warning("no offer of messages: %s", exc))
        return self

    def _ask(self, found: DayMessages) -> None:
        self.found = found
        n = len(found.message_ids)
        if len(self.conversation_ids) == 1:
            said = (f"The chat \u201c{self.titles[0]}\u201d is" if self.titles
                    else "The chat is")
        else:
            said = f"The {len(self.conversation_ids)} chats are"
        box = QMessageBox(QMessageBox.Icon.Question, "Add messages to this incident?",
                          f"{said} in Conversations now.", parent=self.window)
        if n:
            holds = "It holds" if len(self.conversation_ids) == 1 else "They hold"
            box.setInformativeText(
                f"{holds} {counts(found)} from {found.days}, the day of {self.destination}. "
                f"Add {'it' if n == 1 else 'them'} to the incident, or choose the ones that "
                "belong there?")
            add = box.addButton(f"Add the {counts(found)} from {found.days}",
                                QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setInformativeText(self._nothing_to_add(found))
            add = None
        choose = box.addButton("Choose messages\u2026", QMessageBox.ButtonRole.ActionRole)
        later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(add or choose)
        box.setEscapeButton(later)

        def answered() -> None:
            clicked = box.clickedButton()
            if add is not None and clicked is add:
                self.add()
            elif clicked is choose:
                self.choose()

        box.finished.connect(lambda _r: answered())
        self.box = box
        box.open()

    def _nothing_to_add(self, found: DayMessages) -> str:
        if not found.days:
            return (f"There is no single day to match for {self.destination}. Choose the "
                    "messages that belong in it?")
        if found.already_here or found.elsewhere:
            held = []
            if found.already_here:
                held.append(f"{plural(found.already_here, 'message')} already in this "
                            "incident")
            if found.elsewhere:
                held.append(f"{plural(found.elsewhere, 'message')} in other incidents")
            return (f"Its messages from {found.days} are all in incidents already "
                    f"({' and '.join(held)}). Choose other messages for "
                    f"{self.destination}?")
        return (f"None of its messages are from {found.days}, the day of "
                f"{self.destination}. Choose the messages that belong in it?")

    def add(self) -> None:
        found = self.found
        if found is None or not found.message_ids:
            return
        destination = self.destination

        def done(n: int) -> None:
            self._status(f"Added {plural(n, 'message')} from {found.days} to {destination}."
                         if n else "Those messages were already in the incident.")

        self.ops.op(conv.add_messages_to_incident, self.incident_id, list(found.message_ids),
                    on_done=done)

    def choose(self) -> None:
        """The conversation at the incident's day; Add to incident... offers it first."""
        hookup: Any = getattr(self.window, "conversations", None)
        found = self.found
        if hookup is None or found is None:
            return
        conversation = found.conversation_id or self.conversation_ids[0]
        hookup.choose_for_incident(self.incident_id, conversation, found.first_message_id,
                                   self.destination)

    def _status(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 8000)
