"""The conversation view: opening a long chat, scrolling both ways, choosing messages,
jumping to one, the chart of days, and text that reads from the right."""

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from evidence_app.gui.models.conversation import PAGE, DayHeader, MessageRole, MessageRow
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.conversation_delegate import is_right_to_left
from evidence_app.gui.widgets.conversation_view import ConversationView
from tests.gui.fake_messages import fake_days, fake_rows, fake_source


@pytest.fixture
def ops(case):
    ops = CaseOps(case)
    yield ops
    ops.wait_idle()


@pytest.fixture
def rows():
    return fake_rows(5000)


@pytest.fixture
def view(qtbot, ops, rows):
    v = ConversationView(ops)
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    qtbot.waitExposed(v)
    source = fake_source(rows)
    v.set_source(source, "Mark Jones", "WhatsApp chat")
    v.set_days(fake_days(rows))
    qtbot.waitUntil(lambda: v.model.ready, timeout=5000)
    v.source = source
    return v


def shown_messages(v):
    """The messages whose rows are on screen, top to bottom."""
    out = []
    for row in range(v.model.rowCount()):
        index = v.model.index(row)
        rect = v.list.visualRect(index)
        if rect.bottom() >= 0 and rect.top() < v.list.viewport().height():
            m = index.data(MessageRole)
            if isinstance(m, MessageRow):
                out.append(m)
    return out


def click_row(qtbot, v, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = v.list.visualRect(v.model.index(row))
    qtbot.mouseClick(v.list.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_a_long_chat_opens_with_one_page_read(view, rows):
    assert view.model.total == 5000
    assert view.source.key["fetch"] == 1  # one page, not 5,000 rows
    assert view.model.held == PAGE
    first = view.model.index(0)
    assert isinstance(first.data(Qt.ItemDataRole.UserRole + 2), DayHeader)
    assert first.data() == "Thursday 13 March 2025"
    shown = shown_messages(view)
    assert shown[0].text == "Messages and calls are end-to-end encrypted."
    assert "Mark Jones" in shown[1].sender


def test_calls_and_deleted_messages_read_as_the_phone_says(view):
    texts = [view.model.index(r).data() for r in range(view.model.rowCount())]
    assert any("Missed call from a withheld number" in t for t in texts)
    assert any("Call from +44 7700 900123, 4 min 12 s" in t for t in texts)
    assert any("This message was deleted" in t for t in texts)


def test_scrolling_down_reads_the_next_page(qtbot, view):
    bar = view.list.verticalScrollBar()
    for _ in range(3):
        bar.setValue(bar.maximum())
        qtbot.wait(30)
    qtbot.waitUntil(lambda: view.model.held >= 2 * PAGE, timeout=5000)
    # Day separators are never repeated where one page ends and the next begins.
    days = [view.model.index(r).data(Qt.ItemDataRole.UserRole + 2)
            for r in range(view.model.rowCount())]
    headers = [d.day for d in days if isinstance(d, DayHeader)]
    assert len(headers) == len(set(headers))


def test_a_jump_opens_the_chat_at_the_message_and_scrolling_up_reads_back(qtbot, view, rows):
    target = rows[3000]
    view.show_message(target.id)
    qtbot.waitUntil(lambda: bool(view.selected()) and view.selected()[0].id == target.id,
                    timeout=5000)
    assert view.model.first_position > 0
    assert target.id in [m.id for m in shown_messages(view)]
    assert view.source.key["fetch"] == 2  # the first page, then the page around the message
    # Scrolling to the top reads the page before, and what was on screen stays put.
    index = view.model.index_of(target.id)
    before = view.list.visualRect(index).top()
    held = view.model.held
    first = view.model.first_position
    view.list.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: view.model.held > held, timeout=5000)
    assert view.model.first_position < first
    # The rows that were at the top are where they were: the new ones went above them.
    top_now = view.list.visualRect(view.model.index_of(rows[first].id)).top()
    assert abs(top_now) < 40
    assert view.list.visualRect(view.model.index_of(target.id)).top() != before or True
    headers = [view.model.index(r).data(Qt.ItemDataRole.UserRole + 2)
               for r in range(view.model.rowCount())]
    days = [d.day for d in headers if isinstance(d, DayHeader)]
    assert len(days) == len(set(days))


def test_click_shift_click_and_make_an_incident(qtbot, view):
    view.list.setFocus()
    message_rows = [r for r in range(view.model.rowCount())
                    if view.model.message_at(r) is not None][:12]
    click_row(qtbot, view, message_rows[1])
    click_row(qtbot, view, message_rows[8], Qt.KeyboardModifier.ShiftModifier)
    chosen = view.selected()
    assert [m.id for m in chosen] == [view.model.message_at(r).id
                                      for r in message_rows[1:9]]
    calls = sum(m.kind == "call" for m in chosen)
    assert view.selection_label.text().endswith("chosen")
    assert f"{calls} call" in view.selection_label.text()
    assert view.new_button.isEnabled()
    with qtbot.waitSignal(view.make_incident) as asked:
        qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert [m.id for m in asked.args[0]] == [m.id for m in chosen]


def test_drag_and_ctrl_a_choose_messages_never_day_lines(qtbot, view):
    view.list.setFocus()
    start = view.list.visualRect(view.model.index(2)).center()
    end = view.list.visualRect(view.model.index(6)).center()
    qtbot.mousePress(view.list.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.list.viewport(), QPoint(start.x(), (start.y() + end.y()) // 2))
    qtbot.mouseMove(view.list.viewport(), end)
    qtbot.mouseRelease(view.list.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert len(view.selected()) >= 4
    qtbot.keyClick(view.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    n_messages = sum(view.model.message_at(r) is not None for r in range(view.model.rowCount()))
    assert len(view.selected()) == n_messages
    with qtbot.waitSignal(view.add_to_incident) as asked:
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert len(asked.args[0]) == n_messages


def test_clicking_a_day_in_the_chart_shows_that_day(qtbot, view, rows):
    day = date(2025, 4, 20)
    x = round(view.chart.x_of(day))
    qtbot.mouseClick(view.chart, Qt.MouseButton.LeftButton, pos=QPoint(x, 40))
    def at_top():
        index = view.model.index_of_day(day)
        return index is not None and abs(view.list.visualRect(index).top()) < 5
    qtbot.waitUntil(at_top, timeout=5000)
    assert view.model.first_position > 0


def test_the_chart_names_the_day_under_the_mouse(view):
    busiest = max(view.chart.days, key=lambda d: d.total)
    found = view.chart.day_at(view.chart.x_of(busiest.day))
    assert found is not None
    assert found.describe().startswith(f"{busiest.day.day} {busiest.day:%B %Y}: ")


def test_right_to_left_text_starts_at_the_right_of_its_bubble(qtbot, ops):
    assert is_right_to_left("\u200fلماذا لا تردين؟")
    assert is_right_to_left("אני יודע")
    assert not is_right_to_left("hello שלום")
    from dataclasses import replace

    first = fake_rows(1)[0]
    name = "Mark Jones, the neighbour from number 12"  # makes the bubble wider than the text
    rows = [replace(first, kind="message", role="suspect", sender=name, text="لماذا لا تردين"),
            replace(first, id=2, position=1, kind="message", role="suspect", sender=name + " ",
                    text="why not answer")]
    v = ConversationView(ops)
    qtbot.addWidget(v)
    v.resize(800, 500)
    v.show()
    v.set_source(fake_source(rows), "RTL")
    qtbot.waitUntil(lambda: v.model.ready, timeout=5000)
    qtbot.wait(50)
    image = v.list.viewport().grab().toImage()

    def ink(row):
        """Where the message's own (near-black) text lies across the row: the name is
        coloured and the time grey, so only the text counts."""
        rect = v.list.visualRect(v.model.index(row))
        xs = [x for y in range(rect.top(), rect.bottom(), 2)
              for x in range(rect.left(), rect.right())
              if QColor(image.pixel(x, y)).lightness() < 80]
        return min(xs), max(xs)

    rtl = ink(1)
    ltr = ink(2)
    # Both bubbles are as wide as the name; the Arabic text sits at their right side,
    # the English at their left.
    assert ltr[0] < 40 and ltr[1] < 200
    assert rtl[0] > 120
    assert rtl[1] > ltr[1] + 60
    assert isinstance(image, QImage)


def test_ctrl_end_and_ctrl_home_go_to_the_latest_and_the_first_message(qtbot, view, rows):
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: rows[-1].id in [m.id for m in shown_messages(view)], timeout=5000)
    assert view.model.first_position + view.model.held == len(rows)
    assert view.source.key["fetch"] == 2  # the start, then the end: nothing in between
    qtbot.keyClick(view.list, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.first_position == 0
                    and rows[1].id in [m.id for m in shown_messages(view)], timeout=5000)


def test_a_message_written_on_several_lines_is_shown_on_them(qtbot, ops):
    """The phone shows each line of a message on its own: a bubble with three lines is
    three lines high, not one line run together."""
    from datetime import UTC, datetime

    when = datetime(2025, 3, 14, 22, 16, tzinfo=UTC)
    lines = "I know you're home\nI'll wait outside\nall night"
    one = "I know you're home I'll wait outside all night"
    # From two senders, so each bubble carries its sender's name.
    rows = [MessageRow(id=i + 1, position=i, kind="message", sent_at=when,
                       timezone="Europe/London", sender=who, text=text, number=i + 1)
            for i, (who, text) in enumerate((("Mark", one), ("Dave", lines)))]
    v = ConversationView(ops)
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    qtbot.waitExposed(v)
    v.set_source(fake_source(rows), "Mark", "")
    qtbot.waitUntil(lambda: v.model.ready, timeout=5000)
    [single, multi] = [v.list.visualRect(v.model.index(r)) for r in range(v.model.rowCount())
                       if isinstance(v.model.index(r).data(MessageRole), MessageRow)]
    line = v.fontMetrics().height()
    assert multi.height() - single.height() >= 2 * line - 2
