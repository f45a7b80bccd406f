"""Starting the desktop app: the QApplication, logging, error dialogs and the first window.

This is the composition root: everything the window needs is made here and passed in.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication

from evidence_app import APP_ID, APP_NAME, DESKTOP_ID, __version__
from evidence_app.gui.icons import app_icon
from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.messages import ExceptionHook
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.tasks import Background
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
        QGuiApplication.setDesktopFileName(DESKTOP_ID)  # resources/DESKTOP_ID.desktop
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(app_icon())
    theme = Theme(app)
    app.setProperty("theme", theme)  # kept alive with the app
    return app


def import_features() -> tuple[ModuleType, ...]:
    """Import the parts that plug into the window (search, exhibits). They pull in the
    database layer, so `launch` calls this on a worker while the window is already on
    screen; `add_features` then finds them loaded."""
    from evidence_app.gui import conversations_hookup, exhibits_hookup, search_ui

    return search_ui, exhibits_hookup, conversations_hookup


def bare_window(settings: AppSettings | None = None, opening: bool = False) -> MainWindow:
    """The main window with its settings and the theme, before the features plug in."""
    window = MainWindow(settings or AppSettings(), opening=opening)
    from evidence_app.gui.safety_hookup import install as install_safety

    install_safety(window)  # backup, restore, check: in the menus from the start
    app = QApplication.instance()
    theme = app.property("theme") if app is not None else None
    if isinstance(theme, Theme):
        theme.changed.connect(window.refresh_icons)
    return window


def add_features(window: MainWindow) -> None:
    """Plug search and exhibits (gallery, inbox, import, paste, drop) into the window."""
    from evidence_app.gui.conversations_hookup import install as install_conversations
    from evidence_app.gui.exhibits_hookup import install as install_exhibits
    from evidence_app.gui.search_ui import attach_search

    attach_search(window)
    install_exhibits(window)
    install_conversations(window)  # after the exhibits: it shares their pages
    if window.session.ops is not None:  # a case opened first: give the features it too
        window.case_opened.emit(window.session.ops)


def build_window(settings: AppSettings | None = None) -> MainWindow:
    """The complete main window (features included)."""
    window = bare_window(settings)
    add_features(window)
    return window


def start(window: MainWindow, case: Path | None, demo: bool, encrypt: bool = False) -> None:
    """What to show first: the demo (protected by a passphrase with `encrypt`), a named
    case, the last case (a protected one asks for its passphrase first), or the welcome
    screen."""
    if demo:
        window.session.open_demo(encrypt=encrypt)
    elif case is not None:
        window.session.open(case)
    elif window.settings.last_case is not None:
        window.session.open(window.settings.last_case, quiet_if_missing=True)


class WhenShown(QObject):
    """Runs `then` once the window is first on screen and painted: when its expose event
    has been handled. Or after `limit_ms` if it never is (started minimised, say), so what
    waits for it still happens."""

    def __init__(self, window: MainWindow, then: Callable[[], None], limit_ms: int = 1000) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        handle = window.windowHandle()
        if handle is None or handle.isExposed():
            QTimer.singleShot(0, self._run)
        else:
            handle.installEventFilter(self)
        QTimer.singleShot(limit_ms, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Expose and isinstance(watched, QWindow)
                and watched.isExposed()):
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # after the window has handled it: painted
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def launch(case: Path | None, demo: bool,
           encrypt: bool = False) -> tuple[QApplication, MainWindow]:
    """Everything up to the event loop. The window is shown at once; once it is on screen,
    the first case opens on a worker; then search and exhibits are imported on a worker
    and plug in (they see the open case as if it had just opened). Nothing loads beside
    the window's first paint to slow it (the workers' imports hold Python's lock)."""
    app = make_application()
    settings = AppSettings()
    opening = demo or case is not None or settings.last_case is not None
    window = bare_window(settings, opening)
    window.show()
    loader = Background(window)
    window.setProperty("feature_loader", loader)  # `shutdown` waits for it
    done: list[bool] = []

    def load_features(*_args: object) -> None:
        if done:
            return
        done.append(True)
        loader.run(import_features, lambda _modules: add_features(window), failed)

    def failed(exc: BaseException) -> None:
        log.error("a feature could not be loaded: %r", exc)
        add_features(window)  # imports again here, and so reports the error properly

    def after_first_rows(_ops: object) -> None:
        # The timeline's first page is read on a worker: load the features once it is in.
        if window.view is not None:
            window.view.model.total_changed.connect(
                lambda _n: QTimer.singleShot(0, load_features))
        else:
            load_features()

    if opening:
        window.session.opened.connect(after_first_rows)
        window.session.failed.connect(load_features)

    def begin() -> None:
        start(window, case, demo, encrypt)
        if not window.session.opening:  # nothing to open after all (e.g. the case is gone)
            load_features()

    # The window comes first: a zero timer alone can run before it is exposed.
    WhenShown(window, begin)
    return app, window


def shutdown(window: MainWindow) -> None:
    """Close the case (saving what is pending) and let background loading finish."""
    window.session.close()
    loader = window.property("feature_loader")
    if isinstance(loader, Background):
        loader.wait()


def quit_once_shown(app: QApplication, window: MainWindow, expect_case: bool,
                    limit_s: float = 300.0) -> None:
    """Quit once the window is on screen with its case open and every feature plugged in,
    saying so on stdout ("shown: ..."); exit status 1 if the case fails to open, 3 if that
    takes over `limit_s`, 4 if the report window's parts or the user guide are missing. What a built bundle's smoke test and start-up benchmark use
    (`evidence-app --exit-when-shown`), as they have no Python to drive the window with."""
    import time

    started = time.monotonic()

    def failed(exc: object) -> None:
        print(f"failed: {exc!r}", file=sys.stderr, flush=True)
        app.exit(1)

    def poll() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            return
        view = window.view
        if expect_case and window.session.case is None:
            # Not open yet (or its opening failed: `failed` says so, and a message box
            # may be up meanwhile).
            if time.monotonic() - started > limit_s:
                print("failed: the case did not open in time", file=sys.stderr, flush=True)
                app.exit(3)
            return
        if window.session.opening or (view is not None and not (
                view.model.ready and view.model.rowCount() > 0
                and window.act_import.isEnabled())):
            if time.monotonic() - started > limit_s:
                print("failed: the case did not open in time", file=sys.stderr, flush=True)
                app.exit(3)
            return
        rows = view.model.rowCount() if view is not None else 0
        print(f"shown: {window.windowTitle()}; {rows} incidents in the timeline", flush=True)
        timer.stop()
        # Then the report window's parts (the report itself, Qt's PDF view and printing)
        # load too, so a bundle that lacks them fails here rather than in front of the
        # person (after "shown", which start-up benchmarks time).
        try:
            from evidence_app.gui.dialogs import report_dialog, report_printing  # noqa: F401
        except ImportError as exc:
            print(f"failed: the report window cannot load ({exc})", file=sys.stderr, flush=True)
            app.exit(4)
            return
        # And Help › User guide has its text to show.
        from evidence_app.gui.dialogs.user_guide import guide_file

        if guide_file() is None:
            print("failed: the user guide is missing", file=sys.stderr, flush=True)
            app.exit(4)
            return
        app.quit()

    window.session.failed.connect(failed)
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()


def run(case: Path | None, demo: bool, exit_when_shown: bool = False,
        encrypt: bool = False) -> int:
    """Open the desktop app; returns the process exit status."""
    logfile = setup_logging()
    log.info("starting %s %s (log: %s)", APP_NAME, __version__, logfile)
    app, window = launch(case, demo, encrypt)
    if exit_when_shown:
        quit_once_shown(app, window, expect_case=demo or case is not None)
    hook = ExceptionHook(lambda: QApplication.activeWindow() or window)
    hook.install()
    try:
        return app.exec()
    finally:
        shutdown(window)
        hook.uninstall()
        log.info("closed")
