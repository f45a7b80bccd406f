"""Edit › Trash: what was deleted, restoring it, and emptying the trash for good."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core import attachments as att
from evidence_app.core import incidents as inc
from evidence_app.core import people as ppl
from evidence_app.core.store.changes import Changes
from evidence_app.core.trash import TrashContents, empty_trash, list_trash
from evidence_app.gui.messages import confirm
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import local_time, plural


class TrashDialog(QDialog):
    def __init__(self, ops: CaseOps, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.tz = tz
        self.contents = TrashContents()
        self.setWindowTitle("Trash")
        fit_to_screen(self, 640, 460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        intro = QLabel("Deleted incidents, exhibits, notes, people and vehicles wait here "
                       "until you empty the trash. Restore anything deleted by mistake.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Item", "Deleted"])
        self.tree.setAccessibleName("Items in the trash")
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.tree.setColumnWidth(0, 400)
        self.tree.itemSelectionChanged.connect(self._selection)
        layout.addWidget(self.tree, 1)
        self.empty_label = QLabel("The trash is empty.")
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_label, 1)
        row = QHBoxLayout()
        self.empty_button = QPushButton("Empty trash…")
        self.empty_button.setAccessibleName("Empty trash")
        self.empty_button.setToolTip("Delete everything in the trash for good")
        self.empty_button.clicked.connect(self._ask_empty)
        row.addWidget(self.empty_button)
        row.addStretch(1)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setAccessibleName("Restore")
        self.restore_button.setToolTip("Put the selected items back where they were")
        self.restore_button.setObjectName("primary")
        self.restore_button.clicked.connect(self._restore)
        row.addWidget(self.restore_button)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        ops.changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        self.ops.read(list_trash, on_done=self._show, latest=(id(self), "trash"))

    def _changed(self, changes: Changes) -> None:
        if changes.timeline:  # anything that can be in the trash, or the trash itself
            self.refresh()

    def _show(self, contents: TrashContents) -> None:
        self.contents = contents
        self.tree.clear()
        tz = self.tz
        for incident in contents.incidents:
            when = local_time(incident.deleted_at, incident.timezone) if incident.deleted_at else ""
            self._item(f"Incident: {incident.title or '(no title)'} ({incident.when_text})",
                       when, ("incident", incident.id))
        for a in contents.attachments:
            when = local_time(a.deleted_at, tz) if a.deleted_at else ""
            self._item(f"Exhibit {a.exhibit_mark}: {a.original_name}", when, ("attachment", a.id))
        for note in contents.notes:
            text = " ".join(note.text.split())
            self._item(f"Note: {text[:80]}{'…' if len(text) > 80 else ''}",
                       local_time(note.updated_at, tz), ("note", note.id))
        for person in contents.people:
            role = f" ({person.role})" if person.role else ""
            self._item(f"Person: {person.name}{role}",
                       local_time(person.deleted_at, tz) if person.deleted_at else "",
                       ("person", person.id))
        for vehicle in contents.vehicles:
            self._item(f"Vehicle: {vehicle.label}",
                       local_time(vehicle.deleted_at, tz) if vehicle.deleted_at else "",
                       ("vehicle", vehicle.id))
        empty = contents.empty
        self.tree.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.empty_button.setEnabled(not empty)
        self._selection()

    def _item(self, text: str, when: str, key: tuple[str, int]) -> None:
        item = QTreeWidgetItem([text, when])
        item.setData(0, Qt.ItemDataRole.UserRole, key)
        item.setToolTip(0, text)
        self.tree.addTopLevelItem(item)

    def _selection(self) -> None:
        self.restore_button.setEnabled(bool(self.tree.selectedItems()))

    def _restore(self) -> None:
        for item in self.tree.selectedItems():
            kind, item_id = item.data(0, Qt.ItemDataRole.UserRole)
            fn = {"incident": inc.restore_incident, "attachment": att.restore_attachment,
                  "note": inc.restore_note, "person": ppl.restore_person,
                  "vehicle": ppl.restore_vehicle}[kind]
            self.ops.op(fn, item_id)

    def _ask_empty(self) -> None:
        c = self.contents
        parts = [plural(len(c.incidents), "incident"), plural(len(c.attachments), "exhibit"),
                 plural(len(c.notes), "note")]
        parts += [plural(n, noun, many) for n, noun, many in
                  ((len(c.people), "person", "people"), (len(c.vehicles), "vehicle", "vehicles"))
                  if n]
        confirm(self, "Empty the trash?",
                f"This deletes {', '.join(parts[:-1])} and {parts[-1]} for good, including the "
                "original files of those exhibits (and the exhibits of deleted incidents).",
                "Empty trash", lambda: self.ops.op(empty_trash),
                informative="This cannot be undone. Exhibit marks already issued are never "
                            "reused. The audit trail keeps a record that the trash was emptied.",
                destructive=True)
