"""The open case: the timeline on the left, the incident editor on the right."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from evidence_app.core import incidents as inc
from evidence_app.core.dates import When
from evidence_app.core.vocab import Precision
from evidence_app.gui.models.timeline import TimelineModel
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural
from evidence_app.gui.undo import DoneCommand
from evidence_app.gui.widgets.incident_editor import IncidentEditor
from evidence_app.gui.widgets.timeline import TimelineView


class CaseView(QSplitter):
    """Timeline + editor for one open case. `left_layout` takes extra widgets (e.g. a
    search summary) above the timeline."""

    def __init__(self, ops: CaseOps, undo_stack: QUndoStack, newest_first: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.ops = ops
        self.undo_stack = undo_stack
        self.model = TimelineModel(ops, newest_first=newest_first)
        left = QWidget()
        left.setObjectName("timelinePane")
        self.left_layout = QVBoxLayout(left)
        self.left_layout.setContentsMargins(8, 10, 4, 0)
        self.left_layout.setSpacing(6)
        head = QHBoxLayout()
        head.setContentsMargins(8, 0, 8, 0)
        title = QLabel("Timeline")
        title.setObjectName("paneTitle")
        head.addWidget(title)
        head.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.count_label.setAccessibleName("Number of incidents")
        head.addWidget(self.count_label)
        self.left_layout.addLayout(head)
        self.timeline = TimelineView(self.model)
        self.left_layout.addWidget(self.timeline, 1)
        self.editor = IncidentEditor(ops, undo_stack)
        self.editor.setObjectName("editorPane")
        self.addWidget(left)
        self.addWidget(self.editor)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([400, 880])
        self.setChildrenCollapsible(False)
        left.setMinimumWidth(280)
        self.editor.setMinimumWidth(420)
        self.timeline.incident_selected.connect(self.editor.set_incident)
        self.model.total_changed.connect(self._count)
        self.model.reload(keep=False)

    def _count(self, total: int) -> None:
        if self.model.source.name == "all":
            self.count_label.setText(plural(total, "incident"))
        else:
            self.count_label.setText(f"{total} found")

    # -- commands ------------------------------------------------------------------------
    def new_incident(self, tz: str) -> None:
        """Record a new incident dated now, show it and put the cursor in its title."""
        self.editor.flush()
        ops = self.ops
        now = datetime.now(UTC).replace(second=0, microsecond=0)

        def created(incident_id: int) -> None:
            self.undo_stack.push(DoneCommand(
                "new incident",
                lambda: ops.op(inc.restore_incident, incident_id),
                lambda: ops.op(inc.delete_incident, incident_id)))
            self.editor.set_incident(incident_id)
            self.timeline.select_incident(incident_id)
            self.editor.loaded.connect(self._focus_title_once)

        ops.op(inc.create_incident, when=When(now, None, Precision.EXACT, tz), on_done=created)

    def _focus_title_once(self, _detail: object) -> None:
        self.editor.loaded.disconnect(self._focus_title_once)
        self.editor.focus_title()

    def delete_current(self) -> str | None:
        """Move the incident on screen to the trash (undoable); returns its title."""
        incident_id = self.editor.incident_id
        if incident_id is None:
            return None
        self.editor.flush()
        title = self.editor.form.title.text().strip() or "the incident"
        ops = self.ops
        ops.op(inc.delete_incident, incident_id)
        self.undo_stack.push(DoneCommand(
            "delete incident",
            lambda: ops.op(inc.delete_incident, incident_id),
            lambda: ops.op(inc.restore_incident, incident_id)))
        return title
