"""What a person can do with selected exhibits, shared by the gallery and the inbox:
open, open the original in the system viewer, caption, move, and move to the trash."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QCheckBox, QListView, QMenu, QMessageBox, QWidget

from evidence_app.core.attachments import (
    delete_attachments,
    move_attachments,
    set_caption,
    viewer_copy,
)
from evidence_app.core.views import AttachmentView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.dialogs.caption_dialog import CaptionDialog
from evidence_app.gui.dialogs.incident_picker import IncidentPickerDialog
from evidence_app.gui.models.attachment_list import AttachmentListModel
from evidence_app.gui.tasks import CaseOps


def _marks(atts: list[AttachmentView]) -> str:
    marks = [a.exhibit_mark for a in atts]
    return marks[0] if len(marks) == 1 else f"{len(marks)} exhibits"


READABLE_COPY = ("To show it, the other program needs a readable copy of this file. Until "
                 "you close or lock the case, that copy is outside the protection of your "
                 "passphrase (in a private temporary folder the app removes then), and the "
                 "other program may remember the file in its list of recent files.")


def copy_allowed(ops: CaseOps, parent: QWidget) -> bool:
    """On a protected case, say first that the system viewer gets a readable copy (removed
    when the case is closed or locked); True when the person goes ahead."""
    if not ops.case.encrypted or ops.property("readableCopiesAllowed"):
        return True
    box = QMessageBox(QMessageBox.Icon.Question, "Open a readable copy?",
                      "This opens the exhibit in another program.", parent=parent)
    box.setInformativeText(READABLE_COPY)
    go = box.addButton("Open a readable copy", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    again = QCheckBox("Do not ask again until the case is closed")
    box.setCheckBox(again)
    box.exec()
    if box.clickedButton() is not go:
        return False
    if again.isChecked():
        ops.setProperty("readableCopiesAllowed", True)
    return True


def open_original(ops: CaseOps, attachment_id: int, parent: QWidget) -> None:
    """Show the original in the system's viewer (a read-only link named like the file;
    on a protected case, a readable copy, said first, removed when the case closes)."""
    if not copy_allowed(ops, parent):
        return

    def opened(path: object) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.information(parent, "Cannot open the original",
                                    "No program on this computer opens this kind of file.")

    def failed(exc: BaseException) -> None:
        QMessageBox.warning(parent, "Cannot open the original", str(exc))

    ops.read(viewer_copy, attachment_id, on_done=while_alive(parent, opened),
             on_error=while_alive(parent, failed))


class ExhibitActions(QObject):
    """Context menu, keyboard actions and their operations for one tile view.

    `incident_id()` says which incident the view shows (None for the inbox).
    """

    message = Signal(str)
    open_requested = Signal(int)  # row

    def __init__(self, ops: CaseOps, view: QListView, model: AttachmentListModel,
                 incident_id: Callable[[], int | None]) -> None:
        super().__init__(view)
        self.ops = ops
        self.view = view
        self.model = model
        self.incident_id = incident_id
        self.open_action = self._action("Open", self._open, QKeySequence(Qt.Key.Key_Return))
        self.original_action = self._action("Open original in system viewer", self._original)
        self.caption_action = self._action("Edit caption\u2026", self._caption,
                                           QKeySequence(Qt.Key.Key_F2))
        self.move_action = self._action("Move to another incident\u2026", self._move)
        self.inbox_action = self._action("Move back to the Inbox", self._to_inbox)
        self.trash_action = self._action("Move to trash", self._trash,
                                         QKeySequence(QKeySequence.StandardKey.Delete))
        view.customContextMenuRequested.connect(self._menu)
        view.doubleClicked.connect(lambda index: self.open_requested.emit(index.row()))
        view.selectionModel().selectionChanged.connect(self._update)
        model.modelReset.connect(self._update)
        self._update()

    def _action(self, text: str, slot: Callable[[], None],
                key: QKeySequence | None = None) -> QAction:
        action = QAction(text, self.view)
        if key is not None:
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    def selected(self) -> list[AttachmentView]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [self.model.attachment(r) for r in rows]

    def _update(self, *_args: object) -> None:
        chosen = self.selected()
        single = len(chosen) == 1
        for action in (self.open_action, self.original_action, self.caption_action):
            action.setEnabled(single)
        in_incident = self.incident_id() is not None
        self.move_action.setText("Move to another incident\u2026" if in_incident
                                 else "Add to incident\u2026")
        self.inbox_action.setVisible(in_incident)
        for action in (self.move_action, self.inbox_action, self.trash_action):
            action.setEnabled(bool(chosen))

    def _menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        if not self.selected():
            return
        self._update()
        menu = QMenu(self.view)
        menu.addActions([self.open_action, self.original_action, self.caption_action])
        menu.addSeparator()
        menu.addActions([self.move_action, self.inbox_action])
        menu.addSeparator()
        menu.addAction(self.trash_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # -- operations ----------------------------------------------------------------
    def _open(self) -> None:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        if rows:
            self.open_requested.emit(rows[0])

    def _original(self) -> None:
        chosen = self.selected()
        if chosen:
            open_original(self.ops, chosen[0].id, self.view)

    def _caption(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        att = chosen[0]
        dialog = CaptionDialog(att, self.view.window())
        dialog.accepted.connect(lambda: self.save_caption(att, dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def save_caption(self, att: AttachmentView, text: str) -> None:
        self.ops.op(set_caption, att.id, text,
                    on_done=while_alive(self, lambda _r: self.message.emit(
                        f"Caption of {att.exhibit_mark} saved.")))

    def _move(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        current = self.incident_id()
        prompt = (f"Move {_marks(chosen)} to which incident?" if current is not None
                  else f"Add {_marks(chosen)} to which incident?")
        dialog = IncidentPickerDialog(self.ops, "Choose an incident", prompt, exclude=current,
                                      parent=self.view.window())
        dialog.accepted.connect(lambda: self.move_to(chosen, dialog.chosen_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.picker = dialog

    def move_to(self, chosen: list[AttachmentView], incident_id: int | None) -> None:
        where = "the Inbox" if incident_id is None else "the chosen incident"
        self.ops.op(move_attachments, [a.id for a in chosen], incident_id,
                    on_done=while_alive(self, lambda _r: self.message.emit(
                        f"Moved {_marks(chosen)} to {where}.")))

    def _to_inbox(self) -> None:
        chosen = self.selected()
        if chosen:
            self.move_to(chosen, None)

    def _trash(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        self.ops.op(delete_attachments, [a.id for a in chosen],
                    on_done=while_alive(self, lambda _r: self.message.emit(
                        f"Moved {_marks(chosen)} to the trash. You can restore it from the Trash.")))
