"""Search in the main window: the toolbar field (Ctrl+F), filters, results, and opening
a result in the timeline with the match highlighted in the editor or the viewer.

`attach_search(window)` is all the main window calls. Per open case it builds a
`CaseSearch` (controller + filter panel + results panel above the timeline) and, for
text in pictures, an OCR runner with its status-bar piece.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QScrollArea, QTextEdit, QWidget

from evidence_app.core.attachments import get_attachment
from evidence_app.core.search.find import SearchHit, highlights
from evidence_app.core.store.changes import Changes
from evidence_app.gui.alive import while_alive
from evidence_app.gui.ocr_runner import OcrRunner, OcrStatus
from evidence_app.gui.search_controller import SearchController
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.ocr_text import mark_matches
from evidence_app.gui.widgets.search_bar import SearchBar
from evidence_app.gui.widgets.search_filters import FilterPanel
from evidence_app.gui.widgets.search_results import SearchResultsPanel

if TYPE_CHECKING:
    from evidence_app.gui.main_window import MainWindow


def highlight_editor(editor: QWidget, query: str) -> int:
    """Mark the query's matches in every text box of the incident editor, select the
    first match in a one-line field if no text box has one, and scroll to it."""
    first: QWidget | None = None
    count = 0
    for box in editor.findChildren(QPlainTextEdit) + editor.findChildren(QTextEdit):
        n = mark_matches(box, query)
        if n and first is None:
            first = box
        count += n
    for line in editor.findChildren(QLineEdit):
        spans = highlights(line.text(), query) if query.strip() else []
        if spans:
            count += len(spans)
            if first is None:
                first = line
                line.setCursorPosition(spans[0][0])  # no selection: typing must not replace it
    if first is not None:
        scroll = first.parent()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parent()
        if isinstance(scroll, QScrollArea):
            scroll.ensureWidgetVisible(first, 0, 40)
    return count


class CaseSearch(QObject):
    """Search for one open case (see module docstring)."""

    def __init__(self, window: MainWindow, bar: SearchBar, ops: CaseOps) -> None:
        super().__init__(window)
        self.window = window
        self.bar = bar
        self.ops = ops
        view = window.view
        assert view is not None
        self.view = view
        # The incident open in the editor stays in a narrowed timeline while it is edited.
        self.controller = SearchController(ops, self, keep=lambda: view.editor.incident_id)
        self.filters = FilterPanel(ops)
        self.filters.hide()
        self.results = SearchResultsPanel()
        self.results.hide()
        view.left_layout.insertWidget(0, self.filters)
        view.left_layout.insertWidget(1, self.results, 1)
        self._pending_highlight = ""
        self.viewer: Any = None
        bar.setEnabled(True)
        bar.query_changed.connect(self.controller.set_query)
        bar.query_changed.connect(lambda _t: self.results.show_searching())
        bar.filters_toggled.connect(self._toggle_filters)
        self.filters.changed.connect(self._filters_changed)
        self.results.order_changed.connect(self.controller.set_order)
        self.results.clear_requested.connect(self.clear)
        self.results.open_hit.connect(self.open_hit)
        self.controller.source_changed.connect(view.model.set_source)
        self.controller.results_ready.connect(self._results)
        self.controller.active_changed.connect(self.results.setVisible)
        self.controller.failed.connect(lambda exc: ops.error.emit(exc))
        view.editor.loaded.connect(self._editor_loaded)
        ops.changed.connect(self._case_changed)
        self.runner = OcrRunner(ops, self)
        self.status = OcrStatus(self.runner)
        window.statusBar().addPermanentWidget(self.status)
        QTimer.singleShot(2000, self.runner.check)
        # Whatever was typed before the case opened counts.
        if bar.field.text():
            self.controller.set_query(bar.field.text())

    def _toggle_filters(self, on: bool) -> None:
        self.filters.setVisible(on)
        if on:
            self.filters.refresh_lists()

    def show_to_describe(self) -> None:
        """Incident > Show incidents to describe: the filter, ticked, in view."""
        self.bar.filters.setChecked(True)
        self.filters.describe.setChecked(True)

    def _filters_changed(self, filters: Any) -> None:
        self.bar.show_filter_count(self.filters.active_count())
        self.controller.set_filters(filters)

    def _results(self, results: Any) -> None:
        if results is not None:
            self.results.show_results(results, keep_place=self.controller.repeated)
        self._highlight_now()

    def clear(self) -> None:
        self.bar.clear()
        self.filters.reset()
        self.controller.clear()
        self._highlight_now()

    def _case_changed(self, changes: Changes) -> None:
        if (changes.people_or_vehicles or changes.incidents) and self.filters.isVisible():
            self.filters.refresh_lists()

    # -- opening a result ------------------------------------------------------------
    def open_hit(self, hit: SearchHit) -> None:
        query = self.controller.query
        if hit.kind == "message":  # the conversation, at the message
            conversations = getattr(self.window, "conversations", None)
            if conversations is not None and hit.conversation_id is not None:
                conversations.open_message(hit.conversation_id, hit.id)
            return
        if hit.kind == "incident" or (hit.incident_id is not None and not hit.trashed):
            incident = hit.incident_id if hit.incident_id is not None else hit.id
            self._pending_highlight = query
            self.window.show_incident(incident)
            if self.view.editor.incident_id == incident:
                self._highlight_now()
        if hit.field in ("ocr", "files") or hit.kind == "attachment":
            self._open_exhibit(hit, query)

    def _open_exhibit(self, hit: SearchHit, query: str) -> None:
        from evidence_app.core.search.find import matching_exhibit

        def find(case: Any) -> Any:
            att_id = hit.attachment_id or matching_exhibit(case, hit.id, query)
            return None if att_id is None else get_attachment(case, att_id, allow_deleted=True)

        self.ops.read(find, on_done=while_alive(self, lambda att: self._show_exhibit(att, query)))

    def _show_exhibit(self, att: Any, query: str) -> None:
        if att is None:
            return
        from evidence_app.gui.thumbs import ThumbnailLoader
        from evidence_app.gui.widgets.viewer import ExhibitViewer

        if self.viewer is None:
            self.viewer = ExhibitViewer(self.ops, ThumbnailLoader(self.ops, self), self.window)
        tz = self.window.session.timezone
        self.viewer.show_items([att], 0, tz)
        ocr_panel = getattr(self.viewer, "ocr", None)
        if ocr_panel is not None:
            ocr_panel.set_query(query)

    def _editor_loaded(self, _detail: object) -> None:
        if self._pending_highlight or self.controller.query:
            QTimer.singleShot(0, self._highlight_now)

    def _highlight_now(self) -> None:
        query = self.controller.query if self.controller.active else ""
        highlight_editor(self.view.editor, query)
        self._pending_highlight = ""

    def close(self) -> None:
        self.runner.stop()
        self.window.statusBar().removeWidget(self.status)
        self.status.deleteLater()
        if self.viewer is not None:
            self.viewer.close()


def attach_search(window: MainWindow) -> SearchBar:
    """Put the search field in the toolbar and search each case the window opens."""
    bar: SearchBar = window.search_bar  # drawn (disabled) with the window
    bar.install_shortcut(window)
    state: dict[str, CaseSearch | None] = {"search": None}

    def opened(ops: CaseOps) -> None:
        state["search"] = CaseSearch(window, bar, ops)
        window.act_to_describe.setEnabled(True)

    def to_describe() -> None:
        search = state["search"]
        if search is not None:
            search.show_to_describe()

    def closed() -> None:
        search = state["search"]
        if search is not None:
            search.close()
            search.deleteLater()
        state["search"] = None
        window.act_to_describe.setEnabled(False)
        bar.clear()
        bar.filters.setChecked(False)
        bar.show_filter_count(0)
        bar.setEnabled(False)

    def closing() -> None:
        # Before the case waits for its work to finish: stop reading pictures now.
        search = state["search"]
        if search is not None:
            search.runner.stop()

    window.act_to_describe.triggered.connect(to_describe)
    window.case_opened.connect(opened)
    window.session.closing.connect(closing)
    window.case_closed.connect(closed)
    window.case_search = lambda: state["search"]  # type: ignore[attr-defined]
    return bar
