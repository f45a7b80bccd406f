"""File › Back up now: choose a folder (a USB stick), see the space needed, back up.

The backup runs in the background while the case stays open; the file only appears in
the folder once it is whole (core/store/backup.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from evidence_app.gui.dialogs.task_dialog import RED, TaskDialog
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.tasks import CaseOps, TaskHandle

INTRO = ("A backup is one file holding everything in this case: your records, every "
         "exhibit exactly as it is stored, and the fingerprints that prove nothing has "
         "changed. Keep it on a USB stick or another drive, somewhere safe from anyone who "
         "should not see it. You can keep using the app while it is made.")
PROTECTED = ("Your case is protected by a passphrase, and so is its backup: it opens only "
             "with your passphrase (the one you have now) or your recovery key.")
FULL_TIP = ("Later backups to the same folder normally copy only what is new, and need the "
            "earlier backup files there to be restored. Tick this to make one file that "
            "stands alone.")


def _plan(case: Any, folder: Path, full: bool) -> Any:
    from evidence_app.core.store.backup import plan_backup

    return plan_backup(case, folder, full=full)


def _backup(case: Any, folder: Path, *, full: bool, plan: Any, cancel: Any) -> Any:
    from evidence_app.core.store.backup import backup_case

    return backup_case(case, folder, full=full, plan=plan, cancel=cancel)


class BackupDialog(TaskDialog):
    """`backed_up(result)` after a backup file is written."""

    backed_up = Signal(object)

    def __init__(self, ops: CaseOps, settings: AppSettings, folder: Path | None = None,
                 parent: QWidget | None = None, *, protected: bool = False) -> None:
        super().__init__("Back up now", (600, 420),
                         INTRO + (" " + PROTECTED if protected else ""), parent)
        self.ops = ops
        self.settings = settings
        self.plan: Any = None
        self.result: Any = None
        self.handle: TaskHandle | None = None
        layout = self.body
        layout.addWidget(QLabel("Put the backup in this folder:"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setPlaceholderText("Choose a folder, for example on a USB stick")
        self.folder_edit.setAccessibleName("Backup folder")
        self.choose_button = self.add_path_row(self.folder_edit, "Choose folder…",
                                               self.choose_folder)
        self.full_box = QCheckBox("Copy everything, even what earlier backups in that folder "
                                  "already hold")
        self.full_box.setToolTip(FULL_TIP)
        self.full_box.toggled.connect(lambda _on: self._replan())
        layout.addWidget(self.full_box)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        layout.addWidget(self.plan_label)
        self.add_progress("Backup progress")
        remind = QHBoxLayout()
        remind.addWidget(QLabel("Remind me when no backup has been made for"))
        self.remind_days = QSpinBox()
        self.remind_days.setRange(0, 365)
        self.remind_days.setSpecialValueText("never")
        self.remind_days.setSuffix(" days")
        self.remind_days.setValue(settings.backup_reminder_days)
        self.remind_days.setAccessibleName("Backup reminder, in days")
        self.remind_days.valueChanged.connect(self._set_reminder)
        remind.addWidget(self.remind_days)
        remind.addStretch(1)
        layout.addLayout(remind)
        self.backup_button = self.add_buttons("Back up", self.start)
        # As tall as what it says, no band of empty space: it grows when the space
        # needed or the result is shown (_fit_height).
        self.resize(self.width(), 0)
        self._lines()
        if folder is not None and folder.is_dir():
            self.set_folder(folder)

    def _lines(self) -> None:
        """Only the lines that say something take room; then fit the height to them."""
        for label in (self.plan_label, self.result_label):
            label.setVisible(bool(label.text()))
        self._fit_height()

    def begin(self, text: str) -> None:
        super().begin(text)
        self._lines()

    def _progress(self, event: Any) -> None:
        super()._progress(event)
        self._lines()

    def show_failure(self, exc: BaseException) -> None:
        super().show_failure(exc)
        self._lines()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a line appeared or grew
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """Tall enough for every line at the current width (word-wrapped text counts
        lines by width, which Qt does not do for a window by itself)."""
        self.body.activate()
        wanted = self.heightForWidth(self.width())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    # -- choosing --------------------------------------------------------------------------
    def choose_folder(self) -> None:
        start = self.folder_edit.text() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Where to put the backup", start)
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> None:
        self.folder_edit.setText(str(folder))
        self.result_label.clear()
        self._replan()
        self._lines()

    def _replan(self) -> None:
        text = self.folder_edit.text()
        self.plan = None
        self.backup_button.setEnabled(False)
        if not text:
            return
        self.plan_label.setText("Working out the space needed…")
        self.plan_label.setStyleSheet("")
        self._lines()
        folder, full = Path(text), self.full_box.isChecked()
        self.ops.read(_plan, folder, full, on_done=self._planned, on_error=self._plan_failed,
                      latest=(self, "plan"))

    def _planned(self, plan: Any) -> None:
        if self.handle is not None and self.handle.running:
            return
        self.plan = plan
        if plan.fits:
            self.plan_label.setText(plan.describe())
            self.plan_label.setStyleSheet("")
        else:
            self.plan_label.setText(plan.describe() + " There is not enough space there: "
                                    "free some space or choose another drive.")
            self.plan_label.setStyleSheet(RED)
        self.backup_button.setEnabled(plan.fits)
        self._lines()

    def _plan_failed(self, exc: BaseException) -> None:
        from evidence_app.gui.messages import describe

        self.plan_label.setText(describe(exc))
        self.plan_label.setStyleSheet(RED)
        self._lines()

    def _set_reminder(self, days: int) -> None:
        self.settings.backup_reminder_days = days
        self.settings.sync()

    # -- backing up ------------------------------------------------------------------------
    def start(self) -> None:
        if self.plan is None:
            return
        self.backup_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.full_box.setEnabled(False)
        self.begin("Backing up…")
        handle = self.handle = self.ops.task(_backup, self.plan.target.parent,
                                             full=self.full_box.isChecked(), plan=self.plan)
        handle.progress.connect(self._progress)
        handle.finished.connect(self._finished)
        handle.failed.connect(self._failed)

    def _done(self) -> None:
        self.close_button.setText("Close")
        self.choose_button.setEnabled(True)
        self.full_box.setEnabled(True)

    def _finished(self, items: list[Any]) -> None:
        from evidence_app.core.store.backup import BackupResult, human_size

        self._done()
        results = [i for i in items if isinstance(i, BackupResult)]
        if not results:
            self.bar.hide()
            self.result_label.setText("The backup was cancelled; nothing was left in the "
                                      "folder.")
            self._replan()
            self._lines()
            return
        result = self.result = results[-1]
        self.show_full_bar()
        text = (f"\u2714 Backup saved: {result.path.name} ({human_size(result.size)}) in "
                f"{result.path.parent}.")
        if result.needs:
            text += (f" It holds what is new since the earlier backup(s) there; keep "
                     f"{'it' if len(result.needs) == 1 else 'them'} with this one, because "
                     "restoring needs them too.")
        text += " Keep the drive somewhere safe."
        self.result_label.setText(text)
        self._lines()
        self.backed_up.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self.show_failure(exc)
        self._replan()

    def running(self) -> bool:
        return self.handle is not None and self.handle.running

    def cancel_running(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
