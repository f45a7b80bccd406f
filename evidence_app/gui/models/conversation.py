"""One conversation as rows for a list view: messages, calls and system lines, with a
day separator wherever the date changes, read from core a page at a time.

Rows come from a `MessageSource` (a conversation, or the messages of one incident) whose
functions run on a reader thread through `CaseOps.read`. Only a window of the
conversation is held: it opens at the start (or around one message, for a search hit)
and grows a page at a time as the person scrolls, downwards through Qt's
`canFetchMore`/`fetchMore` and upwards through `fetch_earlier`, so 100,000 messages
open as fast as 200.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from evidence_app.core.views import AttachmentView
from evidence_app.gui.models.paged import PagedListModel, with_headers
from evidence_app.gui.tasks import CaseOps

PAGE = 200
Index = QModelIndex | QPersistentModelIndex

MessageRole = Qt.ItemDataRole.UserRole + 1
DayRole = Qt.ItemDataRole.UserRole + 2
ShowNameRole = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class MessageRow:
    """What the view draws for one message, call or system line (a detached snapshot).

    `position` is the message's place in its conversation (0 = first), `number` the
    message number printed in transcripts; `role` says who the sender is to the person:
    "me" (their own messages), "suspect", or "other".
    """

    id: int
    position: int
    kind: str  # "message" | "call" | "system"
    sent_at: datetime | None
    timezone: str
    sender: str = ""
    role: str = "other"
    text: str = ""
    deleted: bool = False
    number: int = 0
    attachments: tuple[AttachmentView, ...] = ()
    call_direction: str = ""  # "incoming" | "outgoing"
    call_missed: bool = False
    call_number: str = ""  # empty when withheld or unknown
    call_withheld: bool = False
    call_seconds: int | None = None
    call_status: str = ""  # answered, missed, rejected, voicemail, blocked
    export_mark: str = ""  # the exhibit mark of the export file it was read from
    incident_id: int | None = None
    time_note: str = ""
    conversation_id: int | None = None
    sender_id: int | None = None  # the participant who sent it (None: a system line)
    # What the export says beyond the words (core MessageView.marks): "Forwarded from
    # Dave" drawn above the text, "Edited 14/03/2025 22:40" / "Unsent by the sender"
    # named in the footer as "edited" / "unsent" and in full in the tooltip.
    forwarded: str = ""
    edited: str = ""
    unsent: bool = False

    @property
    def marks(self) -> list[str]:
        return [m for m in (self.forwarded, self.edited,
                            "Unsent by the sender" if self.unsent else "") if m]

    @property
    def day(self) -> date | None:
        if self.sent_at is None:
            return None
        return self.sent_at.astimezone(ZoneInfo(self.timezone)).date()

    @property
    def local_time(self) -> str:
        if self.sent_at is None:
            return ""
        return f"{self.sent_at.astimezone(ZoneInfo(self.timezone)):%H:%M}"


@dataclass(frozen=True)
class DayHeader:
    day: date | None

    @property
    def text(self) -> str:
        if self.day is None:
            return "No date"
        return f"{self.day:%A} {self.day.day} {self.day:%B %Y}"


@dataclass(frozen=True)
class MessageSource:
    """Where a conversation's rows come from; every function runs on a reader thread.

    - `count(case)`: how many rows there are;
    - `fetch(case, offset, limit)`: rows `offset..offset+limit` in conversation order;
    - `position(case, message_id)`: where a message stands (None if not in this source);
    - `day_position(case, day)`: where a day's first message stands (None: none that day
      or later).
    """

    count: Callable[[Any], int]
    fetch: Callable[[Any, int, int], list[MessageRow]]
    position: Callable[[Any, int], int | None]
    day_position: Callable[[Any, date], int | None] | None = None
    name: str = ""
    key: Any = field(default=None, compare=True)


def call_text(row: MessageRow) -> str:
    """'Missed voice call from a withheld number', 'Outgoing call, 4 min 12 s'."""
    who = "a withheld number" if row.call_withheld else (row.call_number or row.sender)
    status = row.call_status if row.call_status in ("rejected", "blocked", "voicemail") else (
        "missed" if row.call_missed else "")
    if status:
        text = f"{status.capitalize()} call from {who}" if who else f"{status.capitalize()} call"
    elif row.call_direction == "outgoing":
        text = f"Outgoing call to {who}" if who else "Outgoing call"
    else:
        text = f"Call from {who}" if who else "Incoming call"
    if row.call_seconds and not row.call_missed:
        minutes, seconds = divmod(row.call_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        length = (f"{hours} h {minutes} min" if hours else
                  f"{minutes} min {seconds} s" if minutes else f"{seconds} s")
        text += f", {length}"
    if row.call_withheld and row.sender and not row.call_missed:
        text += " (number withheld)"
    return text


def _with_headers(rows: list[MessageRow], before: MessageRow | None,
                  ) -> list[MessageRow | DayHeader]:
    return with_headers(rows, before.day if before is not None else (), lambda r: r.day,
                        DayHeader)


class ConversationModel(PagedListModel):
    """A window of a conversation (see module docstring). `reloaded`: the window was
    replaced (opened, jumped), views scroll."""

    prepended = Signal(int)  # rows added above the window (the view keeps its place)
    HEADER_FLAGS = Qt.ItemFlag.ItemIsEnabled

    def __init__(self, ops: CaseOps, source: MessageSource | None = None) -> None:
        super().__init__(ops)
        self._source = source
        self._rows: list[MessageRow | DayHeader] = []
        self._first = 0  # position of the first message held
        self._held = 0  # messages held (headers not counted)

    # -- public API ----------------------------------------------------------------
    @property
    def source(self) -> MessageSource | None:
        return self._source

    @property
    def first_position(self) -> int:
        return self._first

    @property
    def held(self) -> int:
        return self._held

    def set_source(self, source: MessageSource | None, around: int | None = None) -> None:
        """Show another conversation, from its start or around the message at position
        `around`."""
        self._source = source
        self.open_at(around)

    def open_at(self, position: int | None = None) -> None:
        """Replace the window with a page from the start, or centred on `position`."""
        self._gen += 1
        gen = self._gen
        self.beginResetModel()
        self._rows, self._first, self._held, self._total, self._ready = [], 0, 0, 0, False
        self.endResetModel()
        source = self._source
        if source is None:
            self._ready = True
            self.total_changed.emit(0)
            self.reloaded.emit()
            return
        self._set_fetching(True)

        def load(case: Any) -> tuple[int, int, list[MessageRow]]:
            total = source.count(case)
            start = 0 if position is None else max(0, min(position - PAGE // 2, total - PAGE))
            return total, start, source.fetch(case, start, PAGE)

        self.ops.read(load, on_done=lambda result: self._opened(gen, result),
                      on_error=lambda exc: self._failed(gen, exc))

    def reload(self) -> None:
        """Read the held window again (after a change), keeping its place."""
        self.open_at(self._first + PAGE // 2 if self._first else None)

    def message_at(self, row: int) -> MessageRow | None:
        if 0 <= row < len(self._rows):
            item = self._rows[row]
            return item if isinstance(item, MessageRow) else None
        return None

    def index_of(self, message_id: int) -> QModelIndex | None:
        for i, row in enumerate(self._rows):
            if isinstance(row, MessageRow) and row.id == message_id:
                return self.index(i)
        return None

    def index_of_day(self, day: date) -> QModelIndex | None:
        for i, row in enumerate(self._rows):
            if isinstance(row, DayHeader) and row.day == day:
                return self.index(i)
        return None

    def open_day(self, day: date) -> None:
        """Open the window at a day's first message (the view then scrolls to its header)."""
        found = self.index_of_day(day)
        source = self._source
        if found is not None or source is None or source.day_position is None:
            self.reloaded.emit()
            return
        day_position = source.day_position

        def where(case: Any) -> int | None:
            return day_position(case, day)

        def placed(position: int | None) -> None:
            if position is not None:
                self.open_at(position + PAGE // 2 - 10)

        self.ops.read(where, on_done=placed, on_error=lambda exc: self.ops.error.emit(exc))

    def locate(self, message_id: int, callback: Callable[[QModelIndex | None], None]) -> None:
        """Call back with the row of a message, opening the window around it if it is not
        held (None if the source does not hold it)."""
        found = self.index_of(message_id)
        if found is not None:
            callback(found)
            return
        source = self._source
        if source is None:
            callback(None)
            return

        def where(case: Any) -> int | None:
            return source.position(case, message_id)

        def placed(position: int | None) -> None:
            if position is None:
                callback(None)
                return
            self._waiters.append((message_id, callback))
            self.open_at(position)

        self.ops.read(where, on_done=placed, on_error=lambda exc: self.ops.error.emit(exc))

    # -- Qt model ------------------------------------------------------------------
    def is_header(self, row: Any) -> bool:
        return isinstance(row, DayHeader)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, DayHeader):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.text
            if role == DayRole:
                return row
            return None
        if role == MessageRole:
            return row
        if role == ShowNameRole:
            return self._show_name(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return accessible_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(row)
        return None

    def _show_name(self, i: int) -> bool:
        row = self._rows[i]
        if not isinstance(row, MessageRow) or row.kind != "message" or row.role == "me":
            return False
        before = self._rows[i - 1] if i > 0 else None
        return not (isinstance(before, MessageRow) and before.kind == "message"
                    and before.sender == row.sender)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and self._ready and not self._fetching
                and self._first + self._held < self._total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._source is None:
            return
        gen, offset, source = self._gen, self._first + self._held, self._source
        self._set_fetching(True)

        def load(case: Any) -> tuple[int, list[MessageRow]]:
            return source.count(case), source.fetch(case, offset, PAGE)

        self.ops.read(load, on_done=lambda result: self._appended(gen, offset, result),
                      on_error=lambda exc: self._failed(gen, exc))

    def can_fetch_earlier(self) -> bool:
        return self._ready and not self._fetching and self._first > 0

    def fetch_earlier(self) -> None:
        """Read the page before the window (the view asks when scrolled to the top)."""
        if not self.can_fetch_earlier() or self._source is None:
            return
        gen, first, source = self._gen, self._first, self._source
        start = max(0, first - PAGE)
        self._set_fetching(True)

        def load(case: Any) -> tuple[int, list[MessageRow]]:
            return source.count(case), source.fetch(case, start, first - start)

        self.ops.read(load, on_done=lambda result: self._prepended(gen, first, start, result),
                      on_error=lambda exc: self._failed(gen, exc))

    # -- internals -----------------------------------------------------------------
    def _opened(self, gen: int, result: tuple[int, int, list[MessageRow]]) -> None:
        if gen != self._gen:
            return
        total, start, rows = result
        self.beginResetModel()
        self._rows = list(_with_headers(rows, None))
        self._first, self._held, self._total, self._ready = start, len(rows), total, True
        self.endResetModel()
        self._set_fetching(False)
        self.total_changed.emit(total)
        self.reloaded.emit()
        self._serve_waiters()

    def _appended(self, gen: int, offset: int, result: tuple[int, list[MessageRow]]) -> None:
        if gen != self._gen or offset != self._first + self._held:
            return
        total, rows = result
        self._set_fetching(False)
        if total != self._total:
            self.reload()  # the conversation changed under us: read the window again
            return
        if not rows:
            self._total = self._first + self._held
            return
        last = next((r for r in reversed(self._rows) if isinstance(r, MessageRow)), None)
        new = _with_headers(rows, last)
        begin = len(self._rows)
        self.beginInsertRows(QModelIndex(), begin, begin + len(new) - 1)
        self._rows.extend(new)
        self._held += len(rows)
        self.endInsertRows()
        self._serve_waiters()

    def _prepended(self, gen: int, first: int, start: int,
                   result: tuple[int, list[MessageRow]]) -> None:
        if gen != self._gen or first != self._first:
            return
        total, rows = result
        self._set_fetching(False)
        if total != self._total or len(rows) != first - start:
            self.reload()
            return
        new = _with_headers(rows, None)
        added = len(new)
        top = self._rows[0] if self._rows else None
        if isinstance(top, DayHeader) and rows and rows[-1].day == top.day:
            # The window began mid-day: that day's header now comes with the new page.
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._rows[0]
            self.endRemoveRows()
            added -= 1
        self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
        self._rows[:0] = new
        self._first, self._held = start, self._held + len(rows)
        self.endInsertRows()
        self.prepended.emit(added)

    def _serve_waiters(self) -> None:
        waiting, self._waiters = self._waiters, []
        for message_id, callback in waiting:
            callback(self.index_of(message_id))


def accessible_text(row: MessageRow) -> str:
    when = row.local_time
    held = ", in an incident" if row.incident_id else ""
    if row.kind == "call":
        return f"{when}, {call_text(row)}{held}"
    if row.kind == "system":
        return f"{when}, {row.text}"
    body = "This message was deleted" if row.deleted else row.text
    pictures = len(row.attachments)
    extra = f", {pictures} picture{'s' if pictures != 1 else ''}" if pictures else ""
    marks = "".join(f" ({m})" for m in row.marks)
    return f"{row.sender or 'Unknown'}, {when}{marks}: {body}{extra}{held}"


def tooltip_text(row: MessageRow) -> str:
    parts = []
    if row.sent_at is not None:
        local = row.sent_at.astimezone(ZoneInfo(row.timezone))
        parts.append(f"{local.day} {local:%B %Y, %H:%M:%S} ({row.timezone})")
    if row.time_note:
        parts.append(row.time_note)
    parts.extend(row.marks)
    if row.number:
        parts.append(f"Message {row.number}" + (f", read from exhibit {row.export_mark}"
                                                if row.export_mark else ""))
    if row.attachments:
        parts.append("Exhibits: " + ", ".join(a.exhibit_mark for a in row.attachments))
    if row.incident_id:
        parts.append("Already in an incident")
    return "\n".join(parts)
