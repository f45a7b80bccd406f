"""Small forms to describe a person or a vehicle (used from the editor and the people window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.views import PersonView, VehicleView
from evidence_app.core.vocab import Role

ROLE_LABELS = {Role.SUSPECT: "Suspect", Role.WITNESS: "Witness", Role.OFFICER: "Police officer",
               Role.OTHER: "Someone else"}


def _box(name: str, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 16)
    return box


class PersonFields(QWidget):
    """Name, role, relationship to the person keeping the log, description and contact."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(10)
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("Their name, or a description such as “man in a grey hoodie”")
        form.addRow("Name", self.name)
        self.role = QComboBox()
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role.value)
        self.role.setAccessibleName("Role")
        form.addRow("Who they are", self.role)
        self.relation = QLineEdit()
        self.relation.setAccessibleName("Relationship to you")
        self.relation.setPlaceholderText("e.g. former partner, neighbour, colleague, stranger")
        form.addRow("Relationship to you", self.relation)
        self.description = _box("Description", "How they look, how you know them")
        form.addRow("Description", self.description)
        self.contact = _box("Contact details", "Phone, email, address, collar number…")
        form.addRow("Contact", self.contact)

    def set_person(self, person: PersonView | None, role: str = "other") -> None:
        self.name.setText(person.name if person else "")
        self.role.setCurrentIndex(max(0, self.role.findData(person.role if person else role)))
        self.relation.setText(person.relation if person else "")
        self.description.setPlainText(person.description if person else "")
        self.contact.setPlainText(person.contact if person else "")

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "role": self.role.currentData(),
                "relation": self.relation.text().strip(),
                "description": self.description.toPlainText().strip(),
                "contact": self.contact.toPlainText().strip()}


class VehicleFields(QWidget):
    """Make, model, colour, plate and description of a vehicle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(10)
        self.plate = QLineEdit()
        self.plate.setAccessibleName("Number plate")
        self.plate.setPlaceholderText("e.g. AB12 CDE (part of it is fine)")
        form.addRow("Number plate", self.plate)
        self.colour = QLineEdit()
        self.colour.setAccessibleName("Colour")
        self.colour.setPlaceholderText("e.g. silver")
        form.addRow("Colour", self.colour)
        self.make = QLineEdit()
        self.make.setAccessibleName("Make")
        self.make.setPlaceholderText("e.g. Vauxhall")
        form.addRow("Make", self.make)
        self.model = QLineEdit()
        self.model.setAccessibleName("Model")
        self.model.setPlaceholderText("e.g. Astra")
        form.addRow("Model", self.model)
        self.description = _box("Vehicle description", "Dents, stickers, roof rack…")
        form.addRow("Description", self.description)

    def set_vehicle(self, vehicle: VehicleView | None) -> None:
        for name in ("plate", "colour", "make", "model"):
            getattr(self, name).setText(getattr(vehicle, name) if vehicle else "")
        self.description.setPlainText(vehicle.description if vehicle else "")

    def values(self) -> dict[str, Any]:
        out = {n: getattr(self, n).text().strip() for n in ("plate", "colour", "make", "model")}
        out["description"] = self.description.toPlainText().strip()
        return out


class _FormDialog(QDialog):
    def __init__(self, title: str, intro: str, fields: QWidget, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(14)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(fields)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)


class PersonDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None, person: PersonView | None = None,
                 role: str = "other") -> None:
        self.fields = PersonFields()
        super().__init__("Person" if person else "New person",
                         "Describe the person. Only the name is needed; add the rest when "
                         "you know it.", self.fields, parent)
        self.fields.set_person(person, role)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.fields.name.textChanged.connect(lambda t: save.setEnabled(bool(t.strip())))
        save.setEnabled(bool(self.fields.name.text().strip()))

    def values(self) -> dict[str, Any]:
        return self.fields.values()


class VehicleDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None, vehicle: VehicleView | None = None) -> None:
        self.fields = VehicleFields()
        super().__init__("Vehicle" if vehicle else "New vehicle",
                         "Describe the vehicle: the number plate matters most, even part of it.",
                         self.fields, parent)
        self.fields.set_vehicle(vehicle)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        def update() -> None:
            save.setEnabled(any(self.fields.values().values()))

        for name in ("plate", "colour", "make", "model"):
            getattr(self.fields, name).textChanged.connect(update)
        update()

    def values(self) -> dict[str, Any]:
        return self.fields.values()
