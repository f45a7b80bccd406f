"""Entering when something happened, at whatever precision the person knows it.

Exact or approximate time, date only, month only, between two times, or undated: a
line to type the date as people write it ("15/03/2025 21:40", "yesterday 9pm", "March
2025"), read as soon as Enter is pressed or the line is left and shown in words, and a
precision list with calendar/time pickers that show what was understood.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.date_words import read_typed_when
from evidence_app.core.dates import When, clock_change, format_when
from evidence_app.core.errors import ValidationError
from evidence_app.core.vocab import PRECISION_LABELS, Precision

DATE_FORMAT = "ddd d MMM yyyy"
TIME_FORMAT = "HH:mm"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class WhenEdit(QWidget):
    """Precision + date/time pickers; `when()` gives a core `When` in UTC."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = "Europe/London"
        self._shown = Precision.UNDATED
        self._length = timedelta(hours=1)  # of a 'between' period, kept when its start moves
        self._loading = False
        self._applied = ""  # the typed text last shown in the pickers
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)

        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Type it, e.g. 15/03/2025 21:40, yesterday 9pm, "
                                      "last Tuesday, March 2025")
        self.typed.setAccessibleName("Type when it happened")
        self.typed.setToolTip("Type the date the way you would write it, then press Enter. "
                              "Day first: 15/03/2025 is 15 March.")
        self.typed.setClearButtonEnabled(True)
        self.understood = QLabel()
        self.understood.setWordWrap(True)
        self.understood.setAccessibleName("How the typed date was understood")
        self.understood.hide()
        self.precision = QComboBox()
        for prec in Precision:
            self.precision.addItem(PRECISION_LABELS[prec], prec.value)
        self.precision.setAccessibleName("How exactly you know when it happened")
        self.precision.setToolTip("Choose how exactly you know the date and time. Vague dates "
                                  "are fine: the report marks them honestly.")

        self.from_label = QLabel("On")
        self.start_date = self._date_edit("Date it happened")
        self.start_time = self._time_edit("Time it happened")
        self.month = QComboBox()
        for i in range(1, 13):
            self.month.addItem(calendar.month_name[i], i)
        self.month.setAccessibleName("Month it happened")
        self.year = QSpinBox()
        self.year.setRange(1950, 2100)
        self.year.setAccessibleName("Year it happened")
        self.until_label = QLabel("Until")
        self.end_date = self._date_edit("Date the period ended")
        self.end_time = self._time_edit("Time the period ended")
        self.whole_days = QCheckBox("Whole days (no times)")
        self.whole_days.setAccessibleName("The period is whole days, without times")
        self.whole_days.setToolTip("For 'some time between Monday and Wednesday': the report "
                                   "then gives the dates only")
        self.undated_note = QLabel("No date: it will be listed at the end of the report, "
                                   "marked as undated.")
        self.undated_note.setWordWrap(True)
        self.undated_note.setEnabled(False)

        grid.addWidget(self.typed, 0, 0, 1, 4)
        grid.addWidget(self.understood, 1, 0, 1, 4)
        grid.addWidget(self.precision, 2, 0, 1, 4)
        grid.addWidget(self.from_label, 3, 0)
        grid.addWidget(self.start_date, 3, 1)
        grid.addWidget(self.start_time, 3, 2)
        grid.addWidget(self.month, 3, 1)
        grid.addWidget(self.year, 3, 2)
        grid.addWidget(self.until_label, 4, 0)
        grid.addWidget(self.end_date, 4, 1)
        grid.addWidget(self.end_time, 4, 2)
        grid.addWidget(self.whole_days, 3, 3)
        grid.addWidget(self.undated_note, 3, 0, 1, 4)
        self.backwards_note = QLabel("The end is before the start: please check the dates.")
        self.backwards_note.setObjectName("error")
        self.backwards_note.hide()
        notes = QVBoxLayout()
        notes.setContentsMargins(0, 0, 0, 0)
        notes.setSpacing(4)
        notes.addWidget(self.backwards_note)
        grid.addLayout(notes, 5, 1, 1, 3)
        # A time the clocks skipped (refused: the last good time stays saved) or one
        # that happened twice (taken as the first, said in words).
        self.clock_note = QLabel()
        self.clock_note.setWordWrap(True)
        self.clock_note.hide()
        notes.addWidget(self.clock_note)
        self._good: When | None = None  # what when() gives while the pickers show no real time
        # Local times shown that are the second of an hour that happened twice (a stored
        # 01:30 GMT on the night the clocks go back): read back as that, not as BST.
        self._second: set[tuple[date, time]] = set()
        grid.setColumnStretch(3, 1)

        self.typed.returnPressed.connect(self._read_typed)
        self.typed.editingFinished.connect(self._read_typed)
        self.typed.textEdited.connect(self._typing)
        self.precision.currentIndexChanged.connect(self._precision_changed)
        self.start_date.dateChanged.connect(self._start_moved)
        self.start_time.timeChanged.connect(self._start_moved)
        self.end_date.dateChanged.connect(self._emit)
        self.end_time.timeChanged.connect(self._emit)
        self.whole_days.toggled.connect(self._whole_days_toggled)
        self.month.currentIndexChanged.connect(self._emit)
        self.year.valueChanged.connect(self._emit)
        self.set_when(When(None, None, Precision.UNDATED, self.tz))

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setDate(QDate.currentDate())
        edit.setAccessibleName(name)
        edit.setToolTip("Click the arrow for a calendar, or use the arrow keys")
        return edit

    def _time_edit(self, name: str) -> QTimeEdit:
        edit = QTimeEdit()
        edit.setDisplayFormat(TIME_FORMAT)
        edit.setAccessibleName(name)
        edit.setToolTip("24-hour clock, e.g. 14:30")
        return edit

    # -- reading and writing -----------------------------------------------------------
    def current_precision(self) -> Precision:
        return Precision(self.precision.currentData())

    def set_when(self, when: When) -> None:
        """Show a stored `When` (no `changed` signal)."""
        self._forget_typed()
        self._show(when)

    def _show(self, when: When) -> None:
        self._loading = True
        try:
            self.tz = when.timezone
            zone = ZoneInfo(self.tz)
            start = when.start.astimezone(zone) if when.start else None
            end = when.end.astimezone(zone) if when.end else None
            self._second = {(t.date(), t.time().replace(second=0, microsecond=0))
                            for t in (start, end) if t is not None and t.fold}
            now = datetime.now(zone).replace(second=0, microsecond=0)
            s = start or now
            self.start_date.setDate(_qdate(s.date()))
            self.start_time.setTime(QTime(s.hour, s.minute))
            self.month.setCurrentIndex(s.month - 1)
            self.year.setValue(s.year)
            e = end or s + timedelta(hours=1)
            self.end_date.setDate(_qdate(e.date()))
            self.end_time.setTime(QTime(e.hour, e.minute))
            self.whole_days.setChecked(
                when.precision is Precision.BETWEEN and start is not None and end is not None
                and (start.hour, start.minute, end.hour, end.minute) == (0, 0, 23, 59)
                and end.date() != start.date())
            self.precision.setCurrentIndex(self.precision.findData(when.precision.value))
            self._show_fields()
            self._good = when
            self._check_clocks()
        finally:
            self._loading = False

    def when(self) -> When:
        """What the pickers say, as a core `When` (start/end in UTC).

        While they show a time the clocks skipped, the last real one instead: stored,
        the skipped time would read an hour later than the person chose.
        """
        if self._skipped() and self._good is not None:
            return self._good
        return self._read()

    def _times_shown(self) -> list[tuple[date, time]]:
        prec = self.current_precision()
        if prec not in (Precision.EXACT, Precision.CIRCA, Precision.BETWEEN):
            return []
        if prec is Precision.BETWEEN and self.whole_days.isChecked():
            return []
        shown = [(_pydate(self.start_date.date()), self.start_time.time())]
        if prec is Precision.BETWEEN:
            shown.append((_pydate(self.end_date.date()), self.end_time.time()))
        return [(d, time(q.hour(), q.minute())) for d, q in shown]

    def _changes(self) -> list[tuple[bool, str]]:
        found = (clock_change(d, t, self.tz, int((d, t) in self._second))
                 for d, t in self._times_shown())
        return [c for c in found if c is not None]

    def _skipped(self) -> bool:
        return any(refused for refused, _ in self._changes())

    def _check_clocks(self) -> bool:
        """Show what a clock change means for the times shown; False if one never was."""
        changes = self._changes()
        refused = [text for bad, text in changes if bad]
        self.clock_note.setObjectName("error" if refused else "")
        self.clock_note.style().unpolish(self.clock_note)
        self.clock_note.style().polish(self.clock_note)
        if refused:
            self.clock_note.setText(refused[0] + " Not saved until you change it.")
        elif changes:
            self.clock_note.setText(changes[0][1])
        self.clock_note.setVisible(bool(changes))
        return not refused

    def _read(self) -> When:
        prec = self.current_precision()
        zone = ZoneInfo(self.tz)

        def at(d: QDate, t: time) -> datetime:
            day = _pydate(d)
            fold = int((day, t) in self._second)
            return datetime.combine(day, t).replace(tzinfo=zone, fold=fold).astimezone(UTC)

        def clock(q: QTime) -> time:
            return time(q.hour(), q.minute())

        if prec is Precision.UNDATED:
            return When(None, None, prec, self.tz)
        if prec is Precision.MONTH:
            first = date(self.year.value(), self.month.currentData(), 1)
            return When(datetime.combine(first, time(0)).replace(tzinfo=zone).astimezone(UTC),
                        None, prec, self.tz)
        if prec is Precision.DAY:
            return When(at(self.start_date.date(), time(0)), None, prec, self.tz)
        start = at(self.start_date.date(), clock(self.start_time.time()))
        if prec is Precision.BETWEEN:
            if self.whole_days.isChecked():  # as core reads "between 12/03 and 14/03"
                start = at(self.start_date.date(), time(0))
                end = at(self.end_date.date(), time(23, 59))
            else:
                end = at(self.end_date.date(), clock(self.end_time.time()))
            return When(start, max(end, start), prec, self.tz)
        return When(start, None, prec, self.tz)

    # -- typing a date ---------------------------------------------------------------
    def _typed_when(self) -> When:
        today = datetime.now(ZoneInfo(self.tz)).date()
        return read_typed_when(self.typed.text(), self.tz, today)

    def _typing(self) -> None:
        """While typing, say how far the text can be read, without saving anything."""
        if not self.typed.text().strip():
            self.understood.hide()
            return
        try:
            when = self._typed_when()
        except ValidationError:
            self._say("Press Enter when you have typed the date.", error=False)
            return
        self._say(f"Press Enter for {self._words(when)}.", error=False)

    def _read_typed(self) -> None:
        """Enter pressed or the line left: show the typed date in the pickers, and save."""
        text = self.typed.text().strip()
        if not text or text == self._applied:
            return
        try:
            when = self._typed_when()
        except ValidationError as exc:
            self._say(f"Not understood: {exc}. Nothing was changed.", error=True)
            return
        self._show(when)
        self._emit()
        self._applied = text  # after the pickers' own change, which would forget it
        self._say(f"Understood as {self._words(when)}.", error=False)

    def _words(self, when: When) -> str:
        return format_when(when.start, when.end, when.precision, self.tz, weekday=True)

    def _say(self, text: str, error: bool) -> None:
        self.understood.setText(text)
        self.understood.setObjectName("error" if error else "muted")
        self.understood.style().unpolish(self.understood)
        self.understood.style().polish(self.understood)
        self.understood.show()

    def _forget_typed(self) -> None:
        self._applied = ""
        self.typed.clear()
        self.understood.hide()

    # -- behaviour -------------------------------------------------------------------
    def _precision_changed(self) -> None:
        prec = self.current_precision()
        if prec is Precision.MONTH:
            d = self.start_date.date()
            self.month.setCurrentIndex(d.month() - 1)
            self.year.setValue(d.year())
        elif self._shown is Precision.MONTH:
            # coming from "month only": start on the first of that month
            self.start_date.setDate(QDate(self.year.value(), self.month.currentData(), 1))
        # Chosen by the person (not shown from what is stored: a period whose ends are
        # seconds apart shows both ends as the same minute, and must not read an hour long).
        if prec is Precision.BETWEEN and not self._loading:
            start = datetime.combine(_pydate(self.start_date.date()),
                                     time(self.start_time.time().hour(),
                                          self.start_time.time().minute()))
            end = datetime.combine(_pydate(self.end_date.date()),
                                   time(self.end_time.time().hour(), self.end_time.time().minute()))
            if end <= start:
                e = start + timedelta(hours=1)
                self.end_date.setDate(_qdate(e.date()))
                self.end_time.setTime(QTime(e.hour, e.minute))
        self._show_fields()
        self._emit()

    def _local(self, d: QDate, t: QTime) -> datetime:
        return datetime.combine(_pydate(d), time(t.hour(), t.minute()))

    def _start_moved(self) -> None:
        # Like a calendar: a period keeps its length when its start moves past its end.
        if not self._loading and self.current_precision() is Precision.BETWEEN:
            start = self._local(self.start_date.date(), self.start_time.time())
            end = self._local(self.end_date.date(), self.end_time.time())
            if end < start:
                self._loading = True
                e = start + self._length
                self.end_date.setDate(_qdate(e.date()))
                self.end_time.setTime(QTime(e.hour, e.minute))
                self._loading = False
        self._emit()

    def _show_fields(self) -> None:
        prec = self.current_precision()
        self._shown = prec
        dated = prec is not Precision.UNDATED
        timed = prec in (Precision.EXACT, Precision.CIRCA, Precision.BETWEEN)
        self.from_label.setText({Precision.BETWEEN: "From", Precision.MONTH: "In",
                                 Precision.CIRCA: "About"}.get(prec, "On"))
        self.from_label.setVisible(dated)
        self.start_date.setVisible(dated and prec is not Precision.MONTH)
        self.month.setVisible(prec is Precision.MONTH)
        self.year.setVisible(prec is Precision.MONTH)
        between = prec is Precision.BETWEEN
        for w in (self.until_label, self.end_date, self.whole_days):
            w.setVisible(between)
        days_only = between and self.whole_days.isChecked()
        self.end_time.setVisible(between and not days_only)
        self.start_time.setVisible(timed and not days_only)
        self.undated_note.setVisible(not dated)
        if not between:
            self.backwards_note.hide()

    def _whole_days_toggled(self) -> None:
        self._show_fields()
        self._emit()

    def _emit(self) -> None:
        if self._loading:
            return
        if self._applied:
            self._forget_typed()  # the pickers moved on from what was typed
        start = self._local(self.start_date.date(), self.start_time.time())
        end = self._local(self.end_date.date(), self.end_time.time())
        backwards = self.current_precision() is Precision.BETWEEN and end < start
        self.backwards_note.setVisible(backwards)
        if not backwards:
            self._length = max(end - start, timedelta(minutes=1)) if end > start else self._length
        if not self._check_clocks():
            return  # nothing to save: the last real time stays
        self._good = self._read()
        self.changed.emit()
