"""File › Restore a backup: a backup file becomes a new case folder, checked before it
appears; an existing case is never touched (core/store/restore.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from evidence_app.core.progress import CancelToken
from evidence_app.gui.dialogs.task_dialog import RED, TaskDialog

INTRO = ("Choose a backup file (its name ends in .evidence-backup). It is restored as a new "
         "case in a new folder; every file is checked against the fingerprints the backup "
         "recorded before the case appears. Nothing that exists is replaced.")


class _Relay(QObject):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Any, relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn(self.relay.progress.emit)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread to show
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def _inspect(path: Path, _progress: Any) -> Any:
    from evidence_app.core.store.restore import inspect_backup

    return inspect_backup(path)


def _restore(path: Path, target: Path, cancel: CancelToken, keep: bool, progress: Any,
             keys: tuple[str | None, str | None, str | None] = (None, None, None)) -> Any:
    """The restore, on a worker; `keys` = (passphrase, recovery key, new passphrase) for
    a protected case's backup (a new passphrase comes with the recovery key: the person
    forgot the old one, so the restored case gets the new one)."""
    from evidence_app.core.cases import DERIVED, reset_passphrase
    from evidence_app.core.store.restore import RestoreResult, restore_backup

    passphrase, recovery_key, new_passphrase = keys
    result = None
    for event in restore_backup(path, target, derived=DERIVED, cancel=cancel,
                                keep_problems=keep, passphrase=passphrase,
                                recovery_key=recovery_key):
        progress(event)
        if isinstance(event.item, RestoreResult):
            result = event.item
    if result is not None and recovery_key is not None and new_passphrase:
        reset_passphrase(result.folder, recovery_key, new_passphrase)
    return result


def _check_keys(path: Path, passphrase: str | None, recovery_key: str | None,
                new_passphrase: str | None) -> tuple[str | None, str | None, str | None]:
    """What the unlock dialog runs on its worker: the backup's own key file must open."""
    from evidence_app.core.store.restore import unlock_backup

    unlock_backup(path, passphrase=passphrase, recovery_key=recovery_key)
    return passphrase, recovery_key, new_passphrase


def suggested_folder(case_name: str) -> Path:
    """Where a restored case goes unless the person chooses: beside the default case."""
    from evidence_app.paths import default_case_dir

    base = default_case_dir().parent
    name = "".join(ch for ch in case_name if ch not in '/\\:*?"<>|').strip() or "Case"
    candidate = base / f"{name} (restored)"
    n = 2
    while candidate.exists():
        candidate = base / f"{name} (restored {n})"
        n += 1
    return candidate


class RestoreDialog(TaskDialog):
    """`open_requested(folder)` when the person asks to open the restored case."""

    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Restore a backup", (620, 400), INTRO, parent)
        self.info: Any = None
        self.result: Any = None
        self.token: CancelToken | None = None
        self.unlock_dialog: Any = None
        # What opened this backup's key file, kept while this file stays chosen, so that
        # "Restore anyway" does not ask again; forgotten when another file is chosen.
        self._keys: tuple[str | None, str | None, str | None] | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._relays: list[_Relay] = []
        layout = self.body
        layout.addWidget(QLabel("Backup file:"))
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setAccessibleName("Backup file")
        self.file_button = self.add_path_row(self.file_edit, "Choose file…", self.choose_file)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)
        layout.addWidget(QLabel("Restore it as a new case in this folder:"))
        self.target_edit = QLineEdit()
        self.target_edit.setAccessibleName("New case folder")
        self.target_edit.textChanged.connect(lambda _t: self._update())
        self.target_button = self.add_path_row(self.target_edit, "Choose place…",
                                               self.choose_place)
        self.add_progress("Restore progress")
        self.anyway_button = QPushButton("Restore anyway")
        self.anyway_button.setToolTip("Restore this case with its problems: they stay listed "
                                      "by Check my evidence")
        self.anyway_button.hide()
        self.anyway_button.clicked.connect(lambda: self.start(keep_problems=True))
        self.open_button = QPushButton("Open the restored case")
        self.open_button.hide()
        self.open_button.clicked.connect(self._open)
        self.restore_button = self.add_buttons("Restore", lambda: self.start(),
                                               self.anyway_button, self.open_button)
        self.anyway_button.hide()  # the button box shows what it is given
        self.open_button.hide()

    def _run(self, fn: Any, on_done: Any, on_failed: Any, on_progress: Any = None) -> None:
        relay = _Relay(self)
        self._relays.append(relay)
        relay.done.connect(on_done)
        relay.failed.connect(on_failed)
        if on_progress is not None:
            relay.progress.connect(on_progress)
        self.pool.start(_Job(fn, relay))

    # -- choosing --------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Choose a backup file", str(Path.home()),
            "Evidence backups (*.evidence-backup);;All files (*)")
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.file_edit.setText(str(path))
        self.info = None
        self._keys = None
        self.result_label.clear()
        self.info_label.setText("Reading the backup…")
        self.info_label.setStyleSheet("")
        self._update()
        self._run(lambda progress: _inspect(path, progress), self._inspected, self._unreadable)

    def _inspected(self, info: Any) -> None:
        self.info = info
        self.info_label.setText(info.describe())
        self.info_label.setStyleSheet(RED if info.missing else "")
        if not self.target_edit.text():
            # A protected case's backup does not say its name (it is encrypted inside).
            name = "Protected case" if info.encrypted else info.manifest.case_name
            self.target_edit.setText(str(suggested_folder(name)))
        self._update()

    def _unreadable(self, exc: BaseException) -> None:
        from evidence_app.gui.messages import describe

        self.info_label.setText(describe(exc))
        self.info_label.setStyleSheet(RED)
        self._update()

    def choose_place(self) -> None:
        current = Path(self.target_edit.text()) if self.target_edit.text() else None
        start = str(current.parent) if current else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Where to put the restored case", start)
        if folder:
            name = current.name if current else "Restored case"
            self.target_edit.setText(str(Path(folder) / name))

    def _update(self) -> None:
        running = self.token is not None
        self.restore_button.setEnabled(not running and self.info is not None
                                       and not self.info.missing
                                       and bool(self.target_edit.text().strip()))

    # -- restoring -------------------------------------------------------------------------
    def start(self, keep_problems: bool = False,
              keys: tuple[str | None, str | None, str | None] | None = None) -> None:
        if self.info is None:
            return
        keys = keys or self._keys
        if self.info.encrypted and keys is None:
            self._ask_passphrase(keep_problems)
            return
        self._keys = keys
        self.anyway_button.hide()
        path = Path(self.file_edit.text())
        target = Path(self.target_edit.text().strip()).expanduser()
        token = self.token = CancelToken()
        self._update()
        for widget in (self.file_button, self.target_button, self.target_edit):
            widget.setEnabled(False)
        self.begin("Restoring…")
        given = keys or (None, None, None)
        self._run(lambda progress: _restore(path, target, token, keep_problems, progress,
                                            given),
                  self._finished,
                  self._failed, self._progress)

    def _ask_passphrase(self, keep_problems: bool) -> None:
        """The same unlock dialog as opening a protected case; it checks what is typed
        against the backup's own key file, and the restore starts once it opens it."""
        from evidence_app.core.errors import WrongPassphrase, WrongRecoveryKey
        from evidence_app.gui.dialogs.passphrase import UnlockDialog

        path = Path(self.file_edit.text())
        dialog = UnlockDialog(
            path.name, lambda p, r, n: _check_keys(path, p, r, n),
            (WrongPassphrase, WrongRecoveryKey), self)
        dialog.where.setText(
            f"The backup “{path.name}” is of a case protected by a passphrase. "
            "Type the passphrase the case had when the backup was made; the restored case "
            "keeps it.")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.start(keep_problems, dialog.opened))
        self.unlock_dialog = dialog
        dialog.open()

    def _end(self) -> None:
        self.token = None
        self.close_button.setText("Close")
        for widget in (self.file_button, self.target_button, self.target_edit):
            widget.setEnabled(True)
        self._update()

    def _finished(self, result: Any) -> None:
        self._end()
        if result is None:
            self.bar.hide()
            self.result_label.setText("The restore was cancelled; nothing was left behind.")
            return
        self.result = result
        self.show_full_bar()
        if result.problems:
            self.result_label.setText(
                f"Restored the case '{result.case_name}' to {result.folder}, with the "
                f"{len(result.problems)} problem(s) it already had: "
                + "; ".join(result.problems[:3]) + ". Tools \u203a Check my evidence lists "
                "them with what to do.")
            self.result_label.setStyleSheet(RED)
        else:
            self.result_label.setText(
                f"\u2714 Restored the case '{result.case_name}' to {result.folder}. Every "
                f"file matched its fingerprint, and the check found all "
                f"{result.originals_checked} exhibit(s) and the audit trail intact."
                + (" It is still protected: it opens with its passphrase or recovery key."
                   if result.encrypted else ""))
        self.restore_button.setEnabled(False)
        self.open_button.show()
        self.open_button.setDefault(True)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        self.show_failure(exc)
        from evidence_app.core.store.restore import RestoreCheckFailed

        self.anyway_button.setVisible(isinstance(exc, RestoreCheckFailed))

    def _open(self) -> None:
        if self.result is not None:
            self.open_requested.emit(self.result.folder)
            self.accept()

    def running(self) -> bool:
        return self.token is not None

    def cancel_running(self) -> None:
        if self.token is not None:
            self.token.cancel()

    def closing(self) -> None:
        self.pool.waitForDone(30000)
        self._keys = None
