"""Edit › People and vehicles: manage suspects, witnesses, officers and vehicles, and see
every incident linked to a person or a number plate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core import people as ppl
from evidence_app.core.store.changes import Changes
from evidence_app.core.views import IncidentSummary, PersonView, VehicleView
from evidence_app.core.vocab import Role
from evidence_app.gui.dialogs.person_forms import (
    ROLE_LABELS,
    PersonDialog,
    PersonFields,
    VehicleDialog,
    VehicleFields,
)
from evidence_app.gui.messages import confirm
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural


class _Manager(QWidget):
    """A list on the left; the selected entry's details and its incidents on the right."""

    show_incident = Signal(int)

    def __init__(self, ops: CaseOps, noun: str, fields: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.noun, self.fields = ops, noun, fields
        self.items: list[Any] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(16)
        left = QVBoxLayout()
        self.list = _table(self.columns, f"{noun.capitalize()} list")
        self.list.currentItemChanged.connect(lambda *_: self._selected())
        left.addWidget(self.list, 1)
        self.add = QPushButton(f"Add {noun}…")
        self.add.setAccessibleName(f"Add {noun}")
        self.add.clicked.connect(self._add)
        left.addWidget(self.add)
        layout.addLayout(left, 2)

        right = QVBoxLayout()
        right.setSpacing(10)
        self.placeholder = QLabel(f"Choose a {noun} on the left, or add one.")
        self.placeholder.setObjectName("emptyHint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.placeholder, 1)
        self.details = QWidget()
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(fields)
        buttons = QHBoxLayout()
        self.delete = QPushButton(f"Delete {noun}")
        self.delete.setAccessibleName(f"Delete {noun}")
        self.delete.clicked.connect(self._delete)
        buttons.addWidget(self.delete)
        buttons.addStretch(1)
        self.save = QPushButton("Save changes")
        self.save.setAccessibleName("Save changes")
        self.save.setObjectName("primary")
        self.save.clicked.connect(self._save)
        buttons.addWidget(self.save)
        dl.addLayout(buttons)
        self.incidents_label = QLabel()
        self.incidents_label.setObjectName("subheading")
        dl.addWidget(self.incidents_label)
        self.incidents = _table(["When", "What happened"], "Linked incidents")
        # dates can be long ("between ... and ..."): a fixed column, the title gets the rest
        self.incidents.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.incidents.setColumnWidth(0, 150)
        self.incidents.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.incidents.setToolTip("Double-click to show the incident")
        for signal in (self.incidents.itemActivated, self.incidents.itemDoubleClicked):
            signal.connect(lambda item: self.show_incident.emit(item.data(0, Qt.ItemDataRole.UserRole)))
        dl.addWidget(self.incidents, 1)
        right.addWidget(self.details, 1)
        layout.addLayout(right, 3)
        self.details.hide()
        ops.changed.connect(self._changed)

    # subclasses provide these
    columns: list[str]
    lister: Callable[..., list[Any]]
    incidents_of: Callable[..., list[IncidentSummary]]

    def label(self, item: Any) -> str:
        raise NotImplementedError

    def cells(self, item: Any) -> list[str]:
        raise NotImplementedError

    def show_item(self, item: Any) -> None:
        raise NotImplementedError

    def update_fn(self) -> Callable[..., None]:
        raise NotImplementedError

    def delete_fn(self) -> Callable[..., None]:
        raise NotImplementedError

    def new_dialog(self) -> Any:
        raise NotImplementedError

    def create_fn(self) -> Callable[..., int]:
        raise NotImplementedError

    # -- behaviour ---------------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.people_or_vehicles or changes.incidents:  # names, and incident counts
            self.refresh()

    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self.current_id()
        self.ops.read(type(self).lister, on_done=lambda rows: self._fill(rows, keep),
                      latest=(id(self), "list"))

    def _fill(self, rows: list[Any], keep: int | None) -> None:
        self.items = rows
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QTreeWidgetItem([*self.cells(row), str(row.incident_count)])
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            item.setTextAlignment(len(self.columns) - 1, Qt.AlignmentFlag.AlignRight)
            self.list.addTopLevelItem(item)
            if row.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._selected()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def current(self) -> Any:
        wanted = self.current_id()
        return next((r for r in self.items if r.id == wanted), None)

    def _selected(self) -> None:
        row = self.current()
        self.details.setVisible(row is not None)
        self.placeholder.setVisible(row is None)
        if row is None:
            return
        self.show_item(row)
        self.incidents.clear()
        self.incidents_label.setText("Incidents")
        rid = row.id
        self.ops.read(type(self).incidents_of, rid,
                      on_done=lambda found: self._show_incidents(rid, found))

    def _show_incidents(self, row_id: int, found: list[IncidentSummary]) -> None:
        if row_id != self.current_id():
            return
        self.incidents.clear()
        self.incidents_label.setText(f"Incidents ({len(found)})" if found else
                                     "Not linked to any incident yet")
        for summary in found:
            item = QTreeWidgetItem([summary.when_text, summary.title or "(no title)"])
            item.setData(0, Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(0, summary.when_text)
            item.setToolTip(1, summary.title)
            self.incidents.addTopLevelItem(item)

    def _save(self) -> None:
        row = self.current()
        if row is not None:
            self.ops.op(self.update_fn(), row.id, **self.fields.values())  # type: ignore[attr-defined]

    def _delete(self) -> None:
        row = self.current()
        if row is None:
            return
        confirm(self, f"Delete this {self.noun}?",
                f"“{self.label(row)}” will be removed from the list and from "
                f"{plural(row.incident_count, 'incident')}. It goes to the Trash, where you "
                "can restore it.", f"Delete {self.noun}",
                lambda: self.ops.op(self.delete_fn(), row.id), destructive=True)

    def _add(self) -> None:
        dialog = self.new_dialog()
        dialog.accepted.connect(lambda: self.ops.op(
            self.create_fn(), on_done=lambda new_id: self.refresh(new_id),
            **dialog.values()))
        dialog.open()
        self._dialog = dialog


def _table(headers: list[str], name: str) -> QTreeWidget:
    table = QTreeWidget()
    table.setHeaderLabels(headers)
    table.setRootIsDecorated(False)
    table.setUniformRowHeights(True)
    table.setAlternatingRowColors(True)
    table.setAccessibleName(name)
    header = table.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1 if len(headers) == 2 else 0,
                                QHeaderView.ResizeMode.Stretch)
    return table


class PeopleManager(_Manager):
    columns = ["Name", "Who", "Incidents"]
    lister = staticmethod(ppl.list_people)
    incidents_of = staticmethod(ppl.incidents_for_person)

    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, "person", PersonFields(), parent)

    def label(self, item: PersonView) -> str:
        return f"{item.name} ({ROLE_LABELS.get(Role(item.role), item.role).lower()})"

    def cells(self, item: PersonView) -> list[str]:
        return [item.name, ROLE_LABELS.get(Role(item.role), item.role)]

    def show_item(self, item: PersonView) -> None:
        self.fields.set_person(item)  # type: ignore[attr-defined]

    def update_fn(self) -> Callable[..., None]:
        return ppl.update_person

    def delete_fn(self) -> Callable[..., None]:
        return ppl.delete_person

    def new_dialog(self) -> PersonDialog:
        return PersonDialog(self.window())

    def create_fn(self) -> Callable[..., int]:
        return ppl.create_person


class VehicleManager(_Manager):
    columns = ["Vehicle", "Plate", "Incidents"]
    lister = staticmethod(ppl.list_vehicles)
    incidents_of = staticmethod(ppl.incidents_for_vehicle)

    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, "vehicle", VehicleFields(), parent)

    def label(self, item: VehicleView) -> str:
        return item.label

    def cells(self, item: VehicleView) -> list[str]:
        what = " ".join(p for p in (item.colour, item.make, item.model) if p)
        return [what or "(not described)", item.plate]

    def show_item(self, item: VehicleView) -> None:
        self.fields.set_vehicle(item)  # type: ignore[attr-defined]

    def update_fn(self) -> Callable[..., None]:
        return ppl.update_vehicle

    def delete_fn(self) -> Callable[..., None]:
        return ppl.delete_vehicle

    def new_dialog(self) -> VehicleDialog:
        return VehicleDialog(self.window())

    def create_fn(self) -> Callable[..., int]:
        return ppl.create_vehicle


class PeopleDialog(QDialog):
    """Two tabs, people and vehicles; `show_incident(id)` when one is double-clicked."""

    show_incident = Signal(int)

    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("People and vehicles")
        fit_to_screen(self, 860, 580)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 12)
        intro = QLabel("Everyone and every vehicle in your case. Link them to incidents from "
                       "the incident itself; here you can correct details and see every "
                       "incident they appear in.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tabs = QTabWidget()
        self.people = PeopleManager(ops)
        self.vehicles = VehicleManager(ops)
        self.tabs.addTab(self.people, "People")
        self.tabs.addTab(self.vehicles, "Vehicles")
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        for manager in (self.people, self.vehicles):
            manager.show_incident.connect(self.show_incident)
            manager.refresh()
