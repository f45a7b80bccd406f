"""The Inbox: sorting files into incidents by hand or by reviewed time grouping."""

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QLineEdit

from evidence_app.core.attachments import count_inbox, incident_attachments
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident, get_incident, list_incidents
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.inbox import InboxView
from tests.gui_helpers import drop_files
from tests.sample_images import photo, screenshot

SHOTS = ["Screenshot_20250312-081500.png", "Screenshot_20250312-083000.png",
         "Screenshot_20250312-085500.png", "Screenshot_20250312-110000.png",
         "Screenshot_20250312-112000.png"]


@pytest.fixture
def ops(case):
    ops = CaseOps(case)
    yield ops
    ops.wait_idle()


@pytest.fixture
def files(case, tmp_path):
    """Two bursts of screenshots on 12 March 2025 and a photo the next evening, imported
    in shuffled order (the inbox sorts them by when they were taken)."""
    paths = [screenshot(tmp_path / "in" / name, lines=(f"message {i}", "where are you"))
             for i, name in enumerate(SHOTS)]
    paths.append(photo(tmp_path / "in" / "IMG_0001.jpg", datetime(2025, 3, 13, 19, 5)))
    order = [5, 3, 0, 4, 1, 2]
    list(import_files(case, [paths[i] for i in order]))
    return paths


@pytest.fixture
def inbox(qtbot, ops, files):
    view = InboxView(ops)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitUntil(lambda: len(view.model.items) == 6, timeout=5000)
    return view


def select_rows(qtbot, inbox, rows):
    inbox.view.setFocus()
    for i, row in enumerate(rows):
        rect = inbox.view.visualRect(inbox.model.index(row))
        mod = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(inbox.view.viewport(), Qt.MouseButton.LeftButton, mod, rect.center())


def test_files_are_listed_by_capture_time(inbox):
    assert [a.original_name for a in inbox.model.items] == [*SHOTS, "IMG_0001.jpg"]
    assert inbox.heading.text() == "Inbox (6)"
    subtitle = inbox.model.index(0).data(Qt.ItemDataRole.UserRole + 3)
    assert subtitle == "12 Mar 2025, 08:15"
    assert not inbox.new_button.isEnabled()  # nothing selected yet
    assert inbox.group_button.isEnabled()


def test_new_incident_from_selection_is_dated_from_the_earliest(qtbot, inbox, case):
    select_rows(qtbot, inbox, [3, 1])
    assert inbox.new_button.isEnabled()
    with qtbot.waitSignal(inbox.incident_created, timeout=5000) as created:
        qtbot.mouseClick(inbox.new_button, Qt.MouseButton.LeftButton)  # opens in the editor
    detail = get_incident(case, created.args[0])
    assert detail.when_text == "12 Mar 2025, between 08:30 and 11:00"  # the whole span
    assert detail.precision == "between"
    assert sorted(a.original_name for a in detail.attachments) == [SHOTS[1], SHOTS[3]]
    qtbot.waitUntil(lambda: len(inbox.model.items) == 4, timeout=5000)


def test_group_by_time_is_reviewed_before_anything_is_created(qtbot, inbox, case):
    qtbot.mouseClick(inbox.group_button, Qt.MouseButton.LeftButton)
    review = inbox.review
    assert review.isVisible()
    tree = review.tree
    assert tree.topLevelItemCount() == 3
    assert [tree.topLevelItem(i).text(2) for i in range(3)] == ["3", "2", "1"]
    assert review.create_button.text() == "Create 3 incidents"
    # A wider gap joins the two morning bursts; back to 30 minutes splits them again.
    review.gap.setFocus()
    review.gap.selectAll()
    qtbot.keyClicks(review.gap, "150")
    assert tree.topLevelItemCount() == 2
    review.gap.selectAll()
    qtbot.keyClicks(review.gap, "30")
    assert tree.topLevelItemCount() == 3
    assert count_incidents_now(case) == 0  # still only a proposal

    # Untick the photo's group with the keyboard, rename the first group in place.
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(2))
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert tree.topLevelItem(2).checkState(0) == Qt.CheckState.Unchecked
    assert review.create_button.text() == "Create 2 incidents"
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = tree.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Messages before work")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tree.topLevelItem(0).text(0) == "Messages before work", timeout=2000)
    assert review.isVisible() and count_incidents_now(case) == 0  # Enter only renamed

    qtbot.mouseClick(review.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: count_incidents_now(case) == 2, timeout=5000)
    first, second = list_incidents(case)
    assert first.title == "Messages before work"
    assert first.when_text == "12 Mar 2025, between 08:15 and 08:55"
    assert first.exhibit_count == 3
    assert second.title == "2 screenshots"
    assert second.occurred_at == datetime(2025, 3, 12, 11, 0, tzinfo=UTC)
    assert second.when_text == "12 Mar 2025, between 11:00 and 11:20"
    qtbot.waitUntil(lambda: [a.original_name for a in inbox.model.items] == ["IMG_0001.jpg"],
                    timeout=5000)


def test_files_dated_by_copying_are_proposed_apart_and_unticked(qtbot, ops, case, tmp_path):
    import os

    dated = [screenshot(tmp_path / "in" / name, lines=(f"message {i}",))
             for i, name in enumerate(SHOTS[:2])]
    copied = []
    for n in range(4):  # a month of messages, copied to the laptop today
        p = screenshot(tmp_path / "copied" / f"chat {n}.png", lines=(f"chat {n}",))
        os.utime(p, (datetime(2026, 12, 4, 18, 29, n, tzinfo=UTC).timestamp(),) * 2)
        copied.append(p)
    list(import_files(case, dated + copied))
    view = InboxView(ops)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: len(view.model.items) == 6, timeout=5000)
    qtbot.mouseClick(view.group_button, Qt.MouseButton.LeftButton)
    tree = view.review.tree
    rows = [(tree.topLevelItem(i).text(1), tree.topLevelItem(i).checkState(0))
            for i in range(tree.topLevelItemCount())]
    assert rows == [("12 Mar 2025, 08:15 to 08:30", Qt.CheckState.Checked),
                    ("copied 4 Dec 2026, 18:29", Qt.CheckState.Unchecked)]
    assert view.review.undated.isVisible()
    assert "The last group (4 files) has no date of its own" in view.review.undated.text()
    assert view.review.create_button.text() == "Create 1 incident"
    # The person can still tick it, knowingly.
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(1))
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert view.review.create_button.text() == "Create 2 incidents"
    view.review.reject()


def count_incidents_now(case):
    return len(list_incidents(case))


def test_add_to_an_existing_incident(qtbot, inbox, case):
    target = create_incident(case, title="Messages through the night")
    select_rows(qtbot, inbox, [0])
    qtbot.mouseClick(inbox.add_button, Qt.MouseButton.LeftButton)
    picker = inbox.exhibit_actions.picker
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1, timeout=5000)
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(incident_attachments(case, target)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: len(inbox.model.items) == 5, timeout=5000)


def test_drops_and_pastes_land_in_the_inbox(qtbot, inbox, case, tmp_path):
    extra = photo(tmp_path / "more" / "IMG_0002.jpg", datetime(2025, 3, 1, 7, 0), colour="#a55")
    assert drop_files(inbox.view.viewport(), [extra])
    qtbot.waitUntil(lambda: len(inbox.model.items) == 7, timeout=10000)
    assert inbox.model.items[0].original_name == "IMG_0002.jpg"  # the earliest comes first
    inbox.last_import.summary.close()
    inbox.activateWindow()  # the person clicks back into the window after the summary
    qtbot.waitUntil(inbox.isActiveWindow, timeout=2000)
    image = QImage(200, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("#225588"))
    QGuiApplication.clipboard().setImage(image)
    inbox.view.setFocus()
    qtbot.keyClick(inbox.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: count_inbox(case) == 8, timeout=5000)


def test_new_incidents_are_described_one_by_one_with_the_keyboard(qtbot, inbox, case):
    from evidence_app.core.search.find import SearchFilters, search

    qtbot.mouseClick(inbox.group_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(inbox.review.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inbox.describing is not None and inbox.describing.isVisible()
                    and inbox.describing.title.isEnabled(), timeout=5000)
    pass_ = inbox.describing
    assert pass_.counter.text() == "Incident 1 of 3"
    assert pass_.title.text() == "3 screenshots" and pass_.title.hasSelectedText()
    assert sum(p.isVisible() for p in pass_.pictures) == 3  # its pictures, side by side
    # Type a title (replacing the suggestion), Tab to the type, pick it by typing, Enter.
    qtbot.keyClicks(pass_.title, "Messages from a new number")
    qtbot.keyClick(pass_.title, Qt.Key.Key_Tab)
    assert pass_.category.hasFocus()
    qtbot.keyClicks(pass_.category, "Thr")
    assert pass_.category.currentData() == "threats"
    qtbot.keyClick(pass_.category, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pass_.counter.text() == "Incident 2 of 3"
                    and pass_.title.isEnabled(), timeout=5000)
    qtbot.mouseClick(pass_.skip_button, Qt.MouseButton.LeftButton)  # later
    qtbot.waitUntil(lambda: pass_.counter.text() == "Incident 3 of 3"
                    and pass_.title.isEnabled(), timeout=5000)
    assert pass_.save_button.text() == "Save and finish"
    qtbot.keyClicks(pass_.title, "Car outside the house")
    qtbot.keyClick(pass_.title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: inbox.describing is None, timeout=5000)
    inbox.ops.wait_idle()
    summaries = {s.title: s.category for s in list_incidents(case)}
    assert summaries == {"Messages from a new number": "threats", "2 screenshots": "other",
                         "Car outside the house": "other"}
    # What is still to describe is easy to find: untitled or typed Other.
    found = search(case, "", SearchFilters(to_describe=True))
    assert sorted(h.title for h in found.hits) == ["2 screenshots", "Car outside the house"]
