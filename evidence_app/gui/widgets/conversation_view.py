"""One conversation on screen: a heading, the chart of messages and calls per day, the
messages as the phone shows them, and what can be done with a selection.

Messages are chosen as in any list: click, Shift+click, drag, Ctrl+click, Ctrl+A. The
buttons then make one incident of them or add them to an incident the person picks;
"Group by day" proposes incidents from one participant's messages and calls. The view
itself writes nothing: it asks with signals, and whoever knows the case (the window's
conversations hookup) does the work.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.look import heading, muted
from evidence_app.gui.models.conversation import (
    ConversationModel,
    MessageRow,
    MessageSource,
)
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.conversation_delegate import Colours, ConversationDelegate
from evidence_app.gui.widgets.day_chart import DayChart, DayCount

HINT = "Click a message to choose it; Shift+click or drag to choose several."
EARLIER_MARGIN = 120  # pixels from the top at which the page before is read


class MessageList(QListView):
    """The painted messages; reads the page before when scrolled near the top."""

    def __init__(self, model: ConversationModel, delegate: ConversationDelegate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conversation = model
        self.bubbles = delegate
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.setAccessibleName("Messages")
        self._anchor: tuple[QPersistentModelIndex, int] | None = None
        self._back = ""
        self._end: bool | None = None  # after a jump: to the latest (True) or the first
        model.reloaded.connect(self._opened)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        model.prepended.connect(self._keep_place)
        self._paint_background()

    def _paint_background(self) -> None:
        # The app's style sheet paints lists; the chat's own background is set the same way.
        self.setObjectName("conversationList")
        back = Colours.for_palette(self.palette()).back.name()
        if back != self._back:  # a style sheet change is itself a palette change
            self._back = back
            self.setStyleSheet(f"#conversationList {{ background: {back}; }}")
        self.bubbles.set_palette(self.palette())

    def changeEvent(self, e: QEvent) -> None:
        super().changeEvent(e)
        if e.type() == QEvent.Type.PaletteChange:
            self._paint_background()

    def resizeEvent(self, e: QResizeEvent) -> None:
        self.bubbles.set_width(self.viewport().width())
        super().resizeEvent(e)
        self.scheduleDelayedItemsLayout()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # Ctrl+Home and Ctrl+End go to the first and the latest message of the whole
        # conversation, not only of the part read so far.
        ctrl = e.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and e.key() in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.jump_to_end(e.key() == Qt.Key.Key_End)
            return
        if (e.key() in (Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Home)
                and self.verticalScrollBar().value() == 0):
            self._scrolled(0)
        super().keyPressEvent(e)

    def jump_to_end(self, latest: bool) -> None:
        model = self.conversation
        if latest and model.first_position + model.held >= model.total:
            self.scrollToBottom()
        elif not latest and model.first_position == 0:
            self.scrollToTop()
        else:
            self._end = latest
            model.open_at(model.total - 1 if latest else None)

    def _opened(self) -> None:
        end, self._end = self._end, None
        if end is not None:
            self.doItemsLayout()
            (self.scrollToBottom if end else self.scrollToTop)()

    def wheelEvent(self, e: QWheelEvent) -> None:
        # At the top already, a turn of the wheel upwards still asks for the page before.
        if e.angleDelta().y() > 0 and self.verticalScrollBar().value() == 0:
            self._scrolled(0)
        super().wheelEvent(e)

    def _scrolled(self, value: int) -> None:
        if value <= EARLIER_MARGIN and self.conversation.can_fetch_earlier():
            top = self.indexAt(self.viewport().rect().topLeft())
            if top.isValid():
                self._anchor = (QPersistentModelIndex(top), self.visualRect(top).top())
            self.conversation.fetch_earlier()

    def _keep_place(self, _added: int) -> None:
        """Rows arrived above: scroll so the row that was at the top stays where it was."""
        anchor, self._anchor = self._anchor, None
        self.doItemsLayout()
        if anchor is None or not anchor[0].isValid():
            return
        rect = self.visualRect(self.conversation.index(anchor[0].row()))
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - anchor[1])

    def selected_messages(self) -> list[MessageRow]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        found = [self.conversation.message_at(r) for r in rows]
        return [m for m in found if m is not None]


class ConversationView(QWidget):
    """`make_incident(list[MessageRow])`, `add_to_incident(list[MessageRow])` and
    `group_by_day()` ask the owner to act; `message(str)` is for the status bar."""

    make_incident = Signal(object)
    open_pictures = Signal(object)  # MessageRow whose pictures were double-clicked
    add_to_incident = Signal(object)
    group_by_day = Signal()
    message = Signal(str)

    def __init__(self, ops: CaseOps, loader: ThumbnailLoader | None = None,
                 parent: QWidget | None = None, chart: bool = True) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = ConversationModel(ops)
        self.delegate = ConversationDelegate(loader, self)
        self.loader = loader
        self._pending_day: date | None = None
        self._restore: tuple[int, int] | None = None  # (message id, its y) after a reload

        self.title = heading(QLabel("Conversation"), 1.3)
        self.title.setObjectName("paneTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle = muted(QLabel())
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.chart = DayChart()
        self.chart.setVisible(chart)
        self.list = MessageList(self.model, self.delegate)
        self.selection_label = muted(QLabel(HINT))
        self.selection_label.setWordWrap(True)
        self.new_button = QPushButton("Make an incident from these")
        self.new_button.setToolTip("One new incident holding the chosen messages and calls, "
                                   "dated from the first of them")
        self.add_button = QPushButton("Add to incident\u2026")
        self.add_button.setToolTip("Put the chosen messages into an incident you already have")
        self.group_button = QPushButton("Group by day\u2026")
        self.group_button.setToolTip("Propose one incident per day of a person's messages and "
                                     "calls; you review them before anything is created")
        bar = QHBoxLayout()
        bar.addWidget(self.selection_label, 1)
        for button in (self.new_button, self.add_button, self.group_button):
            bar.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        self.tools = QHBoxLayout()  # the owner's buttons beside the title
        head.addLayout(self.tools)
        layout.addLayout(head)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.chart)
        layout.addWidget(self.list, 1)
        layout.addLayout(bar)

        self.new_button.clicked.connect(lambda: self._ask(self.make_incident))
        self.add_button.clicked.connect(lambda: self._ask(self.add_to_incident))
        self.group_button.clicked.connect(self.group_by_day)
        self.list.selectionModel().selectionChanged.connect(self._selection_changed)
        self.chart.day_clicked.connect(self.show_day)
        self.list.doubleClicked.connect(self._double_clicked)
        self.model.reloaded.connect(self._reloaded)
        self.model.total_changed.connect(lambda _n: self._selection_changed())
        if loader is not None:
            loader.ready.connect(lambda _sha: self.list.viewport().update())
        self._selection_changed()

    # -- what is shown -------------------------------------------------------------
    def set_source(self, source: MessageSource | None, title: str = "", subtitle: str = "",
                   around: int | None = None) -> None:
        self.title.setText(title or "Conversation")
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.delegate.forget()
        self.model.set_source(source, around)

    def set_days(self, days: list[DayCount]) -> None:
        self.chart.set_days(days)

    def show_message(self, message_id: int, select: bool = True) -> None:
        """Scroll to a message (reading its part of the conversation if needed), centred
        and chosen."""
        def found(index: QModelIndex | None) -> None:
            if index is None:
                self.message.emit("That message is no longer in this conversation.")
                return
            self.list.doItemsLayout()
            self.list.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            if select:
                self.list.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.list.setCurrentIndex(index)
            self.list.setFocus()

        self.model.locate(message_id, found)

    def show_day(self, day: DayCount) -> None:
        """Scroll to a day's first message (the chart's bars call this)."""
        self._pending_day = day.day
        self.model.open_day(day.day)

    def reload_in_place(self) -> None:
        """Read the conversation again (it changed) with the same message at the top."""
        top = self.list.indexAt(QPoint(4, 4))
        row = top.row() if top.isValid() else -1
        while 0 <= row < self.model.rowCount() and self.model.message_at(row) is None:
            row += 1
        first = self.model.message_at(row)
        if first is None:
            self.model.reload()
            return
        self._restore = (first.id, self.list.visualRect(self.model.index(row)).top())
        self.model.open_at(first.position)

    def _reloaded(self) -> None:
        restore, self._restore = self._restore, None
        if restore is not None:
            index = self.model.index_of(restore[0])
            if index is not None:
                self.list.doItemsLayout()
                self.list.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
                bar = self.list.verticalScrollBar()
                bar.setValue(bar.value() - restore[1])
        day, self._pending_day = self._pending_day, None
        if day is not None:
            index = self.model.index_of_day(day)
            if index is not None:
                QTimer.singleShot(0, lambda: self.list.scrollTo(
                    index, QAbstractItemView.ScrollHint.PositionAtTop))

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.message_at(index.row())
        if row is not None and row.attachments:
            self.open_pictures.emit(row)

    # -- selection -----------------------------------------------------------------
    def selected(self) -> list[MessageRow]:
        return self.list.selected_messages()

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.selected()
        n = len(chosen)
        self.new_button.setEnabled(n > 0)
        self.add_button.setEnabled(n > 0)
        self.group_button.setEnabled(self.model.total > 0)
        if n:
            calls = sum(m.kind == "call" for m in chosen)
            texts = n - calls
            parts = [plural(texts, "message")] if texts else []
            if calls:
                parts.append(plural(calls, "call"))
            self.selection_label.setText(" and ".join(parts) + " chosen")
        else:
            self.selection_label.setText(HINT)

    def _ask(self, signal: SignalInstance) -> None:
        chosen = self.selected()
        if chosen:
            signal.emit(chosen)
