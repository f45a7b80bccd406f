"""'Impact on me' as tick boxes: each effect the person can tick (fear of violence, alarm
or distress, changed routine, moved home, ...); ticking one shows its date, a line for
words and, for money spent, the amount in pounds.

The widget only shows and reads values; `save_impacts` stores what changed through
core.impacts (each tick or untick one audited unit of work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import ValidationError
from evidence_app.core.impacts import clear_impact, parse_pounds, set_impact
from evidence_app.core.views import ImpactView
from evidence_app.core.vocab import ImpactKind
from evidence_app.gui.widgets.when_edit import DATE_FORMAT

HINTS = {
    ImpactKind.FEAR: "What made you afraid?",
    ImpactKind.DISTRESS: "How it affected your everyday life",
    ImpactKind.ROUTINE: "What you changed, e.g. a new route to work, a new number",
    ImpactKind.MOVED: "Where you went is kept in your log; say only what you want shown",
    ImpactKind.TIME_OFF: "How much time, from work, college or school",
    ImpactKind.STOPPED_GOING_OUT: "What you stopped doing",
    ImpactKind.COSTS: "What you paid for: locks, CCTV, taxis, a new phone",
    ImpactKind.CHILDREN: "How your children were affected",
    ImpactKind.HEALTH: "Sleep, anxiety, seeing a doctor or counsellor",
}


@dataclass(frozen=True)
class Ticked:
    """One ticked effect as the widgets show it."""

    since: date
    details: str
    amount: str  # pounds as typed, only for money spent

    def stored(self) -> dict[str, Any]:
        """Values for core.impacts.set_impact (ValidationError for an unreadable amount)."""
        return {"since": self.since, "details": self.details.strip(),
                "amount_pence": parse_pounds(self.amount)}


def ticked_from(view: ImpactView) -> Ticked:
    amount = "" if view.amount_pence is None else (
        f"{view.amount_pence // 100}" + (f".{view.amount_pence % 100:02d}"
                                         if view.amount_pence % 100 else ""))
    return Ticked(view.since or date.today(), view.details, amount)


class _Row:
    """One effect: its tick box and, below it, date, words and amount."""

    def __init__(self, kind: ImpactKind, parent: ImpactTicks) -> None:
        self.kind = kind
        self.box = QCheckBox(kind.label)
        self.box.setAccessibleName(kind.label)
        self.box.setToolTip(kind.statement)
        self.details = QWidget()
        line = QHBoxLayout(self.details)
        line.setContentsMargins(26, 0, 0, 6)
        line.setSpacing(8)
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat(DATE_FORMAT)
        self.since.setAccessibleName(f"{kind.label}: date")
        self.since.setToolTip("When this happened or began")
        line.addWidget(QLabel("From"))
        line.addWidget(self.since)
        self.words = QLineEdit()
        self.words.setPlaceholderText(HINTS[kind])
        self.words.setAccessibleName(f"{kind.label}: details")
        line.addWidget(self.words, 1)
        self.amount: QLineEdit | None = None
        if kind.has_amount:
            self.amount = QLineEdit()
            self.amount.setPlaceholderText("0.00")
            self.amount.setAccessibleName(f"{kind.label}: amount in pounds")
            self.amount.setMaximumWidth(90)
            line.addWidget(QLabel("£"))
            line.addWidget(self.amount)
        self.details.setVisible(False)
        self.box.toggled.connect(self.details.setVisible)
        self.box.toggled.connect(parent._edited)
        self.since.dateChanged.connect(parent._edited)
        self.words.textEdited.connect(parent._edited)
        if self.amount is not None:
            self.amount.textEdited.connect(parent._edited)

    def value(self) -> Ticked | None:
        if not self.box.isChecked():
            return None
        q = self.since.date()
        return Ticked(date(q.year(), q.month(), q.day()), self.words.text(),
                      self.amount.text() if self.amount is not None else "")

    def show(self, value: Ticked | None, default_day: date) -> None:
        day = value.since if value else default_day
        if self.since.date() != QDate(day.year, day.month, day.day):
            self.since.setDate(QDate(day.year, day.month, day.day))
        # Only what differs is set, so a reload after a save leaves the cursor alone.
        for edit, text in ((self.words, value.details if value else ""),
                           (self.amount, value.amount if value else "")):
            if edit is not None and edit.text() != text:
                edit.setText(text)
        self.box.setChecked(value is not None)
        self.details.setVisible(value is not None)


class ImpactTicks(QWidget):
    """A tick box per kind of effect; `changed` fires on any edit by the person."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.default_day = date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        self.rows = {kind: _Row(kind, self) for kind in ImpactKind}
        # Tick boxes in two columns keep the section short; an open row spans both.
        for n, row in enumerate(self.rows.values()):
            grid.addWidget(row.box, (n // 2) * 2, n % 2)
            grid.addWidget(row.details, (n // 2) * 2 + 1, 0, 1, 2)
        layout.addLayout(grid)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def _edited(self, *_args: Any) -> None:
        if not self._loading:
            self.changed.emit()

    def box(self, kind: ImpactKind | str) -> QCheckBox:
        return self.rows[ImpactKind(kind)].box

    def row(self, kind: ImpactKind | str) -> _Row:
        return self.rows[ImpactKind(kind)]

    def inputs(self) -> list[QWidget]:
        out: list[QWidget] = []
        for row in self.rows.values():
            out += [row.box, row.since, row.words]
            if row.amount is not None:
                out.append(row.amount)
        return out

    def values(self) -> dict[str, Ticked | None]:
        """{kind: what is ticked, or None}, for every kind."""
        return {kind.value: row.value() for kind, row in self.rows.items()}

    def set_values(self, values: dict[str, Ticked | None]) -> None:
        """Show these kinds (others unchanged) without emitting `changed`."""
        self._loading = True
        try:
            for kind, value in values.items():
                self.rows[ImpactKind(kind)].show(value, self.default_day)
        finally:
            self._loading = False

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


def stored_values(impacts: list[ImpactView]) -> dict[str, Ticked | None]:
    """Every kind, with the stored effect or None."""
    out: dict[str, Ticked | None] = {kind.value: None for kind in ImpactKind}
    for view in impacts:
        if view.kind in out:
            out[view.kind] = ticked_from(view)
    return out


def pending(stored: dict[str, Ticked | None], shown: dict[str, Ticked | None],
            ) -> dict[str, dict[str, Any] | None]:
    """What to store for the kinds that differ: values for set_impact, or None to clear.

    Raises ValidationError (in words) for an amount that cannot be read.
    """
    out: dict[str, dict[str, Any] | None] = {}
    for kind, value in shown.items():
        if value == stored.get(kind):
            continue
        out[kind] = None if value is None else value.stored()
    return out


def save_impacts(case: Any, incident_id: int | None,
                 changes: dict[str, dict[str, Any] | None]) -> None:
    """Store ticked and unticked effects (on the writer thread)."""
    for kind, values in changes.items():
        if values is None:
            clear_impact(case, incident_id, kind)
        else:
            set_impact(case, incident_id, kind, **values)


def checked(shown: dict[str, Ticked | None]) -> str:
    """'' when every amount can be read, else the reason."""
    for value in shown.values():
        if value is not None:
            try:
                value.stored()
            except ValidationError as exc:
                return str(exc)
    return ""
