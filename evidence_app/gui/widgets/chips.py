"""Small labelled "chips" with a remove button, laid out in a wrapping flow."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QToolButton,
    QWidget,
)


class FlowLayout(QLayout):
    """Lays children left to right, wrapping onto new lines (the Qt flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do_layout(QRect(0, 0, width, 0), test=True)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do_layout(rect, test=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m: QMargins = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, test: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + self._spacing
                line_height = 0
            if not test:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()


class Chip(QFrame):
    """A rounded label with an × button; `removed` carries its value."""

    removed = Signal(object)

    def __init__(self, text: str, value: object, tooltip: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.setObjectName("chip")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 4, 2)
        layout.setSpacing(2)
        self.label = QLabel(text)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)
        self.remove = QToolButton()
        self.remove.setText("×")
        self.remove.setAutoRaise(True)
        self.remove.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove.setAccessibleName(f"Remove {text}")
        self.remove.setToolTip(f"Remove {text}")
        self.remove.clicked.connect(lambda: self.removed.emit(self.value))
        layout.addWidget(self.remove)
        if tooltip:
            self.setToolTip(tooltip)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


class ChipList(QWidget):
    """A wrapping row of chips plus any trailing widgets (e.g. an 'Add…' button)."""

    removed = Signal(object)

    def __init__(self, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self)
        self._chips: list[Chip] = []
        self._trailing: list[QWidget] = []
        self.empty = QLabel(empty_text)
        self.empty.setEnabled(False)
        self.flow.addWidget(self.empty)

    def add_trailing(self, widget: QWidget) -> None:
        self._trailing.append(widget)
        self.flow.addWidget(widget)

    def set_items(self, items: list[tuple[str, object, str]]) -> None:
        """Replace the chips with (text, value, tooltip) triples."""
        for chip in self._chips:
            self.flow.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for widget in self._trailing:
            self.flow.removeWidget(widget)
        for text, value, tip in items:
            chip = Chip(text, value, tip, self)
            chip.removed.connect(self.removed)
            self._chips.append(chip)
            self.flow.addWidget(chip)
        for widget in self._trailing:
            self.flow.addWidget(widget)
        self.empty.setVisible(not items and bool(self.empty.text()))
        self._tab_order()
        self.updateGeometry()

    def _tab_order(self) -> None:
        """Tab reaches the chips' remove buttons where they are, just before the trailing
        widget, not after everything else in the window (where new widgets would go)."""
        if not self._trailing or not self._chips:
            return
        chain = [chip.remove for chip in self._chips] + [self._trailing[0]]
        # The last focusable widget before this list (Qt puts what follows it after all
        # of its children, so it must be outside this list).
        anchor = self.previousInFocusChain()
        while anchor is not None and anchor is not self and (
                self.isAncestorOf(anchor) or anchor.focusPolicy() == Qt.FocusPolicy.NoFocus):
            anchor = anchor.previousInFocusChain()
        previous = anchor if anchor is not self else None
        for widget in chain:
            if previous is not None:
                QWidget.setTabOrder(previous, widget)
            previous = widget

    def values(self) -> list[object]:
        return [c.value for c in self._chips]

    def chips(self) -> list[Chip]:
        return list(self._chips)
