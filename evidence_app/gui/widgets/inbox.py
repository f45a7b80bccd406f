"""The Inbox: imported files not yet in an incident, oldest first, ready to be sorted.

From here the person makes an incident from selected files, adds them to an existing
incident, or lets "Group by time" propose incidents to review. Files dropped or pasted
here, or imported with its Import button, land in the Inbox.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.attachments import list_inbox
from evidence_app.core.importers.inbox import (
    create_incident_from_attachments,
    create_incidents_from_groups,
)
from evidence_app.core.store.changes import Changes
from evidence_app.core.views import AttachmentView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.dialogs.group_review import GroupReviewDialog
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
from evidence_app.gui.widgets.tiles import make_tile_view

DESTINATION = "the Inbox"


def load_inbox(case: Any) -> tuple[str, list[AttachmentView]]:
    """Worker side: (time zone, files in the inbox by capture time)."""
    return case.settings().timezone, list_inbox(case)


class InboxView(QWidget):
    """`incident_created(id)` asks the window to open a new incident for writing."""

    message = Signal(str)
    incident_created = Signal(int)
    loaded = Signal()
    count_changed = Signal(int)

    def __init__(self, ops: CaseOps, parent: QWidget | None = None,
                 loader: ThumbnailLoader | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.loader = loader or ThumbnailLoader(ops, self)
        self.model = AttachmentListModel(self.loader, "time", self)
        self.timezone = "Europe/London"
        self.viewer: Any = None
        self.review: GroupReviewDialog | None = None
        self.describing: QDialog | None = None  # the describe pass, while it is open
        self.last_import: ImportRun | None = None
        self._serial = 0

        self.heading = heading(QLabel("Inbox"), 1.3)
        self.heading.setObjectName("paneTitle")  # styled like the timeline's title
        intro = muted(QLabel("Files you imported without choosing an incident wait here, "
                             "oldest first. Select some and make them into an incident, or let "
                             "the app group them by the time they were taken."))
        intro.setWordWrap(True)
        self.new_button = QPushButton("New incident from selection")
        self.new_button.setToolTip("Make one incident of the selected files, dated from the "
                                   "earliest of them")
        self.add_button = QPushButton("Add to incident\u2026")
        self.add_button.setToolTip("Put the selected files into an incident you already have")
        self.group_button = QPushButton("Group by time\u2026")
        self.group_button.setToolTip("Propose one incident per burst of files taken close "
                                     "together; you review it before anything is created")
        self.import_button = QToolButton()
        self.import_button.setText("Import files\u2026")
        self.import_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.import_button.setToolTip("Copy photos and screenshots into the Inbox")
        menu = QMenu(self.import_button)
        menu.addAction("Files\u2026", self.choose_files)
        menu.addAction("A whole folder\u2026", self.choose_folder)
        self.import_button.setMenu(menu)
        self.import_button.clicked.connect(self.choose_files)
        bar = QHBoxLayout()
        for button in (self.new_button, self.add_button, self.group_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.import_button)

        self.view = make_tile_view()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Files in the Inbox")
        self.empty = muted(QLabel("The Inbox is empty.\n\nFiles you import without choosing an "
                                  "incident wait here. Drop a folder of screenshots here, or "
                                  "use \u201cImport files\u2026\u201d."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("inboxEmpty")
        self.empty.setStyleSheet("#inboxEmpty { border: 2px dashed palette(mid);"
                                 " border-radius: 10px; padding: 18px; }")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self.exhibit_actions = ExhibitActions(ops, self.view, self.model, lambda: None)
        self.exhibit_actions.message.connect(self.message)
        self.exhibit_actions.open_requested.connect(self.open_viewer)
        self.new_button.clicked.connect(self.new_incident_from_selection)
        self.add_button.clicked.connect(self.exhibit_actions.move_action.trigger)
        self.group_button.clicked.connect(self.group_by_time)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.paste_action = QAction(self)
        self.paste_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Paste))
        self.paste_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.paste_action.triggered.connect(self.paste)
        self.addAction(self.paste_action)
        describe = lambda: "Drop to put these files in the Inbox"  # noqa: E731
        self.drop_view = FileDropTarget(self.view.viewport(), self.import_paths, describe,
                                        overlay_on=self.stack)
        self.drop_empty = FileDropTarget(self.empty, self.import_paths, describe,
                                         overlay_on=self.stack)
        self._reload_timer = QTimer(self, singleShot=True, interval=120)
        self._reload_timer.timeout.connect(self.reload)
        ops.changed.connect(self._changed)
        self._update_buttons()
        self.reload()

    # -- contents ----------------------------------------------------------------------
    def reload(self) -> None:
        self._serial += 1
        serial = self._serial
        self.ops.read(load_inbox, on_done=while_alive(self, lambda r: self._loaded(serial, r)))

    def _loaded(self, serial: int, result: tuple[str, list[AttachmentView]]) -> None:
        if serial != self._serial:
            return
        self.timezone, items = result
        selected = {a.id for a in self.exhibit_actions.selected()}
        self.model.set_items(items, self.timezone)
        for row, att in enumerate(items):
            if att.id in selected:
                self.view.selectionModel().select(
                    self.model.index(row), self.view.selectionModel().SelectionFlag.Select)
        n = len(items)
        self.heading.setText(f"Inbox ({n:,})" if n else "Inbox")
        self.stack.setCurrentWidget(self.view if n else self.empty)
        if self.viewer is not None:
            self.viewer.refresh_items(items, self.timezone)
        self._update_buttons()
        self.count_changed.emit(n)
        self.loaded.emit()

    def _changed(self, changes: Changes) -> None:
        if changes.attachments or changes.trash:
            self._reload_timer.start()

    def _update_buttons(self, *_args: object) -> None:
        chosen = len(self.exhibit_actions.selected())
        total = len(self.model.items)
        self.new_button.setEnabled(chosen > 0)
        self.add_button.setEnabled(chosen > 0)
        self.group_button.setEnabled(total > 0)
        self.new_button.setToolTip(
            "Make one incident of the selected files, dated from the earliest of them"
            if chosen else "Select one or more files first (Ctrl+A selects all)")

    # -- making incidents ----------------------------------------------------------------
    def new_incident_from_selection(self) -> None:
        chosen = self.exhibit_actions.selected()
        if not chosen:
            return
        n = len(chosen)

        def created(incident_id: int) -> None:
            self.message.emit(f"New incident made from {n} file{'s' if n != 1 else ''}. "
                              "Now describe what happened.")
            self.describe([incident_id])

        self.ops.op(create_incident_from_attachments, [a.id for a in chosen],
                    on_done=while_alive(self, created))

    def group_by_time(self) -> None:
        selected = self.exhibit_actions.selected()
        if len(selected) >= 2:
            files, scope = selected, f"Grouping the {len(selected)} files you selected."
        else:
            files = list(self.model.items)
            scope = f"Grouping all {len(files):,} files in the Inbox."
        if not files:
            return
        dialog = GroupReviewDialog(files, self.timezone, self.loader, scope, self.window())
        dialog.accepted.connect(lambda: self._create_groups(dialog.chosen()))
        dialog.finished.connect(dialog.deleteLater)
        self.review = dialog
        dialog.open()

    def _create_groups(self, groups: list[tuple[str, list[int]]]) -> None:
        if not groups:
            return
        files = sum(len(ids) for _title, ids in groups)

        def created(ids: list[int]) -> None:
            n = len(ids)
            self.message.emit(f"Made {n} incident{'s' if n != 1 else ''} from {files} files.")
            self.describe(ids)

        self.ops.op(create_incidents_from_groups, groups, on_done=while_alive(self, created))

    def describe(self, ids: list[int]) -> None:
        """A quick pass to title and type new incidents; then the first is opened. One
        new incident opens in the editor at once, its title ready to be typed over: the
        editor is that incident's describe pass, with everything else beside it."""
        from evidence_app.gui.dialogs.describe import DescribeDialog

        if len(ids) == 1:
            self.incident_created.emit(ids[0])
            return

        dialog = DescribeDialog(self.ops, ids, self.loader, self.window())
        self.describing = dialog

        def done() -> None:
            self.describing = None
            left = dialog.skipped + max(0, len(ids) - dialog.position)
            if left > 0 and len(ids) > 1:
                self.message.emit(f"{left} of the new incidents still to describe: Incident "
                                  "\u203a Show incidents to describe finds them.")
            self.incident_created.emit(ids[0])

        dialog.finished.connect(lambda _code: done())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- adding ------------------------------------------------------------------------
    def import_paths(self, paths: list[Path], offer_to: tuple[int, str] | None = None,
                     ) -> None:
        """Into the Inbox; `offer_to` (incident id, its destination words): the incident
        open meanwhile, offered the messages of its day from any chat imported."""
        self.last_import = start_import(self.ops, paths, None, DESTINATION, self,
                                        offer_to=offer_to)

    def choose_files(self) -> None:
        self.import_paths(pick_files_to_import(self, "Import files into the Inbox"))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a whole folder into the Inbox", str(start_folder()))
        if folder:
            self.import_paths([Path(folder)])

    def paste(self) -> bool:
        ok = paste_evidence(self.ops, None, DESTINATION, self, on_done=self.message.emit)
        if not ok:
            self.message.emit("The clipboard holds no picture or files to paste.")
        return ok

    def open_viewer(self, row: int) -> None:
        from evidence_app.gui.widgets.viewer import ExhibitViewer

        if not 0 <= row < len(self.model.items):
            return
        if self.viewer is None:
            self.viewer = ExhibitViewer(self.ops, self.loader, self)
            self.viewer.message.connect(self.message)
        self.viewer.show_items(self.model.items, row, self.timezone)
