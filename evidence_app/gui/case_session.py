"""Which case is open: opening, creating, the temporary demo case, and closing.

Opening and creating run on a worker (migrations, lock, sweep) so the window stays
responsive; the outcome is shown on the GUI thread. Only folder locations are remembered
in the app settings, never anything from inside a case.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from evidence_app.core.errors import CaseError
from evidence_app.core.store.changes import Changes
from evidence_app.core.store.folder import is_case_folder
from evidence_app.gui.messages import confirm, show_error, show_info
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.tasks import Background, CaseOps
from evidence_app.gui.text import plural

if TYPE_CHECKING:
    from evidence_app.core.cases import Case

log = logging.getLogger(__name__)


# The database layer (SQLAlchemy, Alembic) is imported on the worker that opens a case, so
# the window appears without waiting for it.
def _open_case(folder: Path) -> tuple[Case, Any]:
    from evidence_app.core.cases import open_case

    case = open_case(folder)
    return case, case.settings()


def _create_case(folder: Path, owner: str, initials: str, name: str) -> tuple[Case, Any]:
    from evidence_app.core.cases import create_case

    case = create_case(folder, owner_name=owner, initials=initials, case_name=name)
    return case, case.settings()


def _case_settings(case: Case) -> Any:
    return case.settings()


def _unreferenced(case: Case) -> list[Any]:
    from evidence_app.core.importers.recovered import unreferenced_originals

    return unreferenced_originals(case)


def _add_unreferenced(case: Case, shas: list[str], cancel: Any = None) -> Any:
    from evidence_app.core.importers.recovered import add_unreferenced

    return add_unreferenced(case, shas, cancel=cancel)


def _size_words(size: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return plural(size, "byte")


def _count(case: Case) -> int:
    from evidence_app.core.incidents import count_incidents

    return count_incidents(case)


class DemoUnavailable(Exception):
    """This build has no sample-case generator."""


def demo_available() -> bool:
    """True when this build has the sample-case generator (a packager may leave it out).

    It imports the generator, which pulls in Pillow and the database layer: call it on a
    worker, as `open_demo` does.
    """
    try:
        import evidence_app.demo.case  # noqa: F401 - imported only to see that it can be
    except ImportError as exc:
        if (exc.name or "").startswith("evidence_app.demo"):
            return False
        raise  # the generator is there but something it needs is not: the error says what
    return True


class CaseSession(QObject):
    """Owns the open `Case` and its `CaseOps`; the window shows what it reports."""

    opened = Signal(object)  # CaseOps
    closing = Signal()  # about to close: save pending edits now
    closed = Signal()
    status_changed = Signal()
    failed = Signal(object)  # exception

    def __init__(self, window: Any, settings: AppSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.case: Case | None = None
        self.info: Any = None  # the case's settings row, detached (names, initials, zone)
        self.ops: CaseOps | None = None
        self.demo_dir: Path | None = None
        self._bg = Background(self)
        self._busy = False
        self._count = 0

    @property
    def case_folder(self) -> Path | None:
        return self.case.folder if self.case is not None else None

    @property
    def opening(self) -> bool:
        """A case is being opened or created on the worker."""
        return self._busy

    @property
    def is_demo(self) -> bool:
        return self.demo_dir is not None

    def title(self) -> str:
        if self.case is None:
            return ""
        name = self.info.case_name
        return f"{name} (sample)" if self.is_demo else name

    def status_text(self) -> str:
        if self.case is None:
            return ""
        if self.is_demo:
            return "A sample case in a temporary folder: it is deleted when you close it."
        from evidence_app.gui.widgets.welcome import pretty_path

        return f"{pretty_path(self.case.folder)}  ·  {plural(self._count, 'incident')}"

    # -- opening -------------------------------------------------------------------------
    def open(self, folder: Path, quiet_if_missing: bool = False) -> None:
        """Open a case folder (after closing the current one)."""
        folder = Path(folder).expanduser()
        if self.case is not None and self.case.folder == folder.resolve():
            return
        if quiet_if_missing and not is_case_folder(folder):
            log.info("the last case folder is gone; showing the welcome screen")
            self.window.show_welcome()
            return
        self.close()
        self._start(f"Opening “{folder.name}”…", lambda: _open_case(folder),
                    lambda opened: self._attach(opened, remember=True),
                    lambda exc: self._failed(exc, "The case could not be opened", folder))

    def create(self, folder: Path, owner: str, initials: str, name: str) -> None:
        """Create a new case folder and open it."""
        self.close()
        self._start("Creating your case…", lambda: _create_case(folder, owner, initials, name),
                    lambda opened: self._attach(opened, remember=True),
                    lambda exc: self._failed(exc, "The case could not be created", None))

    def open_demo(self) -> None:
        """Open a sample case in a temporary folder, removed when it is closed."""
        self.close()
        tmp = Path(tempfile.mkdtemp(prefix="evidence-sample-"))

        def make() -> tuple[Case, Any]:
            if not demo_available():
                raise DemoUnavailable
            from evidence_app.demo.case import create_demo_case

            case = create_demo_case(tmp / "Sample case")
            return case, case.settings()

        def failed(exc: BaseException) -> None:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, DemoUnavailable):
                self._demo_unavailable(exc)
            else:
                self._failed(exc, "The sample case could not be made", None)

        self.demo_dir = tmp
        self._start("Making a sample case…", make,
                    lambda opened: self._attach(opened, remember=False), failed)

    def _start(self, text: str, fn: Callable[[], tuple[Case, Any]],
               done: Callable[[tuple[Case, Any]], None],
               failed: Callable[[BaseException], None]) -> None:
        self._busy = True
        self.window.show_busy(text)

        def finish(cb: Callable[[Any], None]) -> Callable[[Any], None]:
            def run(value: Any) -> None:
                self._busy = False
                cb(value)
            return run

        self._bg.run(fn, finish(done), finish(failed))

    def _attach(self, opened: tuple[Case, Any], remember: bool) -> None:
        case, self.info = opened
        self.case = case
        self.ops = CaseOps(case, self)
        if remember and self.settings.remember_cases:
            self.settings.last_case = case.folder
            self.settings.add_recent(case.folder)
            self.settings.sync()
        self.ops.changed.connect(self._changed)
        self.opened.emit(self.ops)
        self.ops.read(_count, on_done=self._counted)
        if not self.is_demo:
            self.ops.read(_unreferenced, on_done=self._offer_unreferenced)

    def _offer_unreferenced(self, found: list[Any]) -> None:
        """Files stored in the case that no exhibit refers to (the app was stopped during
        an import): offered back, never deleted."""
        if not found or self.ops is None:
            return
        ops = self.ops
        n = len(found)
        it, they_are = ("it", "it is") if n == 1 else ("them", "they are")
        self.recovered_box = confirm(
            self.window, "Files that were never added",
            f"{plural(n, 'file').capitalize()} ({_size_words(sum(u.size for u in found))}) "
            f"{'was' if n == 1 else 'were'} saved into this case but never added to it, "
            "probably because the app was closed during an import.",
            "Add to the Inbox", lambda: self._add_unreferenced(ops, [u.sha256 for u in found]),
            informative=f"Nothing has been deleted. Adding {it} puts {it} in the Inbox as new "
            f"exhibits, where you can look at {it} and move {it} to an incident or to the "
            f"trash. If you choose Cancel, {they_are} kept and you will be asked again the "
            "next time you open the case.")

    def _add_unreferenced(self, ops: CaseOps, shas: list[str]) -> None:
        if ops is not self.ops:
            return  # another case was opened meanwhile
        handle = ops.task(_add_unreferenced, shas, announce_every=0.5)
        handle.failed.connect(
            lambda exc: show_error(self.window, "The files could not be added", exc))

    def _changed(self, changes: Changes) -> None:
        if changes.settings and self.ops is not None:
            self.ops.read(_case_settings, on_done=self._settings_read)
        if (changes.incidents or changes.trash) and self.ops is not None:
            self.ops.read(_count, on_done=self._counted)

    def _settings_read(self, info: Any) -> None:
        self.info = info
        self.status_changed.emit()

    @property
    def timezone(self) -> str:
        return self.info.timezone if self.info is not None else "Europe/London"

    def _counted(self, n: int) -> None:
        self._count = n
        self.status_changed.emit()

    def _demo_unavailable(self, exc: DemoUnavailable) -> None:
        self.demo_dir = None
        self.window.show_welcome()
        show_info(self.window, "Sample case not available",
                  "The sample case is not available in this version of the app.",
                  "You can still start your own case: everything else works.")
        self.failed.emit(exc)

    def _failed(self, exc: BaseException, title: str, folder: Path | None) -> None:
        self.demo_dir = None
        self.window.show_welcome()
        if folder is None:
            show_error(self.window, title, exc)
        else:
            from evidence_app.gui.open_errors import explain_open_failure

            why = explain_open_failure(exc, folder)
            show_error(self.window, why.title, why.text, why.advice, why.details)
            if why.forget and isinstance(exc, CaseError):
                self.settings.remove_recent(folder)
                self.window.welcome.set_recent(self.settings.recent_cases())
        self.failed.emit(exc)

    # -- closing -------------------------------------------------------------------------
    def close(self) -> None:
        """Save pending edits, finish queued work, release the case."""
        if self._busy:
            self._bg.wait()
        if self.case is None or self.ops is None:
            return
        ops, case = self.ops, self.case
        self.closing.emit()
        # Let queued saves finish and their results reach the widgets, then refuse more.
        ops.wait_idle()
        QCoreApplication.processEvents()
        ops.shutdown()
        idle = ops.wait_idle()
        QCoreApplication.processEvents()
        self.ops, self.case, self.info = None, None, None
        try:
            case.close()
        finally:
            if self.demo_dir is not None:
                shutil.rmtree(self.demo_dir, ignore_errors=True)
                self.demo_dir = None
            self.closed.emit()
            if idle:
                ops.deleteLater()
            else:
                # Work that ignored its cancel is still running: keep its relay (a child of
                # ops) alive for it rather than delete an object a worker may emit on.
                log.warning("background work still running after closing the case")
        self.window.show_welcome()
