"""Cases protected by a passphrase, driven through the window: creating one (with the
recovery key shown once and checked), unlocking (wrong, then right), the recovery key,
Ctrl+L and the idle lock closing the case, quick hide during an import, and the last
case never opened without asking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core.attachments import list_inbox
from evidence_app.core.cases import create_case, open_case
from evidence_app.core.errors import WrongPassphrase
from evidence_app.core.store.verify import run_verify
from evidence_app.gui.app import start
from evidence_app.gui.dialogs.passphrase import UnlockDialog
from evidence_app.gui.dialogs.recovery_key import RecoveryKeyDialog
from tests.gui.helpers import settle, wait_box, wait_open

PASSPHRASE = "paper lantern orchard seven"


def protected_case(folder):
    """A closed case protected by PASSPHRASE; returns (folder, recovery key)."""
    case = create_case(folder, owner_name="Jane Smith", initials="JS", case_name="Private log",
                       passphrase=PASSPHRASE)
    key = case.recovery_key
    case.close()
    return folder, key


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def unlock_dialog(qtbot, window) -> UnlockDialog:
    found: list[UnlockDialog] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, UnlockDialog) and w.isVisible()
                    and w.parentWidget() is window]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10000)
    return found[0]


def type_passphrase(qtbot, dialog: UnlockDialog, text: str) -> None:
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def unlock(qtbot, window, text: str = PASSPHRASE) -> None:
    type_passphrase(qtbot, unlock_dialog(qtbot, window), text)
    wait_open(qtbot, window)


def test_create_a_protected_case_and_check_its_recovery_key(qtbot, window, settings):
    welcome = window.welcome
    qtbot.keyClicks(welcome.owner, "Jane Smith")
    qtbot.keyClicks(welcome.case_name, "Private log")
    target = welcome.target_folder()
    qtbot.mouseClick(welcome.protect, Qt.MouseButton.LeftButton)
    assert welcome.passphrase.isVisible()
    qtbot.keyClicks(welcome.passphrase.first, "short")
    assert "Too short" in welcome.passphrase.hint.text()
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert "passphrase" in welcome.error.text()  # refused, with a reason
    welcome.passphrase.first.clear()
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    wait_open(qtbot, window)
    assert window.session.case.encrypted
    assert welcome.passphrase.first.text() == ""  # not kept in the form

    dialog = window.protection.recovery_dialog
    assert isinstance(dialog, RecoveryKeyDialog) and dialog.isVisible()
    assert window.session.case.recovery_key is None  # the window holds it only here
    groups = dialog.key_label.text().split()
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    qtbot.mouseClick(dialog.written_button, Qt.MouseButton.LeftButton)
    first, second = dialog.fields
    qtbot.keyClicks(first, groups[dialog.asked[0]].lower())
    qtbot.keyClicks(second, "ZZZZZ")
    assert not dialog.done_button.isEnabled()
    assert "does not match" in dialog.check_note.text()
    second.clear()
    qtbot.keyClicks(second, groups[dialog.asked[1]])
    assert dialog.done_button.isEnabled()
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    # Not listed on this computer: the box was left unticked.
    assert settings.recent_cases() == [] and settings.last_case is None
    window.session.close()
    key = "-".join(groups)
    again = open_case(target, recovery_key=key)  # what was written down opens it
    again.close()


def test_the_recovery_sheet_prints_to_pdf(qtbot, tmp_path):
    from pypdf import PdfReader

    dialog = RecoveryKeyDialog("7K3QM-X9RTW-4HNPZ-QA2VB-M8C5D-TT6XE-90JKS-R2F4Y", "Private log")
    qtbot.addWidget(dialog)
    dialog.write_pdf(tmp_path / "sheet.pdf")
    text = " ".join(PdfReader(tmp_path / "sheet.pdf").pages[0].extract_text().split())
    assert "7K3QM" in text and "R2F4Y" in text and "away from the computer" in text
    dialog.confirmed = True


def test_unlock_wrong_then_right_changes_nothing_on_disk(qtbot, window, tmp_path):
    folder, _key = protected_case(tmp_path / "case")
    before = snapshot(folder)
    window.session.open(folder)
    dialog = unlock_dialog(qtbot, window)
    assert "no way into" in " ".join(w.text() for w in dialog.findChildren(type(dialog.title)))
    type_passphrase(qtbot, dialog, "paper lantern orchard six")
    qtbot.waitUntil(lambda: "does not open this case" in dialog.message.text(), timeout=10000)
    assert "Nothing has been changed" in dialog.message.text()
    assert window.session.case is None
    assert snapshot(folder) == before
    type_passphrase(qtbot, dialog, PASSPHRASE)
    wait_open(qtbot, window)
    assert window.windowTitle().startswith("Private log")


def test_the_recovery_key_opens_the_case_and_sets_a_new_passphrase(qtbot, window, tmp_path):
    folder, key = protected_case(tmp_path / "case")
    window.session.open(folder)
    dialog = unlock_dialog(qtbot, window)
    qtbot.mouseClick(dialog.switch, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.recovery, key.lower().replace("-", " "))
    qtbot.keyClicks(dialog.new_passphrase.first, "quiet harbour winter bread")
    assert not dialog.ok_button.isEnabled()  # typed once only
    qtbot.keyClicks(dialog.new_passphrase.second, "quiet harbour winter bread")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_open(qtbot, window)
    window.session.close()
    open_case(folder, passphrase="quiet harbour winter bread").close()
    with pytest.raises(WrongPassphrase):
        open_case(folder, passphrase=PASSPHRASE)


def test_a_mistyped_recovery_key_is_explained(qtbot, window, tmp_path):
    folder, key = protected_case(tmp_path / "case")
    before = snapshot(folder)
    window.session.open(folder)
    dialog = unlock_dialog(qtbot, window)
    qtbot.mouseClick(dialog.switch, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.recovery, key[:-1] + ("A" if key[-1] != "A" else "B"))
    qtbot.keyClicks(dialog.new_passphrase.first, "quiet harbour winter bread")
    qtbot.keyClicks(dialog.new_passphrase.second, "quiet harbour winter bread")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing has been changed" in dialog.message.text(), timeout=10000)
    assert "mistake" in dialog.message.text()
    assert snapshot(folder) == before


def test_ctrl_l_closes_a_protected_case_until_the_passphrase_is_typed(qtbot, window, tmp_path):
    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    unlock(qtbot, window)
    assert window.lock._idle_s == 5 * 60  # protected cases lock after 5 minutes by default
    assert "protected by a passphrase" in window.case_label.text()
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.locked)
    assert window.session.case is None  # closed: its keys are gone
    assert window.lock_screen.unlock_button.text().startswith("Unlock")
    assert "Private log" not in window.windowTitle()
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, window)
    assert not window.locked
    assert window.pages.currentWidget() is window.view


def test_idle_lock_closes_a_protected_case(qtbot, window, tmp_path):
    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    unlock(qtbot, window)
    window.lock.set_idle_seconds(0.3)
    qtbot.waitUntil(lambda: window.locked and window.session.case is None, timeout=5000)


def test_quick_hide_during_an_import_keeps_every_finished_import(qtbot, window, tmp_path):
    from evidence_app.gui.importing import start_import
    from tests.gui.test_import_progress import many_photos

    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    unlock(qtbot, window)
    first = tmp_path / "first"
    first.mkdir()
    many_photos(first, 5, size=(640, 480))
    done = start_import(window.session.ops, [first], None, "the Inbox", window)
    qtbot.waitUntil(lambda: not done.running, timeout=30000)
    assert len([r for r in done.results if r.status == "imported"]) == 5
    done.summary.close()
    second = tmp_path / "second"
    second.mkdir()
    many_photos(second, 80, size=(1600, 1200))
    run = start_import(window.session.ops, [second], None, "the Inbox", window)
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Escape)
    assert run.running
    qtbot.waitUntil(lambda: window.locked and window.session.case is None, timeout=60000)
    assert not run.running

    case = open_case(folder, passphrase=PASSPHRASE)
    try:
        kept = len(list_inbox(case))
        # The finished import whole; of the stopped one, only files it had committed.
        assert 5 <= kept <= 85
        assert run_verify(case).ok  # no original without its record, nothing half-written
    finally:
        case.close()

    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, window)
    if kept < 85:  # it was stopped: the person is told, after unlocking
        wait_box(qtbot, "stopped before the case closed")
    settle(qtbot, window)


def test_the_last_case_is_never_opened_without_asking(qtbot, window, settings, tmp_path):
    folder, _key = protected_case(tmp_path / "case")
    settings.remember_protected = True
    settings.last_case = folder
    start(window, None, False)
    dialog = unlock_dialog(qtbot, window)
    assert window.session.case is None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.welcome_page
    assert window.session.case is None


def test_protect_an_open_plain_case(qtbot, case_window, settings):
    from evidence_app.gui.dialogs.protect import ProtectDialog

    window = case_window
    folder = window.session.case.folder
    assert folder in settings.recent_cases()
    assert not window.act_change_passphrase.isEnabled()
    window.act_protect.trigger()
    dialog = window.protection.protect_dialog
    assert isinstance(dialog, ProtectDialog) and dialog.isVisible()
    assert "SSD" in " ".join(label.text() for label in dialog.findChildren(type(window.case_label)))
    assert not dialog.start_button.isEnabled()
    qtbot.keyClicks(dialog.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase.second, PASSPHRASE)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    box = wait_box(qtbot, "full-disk encryption", timeout=60000)  # what the disk keeps
    box.close()
    qtbot.waitUntil(lambda: window.session.case is not None and window.session.encrypted,
                    timeout=30000)
    wait_open(qtbot, window)
    assert isinstance(window.protection.recovery_dialog, RecoveryKeyDialog)
    key = "-".join(window.protection.recovery_dialog.key_label.text().split())
    window.protection.recovery_dialog.confirmed = True
    window.protection.recovery_dialog.close()
    assert window.act_change_passphrase.isEnabled() and not window.act_protect.isEnabled()
    assert folder not in settings.recent_cases()  # no longer listed: not asked to be
    assert not (folder / "case.db").read_bytes().startswith(b"SQLite format 3")
    window.session.close()
    open_case(folder, recovery_key=key).close()
    open_case(folder, passphrase=PASSPHRASE).close()


def test_change_passphrase(qtbot, window, tmp_path):
    from evidence_app.gui.dialogs.protect import ChangePassphraseDialog

    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    unlock(qtbot, window)
    window.act_change_passphrase.trigger()
    dialog = next(w for w in window.findChildren(ChangePassphraseDialog) if w.isVisible())
    qtbot.keyClicks(dialog.current, "not the passphrase")
    qtbot.keyClicks(dialog.new.first, "quiet harbour winter bread")
    qtbot.keyClicks(dialog.new.second, "quiet harbour winter bread")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing has been changed" in dialog.message.text(), timeout=10000)
    dialog.current.clear()
    qtbot.keyClicks(dialog.current, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "passphrase is changed" in window.statusBar().currentMessage()
    window.session.close()
    open_case(folder, passphrase="quiet harbour winter bread").close()
    with pytest.raises(WrongPassphrase):
        open_case(folder, passphrase=PASSPHRASE)


def test_open_original_on_a_protected_case_says_first_that_a_copy_leaves_it(qtbot, window,
                                                                          tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from evidence_app.gui.widgets.exhibit_actions import copy_allowed

    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    unlock(qtbot, window)
    ops = window.session.ops
    said: list[str] = []

    def answer(button_text: str, tick: bool = False) -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        said.append(box.informativeText())
        if tick:
            box.checkBox().setChecked(True)
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(50, lambda: answer("Cancel"))
    assert not copy_allowed(ops, window)
    assert "outside the protection" in said[0]
    QTimer.singleShot(50, lambda: answer("Open a readable copy", tick=True))
    assert copy_allowed(ops, window)
    assert copy_allowed(ops, window)  # not asked again while the case is open
    assert len(said) == 2


def test_locking_while_a_protected_case_is_created_keeps_its_recovery_key(qtbot, window):
    welcome = window.welcome
    qtbot.keyClicks(welcome.owner, "Jane Smith")
    qtbot.mouseClick(welcome.protect, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    window.act_lock.trigger()  # while the case is still being made
    assert window.locked
    qtbot.waitUntil(lambda: not window.session.opening and window.session.locked_folder
                    is not None and window.session.case is None, timeout=20000)
    assert not window.protection.recovery_dialog.isVisible()  # never on screen while locked
    assert window.lock_screen.unlock_button.text().startswith("Unlock")
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, window)
    qtbot.waitUntil(window.protection.recovery_dialog.isVisible)  # shown once, after all
    window.protection.recovery_dialog.confirmed = True
    window.protection.recovery_dialog.close()


def test_unticking_remember_protected_forgets_them(qtbot, window, settings, tmp_path):
    from evidence_app.gui.dialogs.privacy import PrivacyDialog
    from tests.gui.helpers import make_case

    folder, _key = protected_case(tmp_path / "protected")
    plain = make_case(tmp_path / "plain")
    settings.remember_protected = True
    settings.add_recent(plain)
    settings.add_recent(folder)
    settings.last_case = folder
    dialog = PrivacyDialog(settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.remember_protected.isChecked()
    qtbot.mouseClick(dialog.remember_protected, Qt.MouseButton.LeftButton)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert settings.recent_cases() == [plain]
    assert settings.last_case is None


def test_the_protected_sample_case_locks_and_unlocks(qtbot, window):
    from evidence_app.gui.case_session import DEMO_PASSPHRASE

    start(window, None, True, encrypt=True)
    wait_open(qtbot, window, timeout=60000)
    assert window.session.encrypted and window.session.is_demo
    assert DEMO_PASSPHRASE in window.case_label.text()
    folder = window.session.demo_dir
    window.act_lock.trigger()
    assert window.session.case is None and folder.is_dir()  # locked, not thrown away
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    unlock(qtbot, window, DEMO_PASSPHRASE)
    assert window.session.is_demo
    window.act_lock.trigger()
    window.session.close()  # quitting while locked: the sample case is removed
    assert not folder.exists()


def test_what_was_being_typed_is_saved_when_a_protected_case_locks(qtbot, window, tmp_path):
    from evidence_app.core.incidents import get_incident
    from tests.gui.test_editor import new_incident

    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    unlock(qtbot, window)
    editor = window.view.editor
    incident = new_incident(qtbot, window)
    qtbot.keyClicks(editor.form.title, "Car outside again")
    qtbot.keyClicks(editor.form.description, "Same silver car, 22:10")
    # At once, before the pause after typing that saves by itself: Escape twice.
    qtbot.keyClick(editor.form.description, Qt.Key.Key_Escape)
    qtbot.keyClick(editor.form.description, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.locked and window.session.case is None, timeout=20000)
    case = open_case(folder, passphrase=PASSPHRASE)
    try:
        row = get_incident(case, incident)
        assert (row.title, row.description) == ("Car outside again", "Same silver car, 22:10")
    finally:
        case.close()


@pytest.fixture
def qt_user_settings(tmp_path):
    """Qt's own user settings (QtProject.conf) in a temporary folder for this test."""
    from PySide6.QtCore import QSettings, QStandardPaths

    real = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qt-config"))
    yield tmp_path / "qt-config"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, real)


def test_the_file_chooser_forgets_an_unlisted_protected_case(qtbot, window, tmp_path,
                                                            qt_user_settings):
    from PySide6.QtCore import QSettings, QUrl

    folder, _key = protected_case(tmp_path / "Private log")
    elsewhere = tmp_path / "Pictures"
    elsewhere.mkdir()
    qt = QSettings(QSettings.Scope.UserScope, "QtProject")
    qt.setValue("FileDialog/history", [QUrl.fromLocalFile(str(p)).toString()
                                       for p in (elsewhere, folder, folder / "originals")])
    qt.setValue("FileDialog/lastVisited", QUrl.fromLocalFile(str(folder)).toString())
    qt.sync()
    window.session.open(folder)
    unlock(qtbot, window)
    written = (qt_user_settings / "QtProject.conf").read_text()
    assert "Private log" not in written  # neither in the history nor as the last folder
    assert "Pictures" in written  # other folders are left alone


def test_cancel_while_the_passphrase_is_checked_leaves_the_case_closed(qtbot, window, tmp_path):
    folder, _key = protected_case(tmp_path / "case")
    window.session.open(folder)
    dialog = unlock_dialog(qtbot, window)
    type_passphrase(qtbot, dialog, PASSPHRASE)  # checking starts on a worker...
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # ...and is cancelled
    assert not dialog.isVisible()
    qtbot.wait(100)
    assert window.session.case is None
    assert window.pages.currentWidget() is window.welcome_page
    open_case(folder, passphrase=PASSPHRASE).close()  # not left open (its lock held) here
