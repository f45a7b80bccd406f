"""Running core work off the GUI thread, and telling views what changed.

`CaseOps` is the GUI's only door to an open case:

- `op(fn, *args, on_done=..., changes=...)` queues a short call `fn(case, *args)` on one
  serialized writer thread (one unit of work each); `on_done(result)` runs on the GUI
  thread; afterwards `changed` is emitted with what it touched, so every view can decide
  whether to refresh (the Anki "operation did execute" pattern).
- `read(fn, *args, on_done=...)` runs a read on a small pool (thumbnails, lists).
- `task(gen_fn, *args, ...)` runs a core generator of `Progress` events (import, report,
  verify) on its own thread with a `CancelToken`, forwarding progress to the GUI.

Errors reach `on_error` (or the default error handler, which shows a dialog) as the
exception object. Workers never touch widgets or make QPixmaps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from evidence_app.core.progress import CancelToken, Progress

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, and because the receiving slots
    belong to this GUI-thread object, Qt queues them to the GUI thread."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[Any], None],
                 on_progress: Callable[[Any], None] | None = None) -> None:
        super().__init__()
        self._on_done, self._on_failed, self._on_progress = on_done, on_failed, on_progress
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.progress.connect(self._progress)

    @Slot(object)
    def _done(self, value: Any) -> None:
        self._on_done(value)

    @Slot(object)
    def _failed(self, value: Any) -> None:
        self._on_failed(value)

    @Slot(object)
    def _progress(self, value: Any) -> None:
        if self._on_progress is not None:
            self._on_progress(value)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class TaskHandle(QObject):
    """A running generator task: progress, completion, cancel."""

    progress = Signal(object)  # Progress
    finished = Signal(object)  # list of every Progress.item that was not None
    failed = Signal(object)  # exception
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self.items: list[Any] = []
        self.running = True

    def cancel(self) -> None:
        self.token.cancel()


class CaseOps(QObject):
    """The GUI's service facade over one open case (see module docstring)."""

    changed = Signal(str)  # "incidents", "attachments", "people", "settings", "trash", ...
    error = Signal(object)  # unhandled exception from any operation
    busy_changed = Signal(bool)
    writing_changed = Signal(bool)  # writes queued or running on the writer thread

    def __init__(self, case: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)  # one writer: operations run in order
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(2)
        self._long = QThreadPool(self)
        self._long.setMaxThreadCount(2)
        self._live: set[QObject] = set()
        self._pending = 0
        self._writes = 0
        self._shut = False

    # -- plumbing ---------------------------------------------------------------
    def _submit(self, pool: QThreadPool, fn: Callable[[], Any],
                on_done: Callable[[Any], None] | None,
                on_error: Callable[[BaseException], None] | None,
                changes: str | tuple[str, ...] | None = None) -> None:
        if self._shut:
            log.info("case closed; dropping a late call to %s", getattr(fn, "__name__", fn))
            return
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        writing = pool is self._writer and changes is not None
        if writing:
            self._writes += 1
            if self._writes == 1:
                self.writing_changed.emit(True)

        def finish() -> None:
            self._live.discard(relay)  # noqa: F821 - bound below before any call
            relay.deleteLater()
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)
            if writing:
                self._writes -= 1
                if self._writes == 0:
                    self.writing_changed.emit(False)

        def done(result: Any) -> None:
            try:
                if on_done is not None:
                    on_done(result)
            finally:
                finish()
                for kind in (changes,) if isinstance(changes, str) else (changes or ()):
                    self.changed.emit(kind)

        def failed(exc: BaseException) -> None:
            try:
                if on_error is not None:
                    on_error(exc)
                else:
                    self.error.emit(exc)
            finally:
                finish()
                # A failed write may still have changed nothing; views refresh anyway so
                # they never show something the database does not hold.
                for kind in (changes,) if isinstance(changes, str) else (changes or ()):
                    self.changed.emit(kind)

        relay = _Relay(done, failed)
        self._live.add(relay)
        pool.start(_Job(fn, relay))

    # -- public -----------------------------------------------------------------
    def op(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
           on_error: Callable[[BaseException], None] | None = None,
           changes: str | tuple[str, ...] | None = "incidents", **kwargs: Any) -> None:
        """Queue a write `fn(case, *args, **kwargs)` on the single writer thread."""
        self._submit(self._writer, lambda: fn(self.case, *args, **kwargs), on_done, on_error,
                     changes)

    def read(self, fn: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        """Run a read `fn(case, *args, **kwargs)` on a reader thread."""
        self._submit(self._readers, lambda: fn(self.case, *args, **kwargs), on_done, on_error)

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run any function without the case (e.g. decode an image) on a reader thread."""
        self._submit(self._readers, fn, on_done, on_error)

    def task(self, gen_fn: Callable[..., Iterator[Progress]], *args: Any,
             changes: str | tuple[str, ...] | None = None, **kwargs: Any) -> TaskHandle:
        """Run a Progress generator `gen_fn(case, *args, cancel=token, **kwargs)`.

        Connect to the handle's signals right away; events arrive via the event loop.
        """
        handle = TaskHandle(self)
        if self._shut:
            handle.running = False
            return handle
        kinds = (changes,) if isinstance(changes, str) else (changes or ())

        def run() -> list[Any]:
            items = []
            for event in gen_fn(self.case, *args, cancel=handle.token, **kwargs):
                if event.item is not None:
                    items.append(event.item)
                relay.progress.emit(event)  # noqa: F821 - bound before the job starts
            return items

        def done(items: list[Any]) -> None:
            handle.items = items
            handle.running = False
            self._live.discard(relay)
            for kind in kinds:
                self.changed.emit(kind)
            if handle.token.cancelled:
                handle.cancelled.emit()
            handle.finished.emit(items)

        def failed(exc: BaseException) -> None:
            handle.running = False
            self._live.discard(relay)
            for kind in kinds:
                self.changed.emit(kind)
            handle.failed.emit(exc)

        relay = _Relay(done, failed, handle.progress.emit)
        self._live.add(relay)
        self._long.start(_Job(run, relay))
        return handle

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until all queued work has finished (for shutdown and tests)."""
        ok = self._writer.waitForDone(msecs)
        ok = self._readers.waitForDone(msecs) and ok
        return self._long.waitForDone(msecs) and ok

    def shutdown(self) -> None:
        """Refuse new work (the case is closing); queued work still finishes."""
        self._shut = True

    @property
    def busy(self) -> bool:
        return self._pending > 0


class Background(QObject):
    """One-off work that needs no open case (opening or creating one) on a worker thread;
    `on_done`/`on_error` run on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._live: set[QObject] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._live.discard(relay)
            relay.deleteLater()
            callback(value)

        relay = _Relay(lambda v: finish(on_done, v), lambda e: finish(on_error, e))
        self._live.add(relay)
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
