"""A list model of attachments (exhibits) for the gallery and the inbox."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from evidence_app.core.views import AttachmentView
from evidence_app.gui.exhibit_text import capture_text, file_type_label
from evidence_app.gui.thumbs import ThumbnailLoader

EXHIBITS_MIME = "application/x-evidence-exhibit-ids"
AttachmentRole = Qt.ItemDataRole.UserRole + 1
ThumbStateRole = Qt.ItemDataRole.UserRole + 2
SubtitleRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


class AttachmentListModel(QAbstractListModel):
    """Rows are `AttachmentView`s; thumbnails arrive through a `ThumbnailLoader`.

    `subtitle` chooses the line under the exhibit mark: "caption" (gallery) or "time"
    (inbox, where the capture time is what the person sorts by).
    """

    def __init__(self, loader: ThumbnailLoader, subtitle: str = "caption",
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.subtitle = subtitle
        self.timezone = "Europe/London"
        self.items: list[AttachmentView] = []
        self._rows: dict[str, list[int]] = {}
        loader.ready.connect(self._thumb_ready)

    def set_items(self, items: list[AttachmentView], timezone: str | None = None) -> None:
        self.beginResetModel()
        self.items = list(items)
        if timezone:
            self.timezone = timezone
        self._rows = {}
        for row, att in enumerate(self.items):
            self._rows.setdefault(att.sha256, []).append(row)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.items)

    def attachment(self, row: int) -> AttachmentView:
        return self.items[row]

    def row_of(self, attachment_id: int) -> int:
        for row, att in enumerate(self.items):
            if att.id == attachment_id:
                return row
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        att = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return att.exhibit_mark
        if role == AttachmentRole:
            return att
        if role == Qt.ItemDataRole.DecorationRole:
            return self.loader.pixmap(att)
        if role == ThumbStateRole:
            return self.loader.state(att)
        if role == SubtitleRole:
            if self.subtitle == "time":
                return capture_text(att, self.timezone, short=True)
            return att.caption or att.original_name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{att.exhibit_mark}</b> &mdash; {_html(att.original_name)}",
                     _html(capture_text(att, self.timezone))]
            if att.caption:
                lines.append(_html(att.caption))
            if not att.preview:
                lines.append(f"{file_type_label(att)} file, no preview: {_html(att.preview_error)}")
            return "<br>".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Exhibit {att.exhibit_mark}, {att.caption or att.original_name}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    # Tiles can be dragged onto an incident in the timeline (see exhibits_hookup).
    def mimeTypes(self) -> list[str]:
        return [EXHIBITS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = sorted({self.items[i.row()].id for i in indexes if i.isValid()})
        mime.setData(EXHIBITS_MIME, QByteArray(json.dumps(ids).encode()))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def _thumb_ready(self, sha256: str) -> None:
        for row in self._rows.get(sha256, ()):
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole, ThumbStateRole])


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def exhibit_ids(mime: QMimeData | None) -> list[int]:
    """Attachment ids carried by a drag of tiles (empty for anything else)."""
    if mime is None or not mime.hasFormat(EXHIBITS_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(EXHIBITS_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []
