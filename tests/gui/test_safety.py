"""Keeping evidence safe from the app: Check my evidence, Back up now, Restore a backup,
the last backup in the status bar, and the word about risky places."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fixtures.media_factory import phone_jpeg
from fixtures.on_disk import original_file
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core.cases import create_case
from evidence_app.core.importers.files import import_files
from evidence_app.core.store.clock import SetClock
from evidence_app.gui.dialogs.backup_dialog import BackupDialog
from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog
from evidence_app.gui.dialogs.restore_dialog import RestoreDialog
from evidence_app.gui.safety_hookup import backup_text
from tests.gui.helpers import settle, wait_box, wait_open

SHOTS = os.environ.get("EVIDENCE_SHOTS")  # a folder to save pictures of the dialogs in


def shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def case_with_photos(folder: Path, tmp_path: Path, n: int = 3, clock=None) -> tuple[Path, list]:
    photos = tmp_path / "photos"
    photos.mkdir(exist_ok=True)
    files = [phone_jpeg(photos / f"IMG_{i}.jpg", size=(160, 120), seed=i) for i in range(n)]
    kwargs = {"clock": clock} if clock is not None else {}
    with create_case(folder, owner_name="Jane Smith", initials="JS", **kwargs) as case:
        results = [e.item for e in import_files(case, files) if e.item is not None]
    return folder, results


def open_in(qtbot, window, folder: Path) -> None:
    window.session.open(folder)
    wait_open(qtbot, window)
    settle(qtbot, window)


def hookup(window):
    return window.property("safety_hookup")


def dialog_of(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, kind
    return found[-1]


def menu_action(window, menu: str, text: str):
    action = next(a for a in window.menus[menu].actions()
                  if a.text().replace("&", "") == text)
    assert action.isEnabled()
    return action


def test_check_my_evidence_names_a_tampered_exhibit_and_what_to_do(qtbot, window, tmp_path):
    folder, results = case_with_photos(tmp_path / "case", tmp_path)
    path = original_file(type("C", (), {"folder": folder}), results[1].sha256)
    os.chmod(path, 0o600)
    with open(path, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff\x00\xff")
    open_in(qtbot, window, folder)
    menu_action(window, "tools", "Check my evidence…").trigger()
    dialog = dialog_of(CheckEvidenceDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.headline.text().endswith("The check found 1 problem.")
    details = dialog.details.text()
    assert f"Exhibit {results[1].exhibit} no longer matches the fingerprint" in details
    assert "What to do:" in details and "Restore" in details
    assert not dialog.stop_button.isEnabled()
    shot(dialog, "check-failed")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    # Put right, the check says so in words a person can repeat.
    os.chmod(path, 0o600)
    shutil.copyfile(tmp_path / "photos" / "IMG_1.jpg", path)
    menu_action(window, "tools", "Check my evidence…").trigger()
    dialog = dialog_of(CheckEvidenceDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.headline.text().endswith(
        "All 3 exhibits match the fingerprints recorded when they were added.")
    shot(dialog, "check-ok")
    dialog.close()
    settle(qtbot, window)



def test_check_my_evidence_closes_with_enter_once_it_has_finished(qtbot, window, tmp_path):
    folder, _results = case_with_photos(tmp_path / "case", tmp_path)
    open_in(qtbot, window, folder)
    menu_action(window, "tools", "Check my evidence…").trigger()
    dialog = dialog_of(CheckEvidenceDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.close_button, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    settle(qtbot, window)


def test_back_up_now_shows_the_space_needed_then_saves_and_the_status_bar_says_so(
        qtbot, window, tmp_path):
    folder, _ = case_with_photos(tmp_path / "case", tmp_path)
    open_in(qtbot, window, folder)
    label = hookup(window).label
    qtbot.waitUntil(lambda: label.text() == "No backup yet")
    menu_action(window, "file", "Back up now…").trigger()
    dialog = dialog_of(BackupDialog)
    assert not dialog.backup_button.isEnabled()  # no folder chosen yet
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.set_folder(usb)
    qtbot.waitUntil(lambda: dialog.backup_button.isEnabled())
    assert "The backup needs about" in dialog.plan_label.text()
    assert "free there" in dialog.plan_label.text()
    shot(dialog, "backup-plan")
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.result_label.text().startswith("\u2714 Backup saved: ")
    assert [p.name for p in usb.iterdir()] == [dialog.result.path.name]
    shot(dialog, "backup-done")
    shot(window, "main-window-backup")
    today = datetime.now().astimezone()
    qtbot.waitUntil(lambda: label.text() == f"Last backup: {today.day} {today:%b %Y}")
    dialog.close()
    # The next backup starts in the same folder, and says what it will not copy again.
    menu_action(window, "file", "Back up now…").trigger()
    again = dialog_of(BackupDialog)
    assert again.folder_edit.text() == str(usb.resolve())
    qtbot.waitUntil(lambda: again.backup_button.isEnabled())
    assert "are already in earlier backup(s)" in again.plan_label.text()
    again.close()
    settle(qtbot, window)


def test_back_up_now_refuses_a_drive_without_room_before_writing(qtbot, window, tmp_path,
                                                                monkeypatch):
    folder, _ = case_with_photos(tmp_path / "case", tmp_path, n=1)
    open_in(qtbot, window, folder)
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: real(p)._replace(free=2000))
    menu_action(window, "file", "Back up now…").trigger()
    dialog = dialog_of(BackupDialog)
    dialog.set_folder(tmp_path)
    qtbot.waitUntil(lambda: "not enough space" in dialog.plan_label.text())
    assert not dialog.backup_button.isEnabled()
    shot(dialog, "backup-no-room")
    dialog.close()
    assert not list(tmp_path.glob("*.evidence-backup"))


def test_restore_a_backup_makes_a_new_case_and_opens_it(qtbot, window, tmp_path):
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.backup import backup_case

    folder, _ = case_with_photos(tmp_path / "case", tmp_path)
    with open_case(folder) as case:
        backup = list(backup_case(case, tmp_path))[-1].item.path
    menu_action(window, "file", "Restore a backup…").trigger()  # no case needed
    dialog = dialog_of(RestoreDialog)
    assert not dialog.open_button.isVisible() and not dialog.anyway_button.isVisible()
    dialog.set_file(backup)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=10000)
    assert "Backup of the case 'Jane Smith'" in dialog.info_label.text()
    assert dialog.target_edit.text().endswith("Jane Smith (restored)")
    dialog.target_edit.clear()
    target = tmp_path / "restored case"
    qtbot.keyClicks(dialog.target_edit, str(target))
    shot(dialog, "restore-ready")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert "Restored the case 'Jane Smith'" in dialog.result_label.text()
    assert "all 3 exhibit(s)" in dialog.result_label.text()
    shot(dialog, "restore-done")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    wait_open(qtbot, window)
    assert window.session.case_folder == target.resolve()
    # Restoring again into the same folder is refused in words, with nothing touched.
    menu_action(window, "file", "Restore a backup…").trigger()
    again = dialog_of(RestoreDialog)
    again.set_file(backup)
    qtbot.waitUntil(lambda: again.restore_button.isEnabled() or again.info is not None)
    again.target_edit.setText(str(target))
    qtbot.mouseClick(again.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "never replaces" in again.result_label.text(), timeout=10000)
    again.close()
    settle(qtbot, window)


def test_the_welcome_screen_offers_restoring_a_backup(qtbot, window, tmp_path):
    """A person whose laptop was lost starts on the welcome screen with their backup on
    a USB stick: the restore window is one click away there too."""
    window.show_welcome()
    button = window.welcome.restore_button
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(RestoreDialog)
    shot(window, "welcome-restore")
    dialog.close()


def test_a_damaged_backup_file_is_refused_in_the_restore_window(qtbot, window, tmp_path):
    bad = tmp_path / "half.evidence-backup"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    menu_action(window, "file", "Restore a backup…").trigger()
    dialog = dialog_of(RestoreDialog)
    dialog.set_file(bad)
    qtbot.waitUntil(lambda: "not a complete backup file" in dialog.info_label.text())
    assert not dialog.restore_button.isEnabled()
    dialog.close()


def test_a_reminder_shows_when_no_backup_was_made_for_the_chosen_days(qtbot, window,
                                                                        tmp_path):
    clock = SetClock(datetime.now(UTC) - timedelta(days=20))
    folder, _ = case_with_photos(tmp_path / "case", tmp_path, n=1, clock=clock)
    open_in(qtbot, window, folder)
    label = hookup(window).label
    qtbot.waitUntil(lambda: "Back up now" in label.text())
    assert label.text().startswith("No backup yet")
    shot(window, "main-window-reminder")
    # The reminder's link opens Back up now.
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(label, Qt.MouseButton.LeftButton,
                     pos=QPoint(label.width() - 12, label.height() // 2))
    qtbot.waitUntil(lambda: any(isinstance(w, BackupDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    dialog_of(BackupDialog).close()
    window.session.close()
    window.settings.backup_reminder_days = 30
    open_in(qtbot, window, folder)
    qtbot.waitUntil(lambda: label.text() == "No backup yet")


def test_backup_text_in_the_status_bar():
    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    assert backup_text(None, now - timedelta(days=3), now, 14) == ("No backup yet", False)
    assert backup_text(None, now - timedelta(days=15), now, 14)[1] is True
    text, due = backup_text(now - timedelta(days=20), now - timedelta(days=90), now, 14)
    assert due and "(20 days ago)" in text
    assert backup_text(now - timedelta(days=20), now, now, 0)[1] is False  # never remind


@pytest.mark.parametrize("where", ["Dropbox"])
def test_opening_a_case_from_a_cloud_sync_folder_says_so_calmly(qtbot, window, tmp_path,
                                                                where):
    folder, _ = case_with_photos(tmp_path / where / "case", tmp_path, n=1)
    open_in(qtbot, window, folder)
    box = wait_box(qtbot, "in a folder that Dropbox syncs")
    assert "backup file" in box.text() and "File \u203a Back up now\u2026" in box.text()
    assert window.view is not None  # the case is open all the same
    shot(box, "risky-place")
    box.close()


def test_a_case_on_a_medium_that_cannot_be_written_says_so_when_it_opens(
        qtbot, window, tmp_path, monkeypatch):
    folder, _ = case_with_photos(tmp_path / "usb" / "case", tmp_path, n=1)
    real = os.access
    inside = folder.resolve()

    def access(path, mode, *args, **kwargs):  # as a write-protected stick answers (root or not)
        if mode & os.W_OK and Path(path).resolve().is_relative_to(inside):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    open_in(qtbot, window, folder)
    box = wait_box(qtbot, "open read-only")
    assert box.windowTitle() == "This case can only be read"
    assert "copy the whole folder" in box.informativeText()
    assert window.view is not None and window.session.ops.case.writable is False
    shot(box, "read-only")
    box.close()


def test_restore_anyway_keeps_a_case_whose_exhibit_was_damaged_before_the_backup(
        qtbot, window, tmp_path):
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.backup import backup_case

    folder, results = case_with_photos(tmp_path / "case", tmp_path, n=2)
    path = original_file(type("C", (), {"folder": folder}), results[0].sha256)
    os.chmod(path, 0o600)
    path.write_bytes(b"not the photo any more")
    with open_case(folder) as case:
        backup = list(backup_case(case, tmp_path))[-1].item.path
    menu_action(window, "file", "Restore a backup…").trigger()
    dialog = dialog_of(RestoreDialog)
    dialog.set_file(backup)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=10000)
    dialog.target_edit.setText(str(tmp_path / "restored"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.anyway_button.isVisible(), timeout=20000)
    assert "did not pass the check" in dialog.result_label.text()
    assert not dialog.open_button.isVisible()
    assert not (tmp_path / "restored").exists()
    shot(dialog, "restore-problems")
    qtbot.mouseClick(dialog.anyway_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert "with the 1 problem(s) it already had" in dialog.result_label.text()
    assert (tmp_path / "restored" / "originals").is_dir()
    dialog.close()


def test_closing_the_case_during_a_backup_cancels_it_and_leaves_nothing(qtbot, window,
                                                                         tmp_path):
    folder, _ = case_with_photos(tmp_path / "case", tmp_path, n=3)
    open_in(qtbot, window, folder)
    menu_action(window, "file", "Back up now…").trigger()
    dialog = dialog_of(BackupDialog)
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.set_folder(usb)
    qtbot.waitUntil(lambda: dialog.backup_button.isEnabled())
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    window.session.close()
    qtbot.waitUntil(lambda: window.session.case is None and not any(
        isinstance(w, BackupDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    leftovers = [p.name for p in usb.iterdir()]
    # Either the backup finished before the close reached it, or nothing is there.
    assert leftovers == [] or (len(leftovers) == 1 and leftovers[0].endswith(".evidence-backup"))


PROTECTED = "paper lantern orchard seven"


def protected_case_with_photos(folder: Path, tmp_path: Path, n: int = 2) -> tuple[Path, list]:
    photos = tmp_path / "photos"
    photos.mkdir(exist_ok=True)
    files = [phone_jpeg(photos / f"IMG_{i}.jpg", size=(160, 120), seed=i) for i in range(n)]
    with create_case(folder, owner_name="Jane Smith", initials="JS", case_name="Private log",
                     passphrase=PROTECTED) as case:
        results = [e.item for e in import_files(case, files) if e.item is not None]
    return folder, results


def unlock_dialog_in(qtbot, parent):
    from evidence_app.gui.dialogs.passphrase import UnlockDialog

    found: list = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, UnlockDialog) and w.isVisible()
                    and w.parentWidget() is parent]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10000)
    return found[0]


def type_into(qtbot, dialog, text: str) -> None:
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_restore_a_protected_backup_asks_its_passphrase_and_stays_protected(
        qtbot, window, tmp_path):
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.backup import backup_case

    folder, _ = protected_case_with_photos(tmp_path / "case", tmp_path)
    with open_case(folder, passphrase=PROTECTED) as case:
        backup = list(backup_case(case, tmp_path))[-1].item.path
    menu_action(window, "file", "Restore a backup…").trigger()
    dialog = dialog_of(RestoreDialog)
    dialog.set_file(backup)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=10000)
    assert "Backup of a case protected by a passphrase" in dialog.info_label.text()
    assert "Private log" not in dialog.info_label.text()
    assert dialog.target_edit.text().endswith("Protected case (restored)")
    places = tmp_path / "places"
    places.mkdir()
    target = places / "restored case"
    dialog.target_edit.clear()
    qtbot.keyClicks(dialog.target_edit, str(target))
    shot(dialog, "restore-protected-ready")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    ask = unlock_dialog_in(qtbot, dialog)
    assert "protected by a passphrase" in ask.where.text() and backup.name in ask.where.text()
    type_into(qtbot, ask, "not the passphrase")
    qtbot.waitUntil(lambda: "does not open this case" in ask.message.text(), timeout=10000)
    shot(ask, "restore-protected-wrong")
    assert list(places.iterdir()) == [] and dialog.result is None
    type_into(qtbot, ask, PROTECTED)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    text = dialog.result_label.text()
    assert "Restored the case 'Private log'" in text and "still protected" in text
    assert "all 2 exhibit(s)" in text
    shot(dialog, "restore-protected-done")
    # The restored case opens as any protected case does: with the same passphrase.
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, unlock_dialog_in(qtbot, window), PROTECTED)
    wait_open(qtbot, window)
    assert window.session.case_folder == target.resolve() and window.session.encrypted
    settle(qtbot, window)


def test_cancelling_the_passphrase_of_a_protected_backup_restores_nothing(qtbot, window,
                                                                         tmp_path):
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.backup import backup_case

    folder, _ = protected_case_with_photos(tmp_path / "case", tmp_path, n=1)
    with open_case(folder, passphrase=PROTECTED) as case:
        backup = list(backup_case(case, tmp_path))[-1].item.path
    menu_action(window, "file", "Restore a backup…").trigger()
    dialog = dialog_of(RestoreDialog)
    dialog.set_file(backup)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=10000)
    places = tmp_path / "places"
    places.mkdir()
    dialog.target_edit.setText(str(places / "restored"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    ask = unlock_dialog_in(qtbot, dialog)
    qtbot.mouseClick(ask.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ask.isVisible())
    assert list(places.iterdir()) == [] and dialog.result is None
    assert dialog.restore_button.isEnabled()
    dialog.close()
    settle(qtbot, window)


def test_check_my_evidence_names_a_tampered_original_of_a_protected_case(qtbot, window,
                                                                        tmp_path):
    folder, results = protected_case_with_photos(tmp_path / "case", tmp_path, n=1)
    stored = [p for p in (folder / "originals").rglob("*") if p.is_file()
              and len(p.name) == 64]
    assert len(stored) == 1
    os.chmod(stored[0], 0o600)
    data = bytearray(stored[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    stored[0].write_bytes(bytes(data))
    window.session.open(folder)
    type_into(qtbot, unlock_dialog_in(qtbot, window), PROTECTED)
    wait_open(qtbot, window)
    settle(qtbot, window)
    menu_action(window, "tools", "Check my evidence…").trigger()
    dialog = dialog_of(CheckEvidenceDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.headline.text().endswith("The check found 1 problem.")
    details = dialog.details.text()
    assert f"Exhibit {results[0].exhibit}" in details and "What to do:" in details
    shot(dialog, "check-protected-failed")
    dialog.close()
    settle(qtbot, window)


def test_back_up_a_protected_case_then_restore_it_with_the_recovery_key(qtbot, window,
                                                                       tmp_path):
    from PySide6.QtWidgets import QLabel

    from evidence_app.core.cases import create_case, open_case
    from evidence_app.core.errors import WrongPassphrase

    case = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS",
                       case_name="Private log", passphrase=PROTECTED)
    recovery = case.recovery_key
    case.close()
    window.session.open(tmp_path / "case")
    type_into(qtbot, unlock_dialog_in(qtbot, window), PROTECTED)
    wait_open(qtbot, window)
    settle(qtbot, window)
    menu_action(window, "file", "Back up now…").trigger()
    dialog = dialog_of(BackupDialog)
    assert any("so is its backup" in label.text() for label in dialog.findChildren(QLabel))
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.set_folder(usb)
    qtbot.waitUntil(lambda: dialog.backup_button.isEnabled())
    shot(dialog, "backup-protected-plan")
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    backup = dialog.result.path
    assert "Private" not in backup.name
    dialog.close()
    menu_action(window, "file", "Restore a backup…").trigger()
    restore = dialog_of(RestoreDialog)
    restore.set_file(backup)
    qtbot.waitUntil(lambda: restore.info is not None, timeout=10000)
    target = tmp_path / "restored"
    restore.target_edit.setText(str(target))
    qtbot.mouseClick(restore.restore_button, Qt.MouseButton.LeftButton)
    ask = unlock_dialog_in(qtbot, restore)
    qtbot.mouseClick(ask.switch, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(ask.recovery, recovery.lower().replace("-", " "))
    qtbot.keyClicks(ask.new_passphrase.first, "a new passphrase for it")
    qtbot.keyClicks(ask.new_passphrase.second, "a new passphrase for it")
    shot(ask, "restore-protected-recovery")
    qtbot.mouseClick(ask.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: restore.result is not None, timeout=20000)
    assert "still protected" in restore.result_label.text()
    restore.close()
    settle(qtbot, window)
    window.session.close()
    settle(qtbot, window)
    with pytest.raises(WrongPassphrase):
        open_case(target, passphrase=PROTECTED)
    with open_case(target, passphrase="a new passphrase for it") as again:
        assert again.encrypted and again.settings().case_name == "Private log"


def test_restore_anyway_of_a_protected_backup_does_not_ask_the_passphrase_again(
        qtbot, window, tmp_path):
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.backup import backup_case
    from evidence_app.gui.dialogs.passphrase import UnlockDialog

    folder, _ = protected_case_with_photos(tmp_path / "case", tmp_path, n=2)
    stored = sorted(p for p in (folder / "originals").rglob("*") if p.is_file()
                    and len(p.name) == 64)
    os.chmod(stored[0], 0o600)
    data = bytearray(stored[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    stored[0].write_bytes(bytes(data))
    with open_case(folder, passphrase=PROTECTED) as case:
        backup = list(backup_case(case, tmp_path))[-1].item.path
    menu_action(window, "file", "Restore a backup…").trigger()
    dialog = dialog_of(RestoreDialog)
    dialog.set_file(backup)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=10000)
    dialog.target_edit.setText(str(tmp_path / "restored"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, unlock_dialog_in(qtbot, dialog), PROTECTED)
    qtbot.waitUntil(lambda: dialog.anyway_button.isVisible(), timeout=20000)
    assert "did not pass the check" in dialog.result_label.text()
    assert not (tmp_path / "restored").exists()
    qtbot.mouseClick(dialog.anyway_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert not any(isinstance(w, UnlockDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert "with the 1 problem(s) it already had" in dialog.result_label.text()
    dialog.close()
    with open_case(tmp_path / "restored", passphrase=PROTECTED) as again:
        assert again.encrypted
