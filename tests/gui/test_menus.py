"""Menus and dialogs of the main window: case settings, diary import, sort order, about,
the demo, error dialogs, remembered layout."""

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from evidence_app.core import incidents as inc
from evidence_app.gui.dialogs.about import AboutDialog
from evidence_app.gui.dialogs.case_settings import CaseSettingsDialog
from evidence_app.gui.dialogs.diary_import import DiaryImportDialog
from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.messages import ExceptionHook
from evidence_app.logs import log_file
from tests.gui.helpers import make_case, settle, wait_box, wait_open


@pytest.fixture
def opened(qtbot, window, tmp_path):
    folder = make_case(tmp_path / "case", case_name="My case")
    window.session.open(folder)
    wait_open(qtbot, window)
    return window


def visible(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


def test_case_settings_are_saved_and_audited(qtbot, opened):
    window = opened
    window.act_settings.trigger()
    qtbot.waitUntil(lambda: visible(CaseSettingsDialog) is not None
                    and visible(CaseSettingsDialog).isEnabled(), timeout=15000)
    dialog = visible(CaseSettingsDialog)
    assert dialog.owner_name.text() == "Jane Smith"
    dialog.case_name.clear()
    qtbot.keyClicks(dialog.case_name, "Renamed case")
    dialog.initials.clear()
    qtbot.keyClicks(dialog.initials, "j5")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Initials" in dialog.error.text()  # refused, explained
    dialog.initials.clear()
    qtbot.keyClicks(dialog.initials, "jms")
    qtbot.keyClicks(dialog.address, "1 Elm Road")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Renamed case"), timeout=15000)
    info = window.session.case.settings()
    assert (info.case_name, info.initials, info.address) == ("Renamed case", "JMS", "1 Elm Road")


DIARY = """Date,Time,What happened,Where,Type,Effect on me,Tags
12/03/2025,14:30,Car outside the house,Elm Road,loitering,Could not sleep,car
c. 13 March 2025,,Flowers left on doorstep,Home,gifts,,
31/02/2025,,Impossible date,,texts,,
March 2025,,Fake account messaging friends,Online,social media,,online
"""


def test_import_a_diary_with_a_preview(qtbot, opened, tmp_path, monkeypatch):
    window = opened
    path = tmp_path / "diary.csv"
    path.write_text(DIARY, encoding="utf-8")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    window.act_diary.trigger()
    qtbot.waitUntil(lambda: visible(DiaryImportDialog) is not None, timeout=15000)
    dialog = visible(DiaryImportDialog)
    model = dialog.table.model()
    assert model.rowCount() == 4
    texts = [[model.index(r, c).data() for c in range(6)] for r in range(4)]
    assert texts[0][1] == "12 Mar 2025, 14:30" and texts[0][2] == "Car outside the house"
    assert texts[1][1] == "13 Mar 2025"
    assert texts[2][5].startswith("Cannot be read")
    # Why a row cannot be read has room to be read, not just "Cannot be rea...".
    reason = texts[2][5]
    shown = dialog.table.fontMetrics().horizontalAdvance("Cannot be read: cannot read the date")
    assert dialog.table.columnWidth(5) > shown
    assert model.index(2, 5).data(Qt.ItemDataRole.ToolTipRole) == reason
    assert texts[3][1] == "March 2025"
    assert dialog.import_button.text() == "Import the 3 readable rows"
    with qtbot.waitSignal(dialog.accepted, timeout=15000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    titles = sorted(s.title for s in inc.list_incidents(window.session.case))
    assert titles == ["Car outside the house", "Fake account messaging friends",
                      "Flowers left on doorstep"]
    assert "Imported 3 incidents" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.view.model.total == 3, timeout=15000)
    # The person adds a row to the spreadsheet and imports it again: only the new row comes in.
    path.write_text(DIARY + "14/03/2025,08:00,Waiting at the bus stop,Park Row,following,,\n",
                    encoding="utf-8")
    window.act_diary.trigger()
    qtbot.waitUntil(lambda: visible(DiaryImportDialog) not in (None, dialog), timeout=15000)
    again = visible(DiaryImportDialog)
    model = again.table.model()
    notes = [model.index(r, 5).data() for r in range(model.rowCount())]
    assert notes.count("Already in the case: left out") == 3
    assert again.import_button.text() == "Import the 1 readable row"
    with qtbot.waitSignal(again.accepted, timeout=15000):
        qtbot.mouseClick(again.import_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(inc.list_incidents(window.session.case)) == 4
    assert "Imported 1 incident " in window.statusBar().currentMessage()


def test_a_file_that_is_not_a_diary_is_explained(qtbot, opened, tmp_path, monkeypatch):
    window = opened
    path = tmp_path / "photo.csv"
    path.write_text("name,size\nIMG_1.jpg,12\n", encoding="utf-8")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    window.act_diary.trigger()
    box = wait_box(qtbot, "no 'date' column")
    box.accept()


def test_sort_order_is_chosen_and_remembered(qtbot, opened, settings):
    window = opened
    case = window.session.case
    from datetime import UTC, datetime

    from evidence_app.core.dates import When
    from evidence_app.core.vocab import Precision

    for day, title in ((1, "Earlier"), (20, "Later")):
        inc.create_incident(case, title=title, when=When(datetime(2025, 1, day, tzinfo=UTC),
                                                         None, Precision.DAY, "Europe/London"))
    window.view.model.reload()
    qtbot.waitUntil(lambda: len(window.view.model.incident_ids()) == 2, timeout=15000)
    newest = [window.view.model.index(r).data() for r in range(1, 3)]
    assert newest == ["Later", "Earlier"]
    oldest = next(a for a in window.menus["view"].actions() if a.text() == "&Oldest first")
    oldest.trigger()
    qtbot.waitUntil(lambda: window.view.model.index(1).data() == "Earlier", timeout=15000)
    assert settings.newest_first is False
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.act_oldest.isChecked()


def test_window_layout_is_remembered(qtbot, settings, tmp_path):
    folder = make_case(tmp_path / "c")
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 540)
    first.session.open(folder)
    wait_open(qtbot, first)
    first.view.setSizes([333, 667])
    sizes = first.view.sizes()
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert (second.size().width(), second.size().height()) == (760, 540)
    second.session.open(folder)
    wait_open(qtbot, second)
    assert second.view.sizes()[0] == sizes[0]
    second.session.close()


def test_about_names_the_version_and_where_things_are(qtbot, opened):
    window = opened
    window.act_about.trigger()
    qtbot.waitUntil(lambda: visible(AboutDialog) is not None, timeout=15000)
    about = visible(AboutDialog)
    assert str(window.session.case.folder) == about.paths["This case"]
    assert about.paths["Log file"] == str(log_file())
    about.close()


def test_demo_says_clearly_when_it_is_not_available(qtbot, window, monkeypatch):
    # A build packaged without the generator: importing it fails as if it were not there.
    monkeypatch.setitem(sys.modules, "evidence_app.demo.case", None)
    qtbot.mouseClick(window.welcome.demo, Qt.MouseButton.LeftButton)
    box = wait_box(qtbot, "not available")
    box.accept()
    assert window.session.case is None


def test_demo_case_opens_in_a_temporary_folder_and_is_removed(qtbot, window, monkeypatch):
    from evidence_app.core.cases import create_case

    def create_demo_case(folder):  # one incident: quicker than the real five months
        case = create_case(folder, owner_name="Sam Sample", initials="SS", case_name="Sample")
        inc.create_incident(case, title="Sample incident")
        return case

    monkeypatch.setattr("evidence_app.demo.case.create_demo_case", create_demo_case)
    window.session.open_demo()
    wait_open(qtbot, window)
    folder = window.session.case.folder
    assert window.view.model.total == 1
    assert "temporary" in window.case_label.text()
    assert window.settings.last_case is None and window.settings.recent_cases() == []
    window.session.close()
    assert not folder.exists()


def test_unexpected_errors_show_a_readable_dialog_naming_the_log(qtbot, window):
    hook = ExceptionHook(lambda: window)
    try:
        raise ValueError("boom")
    except ValueError:
        hook(*sys.exc_info())
    box = wait_box(qtbot, str(log_file()))
    assert "Something went wrong" in box.text()
    assert "Traceback" not in box.text()
    assert "ValueError: boom" in log_file().read_text(encoding="utf-8")
    box.accept()
