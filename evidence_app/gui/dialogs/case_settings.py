"""File › Case settings: names, initials, address and contact, time zone, and the impact
on the person over the whole case (each change audited)."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.cases import Case
from evidence_app.core.errors import ValidationError
from evidence_app.core.impacts import list_impacts
from evidence_app.core.settings import update_settings, validate_initials, validate_timezone
from evidence_app.core.views import ImpactView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.messages import show_error
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.impact_ticks import (
    ImpactTicks,
    Ticked,
    pending,
    save_impacts,
    stored_values,
)

ADDRESS_NOTE = ("Your address and contact details are left out of reports by default, "
                "because a report may be shown to the person you are reporting.")


def _update(case: Case, changes: dict[str, Any]) -> None:
    update_settings(case, **changes)


class CaseSettingsDialog(QDialog):
    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("Case settings")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(12)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(14)
        self.case_name = QLineEdit()
        self.case_name.setAccessibleName("Case name")
        form.addRow("Case name", self.case_name)
        self.owner_name = QLineEdit()
        self.owner_name.setAccessibleName("Your full name")
        form.addRow("Your full name", self.owner_name)
        self.initials = QLineEdit()
        self.initials.setAccessibleName("Initials for exhibit marks")
        self.initials.setMaxLength(6)
        self.initials.setMaximumWidth(110)
        form.addRow("Initials", self.initials)
        note = QLabel("Used for new exhibit marks (JS/1, JS/2, …). Exhibits already marked "
                      "keep their marks.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        form.addRow("", note)
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Your address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 3 + 16)
        form.addRow("Address", self.address)
        self.contact = QPlainTextEdit()
        self.contact.setAccessibleName("Your contact details")
        self.contact.setPlaceholderText("Phone, email")
        self.contact.setTabChangesFocus(True)
        self.contact.setFixedHeight(self.contact.fontMetrics().lineSpacing() * 2 + 16)
        form.addRow("Contact", self.contact)
        privacy = QLabel(ADDRESS_NOTE)
        privacy.setObjectName("muted")
        privacy.setWordWrap(True)
        form.addRow("", privacy)
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(available_timezones()))
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.timezone.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.timezone.setAccessibleName("Time zone")
        self.timezone.setToolTip("Times you type for new incidents are in this zone")
        form.addRow("Time zone", self.timezone)
        from evidence_app.core.ocr import availability

        self.ocr_note = QLabel("Checking whether text in pictures can be read\u2026")
        self.ocr_note.setObjectName("muted")
        self.ocr_note.setWordWrap(True)
        self.ocr_note.setAccessibleName("Reading text in pictures")
        form.addRow("Text in pictures", self.ocr_note)
        ops.call(availability, on_done=while_alive(self, self.ocr_note.setText))
        # The case's details and the impact over the whole case on two tabs, so the
        # dialog fits a 768-pixel-high laptop screen.
        tabs = QTabWidget()
        details = QWidget()
        details.setLayout(form)
        form.setContentsMargins(12, 12, 12, 12)
        tabs.addTab(details, "Case details")
        page = QWidget()
        impact = QVBoxLayout(page)
        impact.setContentsMargins(12, 12, 12, 12)
        hint = QLabel("Tick what all this has done to you over the whole case, beyond single "
                      "incidents (tick those in each incident). The report\u2019s summary lists "
                      "them with their dates and amounts.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        impact.addWidget(hint)
        self.impacts = ImpactTicks()
        self.impacts.setAccessibleName("Impact on me, over the whole case")
        impact.addWidget(self.impacts)
        impact.addStretch(1)
        tabs.addTab(page, "Impact on me")
        self.tabs = tabs
        layout.addWidget(tabs)
        self._impacts: dict[str, Ticked | None] = {}
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.setEnabled(False)
        self._loaded: dict[str, Any] = {}
        self._waiting = 2
        ops.read(Case.settings, on_done=self._show)
        ops.read(list_impacts, whole_case=True, on_done=while_alive(self, self._show_impacts))

    def _show_impacts(self, impacts: list[ImpactView]) -> None:
        self.impacts.set_values(stored_values(impacts))
        self._impacts = self.impacts.values()
        self._ready()

    def _ready(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self.setEnabled(True)

    def _show(self, info: Any) -> None:
        self.case_name.setText(info.case_name)
        self.owner_name.setText(info.owner_name)
        self.initials.setText(info.initials)
        self.address.setPlainText(info.address)
        self.contact.setPlainText(info.contact)
        self.timezone.setCurrentText(info.timezone)
        self._loaded = self.values()
        self._ready()

    def values(self) -> dict[str, Any]:
        return {"case_name": self.case_name.text().strip(),
                "owner_name": self.owner_name.text().strip(),
                "initials": self.initials.text().strip().upper(),
                "address": self.address.toPlainText().strip(),
                "contact": self.contact.toPlainText().strip(),
                "timezone": self.timezone.currentText().strip()}

    def _save(self) -> None:
        values = self.values()
        try:
            if not values["owner_name"]:
                raise ValidationError("Your name cannot be empty: it goes on the report.")
            values["initials"] = validate_initials(values["initials"])
            validate_timezone(values["timezone"])
            impacts = pending(self._impacts, self.impacts.values())
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        if not values["case_name"]:
            values["case_name"] = values["owner_name"]
        changes = {k: v for k, v in values.items() if v != self._loaded.get(k)}
        parent = self.parentWidget()

        def failed(exc: BaseException) -> None:
            show_error(parent, "Settings not saved", exc)

        if changes:
            self.ops.op(_update, changes, on_error=failed)
        if impacts:
            self.ops.op(save_impacts, None, impacts, on_error=failed)
        self.accept()
