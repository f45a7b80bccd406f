"""The search field for the toolbar: type to narrow the timeline; Esc or the cross clears.

Emits `query_changed(text)` on every keystroke (the controller debounces) and
`filters_toggled(bool)` from its Filters button, which also shows how many filters
are on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

PLACEHOLDER = "Search incidents, notes, screenshots\u2026"
PLACEHOLDER_OFF = "Open a case to search it"


class SearchField(QLineEdit):
    """A line edit that clears itself with Esc (and gives focus back to the window)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    query_changed = Signal(str)
    filters_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = SearchField()
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(320)
        self.field.setAccessibleName("Search")
        keys = QKeySequence(QKeySequence.StandardKey.Find).toString(
            QKeySequence.SequenceFormat.NativeText) or "Ctrl+F"
        self.field.setToolTip(
            f"Find words anywhere in the case ({keys}). All words must match, in any order; "
            '"quotes" find a phrase; -word leaves out; OR finds either. Number plates match '
            "with or without spaces.")
        self.field.textChanged.connect(self.query_changed)
        self.filters = QToolButton()
        self.filters.setText("Filters")
        self.filters.setCheckable(True)
        self.filters.setToolTip("Narrow by date, type, tag, person or vehicle")
        self.filters.setAccessibleName("Show search filters")
        self.filters.toggled.connect(self.filters_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.filters)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.EnabledChange:
            self.field.setPlaceholderText(PLACEHOLDER if self.isEnabled() else PLACEHOLDER_OFF)
        super().changeEvent(event)

    def install_shortcut(self, window: QWidget) -> QShortcut:
        """Ctrl+F (the platform's Find key) anywhere in `window` goes to the field."""
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.focus_field)
        return shortcut

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_filter_count(self, n: int) -> None:
        self.filters.setText(f"Filters ({n})" if n else "Filters")

    def clear(self) -> None:
        self.field.clear()
