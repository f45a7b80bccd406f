"""First run, opening cases, recent cases and a case already open elsewhere."""

from pathlib import Path

from PySide6.QtCore import Qt

from evidence_app.core.cases import open_case
from evidence_app.core.incidents import count_incidents
from evidence_app.gui.app import start
from evidence_app.gui.main_window import MainWindow
from tests.gui.helpers import make_case, message_boxes, wait_box, wait_open


def test_create_a_case_through_the_welcome_screen(qtbot, window, settings, app_home):
    welcome = window.welcome
    assert window.pages.currentWidget() is window.welcome_page
    qtbot.keyClicks(welcome.owner, "Jane Mary Smith")
    assert welcome.initials.text() == "JMS"  # suggested from the name
    welcome.initials.clear()
    qtbot.keyClicks(welcome.initials, "js")
    assert welcome.initials.text() == "JS"
    qtbot.keyClicks(welcome.case_name, "Harassment 2025")
    target = welcome.target_folder()
    assert target.parent == app_home / "data" / "cases"
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    wait_open(qtbot, window)
    assert (target / "case.db").is_file()
    assert window.windowTitle().startswith("Harassment 2025")
    info = window.session.case.settings()
    assert (info.owner_name, info.initials, info.case_name) == (
        "Jane Mary Smith", "JS", "Harassment 2025")
    assert settings.last_case == target.resolve()
    assert settings.recent_cases()[0] == target.resolve()
    assert window.act_new.isEnabled()


def test_the_example_marks_and_the_folder_are_the_persons_own(qtbot, window, app_home):
    welcome = window.welcome
    assert "JS/1, JS/2" in welcome.marks_help.text()  # before anything is typed
    qtbot.keyClicks(welcome.owner, "Amira Begum")
    assert "AB/1, AB/2" in welcome.marks_help.text()
    welcome.initials.clear()
    qtbot.keyClicks(welcome.initials, "ab2")
    assert "AB2/1, AB2/2" in welcome.marks_help.text()
    qtbot.keyClicks(welcome.case_name, "Harassment 2025")
    # Where the case goes, in words: its name in full, no technical path cut in the middle.
    shown = welcome.folder_label.text()
    assert shown == "\u201cHarassment 2025\u201d, in this app\u2019s own folder on this computer"
    assert welcome.folder_label.toolTip() == str(welcome.target_folder())


def test_file_choosers_open_in_pictures_or_home_never_the_programs_folder(tmp_path,
                                                                         monkeypatch):
    from evidence_app.gui import importing

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(importing, "_last_folder", [None])
    start = importing.start_folder()
    assert start != tmp_path and start.is_dir()
    picked = tmp_path / "phone"
    picked.mkdir()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileNames",
                        lambda *a, **k: ([str(picked / "IMG_1.jpg")], ""))
    importing.pick_files_to_import(None, "Import")
    assert importing.start_folder() == picked  # the next chooser opens where this one was


def test_create_needs_a_name_and_sensible_initials(qtbot, window):
    welcome = window.welcome
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert welcome.error.isVisible() and "name" in welcome.error.text()
    qtbot.keyClicks(welcome.owner, "Jane Smith")
    welcome.initials.clear()
    qtbot.keyClicks(welcome.initials, "J5")
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert "Initials" in welcome.error.text()
    assert window.view is None


def test_later_starts_reopen_the_last_case(qtbot, settings, tmp_path):
    folder = make_case(tmp_path / "mine", case_name="Mine")
    settings.last_case = folder
    win = MainWindow(settings)
    qtbot.addWidget(win)
    start(win, None, False)
    wait_open(qtbot, win)
    assert win.session.case.folder == folder.resolve()
    win.session.close()


def test_missing_last_case_shows_the_welcome_screen_quietly(qtbot, settings, tmp_path):
    settings.last_case = tmp_path / "gone"
    win = MainWindow(settings)
    qtbot.addWidget(win)
    start(win, None, False)
    qtbot.wait(50)
    assert win.pages.currentWidget() is win.welcome_page
    assert not message_boxes()


def test_a_case_open_elsewhere_gets_a_clear_message(qtbot, window, tmp_path):
    folder = make_case(tmp_path / "held")
    other = open_case(folder)  # another window holds it
    try:
        window.session.open(folder)
        box = wait_box(qtbot, "open in another window")
        assert "Traceback" not in box.text()
        assert window.pages.currentWidget() is window.welcome_page
        assert window.session.case is None
        box.accept()
    finally:
        other.close()
    window.session.open(folder)  # free again: opens
    wait_open(qtbot, window)


def test_recent_cases_menu_and_list(qtbot, window, settings, tmp_path):
    first = make_case(tmp_path / "First case")
    second = make_case(tmp_path / "Second case")
    for folder in (first, second):
        window.session.open(folder)
        wait_open(qtbot, window)
    assert settings.recent_cases()[:2] == [second.resolve(), first.resolve()]
    window.recent_menu.aboutToShow.emit()
    names = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert names[:2] == ["Second case", "First case"]
    window.session.close()
    recent = window.welcome.recent
    assert recent.isVisibleTo(window) and recent.count() == 2
    item = recent.item(1)
    rect = recent.visualItemRect(item)
    qtbot.mouseClick(recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_open(qtbot, window)
    assert window.session.case.folder == first.resolve()
    assert count_incidents(window.session.case) == 0


def test_opening_a_folder_that_is_not_a_case(qtbot, window, tmp_path, monkeypatch):
    plain = tmp_path / "holiday photos"
    plain.mkdir()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(plain))
    window.act_open_case.trigger()
    box = wait_box(qtbot, "does not hold a case")
    box.accept()
    assert window.session.case is None
    assert Path(plain).exists()


def test_cases_need_not_be_remembered_on_this_computer(qtbot, window, settings, tmp_path):
    folder = make_case(tmp_path / "Private case")
    window.session.open(folder)
    wait_open(qtbot, window)
    assert settings.recent_cases() and settings.last_case is not None
    window.recent_menu.aboutToShow.emit()
    remember = next(a for a in window.recent_menu.actions()
                    if a.text() == "Remember cases on this computer")
    assert remember.isChecked()
    remember.trigger()  # untick
    assert settings.recent_cases() == [] and settings.last_case is None
    ini = settings.path.read_text(encoding="utf-8")
    assert "Private case" not in ini
    window.session.close()
    window.session.open(folder)  # opening again leaves no trace either
    wait_open(qtbot, window)
    assert settings.recent_cases() == [] and settings.last_case is None
    assert window.welcome.recent.count() == 0


def test_a_first_start_types_straight_into_your_full_name(qtbot, window):
    """A newcomer starts typing at once: the name goes into "Your full name", and Tab
    goes through the form in reading order without stopping on an invisible frame."""
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    welcome = window.welcome
    qtbot.keyClicks(QApplication.focusWidget(), "Jane Smith")
    assert welcome.owner.text() == "Jane Smith"
    visited = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
        if visited[-1] is welcome.owner:
            break
    assert visited[:2] == [welcome.initials, welcome.case_name]
    assert visited[-1] is welcome.owner  # round again, every stop a field or a button
    assert welcome.create_button in visited
    assert window.welcome_page not in visited
