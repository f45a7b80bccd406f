"""The incident form: every field of an incident in calm, labelled groups.

It only shows and reads values; saving, undo and loading live in incident_editor.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.dates import When
from evidence_app.core.views import IncidentDetail
from evidence_app.core.vocab import Category, Precision
from evidence_app.gui.widgets.chips import ChipList
from evidence_app.gui.widgets.impact_ticks import ImpactTicks
from evidence_app.gui.widgets.notes import NotesPanel
from evidence_app.gui.widgets.when_edit import DATE_FORMAT, WhenEdit

TEXT_FIELDS = ("title", "location", "description", "suspect_appearance", "suspect_voice",
               "suspect_clothing", "witnesses", "impact", "police_reference", "police_officer")
WHEN_FIELDS = ("occurred_at", "occurred_end", "precision", "timezone")
FIELDS = (*TEXT_FIELDS, "category", *WHEN_FIELDS, "reported_on")

IMPACT_HINT = ("Tick what this did to you. Fear of violence, or alarm or distress that "
               "changed your daily life, can decide whether it counts as stalking.")


class Section(QFrame):
    """A titled group with a short explanation and a form."""

    def __init__(self, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("section")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 18, 0, 4)
        outer.setSpacing(6)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        heading.setAccessibleName(title)
        outer.addWidget(heading)
        if hint:
            text = QLabel(hint)
            text.setObjectName("muted")
            text.setWordWrap(True)
            outer.addWidget(text)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 6, 0, 0)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        outer.addLayout(self.form)


def _text_box(name: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 16
    box.setMinimumHeight(height)
    box.setMaximumHeight(height if lines < 6 else 16777215)
    return box


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(False)
    return edit


def _link_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.rstrip("…"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setObjectName("linkButton")
    return button


class IncidentForm(QWidget):
    """Widgets for every incident field; `changed` fires on any edit by the person."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._sections: list[Section] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 28)
        layout.setSpacing(2)

        self.title = _line("Title", "What happened, in a few words")
        self.title.setObjectName("titleEdit")
        layout.addWidget(self.title)
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta.setAccessibleName("When this was recorded and amended")
        layout.addWidget(self.meta)

        s = self._section(layout, "When and where")
        self.when = WhenEdit()
        s.form.addRow("When", self.when)
        self.location = _line("Location", "e.g. outside my house, Station Road, the Co-op car park")
        s.form.addRow("Where", self.location)
        self.category = QComboBox()
        for cat in Category:
            self.category.addItem(cat.label, cat.value)
        self.category.setAccessibleName("Type of incident")
        self.category.setToolTip("The kind of behaviour. The report counts incidents by type.")
        s.form.addRow("Type", self.category)

        s = self._section(layout, "What happened",
                          "Write it as you would tell it: what was said and done, in order.")
        self.description = _text_box("What happened", "Describe what happened…", lines=8)
        s.form.addRow(self.description)

        s = self._section(layout, "The suspect and vehicles",
                          "How they looked and sounded, what they wore, and any vehicle.")
        self.suspect_appearance = _text_box("Suspect's appearance",
                                            "Height, build, hair, anything noticeable", 2)
        s.form.addRow("Appearance", self.suspect_appearance)
        self.suspect_voice = _text_box("Suspect's voice", "Accent, tone, what they said", 2)
        s.form.addRow("Voice", self.suspect_voice)
        self.suspect_clothing = _text_box("Suspect's clothing", "What they were wearing", 2)
        s.form.addRow("Clothing", self.suspect_clothing)
        self.vehicles = ChipList("No vehicle linked")
        self.link_vehicle = _link_button("Link vehicle…", "Link a vehicle you have seen "
                                         "(make, model, colour, number plate)")
        self.vehicles.add_trailing(self.link_vehicle)
        s.form.addRow("Vehicles", self.vehicles)

        s = self._section(layout, "Witnesses and people",
                          "Anyone who saw or heard it, and anyone else involved.")
        self.witnesses = _text_box("Witnesses", "Names and how to reach them, if you know", 2)
        s.form.addRow("Witnesses", self.witnesses)
        self.people = ChipList("Nobody linked")
        self.link_person = _link_button("Link person…", "Link a suspect, witness, officer or "
                                        "anyone else to this incident")
        self.people.add_trailing(self.link_person)
        s.form.addRow("People", self.people)

        s = self._section(layout, "Impact on me", IMPACT_HINT)
        self.impacts = ImpactTicks()
        s.form.addRow(self.impacts)
        self.impact = _text_box("Impact on me", "Anything else: how did this make you feel? "
                                "What did you have to change?", 3)
        s.form.addRow(self.impact)

        s = self._section(layout, "Police")
        self.police_reference = _line("Crime reference number", "e.g. 54230012345")
        s.form.addRow("Reference", self.police_reference)
        self.police_officer = _line("Officer in charge", "Name and collar number")
        s.form.addRow("Officer", self.police_officer)
        reported = QHBoxLayout()
        self.reported = QCheckBox("Reported to the police on")
        self.reported.setAccessibleName("Reported to the police")
        self.reported_on = QDateEdit()
        self.reported_on.setCalendarPopup(True)
        self.reported_on.setDisplayFormat(DATE_FORMAT)
        self.reported_on.setDate(QDate.currentDate())
        self.reported_on.setAccessibleName("Date reported to the police")
        self.reported_on.setEnabled(False)
        self.reported.toggled.connect(self.reported_on.setEnabled)
        reported.addWidget(self.reported)
        reported.addWidget(self.reported_on)
        reported.addStretch(1)
        s.form.addRow("Reported", reported)

        s = self._section(layout, "Tags", "Your own labels, to find and group incidents later.")
        self.tags = ChipList("")
        self.tag_input = _line("Add a tag", "Add a tag…")
        self.tag_input.setToolTip("Type a tag and press Enter")
        self.tag_input.setFixedWidth(180)
        self.tags.add_trailing(self.tag_input)
        s.form.addRow(self.tags)

        s = self._section(layout, "Exhibits", "Photos, screenshots and files attached to this "
                          "incident, each with its exhibit mark.")
        self.exhibits = QVBoxLayout()
        self.exhibits_summary = QLabel()
        self.exhibits_summary.setWordWrap(True)
        self.exhibits_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.exhibits.addWidget(self.exhibits_summary)
        s.form.addRow(self.exhibits)

        s = self._section(layout, "Notes", "Later additions, each dated. Tick “Private” to "
                          "keep a note out of reports.")
        self.notes = NotesPanel()
        s.form.addRow(self.notes)
        layout.addStretch(1)
        self._align_labels()
        self.when.precision.setMaximumWidth(320)
        self.category.setMaximumWidth(320)

        for edit in (self.title, self.location, self.police_reference, self.police_officer):
            edit.textEdited.connect(self._edited)
        for box in self._boxes():
            box.textChanged.connect(self._edited)
        self.when.changed.connect(self._edited)
        self.title.returnPressed.connect(self._after_title)
        self.category.currentIndexChanged.connect(self._edited)
        self.reported.toggled.connect(self._edited)
        self.reported_on.dateChanged.connect(self._edited)

    def _section(self, layout: QVBoxLayout, title: str, hint: str = "") -> Section:
        section = Section(title, hint, self)
        layout.addWidget(section)
        self._sections.append(section)
        return section

    def _align_labels(self) -> None:
        """One label column width for every group, so the fields line up down the page."""
        fields = [(s.form, item) for s in self._sections for i in range(s.form.rowCount())
                  if (item := s.form.itemAt(i, QFormLayout.ItemRole.FieldRole)) is not None]
        labels = [form.labelForField(field) for form, item in fields
                  if (field := item.widget() or item.layout()) is not None]
        found = [lab for lab in labels if isinstance(lab, QLabel)]
        width = max((lab.sizeHint().width() for lab in found), default=0)
        for lab in found:
            lab.setMinimumWidth(width)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _boxes(self) -> list[QPlainTextEdit]:
        return [self.description, self.suspect_appearance, self.suspect_voice,
                self.suspect_clothing, self.witnesses, self.impact]

    def _after_title(self) -> None:
        """Enter in the title moves on to when it happened, the next thing to fill in."""
        target = self.when.start_date if self.when.start_date.isVisibleTo(self) else self.when.precision
        target.setFocus()

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    def inputs(self) -> list[QWidget]:
        """Every field a person types into (for undo key handling)."""
        return [self.title, self.location, self.police_reference, self.police_officer,
                *self._boxes(), self.category, self.reported, self.reported_on,
                self.when.precision, self.when.start_date, self.when.start_time,
                self.when.end_date, self.when.end_time, self.when.month, self.when.year,
                self.tag_input, *self.impacts.inputs()]

    # -- values ------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The stored-field values the widgets show now."""
        out: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            widget = getattr(self, name)
            out[name] = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
        out["category"] = self.category.currentData()
        when = self.when.when()
        out.update(occurred_at=None if when.precision is Precision.UNDATED else when.start,
                   occurred_end=when.end if when.precision is Precision.BETWEEN else None,
                   precision=when.precision.value, timezone=when.timezone)
        if self.reported.isChecked():
            q = self.reported_on.date()
            out["reported_on"] = date(q.year(), q.month(), q.day())
        else:
            out["reported_on"] = None
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Show stored values (any subset of FIELDS) without emitting `changed`."""
        self._loading = True
        try:
            for name in TEXT_FIELDS:
                if name in values:
                    widget = getattr(self, name)
                    text = values[name] or ""
                    if isinstance(widget, QPlainTextEdit):
                        if widget.toPlainText() != text:
                            widget.setPlainText(text)
                    elif widget.text() != text:
                        widget.setText(text)
            if "category" in values:
                self.category.setCurrentIndex(max(0, self.category.findData(values["category"])))
            if set(WHEN_FIELDS) & set(values):
                current = self.values()
                merged = {k: values.get(k, current[k]) for k in WHEN_FIELDS}
                self.when.set_when(When(merged["occurred_at"], merged["occurred_end"],
                                        Precision(merged["precision"]), merged["timezone"]))
            if "reported_on" in values:
                d = values["reported_on"]
                self.reported.setChecked(d is not None)
                self.reported_on.setEnabled(d is not None)
                if d is not None:
                    self.reported_on.setDate(QDate(d.year, d.month, d.day))
        finally:
            self._loading = False


def detail_values(detail: IncidentDetail) -> dict[str, Any]:
    """The editable fields of a loaded incident."""
    return {name: getattr(detail, name) for name in FIELDS}
