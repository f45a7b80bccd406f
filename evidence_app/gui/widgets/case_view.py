"""The open case: the timeline on the left, the incident editor on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from evidence_app.gui.models.timeline import TimelineModel
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural
from evidence_app.gui.widgets.incident_editor import IncidentEditor
from evidence_app.gui.widgets.timeline import TimelineView


class CaseView(QSplitter):
    """Timeline + editor for one open case. `left_layout` takes extra widgets (e.g. a
    search summary) above the timeline."""

    def __init__(self, ops: CaseOps, undo_stack: QUndoStack, newest_first: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.ops = ops
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
        self.count = QLabel()
        self.count.setObjectName("muted")
        self.count.setAccessibleName("Number of incidents")
        head.addWidget(self.count)
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
            self.count.setText(plural(total, "incident"))
        else:
            self.count.setText(f"{total} found")
