"""The Conversations page: the imported conversations on the left, the chosen one on
the right as the phone shows it (with its chart of days).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.conversations import ConversationView as Conversation
from evidence_app.gui.alive import while_alive
from evidence_app.gui.conversation_data import (
    conversation_source,
    day_counts,
    describe,
    list_conversations,
)
from evidence_app.gui.look import heading, muted
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.conversation_people import WhoIsWho
from evidence_app.gui.widgets.conversation_view import ConversationView

EMPTY = ("No conversations yet.\n\nExport a chat from the phone (WhatsApp: open the chat, "
         "\u22ee \u203a More \u203a Export chat), save text messages and calls with "
         "\u201cSMS Backup & Restore\u201d, or download your Instagram, Facebook or Telegram "
         "messages or an email mailbox, then drop the file here or use Import.")


class ConversationsPage(QWidget):
    """`loaded` fires after the list of conversations has been read."""

    loaded = Signal()

    def __init__(self, ops: CaseOps, loader: ThumbnailLoader | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.conversations: list[Conversation] = []
        self.current: Conversation | None = None
        self._pending: tuple[int, int | None] | None = None  # (conversation, message)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 4, 12)
        title = heading(QLabel("Conversations"), 1.3)
        title.setObjectName("paneTitle")
        left_layout.addWidget(title)
        self.list = QListWidget()
        self.list.setAccessibleName("Conversations")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        left_layout.addWidget(self.list, 1)
        self.view = ConversationView(ops, loader)
        self.loader = loader
        self.viewer: Any = None
        self.people_button = QPushButton("Who is who")
        self.people_button.setToolTip("Say which of the people in this chat is you, who is a "
                                      "suspect (their messages are marked and grouped) and "
                                      "who each one is in People")
        self.people_menu = QMenu(self.people_button)
        self.people_menu.aboutToShow.connect(self._fill_people)
        self.who = WhoIsWho(ops, self)
        self.message_menu: QMenu | None = None
        self.view.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.list.customContextMenuRequested.connect(self._message_menu)
        self.people_button.setMenu(self.people_menu)
        self.view.tools.addWidget(self.people_button)
        self.view.open_pictures.connect(self._open_pictures)
        self.empty = muted(QLabel(EMPTY))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(40, 40, 40, 40)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 800])
        split.setChildrenCollapsible(False)
        left.setMinimumWidth(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.list.currentRowChanged.connect(self._chosen)

    # -- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        self.who.refresh()
        self.ops.read(list_conversations, on_done=while_alive(self, self._listed))

    def _listed(self, conversations: list[Conversation]) -> None:
        keep = self.current.id if self.current is not None else None
        if self._pending is not None:
            keep = self._pending[0]
        self.conversations = conversations
        self.list.blockSignals(True)
        self.list.clear()
        for c in conversations:
            texts = c.message_count - c.call_count
            counts = f"{texts:,} message{'s' if texts != 1 else ''}" + (
                f", {c.call_count:,} call{'s' if c.call_count != 1 else ''}"
                if c.call_count else "")
            item = QListWidgetItem(f"{c.title or 'Conversation'}\n{c.source_label} \u00b7 "
                                   f"{counts}")
            item.setToolTip(describe(c))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
        row = next((i for i, c in enumerate(conversations) if c.id == keep), 0)
        if conversations:
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.stack.setCurrentWidget(self.view if conversations else self.empty)
        same = (self.current is not None and bool(conversations)
                and conversations[row].id == self.current.id)
        if not conversations:
            self.current = None
        elif same and self._pending is None:
            # The same conversation changed (an import, messages put in an incident):
            # read it again where it stands.
            self.current = conversations[row]
            self._describe()
            self.view.reload_in_place()
            self._read_days()
        else:
            self._chosen(row)
        self.loaded.emit()

    def _chosen(self, row: int) -> None:
        if not 0 <= row < len(self.conversations):
            return
        self.current = self.conversations[row]
        pending, self._pending = self._pending, None
        around = None
        if pending is not None and pending[0] == self.current.id and pending[1] is not None:
            around = pending[1]
        self._describe()
        self.view.set_source(conversation_source(self.current.id), self.current.title,
                             describe(self.current))
        self._read_days()
        if around is not None:
            self.view.show_message(around)

    def _describe(self) -> None:
        if self.current is not None:
            self.view.title.setText(self.current.title or "Conversation")
            self.view.subtitle.setText(describe(self.current))

    def _read_days(self) -> None:
        if self.current is None:
            return
        cid = self.current.id
        self.ops.read(day_counts, cid, on_done=while_alive(
            self, lambda days: self.view.set_days(days) if self.current is not None
            and self.current.id == cid else None))

    # -- opening -------------------------------------------------------------------
    def open_message(self, conversation_id: int, message_id: int | None) -> None:
        """Show a conversation, at one of its messages."""
        if self.current is not None and self.current.id == conversation_id:
            if message_id is not None:
                self.view.show_message(message_id)
            return
        row = next((i for i, c in enumerate(self.conversations) if c.id == conversation_id),
                   None)
        self._pending = (conversation_id, message_id)
        if row is None:
            self.refresh()  # imported since the list was read
        else:
            self.list.setCurrentRow(row)

    # -- who is who ----------------------------------------------------------------
    def _fill_people(self) -> None:
        self.who.fill(self.people_menu, self.current)

    def _message_menu(self, pos: QPoint) -> None:
        """Right-click on a message: who its sender is (suspect, you, in People)."""
        index = self.view.list.indexAt(pos)
        row = self.view.model.message_at(index.row()) if index.isValid() else None
        sender = (self.current.participant(row.sender_id) if row is not None
                  and self.current is not None else None)
        if sender is None:
            return
        menu = QMenu(self)
        self.who.fill_for_sender(menu, sender)
        self.message_menu = menu
        menu.popup(self.view.list.viewport().mapToGlobal(pos))

    def _open_pictures(self, row: Any) -> None:
        """The pictures sent with a message, in the exhibit viewer."""
        from evidence_app.gui.widgets.viewer import ExhibitViewer

        if self.loader is None:
            return
        if self.viewer is None:
            self.viewer = ExhibitViewer(self.ops, self.loader, self.window())
        self.viewer.show_items(list(row.attachments), 0, row.timezone)
