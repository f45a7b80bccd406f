"""The incident editor: loads an incident, saves each change by itself, undoes with Ctrl+Z.

Edits are saved after a short pause in typing (and at once when the person switches
incident or closes the window) through `CaseOps.op`, so each is one audited unit of work.
Switching to another incident ends the first sitting of the one left (an audited
"finish"), so the report shows later changes to it as amendments.
Every save goes on the window's undo stack; Ctrl+Z in the editor undoes the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from evidence_app.core import incidents as inc
from evidence_app.core.dates import When
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.store.changes import Changes
from evidence_app.core.views import Amendment, IncidentDetail
from evidence_app.core.vocab import Precision
from evidence_app.gui.messages import show_error
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import field_list, plural, report_time
from evidence_app.gui.undo import DoneCommand
from evidence_app.gui.widgets.impact_ticks import Ticked, pending, save_impacts, stored_values
from evidence_app.gui.widgets.incident_form import FIELDS, WHEN_FIELDS, IncidentForm, detail_values
from evidence_app.gui.widgets.incident_links import IncidentLinks

SAVE_DELAY_MS = 800


def _save(case: Any, incident_id: int, values: dict[str, Any]) -> list[str]:
    changes = dict(values)
    when = None
    if set(WHEN_FIELDS) & set(changes):
        when = When(changes.pop("occurred_at"), changes.pop("occurred_end"),
                    Precision(changes.pop("precision")), changes.pop("timezone"))
    return inc.update_incident(case, incident_id, when=when, **changes)


def recorded_words(d: IncidentDetail, tz: str) -> str:
    """"Recorded on 9 Nov 2026, 20:00 GMT." or, when it was written over a few minutes,
    "Recorded on 9 Nov 2026, 20:00\u201320:03 GMT." (as the report says it)."""
    start = report_time(d.recorded_at, tz)
    until = d.recorded_until
    if until is None:
        return f"Recorded on {start}."
    zone = ZoneInfo(tz)
    a, b = d.recorded_at.astimezone(zone), until.astimezone(zone)
    if a.date() == b.date() and a.tzname() == b.tzname():
        if f"{a:%H:%M}" == f"{b:%H:%M}":
            return f"Recorded on {start}."
        return f"Recorded on {a.day} {a:%b %Y}, {a:%H:%M}\u2013{b:%H:%M} {b:%Z}".rstrip() + "."
    return f"Recorded on {start} to {report_time(until, tz)}."


def record_line(d: IncidentDetail, tz: str, limit: int | None = 3) -> str:
    """When it was recorded (and from which diary row) and amended, in the report's
    words; past `limit` amendments, the first and the latest with a count between (None:
    all of them)."""
    def amended(a: Amendment) -> str:
        return f"Amended on {report_time(a.at, tz)} ({field_list(a.fields, ', ')})."

    parts = [recorded_words(d, tz)]
    if d.diary is not None:  # as the report says it: which diary row, and when imported
        day = d.diary.imported_at.astimezone(ZoneInfo(tz))
        parts.append(d.diary.sentence(f"{day.day} {day:%b %Y}"))
    items = d.amendments
    if limit is None or len(items) <= limit:
        parts += [amended(a) for a in items]
    else:
        parts += [amended(items[0]), f"… {plural(len(items) - 2, 'more amendment')} …",
                  amended(items[-1])]
    return " ".join(parts)


class IncidentEditor(QWidget):
    """Shows one incident (or a calm hint when none is selected) and keeps it saved."""

    loaded = Signal(object)  # IncidentDetail | None
    saved = Signal(int)  # incident id, after each autosave reaches the database

    def __init__(self, ops: CaseOps, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.undo_stack = undo_stack
        self.incident_id: int | None = None
        self.detail: IncidentDetail | None = None
        self.case_tz = "Europe/London"
        self._stored: dict[str, Any] = {}  # values in the database
        self._shown: dict[str, Any] = {}  # what the widgets showed for them
        self._gen = 0
        self._saves = 0  # saves queued so far; a reload older than a save is stale
        self._exhibits: QWidget | None = None
        self._impacts: dict[str, Ticked | None] = {}  # what the tick boxes showed as stored

        self.form = IncidentForm()
        self.links = IncidentLinks(ops, self.form, self)
        self.links.changed.connect(self._linked)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        scroll.setAccessibleName("Incident details")
        self.scroll_area = scroll
        self.empty = QLabel("Select an incident on the left to see and edit it,\n"
                            "or press Ctrl+N to write down something new.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyHint")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.form.changed.connect(self._timer.start)
        self.form.impacts.changed.connect(self._timer.start)
        for widget in self.form.inputs():
            widget.installEventFilter(self)
        notes = self.form.notes
        notes.add_requested.connect(self._add_note)
        notes.private_toggled.connect(self._note_private)
        notes.remove_requested.connect(self._remove_note)
        ops.changed.connect(self._on_changed)

    # -- public --------------------------------------------------------------------------
    def set_incident(self, incident_id: int | None) -> None:
        """Show another incident; pending edits of the current one are saved first."""
        if incident_id == self.incident_id and incident_id is not None:
            return
        self.flush()
        if self.incident_id is not None:
            # Leaving an incident ends the sitting it was first written in: from now on
            # a change to it is an amendment (a no-op once that sitting is over).
            self.ops.op(inc.finish_recording, self.incident_id)
        self.incident_id = incident_id
        self.detail = None
        if self._exhibits is not None:
            self._exhibits.set_incident(incident_id)  # type: ignore[attr-defined]
        if incident_id is None:
            self.stack.setCurrentWidget(self.empty)
            self.loaded.emit(None)
            return
        self.form.setEnabled(False)
        self._load(fresh=True)

    def set_exhibits_widget(self, widget: QWidget) -> None:
        """Place the exhibits gallery (anything with `set_incident(id | None)`)."""
        self._exhibits = widget
        self.form.exhibits_summary.hide()
        self.form.exhibits.addWidget(widget)
        self.fix_tab_order()
        widget.set_incident(self.incident_id)  # type: ignore[attr-defined]

    def fix_tab_order(self) -> None:
        """Tab goes through the exhibits where they stand, between the tags and the notes
        (a widget added later, or an editor moved to another parent, puts them last)."""
        if self._exhibits is None:
            return
        inside = [w for w in self._exhibits.findChildren(QWidget)
                  if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        previous: QWidget = self.form.tag_input
        for widget in [*inside, self.form.notes.input]:
            QWidget.setTabOrder(previous, widget)
            previous = widget

    @property
    def dirty(self) -> bool:
        return bool(self._pending()) or self.form.impacts.values() != self._impacts

    def flush(self) -> None:
        """Save what the person changed since the last save (queued on the writer)."""
        self._timer.stop()
        if self.incident_id is None or self.detail is None:
            return
        self._flush_impacts(self.incident_id)
        changes = self._pending()
        if not changes:
            return
        incident_id = self.incident_id
        if set(WHEN_FIELDS) & set(changes):  # the date is saved as one piece
            changes.update({k: self.form.values()[k] for k in WHEN_FIELDS})
        old = {k: self._stored[k] for k in changes}
        self._stored.update(changes)
        self._shown.update(changes)
        self._queue_save(incident_id, changes)
        self.undo_stack.push(DoneCommand(
            f"change to {field_list(list(changes))}",
            lambda: self._apply(incident_id, changes), lambda: self._apply(incident_id, old)))

    def _flush_impacts(self, incident_id: int) -> None:
        shown = self.form.impacts.values()
        try:
            changes = pending(self._impacts, shown)
        except ValidationError as exc:
            self.form.impacts.show_error(str(exc))
            return
        self.form.impacts.show_error("")
        if not changes:
            return
        old = {k: self._impacts.get(k) for k in changes}
        new = {k: shown[k] for k in changes}
        self._impacts = shown
        self._save_impacts(incident_id, changes)
        self.undo_stack.push(DoneCommand(
            "change to impact on me", lambda: self._apply_impacts(incident_id, new),
            lambda: self._apply_impacts(incident_id, old)))

    def _save_impacts(self, incident_id: int,
                      changes: dict[str, dict[str, Any] | None]) -> None:
        self._saves += 1

        def failed(exc: BaseException) -> None:
            show_error(self.window(), "This change could not be saved", exc)
            if incident_id == self.incident_id:
                self._load(fresh=True)

        self.ops.op(save_impacts, incident_id, changes,
                    on_done=lambda _r: self.saved.emit(incident_id), on_error=failed)

    def _apply_impacts(self, incident_id: int, values: dict[str, Ticked | None]) -> None:
        """Undo/redo of ticks: store `values` and show them if this incident is on screen."""
        self._timer.stop()
        self._save_impacts(incident_id, {k: None if v is None else v.stored()
                                         for k, v in values.items()})
        if incident_id == self.incident_id and self.detail is not None:
            self.form.impacts.set_values(values)
            self._impacts.update(values)

    def focus_title(self) -> None:
        self.form.title.setFocus()
        self.form.title.selectAll()

    def undo(self) -> None:
        """Save pending typing, then undo the last change."""
        self.flush()
        self.undo_stack.undo()

    # -- loading --------------------------------------------------------------------------
    def _load(self, fresh: bool) -> None:
        if fresh:
            self._gen += 1
        gen, incident_id, saves = self._gen, self.incident_id, self._saves
        # On the writer queue, so the snapshot includes every save queued before it.
        self.ops.read_in_order(inc.get_incident, incident_id,
                               on_done=lambda d: self._loaded_detail(gen, d, fresh, saves),
                               on_error=lambda e: self._load_failed(gen, e))

    def _loaded_detail(self, gen: int, detail: IncidentDetail, fresh: bool, saves: int) -> None:
        if detail.id != self.incident_id or gen != self._gen:
            return
        stored = detail_values(detail)
        if fresh:
            self.form.set_values(stored)
            self._stored = stored
            self._shown = self.form.values()
            self.scroll_area.verticalScrollBar().setValue(0)
        elif self.detail is None:
            return  # a fresh load is on its way
        elif saves == self._saves:
            # Someone else (import, people dialog, undo) changed it: take their values for
            # fields the person is not in the middle of editing.
            current = self.form.values()
            outside = {k: v for k, v in stored.items()
                       if v != self._stored.get(k) and current.get(k) == self._shown.get(k)}
            if set(WHEN_FIELDS) & set(outside):
                outside.update({k: stored[k] for k in WHEN_FIELDS})
            if outside:
                self.form.set_values(outside)
                self._stored.update(outside)
                shown = self.form.values()
                self._shown.update({k: shown[k] for k in outside})
        if fresh or (saves == self._saves and self.form.impacts.values() == self._impacts):
            self._show_impacts(detail)
        self.detail = detail
        self._show_side(detail)
        self.form.setEnabled(True)
        self.stack.setCurrentWidget(self.scroll_area)
        self.loaded.emit(detail)

    def _show_impacts(self, detail: IncidentDetail) -> None:
        ticks = self.form.impacts
        if detail.occurred_at is not None:
            ticks.default_day = detail.occurred_at.astimezone(ZoneInfo(detail.timezone)).date()
        ticks.set_values(stored_values(detail.impacts))
        ticks.show_error("")
        self._impacts = ticks.values()

    def _load_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        if isinstance(exc, NotFoundError):
            self.incident_id, self.detail = None, None
            self.stack.setCurrentWidget(self.empty)
            self.loaded.emit(None)
        else:
            self.ops.error.emit(exc)

    def _show_side(self, d: IncidentDetail) -> None:
        tz = self.case_tz
        self.form.meta.setText(record_line(d, tz))
        self.form.meta.setToolTip(record_line(d, tz, limit=None) if d.amendments else "")
        self.form.notes.set_notes(d.notes, tz)
        self.links.show(d)
        if d.attachments:
            marks = ", ".join(f"{a.exhibit_mark} ({a.original_name})" for a in d.attachments)
            self.form.exhibits_summary.setText(f"{plural(len(d.attachments), 'exhibit')}: {marks}")
        else:
            self.form.exhibits_summary.setText("No exhibits yet. Import photos or screenshots "
                                               "and attach them to this incident.")

    def _on_changed(self, changes: Changes) -> None:
        if self.incident_id is not None and self.detail is not None and changes.timeline:
            self._load(fresh=False)

    # -- saving ---------------------------------------------------------------------------
    def _pending(self) -> dict[str, Any]:
        if self.detail is None:
            return {}
        current = self.form.values()
        return {k: current[k] for k in FIELDS if current[k] != self._shown.get(k)}

    def _queue_save(self, incident_id: int, values: dict[str, Any]) -> None:
        self._saves += 1
        def failed(exc: BaseException) -> None:
            show_error(self.window(), "This change could not be saved", exc)
            if incident_id == self.incident_id:
                self._load(fresh=True)

        self.ops.op(_save, incident_id, values, on_done=lambda _r: self.saved.emit(incident_id),
                    on_error=failed)

    def _apply(self, incident_id: int, values: dict[str, Any]) -> None:
        """Undo/redo: store `values` and show them if this incident is on screen."""
        self._timer.stop()
        self._queue_save(incident_id, values)
        if incident_id == self.incident_id and self.detail is not None:
            self.form.set_values(values)
            self._stored.update(values)
            shown = self.form.values()
            self._shown.update({k: shown[k] for k in values})

    def _linked(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        self.undo_stack.push(DoneCommand(text, redo, undo))

    # -- notes ----------------------------------------------------------------------------
    def _add_note(self, text: str, private: bool) -> None:
        incident_id = self.incident_id
        if incident_id is None:
            return

        def added(note_id: int) -> None:
            self.form.notes.clear_input()
            self.undo_stack.push(DoneCommand(
                "add note",
                lambda: self.ops.op(inc.restore_note, note_id),
                lambda: self.ops.op(inc.delete_note, note_id)))

        self.ops.op(inc.add_note, incident_id, text, private, on_done=added)

    def _note_private(self, note_id: int, private: bool) -> None:
        self.ops.op(inc.update_note, note_id, private=private)
        self.undo_stack.push(DoneCommand(
            "make note private" if private else "make note not private",
            lambda: self.ops.op(inc.update_note, note_id, private=private),
            lambda: self.ops.op(inc.update_note, note_id, private=not private)))

    def _remove_note(self, note_id: int) -> None:
        self.ops.op(inc.delete_note, note_id)
        self.undo_stack.push(DoneCommand(
            "remove note",
            lambda: self.ops.op(inc.delete_note, note_id),
            lambda: self.ops.op(inc.restore_note, note_id)))

    # -- Ctrl+Z inside the fields goes to the editor's undo, not the field's own ---------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            key = event if isinstance(event, QKeyEvent) else None
            if key is not None and (key.matches(QKeySequence.StandardKey.Undo)
                                    or key.matches(QKeySequence.StandardKey.Redo)):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                    return True
                if key.matches(QKeySequence.StandardKey.Undo):
                    self.undo()
                else:
                    self.flush()
                    self.undo_stack.redo()
                return True
        return super().eventFilter(watched, event)
