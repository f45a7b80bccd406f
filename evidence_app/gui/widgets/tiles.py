"""Exhibit tiles: a thumbnail (or a calm placeholder) with the exhibit mark under it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from evidence_app.gui.exhibit_text import file_type_label
from evidence_app.gui.models.attachment_list import AttachmentRole, SubtitleRole, ThumbStateRole
from evidence_app.gui.thumbs import ThumbState

TILE_W, IMAGE_H, PAD = 168, 140, 8


def tile_height(line_height: int) -> int:
    return PAD + IMAGE_H + PAD + line_height * 2 + PAD + 2


class TileDelegate(QStyledItemDelegate):
    """Paints one exhibit tile; its size follows the font so it scales with DPI settings."""

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(TILE_W, tile_height(option.fontMetrics.height()))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        att = index.data(AttachmentRole)
        if att is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = option.palette
        card = QRectF(option.rect).adjusted(3, 3, -3, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        base = pal.color(QPalette.ColorRole.Base)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        if selected:
            fill = QColor(highlight)
            fill.setAlpha(48)
            painter.setPen(QPen(highlight, 2))
            painter.setBrush(fill)
        else:
            border = pal.color(QPalette.ColorRole.Mid)
            border.setAlpha(90 if not hovered else 170)
            painter.setPen(QPen(border, 1))
            painter.setBrush(base)
        painter.drawRoundedRect(card, 8, 8)

        image_rect = QRect(option.rect.x() + PAD, option.rect.y() + PAD,
                           option.rect.width() - 2 * PAD, IMAGE_H)
        state = index.data(ThumbStateRole)
        pix = index.data(Qt.ItemDataRole.DecorationRole) if state is not ThumbState.NONE else None
        if pix is not None and not pix.isNull():
            # Thumbnails arrive pre-scaled for this screen; only draw them smaller, never
            # blow a small picture up.
            ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
            size = QSize(round(pix.width() / ratio), round(pix.height() / ratio))
            if size.width() > image_rect.width() or size.height() > image_rect.height():
                size = size.scaled(image_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(image_rect.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(target, pix)
        else:
            self._placeholder(painter, image_rect, pal, state, file_type_label(att))

        text_color = pal.color(QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(170)
        line = option.fontMetrics.height()
        text_rect = QRect(option.rect.x() + PAD, image_rect.bottom() + PAD,
                          option.rect.width() - 2 * PAD, line)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         att.exhibit_mark)
        painter.setFont(option.font)
        painter.setPen(muted)
        sub = str(index.data(SubtitleRole) or "")
        sub_rect = text_rect.translated(0, line)
        painter.drawText(sub_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         option.fontMetrics.elidedText(sub, Qt.TextElideMode.ElideRight,
                                                       sub_rect.width()))
        painter.restore()

    @staticmethod
    def _placeholder(painter: QPainter, rect: QRect, pal: QPalette, state: ThumbState | None,
                     type_label: str) -> None:
        fill = pal.color(QPalette.ColorRole.AlternateBase)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        muted = QColor(pal.color(QPalette.ColorRole.Text))
        muted.setAlpha(140)
        painter.setPen(muted)
        if state is ThumbState.NONE:
            big = QFont(painter.font())
            big.setPointSizeF(big.pointSizeF() * 1.6)
            big.setBold(True)
            painter.setFont(big)
            top = QRect(rect.x(), rect.y(), rect.width(), rect.height() // 2 + 10)
            painter.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             type_label)
            small = QFont(painter.font())
            small.setPointSizeF(big.pointSizeF() / 1.6)
            small.setBold(False)
            painter.setFont(small)
            bottom = QRect(rect.x(), rect.center().y() + 16, rect.width(), rect.height() // 3)
            painter.drawText(bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             "No preview")
        else:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Loading\u2026")


def make_tile_view(parent: object = None) -> QListView:
    """A wrapping grid of tiles with multi-selection, ready for a model."""
    view = QListView(parent)  # type: ignore[arg-type]
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setMovement(QListView.Movement.Static)
    view.setUniformItemSizes(True)
    view.setSpacing(4)
    view.setWordWrap(True)
    view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
    view.setMouseTracking(True)
    view.setItemDelegate(TileDelegate(view))
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.setDragEnabled(True)  # onto an incident in the timeline; never within the grid
    view.setDragDropMode(QListView.DragDropMode.DragOnly)
    view.setDefaultDropAction(Qt.DropAction.MoveAction)
    return view
