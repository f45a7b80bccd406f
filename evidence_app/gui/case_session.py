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

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox

from evidence_app.core.errors import CaseError
from evidence_app.core.store.changes import Changes
from evidence_app.core.store.folder import has_key_file, is_case_folder
from evidence_app.gui.messages import confirm, show_error, show_info
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.tasks import Background, CaseOps
from evidence_app.gui.text import plural

if TYPE_CHECKING:
    from evidence_app.core.cases import Case

log = logging.getLogger(__name__)
DEMO_PASSPHRASE = "sample passphrase"  # the protected sample case's, shown in its status bar


# The database layer (SQLAlchemy, Alembic) is imported on the worker that opens a case, so
# the window appears without waiting for it.
def _open_case(folder: Path) -> tuple[Case, Any]:
    from evidence_app.core.cases import open_case

    case = open_case(folder)
    return case, case.settings()


def _open_protected(folder: Path, passphrase: str | None, recovery_key: str | None,
                    new_passphrase: str | None) -> tuple[Case, Any]:
    """Open a case protected by a passphrase: with it, or with the recovery key, which
    first sets `new_passphrase` (nothing changes on disk when either does not fit)."""
    from evidence_app.core.cases import open_case, reset_passphrase

    if recovery_key is not None and new_passphrase is not None:
        reset_passphrase(folder, recovery_key, new_passphrase)
        passphrase = new_passphrase
    case = open_case(folder, passphrase=passphrase)
    return case, case.settings()


def _create_case(folder: Path, owner: str, initials: str, name: str,
                 passphrase: str | None = None) -> tuple[Case, Any]:
    from evidence_app.core.cases import create_case

    case = create_case(folder, owner_name=owner, initials=initials, case_name=name,
                       passphrase=passphrase)
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


def is_protected(folder: Path) -> bool:
    """Whether a case folder is protected by a passphrase (a cheap file check, made on the
    GUI thread before a case opens: it loads neither the database layer nor cryptography)."""
    return has_key_file(folder)


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
        self.locked_folder: Path | None = None  # a protected case closed by the lock
        self._bg = Background(self)
        self._busy = False
        self._count = 0
        self.damaged_check: Any = None  # Check my evidence for a case that would not open

    @property
    def case_folder(self) -> Path | None:
        return self.case.folder if self.case is not None else None

    @property
    def opening(self) -> bool:
        """A case is being opened or created on the worker."""
        return self._busy

    @property
    def encrypted(self) -> bool:
        """The open case is protected by a passphrase."""
        return self.case is not None and self.case.encrypted

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
            protected = (f" Its passphrase is \u201c{DEMO_PASSPHRASE}\u201d."
                         if self.encrypted else "")
            return ("A sample case in a temporary folder: it is deleted when you close it."
                    + protected)
        from evidence_app.gui.widgets.welcome import pretty_path

        protected = "  ·  protected by a passphrase" if self.encrypted else ""
        return f"{pretty_path(self.case.folder)}  ·  {plural(self._count, 'incident')}{protected}"

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
        if is_case_folder(folder) and is_protected(folder):
            self.window.show_welcome()
            self.window.protection.ask_passphrase(folder)
            return
        self._start(f"Opening “{folder.name}”…", lambda: _open_case(folder),
                    lambda opened: self._attach(opened, remember=True),
                    lambda exc: self._failed(exc, "The case could not be opened", folder))

    def create(self, folder: Path, owner: str, initials: str, name: str,
               passphrase: str | None = None, listed: bool = False) -> None:
        """Create a new case folder and open it; with `passphrase`, protected by it (then
        `listed` says whether it may appear under recent cases)."""
        self.close()
        self._start("Creating your case…",
                    lambda: _create_case(folder, owner, initials, name, passphrase),
                    lambda opened: self._attach(opened, remember=True, listed=listed),
                    lambda exc: self._failed(exc, "The case could not be created", None))

    def attempt_unlock(self, folder: Path) -> Callable[[str | None, str | None, str | None],
                                                       tuple[Case, Any]]:
        """What the unlock dialog runs on its worker for `folder`."""
        return lambda passphrase, recovery, new: _open_protected(folder, passphrase, recovery,
                                                                 new)

    def open_converted(self, folder: Path, passphrase: str, recovery_key: str,
                       listed: bool) -> None:
        """Open a case just protected with `passphrase`; its recovery key is shown once
        (by the window, as for a new protected case)."""
        if not listed:  # it was a plain case, perhaps listed: no longer, unless wanted
            self.settings.remove_recent(folder)
            if self.settings.last_case == folder:
                self.settings.last_case = None
            self.settings.sync()

        def opened(value: tuple[Case, Any]) -> None:
            value[0].recovery_key = recovery_key
            self._attach(value, remember=True, listed=listed)

        self._start("Opening your protected case…",
                    lambda: _open_protected(folder, passphrase, None, None), opened,
                    lambda exc: self._failed(exc, "The case could not be opened", folder))

    def attach_unlocked(self, opened: tuple[Case, Any]) -> None:
        """A protected case the unlock dialog opened: it becomes the open case."""
        self.locked_folder = None
        self._attach(opened, remember=True)

    def open_demo(self, encrypt: bool = False) -> None:
        """Open a sample case in a temporary folder, removed when it is closed; with
        `encrypt`, protected by `DEMO_PASSPHRASE` (to try locking and unlocking)."""
        self.close()
        tmp = Path(tempfile.mkdtemp(prefix="evidence-sample-"))

        def make() -> tuple[Case, Any]:
            if not demo_available():
                raise DemoUnavailable
            from evidence_app.demo.case import create_demo_case

            protect: dict[str, Any] = {"passphrase": DEMO_PASSPHRASE} if encrypt else {}
            case = create_demo_case(tmp / "Sample case", **protect)
            case.recovery_key = None  # a made-up case: nothing to write down
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

    def _attach(self, opened: tuple[Case, Any], remember: bool, listed: bool = False) -> None:
        case, self.info = opened
        self.case = case
        self.ops = CaseOps(case, self)
        if case.encrypted and not (listed or self.settings.remember_protected
                                   or case.folder in self.settings.recent_cases()):
            # A protected case is named on this computer only where the person allowed it:
            # not in the recent cases, nor in the file chooser's memory of folders.
            remember = False
            from evidence_app.gui.file_dialog_memory import forget_folder

            if forget_folder(case.folder):
                log.info("took a protected case's folder out of the file chooser's memory")
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
            box = show_error(self.window, why.title, why.text, why.advice, why.details)
            if why.damaged:
                check = box.addButton("Check what can still be read…",
                                      QMessageBox.ButtonRole.AcceptRole)
                check.clicked.connect(lambda: self._check_damaged(folder))
            if why.forget and isinstance(exc, CaseError):
                self.settings.remove_recent(folder)
                self.window.welcome.set_recent(self.settings.recent_cases())
        self.failed.emit(exc)

    def _check_damaged(self, folder: Path) -> None:
        """Check my evidence for a case whose database will not open: on a repaired copy."""
        from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog

        dialog = CheckEvidenceDialog(None, self.window, damaged=folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.damaged_check = dialog
        dialog.show()
        dialog.start()

    # -- closing -------------------------------------------------------------------------
    def lock_case(self) -> int:
        """Close a protected case for the lock: running work (an import, OCR, a report) is
        asked to stop and waited for (every file an import finished is kept), pending
        edits are saved, then the case closes and its keys go. `locked_folder` says which
        case the unlock dialog reopens. Returns how many running tasks were stopped."""
        if self.case is None or self.ops is None:
            return 0
        self.locked_folder = self.case.folder
        asked = self.ops.cancel_tasks()
        if asked:
            log.info("locking: stopping %d running task(s) first", asked)
        self.close(show_welcome=False, locking=True)
        return asked

    def close(self, show_welcome: bool = True, locking: bool = False) -> None:
        """Save pending edits, finish queued work, release the case (a sample case's
        temporary folder goes too, unless it is only `locking`)."""
        if self._busy:
            self._bg.wait()
        if self.case is None or self.ops is None:
            if self.demo_dir is not None and not locking:  # a sample case closed by a lock
                shutil.rmtree(self.demo_dir, ignore_errors=True)
                self.demo_dir = None
                self.locked_folder = None
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
            if self.demo_dir is not None and not locking:
                shutil.rmtree(self.demo_dir, ignore_errors=True)
                self.demo_dir = None
            self.closed.emit()
            if idle:
                ops.deleteLater()
            else:
                # Work that ignored its cancel is still running: keep its relay (a child of
                # ops) alive for it rather than delete an object a worker may emit on.
                log.warning("background work still running after closing the case")
        if show_welcome:
            self.window.show_welcome()
