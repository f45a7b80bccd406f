"""The timeline: incidents in date order, grouped under month headers, loaded in pages.

Rows come from a pluggable `RowSource` (all incidents by default; search narrows it), are
read on a worker through `CaseOps.read` and arrive in pages, so the GUI thread never waits
on the database and 10,000 incidents scroll smoothly. Sorting happens in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from evidence_app.core.incidents import count_incidents, list_incidents
from evidence_app.core.store.changes import Changes
from evidence_app.core.views import IncidentSummary
from evidence_app.core.vocab import Precision
from evidence_app.gui.models.paged import PagedListModel, with_headers
from evidence_app.gui.tasks import CaseOps

PAGE = 200
Index = QModelIndex | QPersistentModelIndex

IncidentRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
HeaderRole = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class RowSource:
    """Where rows come from: `fetch(case, offset, limit, newest_first)` and `count(case)`.

    `fetch` must return rows in the order to show; `count` how many it can return in all.
    Both run on a worker thread.
    """

    fetch: Callable[[Any, int, int, bool], list[IncidentSummary]]
    count: Callable[[Any], int]
    name: str = "all"


def all_incidents() -> RowSource:
    """Every incident not in the trash."""
    return RowSource(
        lambda case, offset, limit, newest: list_incidents(
            case, newest_first=newest, offset=offset, limit=limit),
        count_incidents,
    )


@dataclass(frozen=True)
class MonthHeader:
    key: tuple[int, int] | None  # (year, month), None for undated
    text: str


def month_key(row: IncidentSummary) -> tuple[int, int] | None:
    if row.occurred_at is None or row.precision == Precision.UNDATED:
        return None
    local = row.occurred_at.astimezone(ZoneInfo(row.timezone))
    return local.year, local.month


def month_text(key: tuple[int, int] | None) -> str:
    if key is None:
        return "Undated"
    import calendar

    return f"{calendar.month_name[key[1]]} {key[0]}"


class TimelineModel(PagedListModel):
    """A flat list of month headers and incident rows (see module docstring)."""

    def __init__(self, ops: CaseOps, newest_first: bool = True,
                 source: RowSource | None = None) -> None:
        super().__init__(ops)
        self._source = source or all_incidents()
        self._newest = newest_first
        self._rows: list[IncidentSummary | MonthHeader] = []
        self._loaded = 0  # incidents loaded (headers not counted)
        self.same_rows = True  # the last reload re-read the same source in the same order
        ops.changed.connect(self._on_changed)

    # -- public API ----------------------------------------------------------------
    @property
    def source(self) -> RowSource:
        return self._source

    def set_source(self, source: RowSource | None) -> None:
        """Show rows from another source (None: all incidents), e.g. search results."""
        self._source = source or all_incidents()
        self.reload(keep=False)

    @property
    def newest_first(self) -> bool:
        return self._newest

    def set_newest_first(self, newest: bool) -> None:
        if newest != self._newest:
            self._newest = newest
            self.reload(keep=False)

    @property
    def loading(self) -> bool:
        return self._fetching

    def incident_ids(self) -> list[int]:
        return [r.id for r in self._rows if isinstance(r, IncidentSummary)]

    def index_of(self, incident_id: int) -> QModelIndex | None:
        for i, row in enumerate(self._rows):
            if isinstance(row, IncidentSummary) and row.id == incident_id:
                return self.index(i)
        return None

    def locate(self, incident_id: int, callback: Callable[[QModelIndex | None], None]) -> None:
        """Call back with the row of an incident, loading further pages until it appears
        (None if the source does not hold it)."""
        found = self.index_of(incident_id)
        settled = self._ready and not self._fetching
        if found is not None or (settled and self._loaded >= self._total):
            callback(found)
            return
        self._waiters.append((incident_id, callback))
        if settled:
            self.fetchMore(QModelIndex())

    def reload(self, keep: bool = True) -> None:
        """Read the rows again (as many as are loaded when `keep`, so scrolling stays put)."""
        self._gen += 1
        gen = self._gen
        self.same_rows = keep  # False: another source or order, so other rows
        limit = max(PAGE, self._loaded) if keep else PAGE
        if not keep:
            self.beginResetModel()
            self._rows, self._loaded, self._total, self._ready = [], 0, 0, False
            self.endResetModel()
        self._set_fetching(True)
        source, newest = self._source, self._newest

        def load(case: Any) -> tuple[int, list[IncidentSummary]]:
            return source.count(case), source.fetch(case, 0, limit, newest)

        self.ops.read(load, on_done=lambda result: self._replace(gen, result),
                      on_error=lambda exc: self._failed(gen, exc))

    # -- Qt model ------------------------------------------------------------------
    def is_header(self, row: Any) -> bool:
        return isinstance(row, MonthHeader)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, MonthHeader):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.text
            if role == HeaderRole:
                return True
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title or "(no title yet)"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [row.when_text, row.category_text, row.title, row.location,
                     f"{row.exhibit_count} exhibits" if row.exhibit_count else ""]
            return ", ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.when_text}\n{row.title}" + (f"\n{row.location}" if row.location else "")
        if role == IncidentRole:
            return row
        if role == IdRole:
            return row.id
        if role == HeaderRole:
            return False
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and self._ready and not self._fetching
                and self._loaded < self._total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        gen, offset = self._gen, self._loaded
        source, newest = self._source, self._newest
        self._set_fetching(True)

        def load(case: Any) -> tuple[int, list[IncidentSummary]]:
            return source.count(case), source.fetch(case, offset, PAGE, newest)

        self.ops.read(load, on_done=lambda result: self._append(gen, offset, result),
                      on_error=lambda exc: self._failed(gen, exc))

    # -- internals -----------------------------------------------------------------
    def _with_headers(self, rows: list[IncidentSummary],
                      last: IncidentSummary | MonthHeader | None,
                      ) -> list[IncidentSummary | MonthHeader]:
        before: Any = month_key(last) if isinstance(last, IncidentSummary) else (
            last.key if isinstance(last, MonthHeader) else ())
        return with_headers(rows, before, month_key, lambda k: MonthHeader(k, month_text(k)))

    def _replace(self, gen: int, result: tuple[int, list[IncidentSummary]]) -> None:
        if gen != self._gen:
            return
        total, rows = result
        new = self._with_headers(rows, None)
        same_shape = len(new) == len(self._rows) and all(
            type(a) is type(b) and (a.id == b.id if isinstance(a, IncidentSummary)
                                    and isinstance(b, IncidentSummary) else a == b)
            for a, b in zip(new, self._rows, strict=True))
        if same_shape and self._ready:
            self._rows = new
            if new:
                self.dataChanged.emit(self.index(0), self.index(len(new) - 1))
        else:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
        self._loaded, self._total, self._ready = len(rows), total, True
        self._set_fetching(False)
        self.total_changed.emit(total)
        if not same_shape:
            self.reloaded.emit()
        self._serve_waiters()

    def _append(self, gen: int, offset: int, result: tuple[int, list[IncidentSummary]]) -> None:
        if gen != self._gen or offset != self._loaded:
            return
        total, rows = result
        self._set_fetching(False)
        if total != self._total:
            # The case changed between pages: offsets moved, so read everything again.
            self.reload()
            return
        if rows:
            new = self._with_headers(rows, self._rows[-1] if self._rows else None)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self._loaded += len(rows)
            self.endInsertRows()
        else:
            self._total = self._loaded
        self._serve_waiters()

    def _serve_waiters(self) -> None:
        waiting, self._waiters = self._waiters, []
        for incident_id, callback in waiting:
            self.locate(incident_id, callback)

    def _on_changed(self, changes: Changes) -> None:
        if changes.timeline:
            self.reload()
