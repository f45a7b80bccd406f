"""Helpers for GUI tests: drag-and-drop from a file manager, waiting for imports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def file_mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop_files(target: QWidget, paths: list[Path], at: QPoint | None = None) -> bool:
    """Drag files over `target` and drop them, as a file manager would; True if accepted."""
    mime = file_mime(paths)
    pos = at or target.rect().center()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def blob_and_row_hashes(case) -> tuple[set[str], set[str]]:
    """Hashes of stored originals, and hashes the attachment rows refer to."""
    from evidence_app.core.attachments import list_inbox
    from evidence_app.core.incidents import get_incident, list_incidents

    rows = {a.sha256 for a in list_inbox(case)}
    for inc in list_incidents(case):
        rows |= {a.sha256 for a in get_incident(case, inc.id).attachments}
    return set(case.originals.all_hashes()), rows
