"""Starting the desktop app: the QApplication, logging, error dialogs and the first window.

This is the composition root: everything the window needs is made here and passed in.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from evidence_app import APP_ID, APP_NAME, __version__
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from evidence_app.gui.icons import app_icon
from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.messages import ExceptionHook
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.theme import Theme
from evidence_app.logs import setup_logging

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names, icon, high-DPI behaviour and the light/dark theme."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QCoreApplication.setApplicationName(APP_ID)
        QCoreApplication.setOrganizationName(APP_ID)
        QCoreApplication.setApplicationVersion(__version__)
        QGuiApplication.setApplicationDisplayName(APP_NAME)
        QGuiApplication.setDesktopFileName(APP_ID)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(app_icon())
    theme = Theme(app)
    app.setProperty("theme", theme)  # kept alive with the app
    return app


def build_window(settings: AppSettings | None = None) -> MainWindow:
    """The main window with its settings and the theme hooked up."""
    window = MainWindow(settings or AppSettings())
    install_exhibits(window)
    app = QApplication.instance()
    theme = app.property("theme") if app is not None else None
    if isinstance(theme, Theme):
        theme.changed.connect(window.refresh_icons)
    return window


def start(window: MainWindow, case: Path | None, demo: bool) -> None:
    """What to show first: the demo, a named case, the last case, or the welcome screen."""
    if demo:
        window.session.open_demo()
    elif case is not None:
        window.session.open(case)
    elif window.settings.last_case is not None:
        window.session.open(window.settings.last_case, quiet_if_missing=True)


def launch(case: Path | None, demo: bool) -> tuple[QApplication, MainWindow]:
    """Everything up to the event loop: the app, the shown window, the first case queued."""
    app = make_application()
    window = build_window()
    window.show()
    # After the window is on screen, so the person sees something at once.
    QTimer.singleShot(0, lambda: start(window, case, demo))
    return app, window


def run(case: Path | None, demo: bool) -> int:
    """Open the desktop app; returns the process exit status."""
    logfile = setup_logging()
    log.info("starting %s %s (log: %s)", APP_NAME, __version__, logfile)
    app, window = launch(case, demo)
    hook = ExceptionHook(lambda: QApplication.activeWindow() or window)
    hook.install()
    try:
        return app.exec()
    finally:
        window.session.close()
        hook.uninstall()
        log.info("closed")
