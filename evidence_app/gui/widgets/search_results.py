"""Search results: how many, in what order, and each one with why it matched.

Each hit shows its title, when, where the words were found (a note, a screenshot's
text...) and a snippet with the matching words highlighted. Activating a hit emits
`open_hit(SearchHit)`; the window shows it in the timeline, editor or viewer.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.search.find import SearchHit, SearchResults
from evidence_app.gui.look import is_dark

FIELDS = {"title": "in the title", "details": "in the details", "notes": "in a note",
          "people": "in a linked person", "vehicles": "in a linked vehicle",
          "files": "in an exhibit's name or caption", "ocr": "in the text of a screenshot"}
MESSAGE_FIELDS = {"text": "", "sender": "in the sender's name or number",
                  "numbers": "in the phone number", "forwarded": ""}
ORDERS = [("Best match", "relevance"), ("Newest first", "newest"), ("Oldest first", "oldest")]


def snippet_html(hit: SearchHit, mark: str) -> str:
    """The snippet as escaped HTML with the matches highlighted."""
    out, pos = [], 0
    for start, end in hit.highlights:
        out.append(html.escape(hit.snippet[pos:start]))
        out.append(f'<span style="background:{mark}; font-weight:600">'
                   f"{html.escape(hit.snippet[start:end])}</span>")
        pos = end
    out.append(html.escape(hit.snippet[pos:]))
    return "".join(out)


def hit_html(hit: SearchHit, dark: bool) -> str:
    mark = "#6b5a00" if dark else "#fff0a8"
    if hit.kind == "incident":
        kind = "Incident"
    elif hit.kind == "message":
        kind = "Call" if hit.category == "call" else "Message"
    else:
        kind = f"Exhibit {html.escape(hit.exhibit)}" + (" \u00b7 inbox" if hit.incident_id is None
                                                       else "")
    where = (MESSAGE_FIELDS if hit.kind == "message" else FIELDS).get(hit.field, "")
    trash = " \u00b7 in the trash" if hit.trashed else ""
    meta = " \u00b7 ".join(p for p in (kind, html.escape(hit.when), where) if p) + trash
    snippet = snippet_html(hit, mark)
    return (f"<div><b>{html.escape(hit.title)}</b></div>"
            f"<div style='font-size:small; opacity:0.75'>{meta}</div>"
            + (f"<div>{snippet}</div>" if snippet else ""))


def hit_key(hit: SearchHit) -> tuple[str, int]:
    """What makes a result the same one after its text changed (its snippet may then
    come from another field)."""
    return hit.kind, hit.id


class SearchResultsPanel(QWidget):
    open_hit = Signal(object)  # SearchHit
    order_changed = Signal(str)
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.summary = QLabel("Searching\u2026")
        self.summary.setObjectName("paneTitle")
        self.summary.setAccessibleName("Number of results")
        self.order = QComboBox()
        for label, value in ORDERS:
            self.order.addItem(label, value)
        self.order.setAccessibleName("Order of results")
        self.order.currentIndexChanged.connect(
            lambda _i: self.order_changed.emit(self.order.currentData()))
        self.clear_button = QPushButton("Clear search")
        self.clear_button.setToolTip("Show every incident again (Esc in the search field)")
        self.clear_button.clicked.connect(self.clear_requested)
        head = QHBoxLayout()
        head.setContentsMargins(8, 0, 8, 0)
        head.addWidget(self.summary, 1)
        head.addWidget(self.order)
        head.addWidget(self.clear_button)
        self.list = QListWidget()
        self.list.setAccessibleName("Search results")
        self.list.setWordWrap(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setSpacing(2)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("muted")
        self.hint.setContentsMargins(10, 4, 10, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        self.hint.hide()

    def show_searching(self) -> None:
        self.summary.setText("Searching\u2026")

    def show_results(self, results: SearchResults, keep_place: bool = False) -> None:
        """Show `results`. `keep_place`: the same search run again after a change in the
        case (an autosave, say): unchanged results are left alone, and changed ones keep
        the list where the person had scrolled it and the result they had chosen."""
        if keep_place and results.hits == self.hits:
            return
        at = self.list.verticalScrollBar().value() if keep_place else 0
        item = self.list.currentItem() if keep_place else None
        chosen = hit_key(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        self.hits = list(results.hits)
        self.list.clear()
        total = results.total
        self.summary.setText(f"More than {total - 1:,} results" if results.more else
                             "No results" if total == 0 else
                             "1 result" if total == 1 else f"{total:,} results")
        hint = results.message or (
            "Nothing matches every word. Check the spelling, use fewer words, or clear "
            "the filters." if total == 0 else
            f"Showing the first {len(self.hits)}; the timeline below lists every matching "
            "incident." if len(self.hits) < total else "")
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        dark = is_dark(self)
        width = max(200, self.list.viewport().width() - 24)
        for hit in self.hits:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setToolTip(hit.snippet)
            label = QLabel(hit_html(hit, dark))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(8, 6, 8, 6)
            label.setFixedWidth(width)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setForegroundRole(QPalette.ColorRole.Text)
            item.setSizeHint(label.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, label)
            if chosen is not None and hit_key(hit) == chosen:
                self.list.setCurrentItem(item)
        self.list.verticalScrollBar().setValue(at)

    def _activated(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.ItemDataRole.UserRole)
        if hit is not None:
            self.open_hit.emit(hit)

    def set_order(self, order: str) -> None:
        at = self.order.findData(order)
        if at >= 0:
            self.order.setCurrentIndex(at)
