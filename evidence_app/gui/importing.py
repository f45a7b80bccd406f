"""Importing files from the GUI: off the GUI thread, with delayed progress and a summary.

`start_import(ops, paths, incident_id, destination, parent)` is the one entry point used
by the Import action, drops on the window, the gallery and the inbox. The work runs as
a `CaseOps.task` (`import_everything`: message exports, recognised by what they hold,
through core.importers.messages, every other file through core.importers.files); the
progress dialog appears only when the import lasts longer than about half a second. A
WhatsApp chat whose dates read more than one way is asked about, then imported again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from evidence_app.core.errors import ValidationError
from evidence_app.core.importers.files import ImportResult, import_files
from evidence_app.core.importers.messages import (
    DATE_ORDERS,
    IMPORTER_LABELS,
    AmbiguousDateOrder,
    ConversationImport,
    import_messages,
    plan_imports,
)
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.gui.dialogs.import_dialog import ImportProgressDialog, ImportSummaryDialog
from evidence_app.gui.message_offer import MessageOffer
from evidence_app.gui.tasks import CaseOps, TaskHandle

log = logging.getLogger(__name__)
SHOW_AFTER_MS = 500
REFRESH_EVERY_S = 1.5  # let the inbox or gallery show files as they arrive
FILE_FILTER = ("Pictures and screenshots (*.png *.jpg *.jpeg *.heic *.heif *.webp *.gif *.tif "
               "*.tiff *.bmp);;Chats, texts and mail (*.txt *.zip *.xml *.json *.eml *.mbox);;"
               "All files (*)")


@dataclass
class ExportOutcome:
    """What became of one message export: the conversations it added to, or why it was
    not imported (`date_orders`: the orders its dates fit, to ask the person)."""

    path: str
    importer: str
    conversations: list[ConversationImport] = field(default_factory=list)
    problem: str = ""
    date_orders: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return IMPORTER_LABELS.get(self.importer, "message export")


def import_everything(case: Any, paths: list[Path], incident_id: int | None,
                      date_orders: dict[str, str] | None = None,
                      cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Worker side: message exports (chosen by content, never by name) through the
    message importers, every other file and folder through the file importer. Yields
    Progress; items are `ImportResult`s and, for each export, an `ExportOutcome`."""
    cancel = cancel or CancelToken()
    # The parts of one Instagram/Facebook download chosen together are one export.
    exports, files = plan_imports(paths)
    if files:
        yield from import_files(case, files, incident_id, cancel=cancel)
    for job in exports:
        if cancel.cancelled:
            break
        path, kind = job.paths[0], job.importer
        outcome = ExportOutcome(str(path), kind)
        try:
            for event in import_messages(case, list(job.paths), importer=kind, cancel=cancel,
                                         date_order=(date_orders or {}).get(str(path))):
                if isinstance(event.item, ConversationImport):
                    outcome.conversations.append(event.item)
                    event = Progress(event.done, event.total, event.message)
                yield event
        except AmbiguousDateOrder as exc:
            outcome.problem, outcome.date_orders = str(exc), exc.choices
        except (ValidationError, OSError) as exc:
            outcome.problem = str(exc)
        yield Progress(1, 1, path.name, outcome)


class ImportRun(QObject):
    """One import in progress. `finished(results, cancelled)` comes at the end."""

    finished = Signal(list, bool)

    def __init__(self, ops: CaseOps, paths: list[Path], incident_id: int | None,
                 destination: str, parent: QWidget, show_after_ms: int = SHOW_AFTER_MS,
                 summary: bool = True, date_orders: dict[str, str] | None = None,
                 offer_to: tuple[int, str] | None = None) -> None:
        super().__init__(parent)
        # The incident open while files are imported into the Inbox (the Import action):
        # its day's messages are offered as after a drop on it; the pictures stay in the
        # Inbox, where the Import action always puts them.
        self.offer_to = offer_to
        self.date_orders = date_orders or {}
        self.exports: list[ExportOutcome] = []
        self.offer: MessageOffer | None = None  # the question about the messages, after a drop on an incident
        self.ops = ops
        self.paths = [Path(p) for p in paths]
        self.incident_id = incident_id
        self.destination = destination
        self.window = parent.window()
        self.summary_wanted = summary
        self.dialog: ImportProgressDialog | None = None
        self.summary: ImportSummaryDialog | None = None
        self.handle: TaskHandle | None = None
        self.results: list[ImportResult] = []
        self.cancelled = False
        self._latest: Progress | None = None
        self._show_timer = QTimer(self, singleShot=True, interval=show_after_ms)
        self._show_timer.timeout.connect(self._show_progress)
        self._tick = QTimer(self, interval=60)
        self._tick.timeout.connect(self._update)

    def start(self) -> ImportRun:
        self.handle = self.ops.task(import_everything, self.paths, self.incident_id,
                                    self.date_orders, announce_every=REFRESH_EVERY_S)
        self.handle.progress.connect(self._progress)
        self.handle.finished.connect(self._finished)
        self.handle.failed.connect(self._failed)
        self._show_timer.start()
        self._tick.start()
        return self

    @property
    def running(self) -> bool:
        return self.handle is not None and self.handle.running

    def cancel(self) -> None:
        if self.handle is not None:
            self.cancelled = True
            self.handle.cancel()

    # -- progress -----------------------------------------------------------------
    def _progress(self, event: Progress) -> None:
        # Only remember it: the dialog repaints on a timer, so a burst of tiny files
        # never floods the GUI thread with label updates.
        self._latest = event

    def _show_progress(self) -> None:
        if not self.running:
            return
        self.dialog = ImportProgressDialog(self.destination, self.window)
        self.dialog.cancel_requested.connect(self.cancel)
        self._update()
        self.dialog.show()

    def _update(self) -> None:
        event = self._latest
        if self.dialog is not None and event is not None:
            self.dialog.show_progress(event.done, event.total, event.message)

    # -- the end -------------------------------------------------------------------
    def _stop_ui(self) -> None:
        self._show_timer.stop()
        self._tick.stop()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _finished(self, items: list[object]) -> None:
        self._stop_ui()
        self.results = [i for i in items if isinstance(i, ImportResult)]
        self.exports = [i for i in items if isinstance(i, ExportOutcome)]
        self.cancelled = self.cancelled or bool(self.handle and self.handle.token.cancelled)
        log.info("import finished: %d results, %d exports, cancelled=%s", len(self.results),
                 len(self.exports), self.cancelled)
        asked = [e for e in self.exports if e.date_orders]
        if self.summary_wanted and (self.results or len(asked) < len(self.exports)
                                    or not asked):
            self.summary = ImportSummaryDialog(self.results, self.cancelled, self.destination,
                                               self.window,
                                               exports=[e for e in self.exports
                                                        if not e.date_orders])
            self.summary.setModal(False)
            self.summary.show()
        self.finished.emit(self.results, self.cancelled)
        for outcome in asked:
            self._ask_date_order(outcome)
        chats = list(dict.fromkeys(c.conversation_id for e in self.exports
                                   for c in e.conversations))
        target = ((self.incident_id, self.destination) if self.incident_id is not None
                  else self.offer_to)
        if target is not None and chats and not self.cancelled:
            # Dropped on an incident, or imported while one is open: offer its day's
            # messages (message_offer.py).
            titles = list(dict.fromkeys(c.title for e in self.exports for c in e.conversations))
            self.offer = MessageOffer(self.ops, target[0], target[1], chats,
                                      self.window, titles).start()

    def _ask_date_order(self, outcome: ExportOutcome) -> None:
        """Dates such as 03/04/2025 fit more than one order: the person says which (their
        phone's), and the chat is imported again with it. Nothing is guessed."""
        # Core's sentence ends by asking to "import again"; here the person just answers.
        found = outcome.problem.split(" Say which")[0]
        box = QMessageBox(QMessageBox.Icon.Question, "How does the phone write dates?",
                          f"{PurePath(outcome.path).name}: {found}\n\nWhich way round does "
                          "the phone write dates?", parent=self.window)
        box.setInformativeText("Look at a date in the chat on the phone, or think of a day "
                               "after the 12th. The chat is imported once you choose; "
                               "nothing is guessed.")
        buttons = {box.addButton(DATE_ORDERS[c].capitalize(),
                                 QMessageBox.ButtonRole.AcceptRole): c
                   for c in outcome.date_orders if c in DATE_ORDERS}
        box.addButton(QMessageBox.StandardButton.Cancel)

        def chosen() -> None:
            order = buttons.get(box.clickedButton())  # type: ignore[call-overload]
            if order is not None:
                start_import(self.ops, [Path(outcome.path)], self.incident_id,
                             self.destination, self.window,
                             date_orders={outcome.path: order}, offer_to=self.offer_to)

        box.finished.connect(lambda _r: chosen())
        self.question = box
        box.open()

    def _failed(self, exc: BaseException) -> None:
        self._stop_ui()
        log.error("import failed", exc_info=exc)
        box = QMessageBox(QMessageBox.Icon.Warning, "Import failed",
                          f"The files could not be imported.\n\n{exc}", parent=self.window)
        box.setInformativeText("Files added before the problem are kept; nothing was changed "
                               "in the files you chose.")
        box.open()
        self.finished.emit(self.results, True)


def start_import(ops: CaseOps, paths: list[Path], incident_id: int | None, destination: str,
                 parent: QWidget, **options: object) -> ImportRun | None:
    """Import `paths` (files and folders) into an incident, or the inbox with None."""
    if not paths:
        return None
    return ImportRun(ops, paths, incident_id, destination, parent, **options).start()  # type: ignore[arg-type]


def pick_files_to_import(parent: QWidget, title: str) -> list[Path]:
    """The files the person picks in the system's file chooser ([] if they cancel).

    The Import action, the Inbox and an incident's gallery all offer the same chooser;
    only its title says where the files will go.
    """
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder()), FILE_FILTER)
    if names:
        _last_folder[0] = Path(names[0]).parent
    return [Path(n) for n in names]


_last_folder: list[Path | None] = [None]  # where the person last picked files, this run


def start_folder() -> Path:
    """Where a file chooser opens: where files were last picked, else the Pictures
    folder, else home; never the program's own folder (the working directory)."""
    last = _last_folder[0]
    if last is not None and last.is_dir():
        return last
    for location in (QStandardPaths.StandardLocation.PicturesLocation,
                     QStandardPaths.StandardLocation.HomeLocation):
        for found in QStandardPaths.standardLocations(location):
            if Path(found).is_dir():
                return Path(found)
    return Path.home()
