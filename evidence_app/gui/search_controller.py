"""Searching as the person types: debounced, off the GUI thread, newest answer wins.

`SearchController` takes what is typed and the filters, waits a moment after the last
key, then (on a reader thread, through CaseOps) asks core for a page of results with
snippets, and hands the timeline a row source narrowed to the matching incidents.
Answers to an older query are dropped, so a slow search never overwrites a newer one.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from evidence_app.core.search.find import (
    SearchFilters,
    SearchResults,
    matching_ids,
    search,
    summaries,
)
from evidence_app.core.store.changes import Changes
from evidence_app.gui.models.timeline import RowSource
from evidence_app.gui.tasks import CaseOps

DEBOUNCE_MS = 250
PAGE = 50


def search_with_messages(case: Any, query: str, filters: SearchFilters, order: str = "relevance",
                         limit: int = PAGE) -> SearchResults:
    """Incidents and exhibits, then messages (core/search/messages.py), as one list.

    Messages have no category, people or tags, so a search narrowed by a filter lists
    incidents only. Ordered by time, the two lists are merged by when things happened."""
    from evidence_app.core.search.messages import search_messages

    results = search(case, query, filters, order=order, limit=limit)
    if filters.active or filters.include_trash or not query.strip():
        return results
    hits, total = search_messages(case, results.query, limit=limit)
    if not total:
        return results
    merged = results.hits + hits
    if order in ("newest", "oldest"):
        floor = datetime.min.replace(tzinfo=UTC)
        merged.sort(key=lambda h: h.occurred_at or floor, reverse=order == "newest")
    message = results.message if results.total else ""
    return dataclasses.replace(results, hits=merged, total=results.total + total,
                               message=message)


def search_source(query: str, filters: SearchFilters,
                  keep: Callable[[], int | None] = lambda: None) -> RowSource:
    """Timeline rows for the incidents a search matches, in date order, page by page.

    The matching ids are found once per reload (the timeline counts first) and paged
    from memory; a change in the case reloads, and so searches again. The incident
    `keep()` names (the one open in the editor) stays listed while it is edited, even
    if the edit means it no longer matches.
    """
    lock = threading.Lock()
    cache: dict[bool, list[int]] = {}
    shown: set[int] = set()  # what this search listed before the last change

    def ids(case: Any, newest: bool) -> list[int]:
        with lock:
            if newest not in cache:
                held = keep()
                kept = (held,) if held is not None and held in shown else ()
                cache[newest] = matching_ids(case, query, filters, newest_first=newest,
                                             keep=kept)
            return cache[newest]

    def count(case: Any) -> int:
        with lock:
            shown.clear()
            for listed in cache.values():
                shown.update(listed)
            cache.clear()
        return len(ids(case, False))

    def fetch(case: Any, offset: int, limit: int, newest: bool) -> list[Any]:
        return summaries(case, ids(case, newest)[offset:offset + limit])

    return RowSource(fetch, count, name="search")


class SearchController(QObject):
    """Owns the current query, filters and order; emits results and the row source."""

    results_ready = Signal(object)  # SearchResults
    source_changed = Signal(object)  # RowSource, or None for every incident
    active_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, ops: CaseOps, parent: QObject | None = None,
                 keep: Callable[[], int | None] = lambda: None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.keep = keep
        self.query = ""
        self.filters = SearchFilters()
        self.order = "relevance"
        self.results: SearchResults | None = None
        self._generation = 0
        self._active = False
        self._shown: tuple[str, SearchFilters] | None = None
        self._last_run: tuple[str, SearchFilters, str] | None = None
        # Whether the latest results answer the same search as the ones before them
        # (run again because the case changed): the results list then keeps its place.
        self.repeated = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)
        ops.changed.connect(self._case_changed)

    @property
    def active(self) -> bool:
        """Whether a search or a filter narrows what is shown."""
        return bool(self.query.strip()) or self.filters.active or self.filters.include_trash

    def set_query(self, text: str) -> None:
        if text != self.query:
            self.query = text
            self._timer.start()

    def set_filters(self, filters: SearchFilters) -> None:
        if filters != self.filters:
            self.filters = filters
            self._timer.start()

    def set_order(self, order: str) -> None:
        if order != self.order:
            self.order = order
            self._timer.start()

    def clear(self) -> None:
        self.query = ""
        self.filters = SearchFilters()
        self.run_now()

    def run_now(self) -> None:
        """Search at once (the debounce timer calls this)."""
        self._timer.stop()
        self._generation += 1
        gen = self._generation
        active = self.active
        if active != self._active:
            self._active = active
            self.active_changed.emit(active)
        if not active:
            self._shown = self._last_run = None
            self.results = None
            self.source_changed.emit(None)
            self.results_ready.emit(None)
            return
        query, filters, order = self.query, self.filters, self.order
        repeated = (query, filters, order) == self._last_run
        self._last_run = (query, filters, order)
        if (query, filters) != self._shown:
            self._shown = (query, filters)
            self.source_changed.emit(search_source(query, filters, self.keep))
        self.ops.read(search_with_messages, query, filters, order=order, limit=PAGE,
                      on_done=lambda result: self._done(gen, result, repeated),
                      on_error=lambda exc: self._failed(gen, exc))

    def _done(self, gen: int, result: SearchResults, repeated: bool = False) -> None:
        if gen == self._generation:
            self.repeated = repeated
            self.results = result
            self.results_ready.emit(result)

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.failed.emit(exc)

    def _case_changed(self, changes: Changes) -> None:
        # What was found may have changed; search again (the timeline reloads itself).
        if self._active and (changes.timeline or changes.search_index):
            self._timer.start()
