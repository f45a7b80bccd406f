"""Keeping the evidence safe, in the main window: File › Back up now…, File › Restore a
backup…, Tools › Check my evidence…, the date of the last backup in the status bar with
a gentle reminder when one is due, and a calm word when a case is opened from a risky
place (a network drive, a cloud-sync folder, a USB stick)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from evidence_app.gui.messages import show_info
from evidence_app.gui.tasks import CaseOps

if TYPE_CHECKING:
    from evidence_app.gui.main_window import MainWindow


def _status(case: Any) -> Any:
    from evidence_app.core.store.backup import backup_status

    return backup_status(case)


def backup_text(last: datetime | None, created: datetime, now: datetime,
                remind_days: int) -> tuple[str, bool]:
    """The status bar's words about backups, and whether a reminder is due."""
    since = last if last is not None else created
    days = max(0, (now - since).days)
    due = remind_days > 0 and days >= remind_days
    if last is None:
        text = "No backup yet"
    else:
        local = last.astimezone()
        text = f"Last backup: {local.day} {local:%b %Y}"
        if days >= 2:
            text += f" ({days} days ago)"
    return text, due


class SafetyHookup(QObject):
    """Owned by the window; keeps its actions and the status label in step with the case."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ops: CaseOps | None = None
        self.last_folder: Path | None = None
        self._dialogs: list[QWidget] = []
        a = self._action
        self.act_backup = a("&Back up now…", self.back_up, None,
                            "Save the whole case into one backup file, on a USB stick or "
                            "another drive")
        self.act_restore = a("Res&tore a backup…", self.restore, None,
                             "Make a case again from a backup file, in a new folder")
        self.act_check = a("&Check my evidence…", self.check, None,
                           "Check that every exhibit and record is exactly as it was when "
                           "it was added")
        file_menu = window.menus["file"]
        file_menu.insertSeparator(window.act_quit)
        file_menu.insertActions(window.act_quit, [self.act_backup, self.act_restore])
        file_menu.insertSeparator(window.act_quit)
        tools = window.menus.get("tools")
        if tools is None:
            tools = QMenu("&Tools", window)
            window.menuBar().insertMenu(window.menus["help"].menuAction(), tools)
            window.menus["tools"] = tools
        tools.addAction(self.act_check)
        self.label = QLabel()
        self.label.setAccessibleName("Last backup")
        self.label.setContentsMargins(14, 0, 6, 0)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(lambda _link: self.back_up())
        window.statusBar().addPermanentWidget(self.label)
        window.case_opened.connect(self._opened)
        window.case_closed.connect(self._closed)
        self._enable(False)

    def _action(self, text: str, slot: Any, _shortcut: Any, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _enable(self, on: bool) -> None:
        self.act_backup.setEnabled(on)
        self.act_check.setEnabled(on)
        self.label.setVisible(on)

    def _opened(self, ops: CaseOps) -> None:
        self.ops = ops
        self._enable(True)
        self.refresh()
        self._warn_if_risky()
        self._say_if_read_only(ops)

    def _closed(self) -> None:
        self.ops = None
        self._enable(False)
        # Their work belongs to the case that closed: it is cancelled (a backup half
        # written leaves nothing) and the windows go with the case.
        for dialog in list(self._dialogs):
            handle = getattr(dialog, "handle", None)
            if handle is not None and handle.running:
                handle.cancel()
            dialog.hide()
            dialog.deleteLater()
        self._dialogs.clear()

    def refresh(self) -> None:
        """Read when the last backup was made and show it (with a reminder if due)."""
        if self.ops is not None:
            self.ops.read(_status, on_done=self._show_status, latest=(self, "status"))

    def _show_status(self, status: Any) -> None:
        last, folder, created = status
        self.last_folder = folder
        if self.window.session.is_demo:
            self.label.setText("")
            return
        text, due = backup_text(last, created, datetime.now(UTC),
                                self.window.settings.backup_reminder_days)
        if due:
            self.label.setText(f"{text} \u00b7 <a href='backup'>Back up now…</a>")
            self.label.setToolTip("A backup on a USB stick keeps your evidence safe if this "
                                  "computer is lost, broken or taken.")
        else:
            self.label.setText(text)
            self.label.setToolTip("")

    def _warn_if_risky(self) -> None:
        from evidence_app.core.store.places import risky_place

        folder = self.window.session.case_folder
        if folder is None or self.window.session.is_demo:
            return
        risk = risky_place(folder)
        if risk is not None:
            show_info(self.window, "Where this case is kept", risk.message(),
                      "You can carry on working; this message shows once each time the "
                      "case is opened.")

    def _say_if_read_only(self, ops: CaseOps) -> None:
        """A case whose folder cannot be written (a locked USB stick, a disc, an archive)
        opens read-only: say so at once, rather than at the first refused change."""
        if ops.case.writable:
            return
        show_info(self.window, "This case can only be read",
                  "The folder holding this case cannot be written to (a write-protected "
                  "USB stick, a disc, or a folder this account may not change), so the "
                  "case is open read-only. You can read it, search it, check it and make "
                  "reports, but nothing in it can be changed.",
                  "To carry on adding to it, copy the whole folder onto this computer (safe "
                  "here: nothing is writing to it), then open the copy with File \u203a "
                  "Open case\u2026")

    # -- commands --------------------------------------------------------------------------
    def _keep(self, dialog: QWidget) -> None:
        self._dialogs.append(dialog)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget(d))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)

    def back_up(self) -> None:
        from evidence_app.gui.dialogs.backup_dialog import BackupDialog

        if self.ops is None:
            return
        dialog = BackupDialog(self.ops, self.window.settings, self.last_folder, self.window,
                              protected=self.window.session.encrypted)
        dialog.backed_up.connect(lambda _r: self.refresh())
        self._keep(dialog)

    def check(self) -> None:
        from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog

        if self.ops is None:
            return
        dialog = CheckEvidenceDialog(self.ops, self.window)
        self._keep(dialog)
        dialog.start()

    def restore(self) -> None:
        from evidence_app.gui.dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.window)
        dialog.open_requested.connect(lambda folder: self.window.session.open(Path(folder)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.restore_dialog = dialog


def install(window: MainWindow) -> SafetyHookup:
    """Give the window its backup, restore and check commands."""
    hookup = SafetyHookup(window)
    window.setProperty("safety_hookup", hookup)
    return hookup
