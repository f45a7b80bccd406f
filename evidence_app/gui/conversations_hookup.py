"""Puts conversations into the main window: the Conversations page beside the Inbox
(View › Conversations, the toolbar button, Ctrl+Shift+M), incidents made from chosen
messages, Group by day, the messages an incident holds shown in its editor, and search
hits on messages opening the conversation at the message.

Installed after the exhibits (it shares their right-hand pages and thumbnails).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSize

from evidence_app.core import conversations as conv
from evidence_app.core.store.changes import Changes
from evidence_app.gui.conversation_data import senders
from evidence_app.gui.dialogs.group_by_day import GroupByDayDialog
from evidence_app.gui.dialogs.incident_picker import IncidentPickerDialog
from evidence_app.gui.exhibits_hookup import open_to_write
from evidence_app.gui.models.conversation import MessageRow
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.conversation_delegate import PICTURE
from evidence_app.gui.widgets.conversations_page import ConversationsPage
from evidence_app.gui.widgets.incident_messages import IncidentMessages

if TYPE_CHECKING:
    from evidence_app.gui.main_window import MainWindow


def what(rows: list[MessageRow]) -> str:
    """'8 messages and 1 call'."""
    calls = sum(r.kind == "call" for r in rows)
    texts = len(rows) - calls
    parts = [plural(texts, "message")] if texts else []
    if calls:
        parts.append(plural(calls, "call"))
    return " and ".join(parts) or "nothing"


class ConversationsHookup(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ops: CaseOps | None = None
        self.page: ConversationsPage | None = None
        self.panel: IncidentMessages | None = None
        self.dialog: GroupByDayDialog | None = None
        # The incident a chat was dropped on, while the person chooses its messages.
        self.target: int | None = None
        # The window draws the action (disabled) from the start; here it gets its behaviour.
        action = self.action = window.act_conversations
        action.toggled.connect(self.show_page)
        window.case_opened.connect(self._opened)
        window.case_closed.connect(self._closed)

    # -- per case ------------------------------------------------------------------
    def _opened(self, ops: CaseOps) -> None:
        exhibits = getattr(self.window, "exhibits", None)
        view = self.window.view
        if exhibits is None or exhibits.right is None or view is None:
            return
        self.ops = ops
        loader = ThumbnailLoader(ops, view, fit=QSize(PICTURE, PICTURE))
        self.page = ConversationsPage(ops, loader)
        exhibits.right.addWidget(self.page)
        exhibits.right.currentChanged.connect(self._page_changed)
        page_view = self.page.view
        page_view.make_incident.connect(self.make_incident)
        page_view.add_to_incident.connect(self.add_to_incident)
        page_view.group_by_day.connect(self.group_by_day)
        page_view.message.connect(self._status)
        self.panel = IncidentMessages(ops, loader)
        view.editor.form.exhibits.addWidget(self.panel)
        view.editor.loaded.connect(self.panel.show_incident)
        self.panel.open_message.connect(self.open_message)
        ops.changed.connect(self._changed)
        self.action.setEnabled(True)

    def _closed(self) -> None:
        if self.page is not None and self.page.viewer is not None:
            self.page.viewer.close()  # a window of the closed case goes with it
            self.page.viewer.deleteLater()
        self.ops = self.page = self.panel = None
        self.target = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self.action.setChecked(False)
        self.action.setEnabled(False)

    def _changed(self, changes: Changes) -> None:
        # Hidden, the page is read again when it is next shown (show_page). An incident
        # going into or out of the trash changes which messages are "in an incident";
        # People renamed or added change the names beside the senders.
        if self.page is not None and self.shown and (
                changes.conversations or changes.trash or changes.people):
            self.page.refresh()

    # -- showing -------------------------------------------------------------------
    @property
    def shown(self) -> bool:
        exhibits = getattr(self.window, "exhibits", None)
        return (self.page is not None and exhibits is not None and exhibits.right is not None
                and exhibits.right.currentWidget() is self.page)

    def show_page(self, show: bool = True) -> None:
        exhibits = getattr(self.window, "exhibits", None)
        if self.page is None or exhibits is None or exhibits.right is None:
            return
        if show:
            if self.window.view is not None:
                self.window.view.editor.flush()
            if exhibits.act_inbox.isChecked():  # quietly: unticking it shows the editor
                exhibits.act_inbox.blockSignals(True)
                exhibits.act_inbox.setChecked(False)
                exhibits.act_inbox.blockSignals(False)
            if not self.shown:
                exhibits.right.setCurrentWidget(self.page)
                self.page.refresh()
        elif self.shown:
            exhibits.show_inbox(False)
        if self.action.isChecked() != show:
            self.action.setChecked(show)

    def _page_changed(self, _index: int) -> None:
        shown = self.shown
        if self.action.isChecked() != shown:
            self.action.blockSignals(True)
            self.action.setChecked(shown)
            self.action.blockSignals(False)

    def open_message(self, conversation_id: int, message_id: int | None = None) -> None:
        """Show the conversation at a message (a search hit, an incident's message)."""
        if self.page is None:
            return
        self.show_page(True)
        self.page.open_message(conversation_id, message_id)

    def choose_for_incident(self, incident_id: int, conversation_id: int,
                            message_id: int | None, destination: str) -> None:
        """After a chat dropped on an incident: the chat at the incident's day, for the
        person to choose its messages; "Add to incident..." then offers that incident."""
        self.target = incident_id
        self.open_message(conversation_id, message_id)
        self._status(f"Choose the messages that belong in {destination}, then click "
                     "“Add to incident…”.")

    # -- making incidents ----------------------------------------------------------
    def make_incident(self, rows: list[MessageRow]) -> None:
        if self.ops is None:
            return
        ids = [r.id for r in rows]
        said = what(rows)

        def made(incident_id: int) -> None:
            self._status(f"Made an incident of {said}. Give it a title that says what "
                         "happened.")
            self._open_incident(incident_id)

        self.ops.op(conv.incident_from_messages, ids, on_done=made)

    def add_to_incident(self, rows: list[MessageRow]) -> None:
        if self.ops is None:
            return
        ids = [r.id for r in rows]
        picker = IncidentPickerDialog(self.ops, "Add to incident",
                                      f"Add the {what(rows)} to which incident?",
                                      parent=self.window, prefer=self.target)
        ops = self.ops

        def chosen() -> None:
            incident_id = picker.chosen_id
            if incident_id is None:
                return
            if incident_id == self.target:
                self.target = None  # the dropped chat's messages have found their incident
            ops.op(conv.add_messages_to_incident, incident_id, ids,
                   on_done=lambda n: self._status(
                       f"Added {plural(n, 'message')} to the incident." if n else
                       "Those messages were already in that incident."))

        picker.accepted.connect(chosen)
        picker.open()
        self.picker = picker

    def group_by_day(self) -> None:
        if self.ops is None or self.page is None or self.page.current is None:
            return
        current = self.page.current
        cid = current.id
        ops = self.ops

        def load(case: Any, participant: int | None) -> list[conv.DayProposal]:
            return conv.propose_days(case, cid, participant)

        scope = (f"From \u201c{current.title}\u201d ({current.source_label}). Each day with "
                 "messages or calls from the person you choose becomes one incident, dated "
                 "from its first message to its last.")
        dialog = GroupByDayDialog(ops, senders(current), load, self.window.session.timezone,
                                  scope, self.window)
        self.dialog = dialog

        def create() -> None:
            kept = dialog.chosen()
            if kept:
                ops.op(conv.incidents_from_proposals, kept, on_done=lambda ids: self._status(
                    f"Made {plural(len(ids), 'incident')}, one for each day you kept. They "
                    "are in the timeline."))

        dialog.accepted.connect(create)
        dialog.open()

    def _open_incident(self, incident_id: int) -> None:
        """Show a new incident in the editor with its title ready to be written."""
        exhibits = getattr(self.window, "exhibits", None)
        if exhibits is not None:
            exhibits.show_inbox(False)  # the editor, in place of this page
        open_to_write(self.window, incident_id)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)


def install(window: MainWindow) -> ConversationsHookup:
    """Give `window` its Conversations page (after the exhibits are installed)."""
    hookup = ConversationsHookup(window)
    window.conversations = hookup  # type: ignore[attr-defined]
    return hookup
