"""Choose an incident (for "Add to incident..." and "Move to another incident...")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.incidents import list_incidents
from evidence_app.core.views import IncidentSummary
from evidence_app.gui.alive import while_alive
from evidence_app.gui.look import heading, muted
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps

Index = QModelIndex | QPersistentModelIndex


class _Incidents(QAbstractListModel):
    """Incidents newest first, filtered by words typed (title, place, category, date)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.all: list[tuple[IncidentSummary, str]] = []
        self.shown: list[IncidentSummary] = []

    def set_incidents(self, incidents: list[IncidentSummary]) -> None:
        self.all = [(i, " ".join((i.title, i.location, i.category_text, i.when_text)).lower())
                    for i in incidents]
        self.filter("")

    def filter(self, text: str) -> None:
        words = text.lower().split()
        self.beginResetModel()
        self.shown = [i for i, hay in self.all if all(w in hay for w in words)]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        inc = self.shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = inc.title or "(no title)"
            place = f" \u2014 {inc.location}" if inc.location else ""
            return f"{inc.when_text}   {title}{place}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{inc.category_text}; {inc.exhibit_count} exhibit(s)"
        if role == Qt.ItemDataRole.UserRole:
            return inc.id
        return None


class IncidentPickerDialog(QDialog):
    """Open with `open()`; when accepted, `chosen_id` holds the incident picked."""

    def __init__(self, ops: CaseOps, title: str, prompt: str, exclude: int | None = None,
                 parent: QWidget | None = None, prefer: int | None = None) -> None:
        super().__init__(parent)
        self.prefer = prefer  # chosen at first when it is in the list
        self.setWindowTitle(title)
        fit_to_screen(self, 560, 460)
        self.exclude = exclude
        self.chosen_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(heading(QLabel(prompt), 1.1))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type to find an incident by title, place or date")
        self.search.setAccessibleName("Find incident")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = _Incidents(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Incidents")
        self.list.setAlternatingRowColors(True)
        layout.addWidget(self.list, 1)
        self.empty = muted(QLabel("Loading incidents\u2026"))
        layout.addWidget(self.empty)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Choose")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self._filter)
        self.list.doubleClicked.connect(lambda _i: self._accept())
        self.list.selectionModel().selectionChanged.connect(self._selection)
        ops.read(list_incidents, newest_first=True, on_done=while_alive(self, self._loaded))

    def _loaded(self, incidents: list[IncidentSummary]) -> None:
        self.model.set_incidents([i for i in incidents if i.id != self.exclude])
        self._filter(self.search.text())
        row = next((r for r, i in enumerate(self.model.shown) if i.id == self.prefer), None)
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
            self.list.scrollTo(self.model.index(row))

    def _filter(self, text: str) -> None:
        self.model.filter(text)
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
            self.empty.hide()
        else:
            self.empty.setText("No incident matches those words." if self.model.all else
                               "There are no incidents yet. Use \u201cNew incident from "
                               "selection\u201d instead.")
            self.empty.show()
        self._selection()

    def _selection(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.list.currentIndex().isValid())

    def _accept(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            return
        self.chosen_id = index.data(Qt.ItemDataRole.UserRole)
        self.accept()
