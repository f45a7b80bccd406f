"""File › Protect with a passphrase (convert a plain case) and File › Change passphrase.

Converting runs core's `encrypt_case` on a worker while the case is closed: the app
makes a protected copy beside the case, checks it record by record, swaps it in and
only then overwrites and removes the plain files. Cancelled (or failing) before the
swap, the plain case is exactly as it was and opens again. At the end the person reads
what removing the plain copy means on their kind of disk, and gets the recovery key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.progress import CancelToken, Progress
from evidence_app.gui.dialogs.passphrase import NO_WAY_IN, NewPassphrase, password_field
from evidence_app.gui.look import NoticeBox, heading
from evidence_app.gui.tasks import Background

BEFORE = ("Everything in the case (the log, notes, photos and their previews) will be "
          "scrambled on disk, so that nobody can read it without the passphrase or the "
          "recovery key. The app makes a protected copy beside the case, checks every record "
          "and file in it, and only then overwrites and removes the plain files.")
DISK_NOTE = ("On an SSD, and in any backup or copy made before, traces of the plain files "
             "may stay until the drive reuses the space: only the computer's own full-disk "
             "encryption (BitLocker, FileVault, LUKS) protects those. You will be told more "
             "at the end.")


def _convert(folder: Path, passphrase: str, cancel: CancelToken,
             report: Callable[[Progress], None]) -> Any:
    from evidence_app.core.cases import encrypt_case

    result = None
    for event in encrypt_case(folder, passphrase, cancel=cancel):
        report(event)
        if event.item is not None:
            result = event.item
    return result


class ProtectDialog(QDialog):
    """Asks for the passphrase, then converts. `converted(result, passphrase)` when done
    (an `EncryptResult`), `stopped()` when cancelled or failed (the plain case is as it
    was). The caller closes the case when `starting` is emitted and reopens it after."""

    starting = Signal()
    converted = Signal(object, str)
    stopped = Signal()
    progressed = Signal(object)  # emitted on the worker; delivered to `_progress`

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.token = CancelToken()
        self._bg = Background(self)
        self.running = False
        self.setWindowTitle("Protect this case with a passphrase")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.pages.addWidget(self._ask_page())
        self.pages.addWidget(self._run_page())
        self.progressed.connect(self._progress)

    def _ask_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addWidget(heading(QLabel("Protect this case with a passphrase"), 1.3))
        text = QLabel(BEFORE)
        text.setWordWrap(True)
        box.addWidget(text)
        box.addWidget(NoticeBox(DISK_NOTE))
        self.passphrase = NewPassphrase()
        self.passphrase.changed.connect(self._update)
        box.addWidget(self.passphrase)
        self.listed = QCheckBox("Keep listing this case under recent cases on this computer")
        box.addWidget(self.listed)
        note = QLabel(NO_WAY_IN + " You will get a recovery key to write down.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        box.addWidget(note)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        box.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        self.start_button = QPushButton("Protect this case")
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        row.addWidget(self.start_button)
        box.addLayout(row)
        self._update()
        return page

    def _run_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addWidget(heading(QLabel("Protecting your case\u2026"), 1.3))
        self.step = QLabel("Starting\u2026")
        self.step.setWordWrap(True)
        box.addWidget(self.step)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        box.addWidget(self.bar)
        note = QLabel("Until the protected copy is checked and swapped in, your case is "
                      "untouched: cancelling leaves it exactly as it was.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        box.addWidget(note)
        box.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.cancel_button)
        box.addLayout(row)
        return page

    def _update(self) -> None:
        self.start_button.setEnabled(bool(self.passphrase.passphrase()))

    def start(self) -> None:
        chosen = self.passphrase.passphrase()
        if not chosen:
            return
        self.pages.setCurrentIndex(1)
        ask = self.pages.widget(0)
        if ask is not None:  # the dialog shrinks to the progress page
            ask.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.adjustSize()
        self.running = True
        self.starting.emit()  # the caller closes the case now
        folder, token = self.folder, self.token
        self.passphrase.first.clear()
        self.passphrase.second.clear()
        self._bg.run(lambda: _convert(folder, chosen, token, self.progressed.emit),
                     lambda result: self._done(result, chosen), self._failed)

    @Slot(object)
    def _progress(self, event: Progress) -> None:
        if event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(event.done)
        if event.message:
            self.step.setText(event.message)

    def _done(self, result: Any, passphrase: str) -> None:
        self.running = False
        if result is None:  # cancelled before the swap: the plain case is as it was
            self.stopped.emit()
            super().reject()
            return
        self.converted.emit(result, passphrase)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.pages.setCurrentIndex(0)
        ask = self.pages.widget(0)
        if ask is not None:
            ask.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.adjustSize()
        self.error.setText(f"The case was not protected: {exc} It is exactly as it was.")
        self.error.show()
        self.stopped.emit()

    def reject(self) -> None:
        if self.running:
            self.token.cancel()
            self.cancel_button.setEnabled(False)
            self.step.setText("Stopping\u2026 the case is left as it was.")
            return  # closes when the worker has stopped
        super().reject()


class ChangePassphraseDialog(QDialog):
    """The current passphrase and a new one; only the key file changes (core
    `change_passphrase`), so a copy of the case made before still opens with the old one."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self._bg = Background(self)
        self._busy = False
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(heading(QLabel("Change your passphrase"), 1.3))
        form = QFormLayout()
        self.current = password_field("Current passphrase")
        form.addRow("Current passphrase", self.current)
        layout.addLayout(form)
        self.new = NewPassphrase()
        layout.addWidget(self.new)
        # One column of labels, so the three fields start at the same place; and the new
        # passphrase is called that, beside the current one.
        inner = self.new.layout()
        assert isinstance(inner, QFormLayout)
        form.setHorizontalSpacing(inner.horizontalSpacing())
        labels = [form.labelForField(self.current), inner.labelForField(self.new.first),
                  inner.labelForField(self.new.second)]
        if isinstance(labels[1], QLabel):
            labels[1].setText("New passphrase")
        width = max(label.sizeHint().width() for label in labels if label is not None)
        for label in labels:
            if label is not None:
                label.setMinimumWidth(width)
        note = QLabel("Your recovery key stays the same. A copy of the case folder made "
                      "before (a backup) still opens with the old passphrase.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.cancel_button)
        self.ok_button = QPushButton("Change passphrase")
        self.ok_button.setObjectName("primary")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._change)
        row.addWidget(self.ok_button)
        layout.addLayout(row)
        self.current.textChanged.connect(lambda _t: self._update())
        self.new.changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.current.text()) and bool(self.new.passphrase()))

    def _change(self) -> None:
        from evidence_app.core.cases import change_passphrase

        old, new, folder = self.current.text(), self.new.passphrase(), self.folder
        if not (old and new):
            return
        self.ok_button.setEnabled(False)
        self.cancel_button.setEnabled(False)  # a second: its answer is awaited, not guessed
        self._busy = True
        self.message.setObjectName("muted")
        self.message.setText("Checking\u2026")
        self.message.show()
        self._bg.run(lambda: change_passphrase(folder, old, new), lambda _r: self.accept(),
                     self._failed)

    def _failed(self, exc: BaseException) -> None:
        from evidence_app.core.errors import WrongPassphrase

        self._busy = False
        self.cancel_button.setEnabled(True)
        self.message.setObjectName("error")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        if isinstance(exc, WrongPassphrase):
            self.message.setText("That is not the current passphrase. Nothing has been "
                                 "changed.")
            self.current.selectAll()
            self.current.setFocus()
        else:
            self.message.setText(f"The passphrase was not changed: {exc}")
        self._update()

    def reject(self) -> None:
        if not self._busy:  # Esc while it is being changed waits for the answer
            super().reject()

    def done(self, result: int) -> None:
        self._bg.wait()
        super().done(result)
