"""Linking people, vehicles and tags to the incident on screen (menus, chips, tag input)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCompleter, QMenu

from evidence_app.core import incidents as inc
from evidence_app.core import people as ppl
from evidence_app.core.store.changes import Changes
from evidence_app.core.views import IncidentDetail, PersonView, VehicleView
from evidence_app.core.vocab import Role
from evidence_app.gui.dialogs.person_forms import ROLE_LABELS, PersonDialog, VehicleDialog
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.incident_form import IncidentForm


def _create_and_link_person(case: Any, incident_id: int, values: dict[str, Any]) -> int:
    person_id = ppl.create_person(case, **values)
    ppl.link_person(case, incident_id, person_id)
    return person_id


def _create_and_link_vehicle(case: Any, incident_id: int, values: dict[str, Any]) -> int:
    vehicle_id = ppl.create_vehicle(case, **values)
    ppl.link_vehicle(case, incident_id, vehicle_id)
    return vehicle_id


class IncidentLinks(QObject):
    """Keeps the form's people/vehicle/tag chips in step with the case.

    `changed(text, redo, undo)` reports each link change for the undo stack.
    """

    changed = Signal(str, object, object)

    def __init__(self, ops: CaseOps, form: IncidentForm, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.form = form
        self.detail: IncidentDetail | None = None
        self.people: list[PersonView] = []
        self.vehicles: list[VehicleView] = []
        self.person_menu = QMenu(form.link_person)
        self.person_menu.aboutToShow.connect(self._fill_people)
        form.link_person.setMenu(self.person_menu)
        self.vehicle_menu = QMenu(form.link_vehicle)
        self.vehicle_menu.aboutToShow.connect(self._fill_vehicles)
        form.link_vehicle.setMenu(self.vehicle_menu)
        form.people.removed.connect(lambda pid: self._link("person", pid, False))
        form.vehicles.removed.connect(lambda vid: self._link("vehicle", vid, False))
        form.tags.removed.connect(self._remove_tag)
        self._tag_names = QStringListModel(self)
        completer = QCompleter(self._tag_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        form.tag_input.setCompleter(completer)
        form.tag_input.returnPressed.connect(self._add_tag)
        ops.changed.connect(self._on_changed)
        self.refresh_lists()

    def refresh_lists(self) -> None:
        key = id(self)
        self.ops.read(ppl.list_people, on_done=lambda rows: setattr(self, "people", rows),
                      latest=(key, "people"))
        self.ops.read(ppl.list_vehicles, on_done=lambda rows: setattr(self, "vehicles", rows),
                      latest=(key, "vehicles"))
        self.ops.read(inc.all_tags, on_done=self._tag_names.setStringList, latest=(key, "tags"))

    def _on_changed(self, changes: Changes) -> None:
        if changes.people_or_vehicles or changes.incidents:
            self.refresh_lists()

    def show(self, detail: IncidentDetail) -> None:
        self.detail = detail
        self.form.people.set_items([
            (p.name, p.id, f"{ROLE_LABELS.get(Role(p.role), p.role)}"
                           + (f": {p.description}" if p.description else ""))
            for p in detail.people])
        self.form.vehicles.set_items([(v.label, v.id, v.description) for v in detail.vehicles])
        self.form.tags.set_items([(t, t, "") for t in detail.tags])

    # -- menus -----------------------------------------------------------------------
    def _fill_people(self) -> None:
        menu = self.person_menu
        menu.clear()
        linked = {p.id for p in self.detail.people} if self.detail else set()
        for role in Role:
            group = [p for p in self.people if p.role == role.value and p.id not in linked]
            if not group:
                continue
            menu.addSection(ROLE_LABELS[role] + "s" if role is not Role.OTHER else "Others")
            for person in group:
                action = menu.addAction(person.name)
                action.triggered.connect(lambda _=False, pid=person.id: self._link("person", pid, True))
        menu.addSeparator()
        new = QAction("New person…", menu)
        new.triggered.connect(self._new_person)
        menu.addAction(new)

    def _fill_vehicles(self) -> None:
        menu = self.vehicle_menu
        menu.clear()
        linked = {v.id for v in self.detail.vehicles} if self.detail else set()
        for vehicle in self.vehicles:
            if vehicle.id not in linked:
                action = menu.addAction(vehicle.label)
                action.triggered.connect(lambda _=False, vid=vehicle.id: self._link("vehicle", vid, True))
        if not menu.isEmpty():
            menu.addSeparator()
        new = QAction("New vehicle…", menu)
        new.triggered.connect(self._new_vehicle)
        menu.addAction(new)

    def _new_person(self) -> None:
        if self.detail is None:
            return
        incident_id = self.detail.id
        dialog = PersonDialog(self.form.window())
        dialog.accepted.connect(lambda: self.ops.op(
            _create_and_link_person, incident_id, dialog.values(),
            on_done=lambda pid: self._linked_new("person", incident_id, pid)))
        dialog.open()
        self._dialog: PersonDialog | VehicleDialog = dialog

    def _new_vehicle(self) -> None:
        if self.detail is None:
            return
        incident_id = self.detail.id
        dialog = VehicleDialog(self.form.window())
        dialog.accepted.connect(lambda: self.ops.op(
            _create_and_link_vehicle, incident_id, dialog.values(),
            on_done=lambda vid: self._linked_new("vehicle", incident_id, vid)))
        dialog.open()
        self._dialog = dialog

    def _linked_new(self, kind: str, incident_id: int, target_id: int) -> None:
        do, undo = self._ops_for(kind, incident_id, target_id)
        self.changed.emit(f"link {kind}", do, undo)

    # -- linking -----------------------------------------------------------------------
    def _ops_for(self, kind: str, incident_id: int, target_id: int,
                 ) -> tuple[Callable[[], None], Callable[[], None]]:
        link = ppl.link_person if kind == "person" else ppl.link_vehicle
        unlink = ppl.unlink_person if kind == "person" else ppl.unlink_vehicle
        return (lambda: self.ops.op(link, incident_id, target_id),
                lambda: self.ops.op(unlink, incident_id, target_id))

    def _link(self, kind: str, target_id: int, link: bool) -> None:
        if self.detail is None:
            return
        do, undo = self._ops_for(kind, self.detail.id, target_id)
        if not link:
            do, undo = undo, do
        do()
        self.changed.emit(f"{'link' if link else 'unlink'} {kind}", do, undo)

    # -- tags --------------------------------------------------------------------------
    def _set_tags(self, new: list[str]) -> None:
        if self.detail is None:
            return
        incident_id, old = self.detail.id, list(self.detail.tags)

        def apply(names: list[str]) -> Callable[[], None]:
            return lambda: self.ops.op(inc.set_tags, incident_id, names)

        apply(new)()
        self.changed.emit("change to tags", apply(new), apply(old))

    def _add_tag(self) -> None:
        name = " ".join(self.form.tag_input.text().split())
        self.form.tag_input.clear()
        if name and self.detail is not None and name not in self.detail.tags:
            self._set_tags([*self.detail.tags, name])

    def _remove_tag(self, name: object) -> None:
        if self.detail is not None:
            self._set_tags([t for t in self.detail.tags if t != name])
