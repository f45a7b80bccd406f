"""The main window's doors to cases protected by a passphrase: the unlock dialog (opening
one, or ending a lock), the recovery key of a new one, File › Protect with a passphrase
and File › Change passphrase. The dialogs themselves are in gui/dialogs/ (passphrase.py,
recovery_key.py, protect.py); the case work is in core.cases, run by `CaseSession`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer

from evidence_app.gui.messages import show_info

if TYPE_CHECKING:
    from evidence_app.gui.dialogs.passphrase import UnlockDialog
    from evidence_app.gui.dialogs.protect import ProtectDialog
    from evidence_app.gui.dialogs.recovery_key import RecoveryKeyDialog
    from evidence_app.gui.main_window import MainWindow


class ProtectionActions(QObject):
    """One per main window. The dialog last shown of each kind is kept as an attribute
    (`unlock_dialog`, `recovery_dialog`, `protect_dialog`) while it is open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.unlock_dialog: UnlockDialog | None = None
        self.recovery_dialog: RecoveryKeyDialog | None = None
        self.protect_dialog: ProtectDialog | None = None
        self._unlocking = False

    # -- opening and unlocking -------------------------------------------------------------
    def ask_passphrase(self, folder: Path) -> UnlockDialog:
        """The unlock dialog for `folder` (a protected case is never opened without it);
        the case opens, and a lock ends, when it is accepted. Cancelled, nothing opens
        (and a lock stays)."""
        from evidence_app.core.errors import WrongPassphrase, WrongRecoveryKey
        from evidence_app.gui.dialogs.passphrase import UnlockDialog

        window = self.window
        dialog = UnlockDialog(folder.name, window.session.attempt_unlock(folder),
                              (WrongPassphrase, WrongRecoveryKey), window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._unlocked_with(dialog.opened))
        dialog.finished.connect(lambda _r: window.activateWindow())
        self.unlock_dialog = dialog
        dialog.open()
        return dialog

    def _unlocked_with(self, opened: Any) -> None:
        self._unlocking = True
        try:
            self.window.session.attach_unlocked(opened)
        finally:
            self._unlocking = False
        self.window.lock.unlocked()

    def case_shown(self) -> None:
        """After the window shows a newly opened case: a new protected case's recovery key,
        shown this once; and a case that finished opening while the app was locked (a
        conversion, an open) stays behind the lock (a protected one closes again)."""
        window = self.window
        case = window.session.case
        if case is not None and case.recovery_key:
            from evidence_app.gui.dialogs.recovery_key import RecoveryKeyDialog

            key, case.recovery_key = case.recovery_key, None
            dialog = RecoveryKeyDialog(key, case.folder.name, window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.recovery_dialog = dialog
            dialog.open()  # while locked it waits hidden, and outlives the case's closing
        if window.lock.locked and not self._unlocking and window.session.encrypted:
            QTimer.singleShot(0, self._close_behind_lock)

    def _close_behind_lock(self) -> None:
        window = self.window
        if window.lock.locked and window.session.encrypted:
            window.session.lock_case()
            window.lock_screen.show_state(True, True, window.settings.neutral_title)

    # -- File menu ---------------------------------------------------------------------------
    def protect_case(self) -> None:
        """Convert the open plain case (closed meanwhile, reopened protected after)."""
        from evidence_app.gui.dialogs.protect import ProtectDialog

        window, session = self.window, self.window.session
        folder = session.case_folder
        if folder is None or session.encrypted or session.is_demo:
            return
        dialog = ProtectDialog(folder, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def starting() -> None:
            session.close(show_welcome=False)
            window.show_busy("Protecting your case\u2026")

        def converted(result: Any, passphrase: str) -> None:
            show_info(window, "Your case is protected", "Your case is now protected by your "
                      "passphrase. Next, write down your recovery key.", result.message)
            session.open_converted(folder, passphrase, result.recovery_key,
                                   dialog.listed.isChecked())

        dialog.starting.connect(starting)
        dialog.converted.connect(converted)
        dialog.stopped.connect(lambda: session.open(folder))
        self.protect_dialog = dialog
        dialog.open()

    def change_passphrase(self) -> None:
        from evidence_app.gui.dialogs.protect import ChangePassphraseDialog

        window = self.window
        folder = window.session.case_folder
        if folder is None or not window.session.encrypted:
            return
        dialog = ChangePassphraseDialog(folder, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: window.statusBar().showMessage(
            "Your passphrase is changed. Your recovery key stays the same.", 8000))
        dialog.open()
