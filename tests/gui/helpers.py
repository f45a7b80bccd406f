"""Helpers for driving the main window in tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.core.cases import create_case
from evidence_app.gui.main_window import MainWindow


def make_case(folder: Path, **kwargs) -> Path:
    """Create a case folder (closed again) and return it."""
    c = create_case(folder, owner_name=kwargs.pop("owner_name", "Jane Smith"),
                    initials=kwargs.pop("initials", "JS"), **kwargs)
    c.close()
    return folder


def wait_open(qtbot, window: MainWindow, timeout: int = 20000) -> None:
    """Wait until a case is shown and its timeline has its first page."""
    qtbot.waitUntil(lambda: window.view is not None and window.view.model.ready, timeout=timeout)


def message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def wait_box(qtbot, contains: str, timeout: int = 15000) -> QMessageBox:
    found: list[QMessageBox] = []

    def check() -> bool:
        found[:] = [b for b in message_boxes()
                    if contains in b.text() or contains in b.informativeText()]
        return bool(found)

    qtbot.waitUntil(check, timeout=timeout)
    return found[0]


def settle(qtbot, window: MainWindow) -> None:
    """Let queued saves and reloads finish."""
    ops = window.session.ops
    qtbot.waitUntil(lambda: ops is None or not ops.busy, timeout=20000)
    qtbot.wait(20)
    qtbot.waitUntil(lambda: ops is None or not ops.busy, timeout=20000)


def report_dialog(qtbot, case):
    """The Report dialog on `case`, shown with its first preview ready; a generator for
    a fixture to yield from (closes the dialog and waits for its work afterwards)."""
    from PySide6.QtPdf import QPdfDocument

    from evidence_app.gui.dialogs.report_dialog import ReportDialog
    from evidence_app.gui.tasks import CaseOps

    ops = CaseOps(case)
    dlg = ReportDialog(ops)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.document.status() == QPdfDocument.Status.Ready, timeout=30000)
    yield dlg
    dlg.reject()
    ops.wait_idle()
