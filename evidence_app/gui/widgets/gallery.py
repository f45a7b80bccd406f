"""An incident's exhibits as thumbnails, with the ways to add more.

Files dropped here, chosen with "Add files..." or pasted (Ctrl+V) are attached to the
incident shown; the header and the drop overlay say so.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.attachments import incident_attachments
from evidence_app.core.incidents import list_incidents
from evidence_app.core.store.changes import Changes
from evidence_app.core.views import AttachmentView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.drops import FileDropTarget
from evidence_app.gui.importing import (
    ImportRun,
    pick_files_to_import,
    start_folder,
    start_import,
)
from evidence_app.gui.look import heading, muted
from evidence_app.gui.models.attachment_list import AttachmentListModel
from evidence_app.gui.paste import paste_evidence
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.exhibit_actions import ExhibitActions
from evidence_app.gui.widgets.tiles import TILE_W, make_tile_view, tile_height


def load_incident_exhibits(case: Any, incident_id: int) -> tuple[str, str, list[AttachmentView]]:
    """Worker side: (time zone, incident title, exhibits)."""
    title = ""
    found = list_incidents(case, ids=[incident_id])
    if found:
        title = found[0].title
    return case.settings().timezone, title, incident_attachments(case, incident_id)


def incident_destination(title: str) -> str:
    return f"the incident \u201c{title}\u201d" if title else "this incident"

CONFIRM_MS = 8000  # how long a confirmation stays above the pictures


class AttachmentGallery(QWidget):
    """Thumbnails of one incident's exhibits. `set_incident(None)` empties it."""

    message = Signal(str)
    loaded = Signal()

    def __init__(self, ops: CaseOps, parent: QWidget | None = None,
                 loader: ThumbnailLoader | None = None, embedded: bool = False) -> None:
        """`embedded`: inside a scrolling form (the incident editor), where the form's own
        section title names it and the tiles grow the form instead of scrolling inside it."""
        super().__init__(parent)
        self.ops = ops
        self.embedded = embedded
        self.incident_id: int | None = None
        self.title = ""
        self.timezone = "Europe/London"
        self.loader = loader or ThumbnailLoader(ops, self)
        self.model = AttachmentListModel(self.loader, "caption", self)
        self.viewer: Any = None
        self.last_import: ImportRun | None = None
        self._serial = 0

        self.heading = heading(QLabel("Exhibits"), 1.05)
        self.hint = muted(QLabel("Drop files here or paste a screenshot (Ctrl+V) to add them "
                                 "to this incident."))
        self.hint.setWordWrap(True)
        self.add_button = QToolButton()
        self.add_button.setText("Add files\u2026")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.add_button.setAccessibleName("Add files to this incident")
        self.add_button.setToolTip("Copy photos, screenshots or other files into this incident")
        menu = QMenu(self.add_button)
        menu.addAction("Files\u2026", self.choose_files)
        menu.addAction("A whole folder\u2026", self.choose_folder)
        self.add_button.setMenu(menu)
        self.add_button.clicked.connect(self.choose_files)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        if embedded:
            self.heading.hide()
            top.addWidget(self.hint, 1)
        else:
            top.addStretch(1)
        # Right-aligned even when the hint beside it is hidden (no exhibits yet).
        top.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)

        self.view = make_tile_view()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Exhibits of this incident")
        self.view.setMinimumHeight(tile_height(self.view.fontMetrics().height()) + 16)
        self.empty = muted(QLabel())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("galleryEmpty")
        self.empty.setStyleSheet("#galleryEmpty { border: 2px dashed palette(mid);"
                                 " border-radius: 10px; padding: 18px; }")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        if not embedded:
            layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)
        if embedded:
            self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.empty.setFixedHeight(110)
            self.model.modelReset.connect(self._fit_height)
            self.view.installEventFilter(self)

        self.exhibit_actions = ExhibitActions(ops, self.view, self.model, lambda: self.incident_id)
        self.exhibit_actions.message.connect(self.message)
        self.exhibit_actions.open_requested.connect(self.open_viewer)
        self.drop_view = FileDropTarget(self.view.viewport(), self.import_paths,
                                        self.drop_text, overlay_on=self.stack)
        self.drop_empty = FileDropTarget(self.empty, self.import_paths, self.drop_text,
                                         overlay_on=self.stack)
        # The main window may route Ctrl+V itself and then removes this action, so one
        # key press never means two things.
        self.paste_action = QAction("Paste", self)
        self.paste_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Paste))
        self.paste_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.paste_action.triggered.connect(self.paste)
        self.addAction(self.paste_action)
        self._reload_timer = QTimer(self, singleShot=True, interval=120)
        self._reload_timer.timeout.connect(self.reload)
        ops.changed.connect(self._changed)
        self._show_state()

    # -- what is shown ---------------------------------------------------------------
    def set_incident(self, incident_id: int | None) -> None:
        if incident_id != self.incident_id:
            self.model.set_items([])
        self.incident_id = incident_id
        self.reload()

    def reload(self) -> None:
        self._serial += 1
        serial = self._serial
        if self.incident_id is None:
            self.title = ""
            self.model.set_items([])
            self._show_state()
            self.loaded.emit()
            return
        self.ops.read(load_incident_exhibits, self.incident_id,
                      on_done=while_alive(self, lambda result: self._loaded(serial, result)))

    def _loaded(self, serial: int, result: tuple[str, str, list[AttachmentView]]) -> None:
        if serial != self._serial:
            return  # an older answer, overtaken by a newer question
        self.timezone, self.title, items = result
        selected = {a.id for a in self.exhibit_actions.selected()}
        self.model.set_items(items, self.timezone)
        for row, att in enumerate(items):
            if att.id in selected:
                self.view.selectionModel().select(
                    self.model.index(row), self.view.selectionModel().SelectionFlag.Select)
        if self.viewer is not None:
            self.viewer.refresh_items(items, self.timezone)
        self._show_state()
        self.loaded.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_height()
        return False

    def _fit_height(self) -> None:
        """Embedded: as tall as the tiles need, so only the form scrolls."""
        n = len(self.model.items)
        spacing = self.view.spacing()
        tile_w = TILE_W + 2 * spacing
        tile_h = tile_height(self.view.fontMetrics().height()) + 2 * spacing
        per_row = max(1, (self.view.viewport().width() - spacing) // tile_w)
        rows = max(1, math.ceil(n / per_row))
        height = rows * tile_h + spacing + 2 * self.view.frameWidth() + 2
        if self.view.height() != height:
            self.view.setFixedHeight(height)
        self._fit_stack()

    def _fit_stack(self) -> None:
        """Embedded: the stack is as tall as the page it shows. A stacked widget is as tall
        as its tallest page, which left a tall blank gap under the empty-state box."""
        if self.embedded:
            page = self.stack.currentWidget()
            assert page is not None  # the stack always holds its two pages
            height = page.maximumHeight()  # both pages have a fixed height once laid out
            self.stack.setFixedHeight(height if height < 10_000 else page.sizeHint().height())

    def _show_state(self) -> None:
        n = len(self.model.items)
        has = self.incident_id is not None
        self.heading.setText(f"Exhibits ({n})" if n else "Exhibits")
        self.add_button.setEnabled(has)
        self.hint.setVisible(has and n > 0)
        self.drop_view.enabled = self.drop_empty.enabled = has
        if not has:
            self.empty.setText("Choose an incident to see its photos and screenshots.")
        else:
            self.empty.setText("No exhibits yet.\n\nDrag photos or screenshots here, click "
                               "\u201cAdd files\u2026\u201d, or paste a screenshot with Ctrl+V.")
        self.stack.setCurrentWidget(self.view if n else self.empty)
        self._fit_stack()

    def _changed(self, changes: Changes) -> None:
        if (changes.attachments or changes.incidents or changes.trash) and (
                self.incident_id is not None):
            self._reload_timer.start()

    # -- adding ------------------------------------------------------------------------
    def drop_text(self) -> str:
        return f"Drop to add these files to {incident_destination(self.title)}"

    def import_paths(self, paths: list[Path]) -> None:
        if self.incident_id is None:
            return
        self.last_import = start_import(self.ops, paths, self.incident_id,
                                        incident_destination(self.title), self)

    def choose_files(self) -> None:
        if self.incident_id is None:
            return
        self.import_paths(pick_files_to_import(self, "Add files to this incident"))

    def choose_folder(self) -> None:
        if self.incident_id is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Add a whole folder to this incident",
                                                  str(start_folder()))
        if folder:
            self.import_paths([Path(folder)])

    def paste(self) -> bool:
        """Store the clipboard's picture or files in this incident."""
        if self.incident_id is None:
            return False
        ok = paste_evidence(self.ops, self.incident_id, incident_destination(self.title), self,
                            on_done=self.confirm)
        if not ok:
            self.message.emit("The clipboard holds no picture or files to paste.")
        return ok

    def confirm(self, text: str) -> None:
        """Say what happened where the person is looking (above the pictures), for a
        few seconds, as well as in the status bar."""
        self.message.emit(text)
        if not hasattr(self, "_hint_text"):
            self._hint_text = self.hint.text()
            self._hint_timer = QTimer(self, singleShot=True, interval=CONFIRM_MS)
            self._hint_timer.timeout.connect(self._restore_hint)
        self.hint.setText(f"\u2713 {text}")
        self.hint.setStyleSheet("font-weight: 600;")
        self._hint_timer.start()

    def _restore_hint(self) -> None:
        self.hint.setText(self._hint_text)
        self.hint.setStyleSheet("")

    # -- viewing -----------------------------------------------------------------------
    def open_viewer(self, row: int) -> None:
        from evidence_app.gui.widgets.viewer import ExhibitViewer

        if not 0 <= row < len(self.model.items):
            return
        if self.viewer is None:
            self.viewer = ExhibitViewer(self.ops, self.loader, self)
            self.viewer.message.connect(self.message)
        self.viewer.show_items(self.model.items, row, self.timezone)

