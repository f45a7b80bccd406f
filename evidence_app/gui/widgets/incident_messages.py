"""The messages an incident holds, shown in its editor under the exhibits, as the
phone shows them; double-click one (or "Show in the conversation") to see it in its
conversation. Hidden when the incident holds no messages.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from evidence_app.gui.conversation_data import incident_source
from evidence_app.gui.look import muted
from evidence_app.gui.models.conversation import MessageRole, MessageRow
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.conversation_view import MessageList

LIST_HEIGHT = 320


class IncidentMessages(QWidget):
    open_message = Signal(int, int)  # conversation id, message id

    def __init__(self, ops: CaseOps, loader: ThumbnailLoader | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from evidence_app.gui.models.conversation import ConversationModel
        from evidence_app.gui.widgets.conversation_delegate import ConversationDelegate

        self.ops = ops
        self.incident_id: int | None = None
        self.model = ConversationModel(ops)
        self.delegate = ConversationDelegate(loader, self)
        self.delegate.mark_held = False  # they all are: in this one
        self.list = MessageList(self.model, self.delegate)
        self.list.setAccessibleName("Messages in this incident")
        self.list.setMinimumHeight(LIST_HEIGHT)
        self.heading = QLabel("Messages")
        self.heading.setObjectName("fieldLabel")
        self.note = muted(QLabel())
        self.note.setWordWrap(True)
        self.go = QPushButton("Show in the conversation")
        self.go.setToolTip("Open the conversation at the chosen message, to see what came "
                           "before and after it")
        row = QHBoxLayout()
        row.addWidget(self.heading)
        row.addStretch(1)
        row.addWidget(self.go)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.list)
        self.take_out = QAction("Take out of this incident", self)
        self.take_out.setToolTip("The chosen messages stay in their conversation; only this "
                                 "incident stops holding them")
        self.take_out.triggered.connect(self._take_out)
        self.list.addAction(self.take_out)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.go.clicked.connect(self._go)
        self.list.doubleClicked.connect(self._open)
        self.model.total_changed.connect(self._counted)
        if loader is not None:
            loader.ready.connect(lambda _sha: self.list.viewport().update())
        ops.changed.connect(self._changed)
        self.hide()

    def show_incident(self, detail: Any) -> None:
        """The editor loaded an incident (None: none)."""
        incident_id = getattr(detail, "id", None)
        if incident_id == self.incident_id and incident_id is not None:
            return
        self.incident_id = incident_id
        if incident_id is None:
            self.model.set_source(None)
            self.hide()
            return
        self.delegate.forget()
        self.model.set_source(incident_source(incident_id))

    def _changed(self, changes: Any) -> None:
        if self.incident_id is not None and (self.incident_id in changes.incidents
                                             or changes.conversations):
            self.delegate.forget()
            self.model.set_source(incident_source(self.incident_id))

    def _counted(self, total: int) -> None:
        self.setVisible(total > 0)
        if total:
            rows = [self.model.message_at(r) for r in range(self.model.rowCount())]
            shown = [r for r in rows if r is not None]
            calls = sum(r.kind == "call" for r in shown)
            parts = [plural(len(shown) - calls, "message")] if len(shown) > calls else []
            if calls:
                parts.append(plural(calls, "call"))
            self.heading.setText("Messages: " + " and ".join(parts))
            marks = sorted({r.export_mark for r in shown if r.export_mark})
            numbers = sorted(r.number for r in shown)
            from evidence_app.core.conversations import index_ranges

            self.note.setText(
                f"Read from the export {', '.join(marks)}, messages {index_ranges(numbers)}."
                if marks else f"Messages {index_ranges(numbers)}.")

    def _take_out(self) -> None:
        chosen = [m.id for m in self.list.selected_messages()]
        if chosen:
            from evidence_app.core.conversations import remove_messages_from_incident

            self.ops.op(remove_messages_from_incident, chosen)

    def _message(self, index: QModelIndex) -> MessageRow | None:
        row = index.data(MessageRole) if index.isValid() else None
        return row if isinstance(row, MessageRow) else None

    def _open(self, index: QModelIndex) -> None:
        row = self._message(index)
        if row is not None:
            self._emit(row)

    def _go(self) -> None:
        chosen = self.list.selected_messages()
        row = chosen[0] if chosen else self.model.message_at(1)
        if row is None:
            row = next((m for m in (self.model.message_at(r)
                                    for r in range(self.model.rowCount())) if m), None)
        if row is not None:
            self._emit(row)

    def _emit(self, row: MessageRow) -> None:
        if row.conversation_id is not None:
            self.open_message.emit(row.conversation_id, row.id)
