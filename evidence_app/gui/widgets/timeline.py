"""The timeline list: month headers and one calm card per incident."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from evidence_app.core.views import IncidentSummary
from evidence_app.gui.models.timeline import HeaderRole, IncidentRole, TimelineModel

Index = QModelIndex | QPersistentModelIndex

# One gentle colour per kind of behaviour, so patterns show at a glance.
CATEGORY_COLOURS = {
    "following": "#c0673a", "loitering": "#c98a2b", "contact_call": "#4a7fb5",
    "contact_text": "#3f8f9b", "contact_email": "#6a77b8", "contact_social": "#8a62a8",
    "gifts_letters": "#b86a8d", "third_party": "#7d8b3c", "monitoring": "#5d8a6a",
    "property_damage": "#a2553f", "threats": "#b23b3b", "violence": "#8e2525",
    "other": "#7a8288",
}
PAD = 10
HEADER_BOTTOM = 8  # space under a month's name, above its rule
HEADER_AIR = 12  # space kept above the first month's name at the top of the list


def _muted(pal: QPalette) -> QColor:
    text, base = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base)
    return QColor((text.red() * 3 + base.red() * 2) // 5, (text.green() * 3 + base.green() * 2) // 5,
                  (text.blue() * 3 + base.blue() * 2) // 5)


class TimelineDelegate(QStyledItemDelegate):
    """Paints month headers and incident cards (date, title, category, place, exhibits)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key: tuple[str, float] | None = None
        self._cache: tuple[QFont, QFont, QFont, QFont, QSize] | None = None

    def _metrics(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont, QFont, QSize]:
        """Fonts and row sizes, worked out once per font (the view asks for sizes often)."""
        key = (option.font.family(), option.font.pointSizeF())
        if self._cache is None or key != self._key:
            base = QFont(option.font)
            title = QFont(base)
            title.setWeight(QFont.Weight.DemiBold)
            small = QFont(base)
            small.setPointSizeF(max(7.5, base.pointSizeF() * 0.9))
            fm_small, fm_title = QFontMetrics(small), QFontMetrics(title)
            month = QFont(title)
            month.setPointSizeF(base.pointSizeF() * 1.25)
            card = QSize(200, fm_small.height() * 2 + fm_title.height() + PAD * 2 + 6)
            self._key, self._cache = key, (base, title, small, month, card)
        return self._cache

    def top_gap(self, option: QStyleOptionViewItem) -> int:
        """How much of the first month header's row is empty space above its name.

        Between months that space separates one month from the next; above the first
        month it would be a blank band, so the view scrolls it out of sight."""
        _base, _title, _small, month, card = self._metrics(option)
        return max(0, card.height() - HEADER_BOTTOM - QFontMetrics(month).height() - HEADER_AIR)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # Every row is one height (month headers too), so the view never measures rows one
        # by one: that keeps 10,000 incidents smooth.
        return self._metrics(option)[4]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        pal: QPalette = option.palette
        _base, title_font, small, month_font, _size = self._metrics(option)
        rect = QRect(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        muted = _muted(pal)
        if index.data(HeaderRole):
            # A chapter break: the month low in the row, the space above separating months.
            painter.setFont(month_font)
            painter.setPen(pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text))
            text_rect = rect.adjusted(PAD + 4, 0, -PAD, -HEADER_BOTTOM)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             str(index.data()))
            painter.setPen(QColor(muted.red(), muted.green(), muted.blue(), 90))
            painter.drawLine(rect.left() + PAD, rect.bottom(), rect.right() - PAD, rect.bottom())
            painter.restore()
            return
        row: IncidentSummary = index.data(IncidentRole)
        card = rect.adjusted(4, 2, -4, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        text_colour = pal.color(QPalette.ColorRole.Text)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(card, 6, 6)
            text_colour = pal.color(QPalette.ColorRole.HighlightedText)
            muted = QColor(text_colour)
            muted.setAlpha(210)
        elif hover:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(card, 6, 6)
        colour = QColor(CATEGORY_COLOURS.get(row.category, CATEGORY_COLOURS["other"]))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRect(card.left() + 6, card.top() + 8, 4, card.height() - 16), 2, 2)

        inner = card.adjusted(PAD + 10, PAD - 2, -PAD, -PAD + 2)
        fm_small, fm_title = QFontMetrics(small), QFontMetrics(title_font)
        # line 1: when (left), exhibits (right)
        painter.setFont(small)
        painter.setPen(muted)
        count = ""
        if row.exhibit_count:
            count = f"{row.exhibit_count} exhibit" + ("s" if row.exhibit_count != 1 else "")
        count_w = fm_small.horizontalAdvance(count) + 4 if count else 0
        line = QRect(inner.left(), inner.top(), inner.width(), fm_small.height())
        painter.drawText(line.adjusted(0, 0, -count_w - 6, 0), Qt.AlignmentFlag.AlignLeft,
                         fm_small.elidedText(row.when_text, Qt.TextElideMode.ElideRight,
                                             max(10, line.width() - count_w - 6)))
        if count:
            painter.drawText(line, Qt.AlignmentFlag.AlignRight, count)
        # line 2: title
        painter.setFont(title_font)
        painter.setPen(text_colour)
        line2 = QRect(inner.left(), line.bottom() + 3, inner.width(), fm_title.height())
        title = row.title or "(no title yet)"
        painter.drawText(line2, Qt.AlignmentFlag.AlignLeft,
                         fm_title.elidedText(title, Qt.TextElideMode.ElideRight, line2.width()))
        # line 3: category · location
        painter.setFont(small)
        painter.setPen(muted)
        line3 = QRect(inner.left(), line2.bottom() + 3, inner.width(), fm_small.height())
        detail = " · ".join(p for p in (row.category_text, row.location) if p)
        painter.drawText(line3, Qt.AlignmentFlag.AlignLeft,
                         fm_small.elidedText(detail, Qt.TextElideMode.ElideRight, line3.width()))
        painter.restore()


class TimelineView(QListView):
    """Shows a TimelineModel; tells the window which incident is selected."""

    incident_selected = Signal(object)  # int | None

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._want: int | None = None  # the incident the person selected
        self._told: int | None = None  # the last one announced by incident_selected
        self._row = 0  # where the selected incident was, to select its neighbour if it goes
        self._first_load = True
        self.empty_text = ("No incidents yet.\n\nPress Ctrl+N or click “New incident” "
                           "to write down what happened.")
        self.setModel(model)
        self._delegate = TimelineDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSpacing(0)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setAccessibleName("Timeline of incidents")
        self.setToolTip("")
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.selectionModel().currentChanged.connect(self._current_changed)
        model.reloaded.connect(self._restore)
        model.modelReset.connect(self.viewport().update)

    # -- selection -------------------------------------------------------------------
    def current_incident_id(self) -> int | None:
        index = self.currentIndex()
        row = index.data(IncidentRole) if index.isValid() else None
        return row.id if isinstance(row, IncidentSummary) else None

    def select_incident(self, incident_id: int | None) -> None:
        """Select an incident, loading pages until it is found."""
        self._want = incident_id
        if incident_id is None:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
            return

        def found(index: QModelIndex | None) -> None:
            if index is not None and self._want == incident_id:
                self.setCurrentIndex(index)
                self.scrollTo(index)

        self._model.locate(incident_id, found)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(IncidentRole) if current.isValid() else None
        incident_id = row.id if isinstance(row, IncidentSummary) else None
        if incident_id is not None:
            self._want = incident_id
            self._row = current.row()
        if incident_id != self._told or incident_id is None:
            self._told = incident_id
            self.incident_selected.emit(incident_id)

    def _restore(self) -> None:
        """After the rows were replaced, select the same incident again; if it was deleted,
        the one that took its place; on the first load, the first incident. When other rows
        are shown (a search) without it, it stays open in the editor, unselected."""
        want, first_load = self._want, self._first_load
        self._first_load = False
        index = self._model.index_of(want) if want is not None else None
        if index is None and self._model.ready and (first_load or (
                want is not None and self._model.same_rows)):
            index = self._nearest_incident(self._row if want is not None else 0)
        if index is not None:
            self.setCurrentIndex(index)  # announces it only if it is a different incident
            self.scrollTo(index)
        elif want is not None and self._model.same_rows and self._model.ready \
                and not self._model.loading:
            self._want = None
            self._told = None
            self.incident_selected.emit(None)

    def _nearest_incident(self, row: int) -> QModelIndex | None:
        rows = self._model.rowCount()
        for r in [*range(min(row, rows - 1), rows), *range(min(row, rows) - 1, -1, -1)]:
            if r >= 0 and not self._model.index(r).data(HeaderRole):
                return self._model.index(r)
        return None

    # -- the top of the list -------------------------------------------------------------
    def updateGeometries(self) -> None:  # noqa: N802 - Qt API
        super().updateGeometries()
        # Every row shares one height (see TimelineDelegate.sizeHint), so the first month
        # header is as tall as a card. Its empty top part is kept scrolled out of sight by
        # starting the scroll range below it; rows never need measuring one by one.
        bar = self.verticalScrollBar()
        gap = 0
        if self._model.rowCount() and self._model.index(0).data(HeaderRole):
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            gap = self._delegate.top_gap(option)
        if bar.minimum() != gap:
            bar.setRange(gap, max(gap, bar.maximum()))

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt API
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
                 ) -> None:
        super().scrollTo(index, hint)
        # An incident brought into view from below the top keeps its month's name in view
        # too, when there is room for both.
        if not index.isValid() or index.row() == 0:
            return
        above = self._model.index(index.row() - 1)
        if not above.data(HeaderRole):
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        name_top = self.visualRect(above).top() + self._delegate.top_gap(option)
        room = self.viewport().height() - self.visualRect(index).bottom()
        if name_top < 0 and -name_top <= room:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + name_top)

    # -- keyboard: skip month headers --------------------------------------------------
    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        Move = QAbstractItemView.CursorAction  # noqa: N806
        up = action in (Move.MoveUp, Move.MovePageUp, Move.MoveEnd, Move.MovePrevious)
        rows = self._model.rowCount()
        # Land on the nearest incident in the direction of travel, else the other way.
        for step in ((-1, 1) if up else (1, -1)):
            row = index.row()
            while 0 <= row < rows and self._model.index(row).data(HeaderRole):
                row += step
            if 0 <= row < rows:
                if action in (Move.MoveUp, Move.MoveDown) and step != (-1 if up else 1):
                    return self.currentIndex()  # only headers that way: stay put
                return self._model.index(row)
        return self.currentIndex()

    # -- empty state ---------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._model.rowCount() == 0 and self._model.ready:
            painter = QPainter(self.viewport())
            painter.setPen(_muted(self.palette()))
            rect = self.viewport().rect().adjusted(24, 40, -24, -24)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self.empty_text)
