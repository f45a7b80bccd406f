"""The filter panel: dates, type, tag, person, vehicle, exhibits, inbox, trash.

Lists of tags, people and vehicles are read off the GUI thread when the panel opens.
Emits `changed(SearchFilters)` whenever a choice changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from evidence_app.core.incidents import all_tags
from evidence_app.core.people import list_people, list_vehicles
from evidence_app.core.search.find import SearchFilters
from evidence_app.core.vocab import Category
from evidence_app.gui.alive import while_alive
from evidence_app.gui.tasks import CaseOps


def _lists(case: Any) -> tuple[list[str], list[Any], list[Any]]:
    return all_tags(case), list_people(case), list_vehicles(case)


class DateBox(QWidget):
    """A tick-box and a date: the bound applies only when ticked."""

    changed = Signal()

    def __init__(self, label: str, default: QDate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.date = QDateEdit(default)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setEnabled(False)
        self.date.setAccessibleName(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date, 1)
        self.check.toggled.connect(self.date.setEnabled)
        self.check.toggled.connect(self.changed)
        self.date.dateChanged.connect(lambda _d: self.changed.emit())

    def value(self) -> date | None:
        return self.date.date().toPython() if self.check.isChecked() else None  # type: ignore[return-value]

    def reset(self) -> None:
        self.check.setChecked(False)


class FilterPanel(QFrame):
    changed = Signal(object)  # SearchFilters

    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("searchFilters")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        today = QDate.currentDate()
        self.date_from = DateBox("From", today.addMonths(-1))
        self.date_to = DateBox("To", today)
        self.category = QComboBox()
        self.category.addItem("Any type", "")
        for cat in Category:
            self.category.addItem(cat.label, cat.value)
        self.tag = QComboBox()
        self.person = QComboBox()
        self.vehicle = QComboBox()
        for box, name in ((self.category, "Type of incident"), (self.tag, "Tag"),
                          (self.person, "Person"), (self.vehicle, "Vehicle")):
            box.setAccessibleName(name)
            box.currentIndexChanged.connect(self._emit)
        self.exhibits = QCheckBox("Only incidents with exhibits")
        self.inbox = QCheckBox("Only the inbox (files not yet in an incident)")
        self.trash = QCheckBox("Include what is in the trash")
        self.describe = QCheckBox("Only incidents still to describe\n(no title yet, or type Other)")
        self.describe.setAccessibleName("Only incidents still to describe")
        for check in (self.exhibits, self.inbox, self.trash, self.describe):
            check.toggled.connect(self._emit)
        for date_box in (self.date_from, self.date_to):
            date_box.changed.connect(self._emit)
        self.reset_button = QPushButton("Clear filters")
        self.reset_button.clicked.connect(self.reset)
        form = QFormLayout(self)
        form.setContentsMargins(10, 8, 10, 8)
        form.setVerticalSpacing(6)
        form.addRow(self.date_from)
        form.addRow(self.date_to)
        form.addRow("Type", self.category)
        form.addRow("Tag", self.tag)
        form.addRow("Person", self.person)
        form.addRow("Vehicle", self.vehicle)
        form.addRow(self.describe)
        form.addRow(self.exhibits)
        form.addRow(self.inbox)
        form.addRow(self.trash)
        form.addRow(self.reset_button)
        self._quiet = False
        self._fill([], [], [])
        self.refresh_lists()

    def refresh_lists(self) -> None:
        """Read tags, people and vehicles again (off the GUI thread)."""
        self.ops.read(_lists, on_done=while_alive(self, lambda r: self._fill(*r)),
                      latest=(id(self), "lists"))

    def _fill(self, tags: list[str], people: list[Any], vehicles: list[Any]) -> None:
        self._quiet = True
        try:
            for box, blank, items in (
                    (self.tag, "Any tag", [(t, t) for t in tags]),
                    (self.person, "Anyone", [(p.name, p.id) for p in people]),
                    (self.vehicle, "Any vehicle", [(v.label, v.id) for v in vehicles])):
                keep = box.currentData()
                box.clear()
                box.addItem(blank, None)
                for label, value in items:
                    box.addItem(label, value)
                at = box.findData(keep)
                box.setCurrentIndex(max(at, 0))
        finally:
            self._quiet = False

    def filters(self) -> SearchFilters:
        tag, person, vehicle = (self.tag.currentData(), self.person.currentData(),
                                self.vehicle.currentData())
        category = self.category.currentData()
        return SearchFilters(
            date_from=self.date_from.value(), date_to=self.date_to.value(),
            categories=(category,) if category else (), tags=(tag,) if tag else (),
            people=(person,) if person is not None else (),
            vehicles=(vehicle,) if vehicle is not None else (),
            has_exhibits=self.exhibits.isChecked(), inbox_only=self.inbox.isChecked(),
            include_trash=self.trash.isChecked(), to_describe=self.describe.isChecked())

    def active_count(self) -> int:
        f = self.filters()
        return sum(bool(x) for x in (f.date_from or f.date_to, f.categories, f.tags, f.people,
                                     f.vehicles, f.has_exhibits, f.inbox_only, f.include_trash,
                                     f.to_describe))

    def reset(self) -> None:
        self._quiet = True
        try:
            self.date_from.reset()
            self.date_to.reset()
            for box in (self.category, self.tag, self.person, self.vehicle):
                box.setCurrentIndex(0)
            for check in (self.exhibits, self.inbox, self.trash, self.describe):
                check.setChecked(False)
        finally:
            self._quiet = False
        self._emit()

    def _emit(self, *_args: Any) -> None:
        if not self._quiet:
            self.changed.emit(self.filters())
