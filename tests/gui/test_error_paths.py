"""Error paths a newcomer meets: a damaged or missing case, a drive not plugged in, a folder
that cannot be looked at, a full disk. Each gets a calm message and nothing is changed."""

from datetime import datetime

from PySide6.QtCore import Qt

from tests.sample_images import photo


def test_a_damaged_case_file_gets_a_calm_message_and_nothing_changes(qtbot, window, tmp_path):
    from tests.gui.helpers import make_case, wait_box

    folder = make_case(tmp_path / "Broken case")
    (folder / "case.db").write_bytes(b"not a database at all " * 200)
    before = (folder / "case.db").read_bytes()
    window.session.open(folder)
    box = wait_box(qtbot, "damaged")
    assert box.windowTitle() == "The case could not be read"
    assert "originals" in box.informativeText()  # where the evidence still is
    assert "Traceback" not in box.text() + box.informativeText()
    assert (folder / "case.db").read_bytes() == before
    assert window.pages.currentWidget() is window.welcome_page
    box.accept()


def test_a_deleted_case_in_recent_cases_says_so_and_leaves_the_list(qtbot, window, settings,
                                                                    tmp_path):
    import shutil

    from tests.gui.helpers import make_case, wait_box, wait_open

    folder = make_case(tmp_path / "Old case")
    window.session.open(folder)
    wait_open(qtbot, window)
    window.session.close()
    shutil.rmtree(folder)
    window.show_welcome()
    recent = window.welcome.recent
    assert recent.count() == 1
    assert recent.item(0).text() == "Old case (not found)"  # said before it is clicked
    qtbot.mouseClick(recent.viewport(), Qt.MouseButton.LeftButton,
                     pos=recent.visualItemRect(recent.item(0)).center())
    box = wait_box(qtbot, "no longer at")
    assert box.windowTitle() == "The case folder cannot be found"
    assert "Open case folder" in box.informativeText()
    box.accept()
    assert recent.count() == 0 and not recent.isVisibleTo(window)
    assert settings.recent_cases() == []


def test_a_full_disk_during_import_stops_calmly_with_nothing_half_written(qtbot, window,
                                                                          tmp_path, monkeypatch):
    import errno

    from evidence_app.core.attachments import count_inbox
    from evidence_app.gui.exhibits_hookup import install
    from tests.gui.helpers import make_case, wait_box, wait_open
    from tests.gui_helpers import blob_and_row_hashes, drop_files

    hookup = install(window)
    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    files = [photo(tmp_path / "in" / f"IMG_000{i}.jpg", datetime(2025, 3, 12, 8, i))
             for i in range(3)]

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("evidence_app.core.store.originals.os.fdopen", full)
    assert drop_files(window.view.timeline.viewport(), files)
    box = wait_box(qtbot, "full")
    text = box.text() + " " + box.informativeText()
    assert "Free some space" in text and "Traceback" not in text
    box.accept()
    case = window.session.case
    assert count_inbox(case) == 0
    stored, rows = blob_and_row_hashes(case)
    assert stored == rows == set()
    assert not [p for p in (case.folder / "originals").rglob("*") if p.is_file()]
    assert hookup.act_import.isEnabled()  # the person can try again once there is room


def test_a_case_on_a_drive_that_is_not_plugged_in_stays_in_recent_cases(qtbot, window,
                                                                         settings, tmp_path):
    """The folder holding the case is missing too (E:\\ on Windows with the USB stick out):
    the case is said to be not found, and stays in the list for when the drive is back."""
    import shutil

    from tests.gui.helpers import make_case, wait_box, wait_open

    stick = tmp_path / "USB stick"
    folder = make_case(stick / "My case")
    window.session.open(folder)
    wait_open(qtbot, window)
    window.session.close()
    shutil.move(stick, tmp_path / "unplugged")
    window.show_welcome()
    recent = window.welcome.recent
    qtbot.mouseClick(recent.viewport(), Qt.MouseButton.LeftButton,
                     pos=recent.visualItemRect(recent.item(0)).center())
    box = wait_box(qtbot, "plug it in")
    assert box.windowTitle() == "The case folder cannot be found"
    box.accept()
    assert settings.recent_cases() == [folder]
    assert recent.count() == 1


def test_a_case_folder_that_cannot_even_be_looked_at_is_explained(qtbot, window, settings,
                                                                  tmp_path):
    """Looking at the folder fails too (here a name too long; also no permission, or a
    failing drive): a calm explanation, not an unexpected error, and it stays listed."""
    from tests.gui.helpers import message_boxes, wait_box

    folder = tmp_path / ("x" * 300) / "case"
    window.session.open(folder)
    box = wait_box(qtbot, "could not be looked at")
    assert box.windowTitle() == "The case folder cannot be reached"
    assert len(message_boxes()) == 1
    box.accept()


def test_a_case_whose_database_start_is_wrecked_can_still_be_checked(qtbot, window, tmp_path):
    """The open error offers Check my evidence, which reads a repaired copy and says what is
    left and what to do; the case folder is not written."""
    import hashlib
    import os

    from PySide6.QtWidgets import QApplication

    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.files import import_files
    from evidence_app.core.incidents import create_incident
    from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog
    from tests.gui.helpers import wait_box

    folder = tmp_path / "Broken case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        for i in range(5):
            create_incident(case, title=f"Incident {i}")
        list(import_files(case, [photo(tmp_path / "a.jpg")]))
    with open(folder / "case.db", "r+b") as fh:
        fh.write(bytes(100))

    def state():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in folder.rglob("*") if p.is_file()}

    before = state()
    window.session.open(folder)
    box = wait_box(qtbot, "is damaged")
    assert "Check what can still be read" in box.informativeText()
    check = next(b for b in box.buttons() if b.text().startswith("Check what can still be read"))
    shots = os.environ.get("EVIDENCE_SHOTS")
    if shots:
        box.grab().save(os.path.join(shots, "open-damaged.png"))
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, CheckEvidenceDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, CheckEvidenceDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    assert dialog.headline.text().endswith(
        "The case database is damaged, but a repaired copy of it could be read.")
    details = dialog.details.text()
    assert "What can still be read: 5 incidents, 0 notes, 1 exhibit," in details
    assert "The start of the case database is damaged." in details
    assert "overwritten with zeros" in details
    assert "do not add anything to it" in details and "Restore a backup" in details
    assert dialog.status.text() == "Finished. Nothing was written to the case."
    if shots:
        dialog.grab().save(os.path.join(shots, "check-damaged.png"))
    dialog.close()
    assert state() == before


def test_a_case_database_nothing_can_be_read_from_still_has_its_exhibits_checked(
        qtbot, tmp_path):
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.files import import_files
    from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog

    folder = tmp_path / "Broken case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        list(import_files(case, [photo(tmp_path / "a.jpg"),
                                 photo(tmp_path / "b.jpg", colour="#aa3333")]))
    (folder / "case.db").write_bytes(b"SQLite")  # cut short inside its header
    dialog = CheckEvidenceDialog(None, damaged=folder)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    assert dialog.headline.text().endswith(
        "The case database is damaged and none of its records can be read.")
    details = dialog.details.text()
    assert "Your exhibits themselves (2 stored files" in details
    assert "every one matches the fingerprint it is stored under" in details
    assert "only 6 bytes long" in details
    assert "Restore a backup" in details
    assert (folder / "case.db").read_bytes() == b"SQLite"
