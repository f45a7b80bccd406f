"""Forwarded, edited and unsent messages in the conversation view: "↪ Forwarded from
Dave Price" above the words, "edited" by the time, the full facts in the tooltip and
for screen readers; the words themselves exactly as exported."""

import json
import os
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from evidence_app.core.cases import open_case
from evidence_app.core.importers.messages import import_messages
from evidence_app.gui.conversations_hookup import install as install_conversations
from evidence_app.gui.exhibits_hookup import install as install_exhibits
from evidence_app.gui.models.conversation import MessageRole, MessageRow
from evidence_app.gui.widgets.conversation_delegate import footer
from tests.gui.helpers import make_case, wait_open

TELEGRAM = {"name": "Mark Jones", "type": "personal_chat", "id": 5550123, "messages": [
    {"id": 11, "type": "message", "date": "2025-03-14T22:15:00",
     "date_unixtime": "1741990500", "from": "Mark Jones", "from_id": "user5550123",
     "forwarded_from": "Dave Price", "text": "She was at the gym at 6 again",
     "text_entities": []},
    {"id": 12, "type": "message", "date": "2025-03-14T22:17:00",
     "date_unixtime": "1741990620", "edited": "2025-03-14T22:40:00",
     "edited_unixtime": "1741992000", "from": "Mark Jones", "from_id": "user5550123",
     "text": "I never said I'd wait outside", "text_entities": []},
    {"id": 13, "type": "message", "date": "2025-03-14T22:18:00",
     "date_unixtime": "1741990680", "from": "Jane Smith", "from_id": "user1",
     "text": "Stop messaging me", "text_entities": []}]}


@pytest.fixture
def win(qtbot, window, tmp_path):
    folder = make_case(tmp_path / "case")
    export = tmp_path / "result.json"
    export.write_text(json.dumps(TELEGRAM), encoding="utf-8")
    c = open_case(folder)
    try:
        list(import_messages(c, export))
    finally:
        c.close()
    install_exhibits(window)
    install_conversations(window)
    window.session.open(folder)
    wait_open(qtbot, window)
    return window


def test_forwarded_and_edited_messages_say_so(qtbot, win):
    qtbot.mouseClick(win.conversations_button, Qt.MouseButton.LeftButton)
    view = win.conversations.page.view
    qtbot.waitUntil(lambda: view.model.ready and view.model.total == 3, timeout=10000)
    rows = {}
    for r in range(view.model.rowCount()):
        m = view.model.index(r).data(MessageRole)
        if isinstance(m, MessageRow):
            rows[m.text] = r
    fwd = view.model.index(rows["She was at the gym at 6 again"])
    edited = view.model.index(rows["I never said I'd wait outside"])
    plain = view.model.index(rows["Stop messaging me"])
    assert fwd.data(MessageRole).forwarded == "Forwarded from Dave Price"
    assert fwd.data() == ("Mark Jones, 22:15 (Forwarded from Dave Price): She was at the "
                          "gym at 6 again")
    assert "Forwarded from Dave Price" in fwd.data(Qt.ItemDataRole.ToolTipRole)
    assert footer(edited.data(MessageRole)) == "edited \u00b7 22:17"
    assert "Edited 14/03/2025 22:40 GMT" in edited.data(Qt.ItemDataRole.ToolTipRole)
    assert footer(plain.data(MessageRole)) == "22:18"
    assert plain.data() == "Jane Smith, 22:18: Stop messaging me"
    # The forwarded line takes room in the bubble: it is taller than the same text alone.
    delegate = view.list.itemDelegate()
    row = fwd.data(MessageRole)
    bare = delegate._measure(replace(row, forwarded="", id=-1), True).height
    assert delegate._measure(row, True).height > bare
    shot = os.environ.get("MARKS_SHOT")
    if shot:
        win.resize(1366, 768)
        qtbot.wait(200)
        win.grab().save(shot)
