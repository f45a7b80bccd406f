"""Searching in the window: typing narrows the timeline, filters, results, opening one."""


import pytest
from fixtures.screens import chat_screenshot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core import incidents as inc
from evidence_app.core import ocr, people
from evidence_app.core.attachments import get_attachment
from evidence_app.core.cases import create_case
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.store.audit import entries
from evidence_app.gui.search_controller import DEBOUNCE_MS
from tests.gui.helpers import wait_open


def when(text):
    return parse_when(text, "Europe/London")


@pytest.fixture
def story(tmp_path):
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        ids = {
            "work": inc.create_incident(case, when=when("03/03/2025 08:30"),
                                        title="Turned up at my work", category="loitering",
                                        description="The silver Astra was across the road"),
            "texts": inc.create_incident(case, when=when("05/03/2025 22:10"),
                                         title="Texts late at night", category="contact_text",
                                         description="Eleven messages about my sister"),
            "car": inc.create_incident(case, when=when("09/03/2025 07:45"),
                                       title="Car outside the house", category="loitering",
                                       description="Silver Astra AB12 CDE two doors down"),
            "flowers": inc.create_incident(case, when=when("20/03/2025"),
                                           title="Flowers on the doorstep",
                                           category="gifts_letters"),
        }
        mark = people.create_person(case, "Mark Jones", "suspect")
        people.link_person(case, ids["texts"], mark)
        list(import_files(case, [chat_screenshot(tmp_path / "Screenshot_20250305-221000.png")],
                          ids["texts"]))
        ids["folder"] = folder
    return ids


@pytest.fixture
def opened(qtbot, window, story, monkeypatch):
    monkeypatch.setenv("EVIDENCE_APP_TESSERACT", "")  # these tests read no pictures
    window.session.open(story["folder"])
    wait_open(qtbot, window)
    return window


def titles(window):
    model = window.view.model
    return [model.index(r).data() for r in range(model.rowCount())
            if model.flags(model.index(r)) & Qt.ItemFlag.ItemIsSelectable]


def type_search(qtbot, window, text):
    field = window.search_bar.field
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert field.hasFocus()
    qtbot.keyClicks(field, text)


def test_typing_narrows_the_timeline_and_clear_brings_everything_back(qtbot, opened):
    window = opened
    assert len(titles(window)) == 4
    type_search(qtbot, window, "astra")
    qtbot.waitUntil(lambda: titles(window) == ["Car outside the house", "Turned up at my work"],
                    timeout=5000)
    results = window.case_search().results
    qtbot.waitUntil(lambda: results.summary.text() == "2 results", timeout=5000)
    assert window.view.count_label.text() == "2 found"
    assert results.isVisible()
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(titles(window)) == 4, timeout=5000)
    assert not results.isVisible() and window.view.count_label.text() == "4 incidents"


def test_the_last_word_matches_while_typing_and_plates_without_spaces(qtbot, opened):
    window = opened
    type_search(qtbot, window, "sis")
    qtbot.waitUntil(lambda: titles(window) == ["Texts late at night"], timeout=5000)
    window.search_bar.field.clear()
    qtbot.keyClicks(window.search_bar.field, "ab12cde")
    qtbot.waitUntil(lambda: titles(window) == ["Car outside the house"], timeout=5000)


def test_fast_typing_searches_once_and_the_newest_answer_wins(qtbot, opened):
    window = opened
    controller = window.case_search().controller
    answers = []
    controller.results_ready.connect(lambda r: answers.append(r and r.query.raw))
    type_search(qtbot, window, "flowers doorstep")
    qtbot.waitUntil(lambda: bool(answers) and answers[-1] == "flowers doorstep",
                    timeout=DEBOUNCE_MS * 20)
    qtbot.wait(DEBOUNCE_MS * 2)
    assert answers == ["flowers doorstep"]  # one search, not one per key
    assert titles(window) == ["Flowers on the doorstep"]


def test_filters_narrow_without_words(qtbot, opened):
    window = opened
    qtbot.mouseClick(window.search_bar.filters, Qt.MouseButton.LeftButton)
    panel = window.case_search().filters
    assert panel.isVisible()
    qtbot.waitUntil(lambda: panel.person.count() == 2, timeout=5000)
    panel.category.setCurrentIndex(panel.category.findData("loitering"))
    qtbot.waitUntil(lambda: titles(window) == ["Car outside the house", "Turned up at my work"],
                    timeout=5000)
    assert window.search_bar.filters.text() == "Filters (1)"
    panel.category.setCurrentIndex(0)
    panel.person.setCurrentIndex(1)  # Mark Jones
    qtbot.waitUntil(lambda: titles(window) == ["Texts late at night"], timeout=5000)
    qtbot.mouseClick(panel.exhibits, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.search_bar.filters.text() == "Filters (2)", timeout=3000)
    assert titles(window) == ["Texts late at night"]
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(titles(window)) == 4, timeout=5000)


def test_opening_a_result_shows_it_with_the_match_highlighted(qtbot, opened, story):
    window = opened
    type_search(qtbot, window, "sister")
    results = window.case_search().results
    qtbot.waitUntil(lambda: results.list.count() == 1, timeout=5000)
    item = results.list.item(0)
    rect = results.list.visualItemRect(item)
    qtbot.mouseClick(results.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.incident_id == story["texts"], timeout=5000)
    box = editor.form.description
    qtbot.waitUntil(lambda: len(box.extraSelections()) == 1, timeout=5000)
    [sel] = box.extraSelections()
    assert sel.cursor.selectedText() == "sister"
    assert not box.textCursor().hasSelection()  # typing must not replace the match
    assert window.view.timeline.current_incident_id() == story["texts"]


def test_trashed_incidents_leave_the_results(qtbot, opened, story):
    window = opened
    type_search(qtbot, window, "astra")
    qtbot.waitUntil(lambda: len(titles(window)) == 2, timeout=5000)
    window.session.ops.op(inc.delete_incident, story["car"])
    qtbot.waitUntil(lambda: titles(window) == ["Turned up at my work"], timeout=5000)
    results = window.case_search().results
    qtbot.waitUntil(lambda: results.summary.text() == "1 result", timeout=5000)


def test_correcting_the_text_of_a_screenshot(qtbot, window, story, tmp_path):
    from evidence_app.gui.thumbs import ThumbnailLoader
    from evidence_app.gui.widgets.viewer import ExhibitViewer

    window.session.open(story["folder"])
    wait_open(qtbot, window)
    ops = window.session.ops
    case = window.session.case
    att = get_attachment(case, 1)
    viewer = ExhibitViewer(ops, ThumbnailLoader(ops), window)
    qtbot.addWidget(viewer)
    viewer.show_items([att], 0, "Europe/London")
    panel = viewer.ocr
    assert "Waiting to be read" in panel.status.text() or "Tesseract" in panel.status.text()
    assert panel.text.isReadOnly()
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert not panel.text.isReadOnly()
    qtbot.keyClicks(panel.text, "I saw you at Tesco tonight")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text() == "Corrected by hand.", timeout=5000)
    assert get_attachment(case, 1).ocr_text == "I saw you at Tesco tonight"
    with case.read() as session:
        assert any(e.action == "update" and e.details.get("by_hand")
                   for e in entries(session, "attachment", [1]))
    viewer.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    type_search(qtbot, window, "tesco tonight")
    qtbot.waitUntil(lambda: titles(window) == ["Texts late at night"], timeout=5000)


@pytest.mark.needs_tool("tesseract")
def test_pictures_are_read_in_the_background_and_can_be_paused(qtbot, window, story):
    window.session.open(story["folder"])
    wait_open(qtbot, window)
    search = window.case_search()
    runner = search.runner
    qtbot.waitUntil(lambda: runner.state == "idle" and ocr.counts(window.session.case).done == 1,
                    timeout=20000)
    type_search(qtbot, window, "forever")
    qtbot.waitUntil(lambda: titles(window) == ["Texts late at night"], timeout=5000)
    runner.pause()
    qtbot.waitUntil(lambda: ocr.is_paused(window.session.case), timeout=5000)
    assert search.status.isVisible() and search.status.button.text() == "Resume"
    qtbot.mouseClick(search.status.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ocr.is_paused(window.session.case), timeout=5000)
    QApplication.processEvents()


def test_the_incident_being_edited_stays_while_it_no_longer_matches(qtbot, opened, story):
    window = opened
    type_search(qtbot, window, "astra")
    qtbot.waitUntil(lambda: len(titles(window)) == 2, timeout=5000)
    window.show_incident(story["car"])
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.incident_id == story["car"] and editor.detail is not None,
                    timeout=5000)
    box = editor.form.description
    box.selectAll()
    qtbot.keyClicks(box, "A grey van this time")
    qtbot.waitUntil(lambda: "grey van" in inc.get_incident(window.session.case,
                                                           story["car"]).description,
                    timeout=10000)
    qtbot.wait(DEBOUNCE_MS * 3)
    assert editor.incident_id == story["car"]
    assert "Car outside the house" in titles(window)
