"""Running core work off the GUI thread, and telling views what changed.

`CaseOps` is the GUI's only door to an open case:

- `op(fn, *args, on_done=...)` queues a short call `fn(case, *args)` on one serialized
  writer thread (one unit of work each); `on_done(result)` runs on the GUI thread;
  afterwards `changed` is emitted with the `Changes` the call committed (read from what
  the case recorded, never guessed by the caller), so every view can decide whether to
  refresh (the Anki "operation did execute" pattern).
- `read(fn, *args, on_done=...)` runs a read on a small pool (thumbnails, lists);
  `read_in_order` runs one on the writer thread, after the writes queued before it.
- `task(gen_fn, *args, ...)` runs a core generator of `Progress` events (import, report,
  verify) on its own thread with a `CancelToken`, forwarding progress to the GUI, and
  emits `changed` with what it committed when it ends.

Errors reach `on_error` (or the default error handler, which shows a dialog) as the
exception object. Workers never touch widgets or make QPixmaps.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.changes import ChangeLog, Changes

if TYPE_CHECKING:  # the database layer loads on the worker that opens a case
    from evidence_app.core.cases import Case

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries results from worker threads to the GUI thread, and keeps each job's
    GUI-thread callbacks by job id.

    It lives on the GUI thread for as long as its owner (one per owner, never one per
    job): workers emit on it, and because the receiving slots belong to this GUI-thread
    object, Qt queues them to the GUI thread. A QObject made and freed for each job
    could be deleted (by Python's garbage collector, on whatever thread happened to run
    it) while a worker was still emitting on it, which crashed the app now and then.
    """

    done = Signal(object, object)  # job id, result
    failed = Signal(object, object)  # job id, exception
    progress = Signal(object, object)  # job id, Progress

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Any], None],
                                         Callable[[Any], None] | None]] = {}
        self._ids = itertools.count(1)
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.progress.connect(self._progress)

    def add(self, on_done: Callable[[Any], None], on_failed: Callable[[Any], None],
            on_progress: Callable[[Any], None] | None = None) -> int:
        """A new job id whose result goes to these callbacks on the GUI thread."""
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_failed, on_progress)
        return job_id

    def start(self, pool: QThreadPool, job_id: int, fn: Callable[[], Any]) -> None:
        pool.start(_Job(fn, self, job_id))

    @Slot(object, object)
    def _done(self, job_id: int, value: Any) -> None:
        callbacks = self._callbacks.pop(job_id, None)
        if callbacks is not None:
            callbacks[0](value)

    @Slot(object, object)
    def _failed(self, job_id: int, exc: Any) -> None:
        callbacks = self._callbacks.pop(job_id, None)
        if callbacks is not None:
            callbacks[1](exc)

    @Slot(object, object)
    def _progress(self, job_id: int, event: Any) -> None:
        callbacks = self._callbacks.get(job_id)
        if callbacks is not None and callbacks[2] is not None:
            callbacks[2](event)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, job_id: int) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.job_id = job_id
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            self.relay.failed.emit(self.job_id, exc)
        else:
            self.relay.done.emit(self.job_id, result)


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

    changed = Signal(object)  # Changes: what an operation or task committed
    error = Signal(object)  # unhandled exception from any operation
    busy_changed = Signal(bool)
    writing_changed = Signal(bool)  # writes queued or running on the writer thread

    def __init__(self, case: Case, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)  # one writer: operations run in order
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(2)
        self._long = QThreadPool(self)
        self._long.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._tickets = itertools.count(1)
        self._latest: dict[Hashable, int] = {}
        self._pending = 0
        self._writes = 0
        self._shut = False

    # -- plumbing ---------------------------------------------------------------
    def _submit(self, pool: QThreadPool, fn: Callable[[], Any],
                on_done: Callable[[Any], None] | None,
                on_error: Callable[[BaseException], None] | None,
                writing: bool = False, latest: Hashable | None = None) -> None:
        if self._shut:
            log.info("case closed; dropping a late call to %s", getattr(fn, "__name__", fn))
            return
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if writing:
            self._writes += 1
            if self._writes == 1:
                self.writing_changed.emit(True)

        ticket = next(self._tickets)
        if latest is not None:
            self._latest[latest] = ticket
        committed: list[Changes] = []  # set on the worker before either callback runs
        work = self._tracked(fn, committed) if writing else fn

        def finish() -> None:
            if latest is not None and self._latest.get(latest) == ticket:
                del self._latest[latest]
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)
            if writing:
                self._writes -= 1
                if self._writes == 0:
                    self.writing_changed.emit(False)

        def done(result: Any) -> None:
            try:
                # Two reader threads can finish out of order: an answer overtaken by a
                # newer question under the same key is dropped, never shown.
                if on_done is not None and (latest is None or self._latest.get(latest) == ticket):
                    on_done(result)
            finally:
                finish()
                self._announce(committed)

        def failed(exc: BaseException) -> None:
            try:
                if on_error is not None:
                    on_error(exc)
                else:
                    self.error.emit(exc)
            finally:
                finish()
                # An operation of several units may have committed some before failing.
                self._announce(committed)

        self._relay.start(pool, self._relay.add(done, failed), work)

    def _tracked(self, fn: Callable[[], Any], committed: list[Changes]) -> Callable[[], Any]:
        """`fn`, noting what the units of work it runs on its thread commit."""
        case = self.case

        def run() -> Any:
            with case.tracking() as log:
                try:
                    return fn()
                finally:
                    committed.append(log.changes)
        return run

    def _announce(self, committed: list[Changes]) -> None:
        if committed and committed[0]:
            self.changed.emit(committed[0])

    # -- public -----------------------------------------------------------------
    def op(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
           on_error: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        """Queue a write `fn(case, *args, **kwargs)` on the single writer thread; what it
        commits is announced by `changed`."""
        self._submit(self._writer, lambda: fn(self.case, *args, **kwargs), on_done, on_error,
                     writing=True)

    def read_in_order(self, fn: Callable[..., Any], *args: Any,
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      **kwargs: Any) -> None:
        """Run a read on the writer thread, so it sees every write queued before it."""
        self._submit(self._writer, lambda: fn(self.case, *args, **kwargs), on_done, on_error)

    def read(self, fn: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             latest: Hashable | None = None, **kwargs: Any) -> None:
        """Run a read `fn(case, *args, **kwargs)` on a reader thread.

        With `latest` (any key, e.g. `(self, "list")`), only the newest read under that
        key calls `on_done`: a view refreshed twice in quick succession never ends up
        showing the older answer.
        """
        self._submit(self._readers, lambda: fn(self.case, *args, **kwargs), on_done, on_error,
                     latest=latest)

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run any function without the case (e.g. decode an image) on a reader thread."""
        self._submit(self._readers, fn, on_done, on_error)

    def task(self, gen_fn: Callable[..., Iterator[Progress]], *args: Any,
             announce_every: float | None = None, **kwargs: Any) -> TaskHandle:
        """Run a Progress generator `gen_fn(case, *args, cancel=token, **kwargs)`.

        Connect to the handle's signals right away; events arrive via the event loop.
        With `announce_every` (seconds), what the task has committed so far is also
        announced while it runs: as soon as its first change is committed, then at most
        that often, whether or not the task reports progress meanwhile (a long copy of
        one big file must not hide the files already saved).
        """
        handle = TaskHandle(self)
        if self._shut:
            handle.running = False
            return handle
        committed: list[Changes] = []
        live = ChangeLog()  # filled on the worker as units commit; read here by the timer
        watcher = _Watcher(self, live, announce_every) if announce_every is not None else None

        def finish() -> None:
            handle.running = False
            if watcher is not None:
                watcher.stop()
            if committed and committed[0] and (watcher is None or committed[0] != watcher.sent):
                self.changed.emit(committed[0])

        def done(items: list[Any]) -> None:
            handle.items = items
            finish()
            if handle.token.cancelled:
                handle.cancelled.emit()
            handle.finished.emit(items)

        def failed(exc: BaseException) -> None:
            finish()
            handle.failed.emit(exc)

        job_id = self._relay.add(done, failed, handle.progress.emit)
        relay, case = self._relay, self.case

        def run() -> list[Any]:
            items = []
            with case.tracking(live) as log:
                try:
                    for event in gen_fn(case, *args, cancel=handle.token, **kwargs):
                        if event.item is not None:
                            items.append(event.item)
                        relay.progress.emit(job_id, event)
                finally:
                    committed.append(log.changes)
            return items

        self._relay.start(self._long, job_id, run)
        return handle

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until all queued work has finished (for shutdown and tests)."""
        ok = self._writer.waitForDone(msecs)
        ok = self._readers.waitForDone(msecs) and ok
        return self._long.waitForDone(msecs) and ok

    def cancel_tasks(self) -> int:
        """Ask every running task to stop (an import keeps the files it finished); returns
        how many were asked. `wait_idle` then waits for them to wind down."""
        running = [h for h in self.findChildren(TaskHandle) if h.running]
        for handle in running:
            handle.cancel()
        return len(running)

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
        self._relay = _Relay(self)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        self._relay.start(self._pool, self._relay.add(on_done, on_error), fn)

    def task(self, gen_fn: Callable[..., Iterator[Progress]], *args: Any) -> TaskHandle:
        """Run a Progress generator `gen_fn(*args, cancel=token)` that needs no open case
        (checking a case SQLite will not open); the handle's signals as `CaseOps.task`."""
        handle = TaskHandle(self)

        def done(items: list[Any]) -> None:
            handle.items = items
            handle.running = False
            if handle.token.cancelled:
                handle.cancelled.emit()
            handle.finished.emit(items)

        def failed(exc: BaseException) -> None:
            handle.running = False
            handle.failed.emit(exc)

        job_id = self._relay.add(done, failed, handle.progress.emit)
        relay = self._relay

        def run() -> list[Any]:
            items = []
            for event in gen_fn(*args, cancel=handle.token):
                if event.item is not None:
                    items.append(event.item)
                relay.progress.emit(job_id, event)
            return items

        self._relay.start(self._pool, job_id, run)
        return handle

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


class _Watcher(QObject):
    """Announces a running task's committed changes from the GUI thread: at once when
    there are new ones, then no more often than every `every` seconds."""

    TICK_MS = 60

    def __init__(self, ops: CaseOps, live: ChangeLog, every: float) -> None:
        super().__init__(ops)
        self.ops, self.live, self.every = ops, live, every
        self.sent = Changes()
        self._at = -float("inf")
        self._timer = QTimer(self, interval=self.TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now, changes = time.monotonic(), self.live.changes
        if changes != self.sent and now - self._at >= self.every:
            self.sent, self._at = changes, now
            self.ops.changed.emit(changes)

    def stop(self) -> None:
        self._timer.stop()
        self.deleteLater()
