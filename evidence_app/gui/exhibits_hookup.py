"""Puts exhibits into the main window: the gallery in the incident editor, the Inbox,
Import (Ctrl+I), pasting pictures (Ctrl+V) and dropping files anywhere on the window.

Where files go, decided so it is never a surprise (and always said on screen):
- onto the incident editor (its gallery or anywhere on its form): that incident;
- onto the Inbox, the timeline or anywhere else: the Inbox, to sort later;
- the Import button: the Inbox (the editor's "Add files..." adds to the incident);
- Ctrl+V: the incident being edited, or the Inbox when the Inbox is shown or no
  incident is open. Text fields keep Ctrl+V for text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QFileDialog, QStackedWidget, QWidget

from evidence_app.core.attachments import clear_viewer_copies, move_attachments
from evidence_app.core.views import IncidentSummary
from evidence_app.gui.drops import ExhibitDropTarget, FileDropTarget
from evidence_app.gui.importing import ImportRun, pick_files_to_import, start_folder
from evidence_app.gui.models.timeline import IncidentRole
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.gallery import AttachmentGallery, incident_destination
from evidence_app.gui.widgets.inbox import InboxView

if TYPE_CHECKING:
    from evidence_app.gui.main_window import MainWindow

INBOX_DROP = "Drop to put these files in the Inbox, to sort into incidents later"


class ExhibitsHookup(QObject):
    """Owned by the window; builds the per-case pieces each time a case opens."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ops: CaseOps | None = None
        self.gallery: AttachmentGallery | None = None
        self.inbox: InboxView | None = None
        self.right: QStackedWidget | None = None
        self._targets: list[FileDropTarget] = []

        # The window draws these from the start (disabled); here they get their behaviour.
        self.act_import = window.act_import
        self.act_import_folder = window.act_import_folder
        self.act_inbox = window.act_inbox
        self.act_paste = window.act_paste
        self.import_button = window.import_button
        self.inbox_button = window.inbox_button
        self.act_import.triggered.connect(lambda _c=False: self.choose_files())
        self.act_import_folder.triggered.connect(lambda _c=False: self.choose_folder())
        self.act_inbox.toggled.connect(self.show_inbox)
        self.act_paste.triggered.connect(lambda _c=False: self.paste())

        window.case_opened.connect(self._opened)
        window.case_closed.connect(self._closed)
        window.session.closing.connect(self._stop_imports)

    # -- per case ------------------------------------------------------------------------
    def _opened(self, ops: CaseOps) -> None:
        view = self.window.view
        assert view is not None
        self.ops = ops
        loader = ThumbnailLoader(ops, view)
        editor = view.editor
        self.gallery = AttachmentGallery(ops, loader=loader, embedded=True)
        editor.set_exhibits_widget(self.gallery)
        self.inbox = InboxView(ops, loader=loader)
        # One key, one meaning: the window routes Ctrl+V, so the pieces' own go.
        self.gallery.removeAction(self.gallery.paste_action)
        self.inbox.removeAction(self.inbox.paste_action)
        self.right = QStackedWidget()
        self.right.setObjectName("rightPane")
        view.replaceWidget(view.indexOf(editor), self.right)
        self.right.addWidget(editor)
        self.right.addWidget(self.inbox)
        editor.fix_tab_order()  # moving the editor re-made its focus chain
        self.right.setMinimumWidth(editor.minimumWidth())
        view.setStretchFactor(1, 1)

        for piece in (self.gallery, self.inbox):
            piece.message.connect(self._status)
        self.inbox.incident_created.connect(self._open_incident)
        self.inbox.count_changed.connect(self._count)
        view.timeline.incident_selected.connect(lambda _id: self.show_inbox(False))
        view.timeline.clicked.connect(lambda _index: self.show_inbox(False))

        self._targets = [FileDropTarget(self.window, self._drop_to_inbox, lambda: INBOX_DROP,
                                        overlay_on=self.window.pages),
                         FileDropTarget(editor, self._drop_to_editor, self._drop_text_for_editor)]
        self._guard_fields()
        # Fields added to the form later (its layout then asks to be redone) get the
        # guard too.
        editor.form.installEventFilter(self)
        editor.loaded.connect(lambda _d: self._guard_fields())
        ExhibitDropTarget(view.timeline, self._incident_at, self._move_to_incident, self._status)
        for action in (self.act_import, self.act_import_folder, self.act_inbox, self.act_paste):
            action.setEnabled(True)

    def _guard_fields(self) -> None:
        """Text fields would take a dropped file as its path typed in: files dropped on
        any field of the editor go to the incident instead."""
        view = self.window.view
        if view is None or self.gallery is None:
            return
        editor = view.editor
        for widget in editor.findChildren(QWidget):
            if (widget.acceptDrops() and not widget.property("fileDropGuard")
                    and widget is not self.gallery and not self.gallery.isAncestorOf(widget)):
                widget.setProperty("fileDropGuard", True)
                self._targets.append(FileDropTarget(widget, self._drop_to_editor,
                                                    self._drop_text_for_editor,
                                                    overlay_on=editor))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self._guard_fields()
        return False

    def _incident_at(self, pos: QPoint) -> tuple[int, str] | None:
        view = self.window.view
        if view is None:
            return None
        row = view.timeline.indexAt(pos).data(IncidentRole)
        return (row.id, row.title) if isinstance(row, IncidentSummary) else None

    def _move_to_incident(self, ids: list[int], incident_id: int, title: str) -> None:
        """Tiles dropped on an incident in the timeline move there (audited)."""
        if self.ops is None:
            return
        n = len(ids)
        title = title or "the incident"
        done = f"Moved {n} exhibit{'s' if n != 1 else ''} to \u201c{title}\u201d."
        self.ops.op(move_attachments, ids, incident_id,
                    on_done=lambda _r: self._status(done))

    def _stop_imports(self) -> None:
        """Closing the case stops imports at once (files already added stay, complete),
        rather than keeping the window waiting for the rest."""
        for run in self.window.findChildren(ImportRun):
            if run.running:
                run.cancel()

    def _closed(self) -> None:
        if self.ops is not None:
            # Links made for the system viewer go with the case session (see core.store.cache).
            clear_viewer_copies(self.ops.case)
        for target in self._targets:
            if target.widget is self.window:
                self.window.removeEventFilter(target)
                target.overlay.deleteLater()
                target.deleteLater()
        self._targets = []
        self.ops = self.gallery = self.inbox = self.right = None
        self.act_inbox.setChecked(False)
        self.act_inbox.setText("Inbox")
        for action in (self.act_import, self.act_import_folder, self.act_inbox, self.act_paste):
            action.setEnabled(False)

    # -- showing -------------------------------------------------------------------------
    def show_inbox(self, show: bool = True) -> None:
        if self.right is None or self.inbox is None:
            return
        if show and self.window.view is not None:
            self.window.view.editor.flush()
        self.right.setCurrentWidget(self.inbox if show else self.window.view.editor)  # type: ignore[union-attr]
        if self.act_inbox.isChecked() != show:
            self.act_inbox.setChecked(show)

    def _open_incident(self, incident_id: int) -> None:
        """A new incident made from files: open it with the title ready to be written."""
        self.show_inbox(False)
        open_to_write(self.window, incident_id)

    def _count(self, n: int) -> None:
        self.act_inbox.setText(f"Inbox ({n:,})" if n else "Inbox")

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # -- adding --------------------------------------------------------------------------
    def _editor_incident(self) -> int | None:
        view = self.window.view
        if view is None or self.inbox_shown:
            return None
        return view.editor.incident_id

    @property
    def inbox_shown(self) -> bool:
        return self.right is not None and self.right.currentWidget() is self.inbox

    def _drop_text_for_editor(self) -> str:
        if self._editor_incident() is None or self.gallery is None:
            return INBOX_DROP
        return f"Drop to add these files to {incident_destination(self.gallery.title)}"

    def _drop_to_editor(self, paths: list[Path]) -> None:
        if self._editor_incident() is not None and self.gallery is not None:
            self.gallery.import_paths(paths)
        else:
            self._drop_to_inbox(paths)

    def _drop_to_inbox(self, paths: list[Path], offer_to: tuple[int, str] | None = None,
                       ) -> None:
        if self.inbox is not None:
            self.inbox.import_paths(paths, offer_to)
            self.show_inbox(True)

    def _incident_in_editor(self) -> tuple[int, str] | None:
        """The incident open in the editor (id, "the incident “...”"), if any."""
        incident_id = self._editor_incident()
        if incident_id is None or self.gallery is None:
            return None
        return incident_id, incident_destination(self.gallery.title)

    def choose_files(self) -> None:
        if self.inbox is None:
            return
        # Read before the chooser: showing the Inbox afterwards hides the editor.
        open_incident = self._incident_in_editor()
        paths = pick_files_to_import(self.window, "Import into the Inbox")
        if paths:
            self._drop_to_inbox(paths, open_incident)

    def choose_folder(self) -> None:
        if self.inbox is None:
            return
        open_incident = self._incident_in_editor()
        folder = QFileDialog.getExistingDirectory(self.window, "Import a whole folder into "
                                                  "the Inbox", str(start_folder()))
        if folder:
            self._drop_to_inbox([Path(folder)], open_incident)

    def paste(self) -> None:
        if self.inbox is None or self.gallery is None:
            return
        if self._editor_incident() is not None:
            self.gallery.paste()
        else:
            self.inbox.paste()
            self.show_inbox(True)


def install(window: MainWindow) -> ExhibitsHookup:
    """Give `window` its exhibits, Inbox, Import, paste and drop handling."""
    hookup = ExhibitsHookup(window)
    window.exhibits = hookup  # type: ignore[attr-defined]
    return hookup


def open_to_write(window: MainWindow, incident_id: int) -> None:
    """Show a new incident in the editor with its title ready to be written (one made
    from files or from messages)."""
    view = window.view
    if view is None:
        return
    editor = view.editor

    def focus_once(detail: object) -> None:
        editor.loaded.disconnect(focus_once)
        if detail is not None and editor.incident_id == incident_id:
            editor.focus_title()

    editor.loaded.connect(focus_once)
    window.show_incident(incident_id)
