"""What the timeline (models/timeline.py) and a conversation (models/conversation.py)
share: a flat list of rows and the headers between them (a month, a day), read a page at
a time on a reader thread through `CaseOps.read`. Every read carries a generation number,
so an answer to a read that a newer one replaced is dropped; `loading_changed` tells
views when a read is under way; callers may wait for a row (`_waiters`) and are told None
if the read fails.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from evidence_app.gui.tasks import CaseOps

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
Header = TypeVar("Header")


def with_headers(rows: list[Row], before: Hashable, key: Callable[[Row], Hashable],
                 header: Callable[[Any], Header]) -> list[Row | Header]:
    """`rows` with a header before each run of the same `key` (a month, a day); `before`
    is the key of the row above them (no header repeats it)."""
    out: list[Row | Header] = []
    prev = before
    for row in rows:
        k = key(row)
        if k != prev:
            out.append(header(k))
            prev = k
        out.append(row)
    return out


class PagedListModel(QAbstractListModel):
    """The shared state and plumbing; subclasses read the pages and say which rows are
    headers (`is_header`) and what a header row may do (`HEADER_FLAGS`)."""

    loading_changed = Signal(bool)
    reloaded = Signal()  # rows were replaced: views restore their selection or scroll
    total_changed = Signal(int)
    HEADER_FLAGS = Qt.ItemFlag.NoItemFlags

    def __init__(self, ops: CaseOps) -> None:
        super().__init__()
        self.ops = ops
        self._rows: list[Any] = []
        self._total = 0
        self._gen = 0
        self._fetching = False
        self._ready = False
        self._waiters: list[tuple[int, Callable[[QModelIndex | None], None]]] = []

    def is_header(self, row: Any) -> bool:
        raise NotImplementedError

    @property
    def total(self) -> int:
        """How many rows the source holds, headers aside (known once a page arrived)."""
        return self._total

    @property
    def ready(self) -> bool:
        """True once the first page of the current source has arrived."""
        return self._ready

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_header(self._rows[index.row()]):
            return self.HEADER_FLAGS
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _set_fetching(self, value: bool) -> None:
        if value != self._fetching:
            self._fetching = value
            self.loading_changed.emit(value)

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._gen:
            self._set_fetching(False)
            self._ready = True
            waiting, self._waiters = self._waiters, []
            for _row_id, callback in waiting:
                callback(None)
            self.ops.error.emit(exc)
