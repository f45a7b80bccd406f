"""Reads the text in imported pictures in the background, and says how far it has got.

`OcrRunner` starts core's OCR queue (core/ocr.py) on a CaseOps task whenever there is
something to read and it is not paused; new imports start it again. `OcrStatus` is the
small status-bar piece: "Reading text in pictures: 3 of 20" with Pause / Resume.
Nothing here blocks the window; without Tesseract it stays silent (Case settings says
why once).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from evidence_app.core import ocr
from evidence_app.core.progress import Progress
from evidence_app.core.store.changes import Changes
from evidence_app.gui.alive import while_alive
from evidence_app.gui.tasks import CaseOps, TaskHandle

REFRESH_EVERY_S = 2.0  # tell views about new text every few pictures, not every one


def _state(case: Any) -> tuple[bool, int, bool]:
    return ocr.tesseract_version() is not None, ocr.counts(case).pending, ocr.is_paused(case)


class OcrRunner(QObject):
    progress = Signal(int, int)  # done, total
    state_changed = Signal(str)  # idle, running, paused, unavailable

    def __init__(self, ops: CaseOps, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.handle: TaskHandle | None = None
        self.state = "idle"
        self._closed = False
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(1500)
        self._later.timeout.connect(self.check)
        ops.changed.connect(self._changed)

    def check(self) -> None:
        """Start reading if there is something to read (off the GUI thread)."""
        if self._closed or (self.handle is not None and self.handle.running):
            return
        self.ops.read(_state, on_done=while_alive(self, lambda s: self._decide(*s)))

    def _decide(self, available: bool, pending: int, paused: bool) -> None:
        if self._closed:
            return
        if not available:
            self._set("unavailable")
        elif paused:
            self._set("paused")
        elif pending and (self.handle is None or not self.handle.running):
            self._start()
        elif not pending:
            self._set("idle")

    def _start(self) -> None:
        handle = self.ops.task(ocr.run_queue, announce_every=REFRESH_EVERY_S)
        self.handle = handle
        self._set("running")
        handle.progress.connect(self._progress)
        handle.finished.connect(lambda _items: self._stopped())
        handle.failed.connect(lambda _exc: self._stopped())

    def _progress(self, event: Progress) -> None:
        self.progress.emit(event.done, event.total)

    def _stopped(self) -> None:
        self.handle = None
        self.check()

    def pause(self) -> None:
        self.ops.op(ocr.set_paused, True)
        if self.handle is not None:
            self.handle.cancel()
        self._set("paused")

    def resume(self) -> None:
        self.ops.op(ocr.set_paused, False, on_done=lambda _r: self.check())

    def stop(self) -> None:
        """Stop for good (the case is closing); what is left stays queued."""
        self._closed = True
        self._later.stop()
        if self.handle is not None:
            self.handle.cancel()

    def _changed(self, changes: Changes) -> None:
        if changes.attachments and (self.handle is None or not self.handle.running):
            self._later.start()

    def _set(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)


class OcrStatus(QWidget):
    """Status-bar piece for the runner: progress and Pause / Resume."""

    def __init__(self, runner: OcrRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
        self.label.setObjectName("muted")
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 0, 0)  # apart from "All changes saved"
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        runner.progress.connect(self._progress)
        runner.state_changed.connect(self._state)
        self._state(runner.state)

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.label.setText(f"Reading text in pictures: {min(done, total)} of {total}")

    def _state(self, state: str) -> None:
        self.setVisible(state in ("running", "paused"))
        if state == "running":
            self.label.setText("Reading text in pictures\u2026")
            self.button.setText("Pause")
            self.button.setToolTip("Stop reading text in pictures for now (remembered)")
        elif state == "paused":
            self.label.setText("Reading text in pictures is paused")
            self.button.setText("Resume")
            self.button.setToolTip("Carry on reading text in pictures")

    def _clicked(self) -> None:
        if self.runner.state == "paused":
            self.runner.resume()
        else:
            self.runner.pause()
