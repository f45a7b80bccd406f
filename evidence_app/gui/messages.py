"""Readable, non-blocking message boxes and the error reporting every window shares.

Boxes are opened with `open()` (window-modal, no nested event loop), so tests and people
see the same dialog and answer it with a click.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from evidence_app.core.errors import UserError
from evidence_app.logs import log_exception, log_file

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """What to tell a person about an exception (the log keeps the technical details)."""
    if isinstance(exc, UserError):
        return str(exc)
    where = log_exception(exc)
    return ("Something went wrong inside the app. Nothing you have saved was changed by it.\n\n"
            f"The details were written to the log file:\n{where}\n\n"
            f"({type(exc).__name__}: {exc})")


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         informative: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if informative:
        box.setInformativeText(informative)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent else
                          Qt.WindowModality.ApplicationModal)
    return box


def show_error(parent: QWidget | None, title: str, exc_or_text: BaseException | str,
               informative: str = "", details: str = "") -> QMessageBox:
    """Tell the person something could not be done, in words they can act on
    (`informative`: what to do next; `details`: the exact reason, behind a button)."""
    text = exc_or_text if isinstance(exc_or_text, str) else describe(exc_or_text)
    box = _box(parent, QMessageBox.Icon.Warning, title, text, informative)
    if details:
        box.setDetailedText(details)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, text: str, informative: str = "") -> QMessageBox:
    box = _box(parent, QMessageBox.Icon.Information, title, text, informative)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str, yes_text: str,
            on_yes: Callable[[], None], informative: str = "",
            destructive: bool = False) -> QMessageBox:
    """Ask before doing something; `on_yes` runs only if the person agrees."""
    box = _box(parent, QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
               title, text, informative)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no if destructive else yes)
    box.setEscapeButton(no)

    def finished(_result: int) -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(finished)
    box.open()
    return box


class ExceptionHook:
    """Replaces sys.excepthook: logs the traceback and shows one readable dialog at a time."""

    def __init__(self, parent: Callable[[], QWidget | None]) -> None:
        self._parent = parent
        self._box: QMessageBox | None = None
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def __call__(self, kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        exc = exc.with_traceback(tb) if tb is not None else exc
        text = describe(exc)
        if not isinstance(exc, UserError):
            log.error("unhandled exception shown to the user")
        if self._box is not None and self._box.isVisible():
            return  # one dialog is enough; the log has every occurrence
        try:
            self._box = show_error(self._parent(), "Something went wrong", text)
            self._box.destroyed.connect(self._forget)
        except Exception:  # noqa: BLE001 - never raise from the hook itself
            sys.stderr.write(f"error: {text}\n(log: {log_file()})\n")

    def _forget(self) -> None:
        self._box = None
