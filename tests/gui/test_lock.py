"""Locking and quick hide on a case without a passphrase: Ctrl+L, Escape twice, a chosen
key, the idle lock, what the locked window shows, and Escape's own uses kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from evidence_app import APP_NAME
from evidence_app.core.attachments import list_inbox
from evidence_app.core.cases import open_case
from evidence_app.core.incidents import count_incidents
from evidence_app.gui.clipboard import copy_text
from evidence_app.gui.dialogs.privacy import PrivacyDialog
from evidence_app.gui.settings import AppSettings
from tests.gui.helpers import settle


def visible_windows():
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def everything_said(window) -> str:
    """Every text the main window shows, its title included."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    texts = [window.windowTitle()]
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisibleTo(window) and widget.isVisible():
            texts.append(widget.text())
    return "\n".join(texts)


def open_people(qtbot, window):
    window.act_people.trigger()
    people = window._tools["people"]
    qtbot.waitUntil(people.isVisible)
    return people


def test_ctrl_l_locks_and_show_my_case_brings_everything_back(qtbot, case_window):
    window = case_window
    assert "Jane Smith" in window.windowTitle()
    people = open_people(qtbot, window)
    window.activateWindow()
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.locked)

    assert window.pages.currentWidget() is window.lock_screen
    shown = everything_said(window)
    assert "Jane Smith" not in shown and "case" not in window.windowTitle().lower()
    assert window.windowTitle() == APP_NAME
    assert "Show my case" in shown
    assert not window.menuBar().isVisible() and not window.toolbar.isVisible()
    assert not window.statusBar().isVisible()  # it shows the case's folder
    assert not people.isVisible()
    assert visible_windows() == [window]

    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.locked
    assert window.pages.currentWidget() is window.view
    assert "Jane Smith" in window.windowTitle()
    assert window.menuBar().isVisible() and window.toolbar.isVisible()
    qtbot.waitUntil(people.isVisible)  # the window hidden by the lock is back


def test_shortcuts_and_drops_do_nothing_while_locked(qtbot, case_window):
    window = case_window
    window.act_lock.trigger()
    assert window.locked
    before = count_incidents(window.session.case)
    qtbot.keyClick(window.lock_screen, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.lock_screen, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    settle(qtbot, window)
    assert count_incidents(window.session.case) == before
    assert visible_windows() == [window]  # Ctrl+P opened no report
    assert window.pages.currentWidget() is window.lock_screen


def test_escape_twice_hides_every_window_and_locks(qtbot, case_window):
    window = case_window
    people = open_people(qtbot, window)
    qtbot.keyClick(people, Qt.Key.Key_Escape)  # Escape once: People closes, as before
    qtbot.waitUntil(lambda: not people.isVisible())
    assert not window.locked
    window.activateWindow()
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.locked)
    qtbot.waitUntil(window.isMinimized)
    assert visible_windows() in ([window], [])
    assert "Jane Smith" not in window.windowTitle()


def test_escape_once_still_clears_the_search_and_does_not_lock(qtbot, case_window):
    window = case_window
    field = window.search_bar.field
    qtbot.waitUntil(field.isEnabled)
    field.setFocus()
    qtbot.keyClicks(field, "parked")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    qtbot.wait(700)  # more than the double-press time: the next press starts afresh
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert not window.locked


def test_another_key_between_the_two_escapes_does_not_hide(qtbot, case_window):
    window = case_window
    target = window.view.timeline
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.keyClick(target, Qt.Key.Key_Down)
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert not window.locked


def test_neutral_name_while_hidden(qtbot, case_window):
    window = case_window
    window.settings.neutral_title = "Notes"
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.locked)
    assert window.windowTitle() == "Notes"
    assert QGuiApplication.applicationDisplayName() == "Notes"
    shown = everything_said(window)
    assert APP_NAME not in shown and "case" not in shown.lower()
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.applicationDisplayName() == APP_NAME
    assert "Jane Smith" in window.windowTitle()
    assert not window.isMinimized()


def test_locking_clears_what_the_app_copied(qtbot, case_window):
    window = case_window
    copy_text("4f0c2b1e")  # e.g. an exhibit's fingerprint
    window.act_lock.trigger()
    assert QGuiApplication.clipboard().text() == ""


def test_idle_lock(qtbot, case_window):
    window = case_window
    window.lock.set_idle_seconds(0.3)
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.pages.currentWidget() is window.lock_screen


def test_idle_time_comes_from_the_settings(qtbot, window, tmp_path):
    from tests.gui.helpers import make_case, wait_open

    window.settings.set_lock_after_minutes(False, 0)
    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    assert not window.lock._idle.isActive()  # plain cases: off by default
    window.settings.set_lock_after_minutes(False, 10)
    window.lock.apply_settings()
    assert window.lock._idle_s == 600


def test_privacy_dialog_sets_a_quick_hide_key_and_a_name(qtbot, case_window):
    window = case_window
    dialog = PrivacyDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.key_double.isChecked() and not dialog.neutral_on.isChecked()
    qtbot.mouseClick(dialog.key_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_F12)
    assert dialog.key_custom.isChecked()
    dialog.neutral_on.setChecked(True)
    dialog.neutral.setText("Shopping list")
    dialog.idle_plain.setCurrentIndex(dialog.idle_plain.findData(5))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    window.lock.apply_settings()

    again = AppSettings(window.settings.path)
    assert again.quick_hide_key == "F12"
    assert again.neutral_title == "Shopping list"
    assert again.lock_after_minutes(False) == 5

    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert not window.locked  # Escape no longer hides
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.locked)
    assert window.windowTitle() == "Shopping list"


def test_quick_hide_during_an_import_keeps_every_file(qtbot, case_window, tmp_path):
    from evidence_app.gui.importing import start_import
    from tests.gui.test_import_progress import many_photos

    window = case_window
    folder = tmp_path / "phone"
    folder.mkdir()
    many_photos(folder, 60, size=(800, 600))
    run = start_import(window.session.ops, [folder], None, "the Inbox", window,
                       show_after_ms=0)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert run.running  # the keys came while it was importing
    qtbot.waitUntil(lambda: window.locked)
    qtbot.wait(50)
    assert visible_windows() in ([window], [])  # its progress window waits hidden too
    qtbot.waitUntil(lambda: not run.running, timeout=60000)
    qtbot.wait(50)
    assert not run.summary.isVisible()  # its file names wait behind the lock
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(run.summary.isVisible)
    settle(qtbot, window)
    folder_of_case = window.session.case.folder
    window.session.close()
    again = open_case(folder_of_case)
    try:
        assert len(list_inbox(again)) == 60
    finally:
        again.close()


def test_escape_alone_cannot_be_the_quick_hide_key(qtbot, window):
    dialog = PrivacyDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.key_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Escape)
    dialog.key_custom.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "Esc on its own" in dialog.error.text()
    assert dialog.isVisible()
    assert AppSettings(window.settings.path).quick_hide_key == "Esc Esc"


def test_a_maximised_window_comes_back_maximised(qtbot, case_window):
    window = case_window
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.isMinimized)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isMaximized()


def open_viewer(qtbot, window, tmp_path):
    from datetime import datetime

    from evidence_app.core.attachments import incident_attachments
    from evidence_app.core.importers.files import import_files
    from evidence_app.core.incidents import create_incident
    from evidence_app.gui.thumbs import ThumbnailLoader
    from evidence_app.gui.widgets.viewer import ExhibitViewer
    from tests.sample_images import photo

    ops = window.session.ops
    case = window.session.case
    incident = create_incident(case, when=None, title="Car outside")
    list(import_files(case, [photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17))],
                      incident))
    viewer = ExhibitViewer(ops, ThumbnailLoader(ops))
    qtbot.addWidget(viewer)
    viewer.show_items(incident_attachments(case, incident), 0, "Europe/London")
    qtbot.waitExposed(viewer)
    viewer.activateWindow()  # as it is when it opens on a double-click
    qtbot.waitUntil(lambda: QApplication.activeWindow() is viewer)
    return viewer


def test_escape_closes_the_viewer_and_a_second_escape_hides_the_app(qtbot, case_window,
                                                                   tmp_path):
    window = case_window
    viewer = open_viewer(qtbot, window, tmp_path)
    qtbot.keyClick(viewer.image, Qt.Key.Key_Escape)
    assert not viewer.isVisible()  # Escape's own use, as before
    assert not window.locked
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)  # soon after: quick hide
    qtbot.waitUntil(lambda: window.locked)


def test_the_viewer_hides_with_the_lock_and_comes_back(qtbot, case_window, tmp_path):
    window = case_window
    viewer = open_viewer(qtbot, window, tmp_path)
    qtbot.keyClick(viewer.image, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.locked)  # Ctrl+L works from the viewer too
    assert not viewer.isVisible()
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(viewer.isVisible)
