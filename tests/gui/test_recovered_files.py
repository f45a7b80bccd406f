"""Opening a case that holds files no exhibit refers to (the app was killed during an
import) offers them back; nothing is deleted whichever button is pressed."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from evidence_app.core.attachments import list_inbox
from evidence_app.core.cases import open_case
from tests.fixtures.media_factory import phone_jpeg
from tests.gui.helpers import make_case, message_boxes, settle, wait_box, wait_open


def case_with_two_unadded_files(tmp_path):
    folder = make_case(tmp_path / "case")
    with open_case(folder) as case:
        for i in range(2):
            case.originals.put_file(phone_jpeg(tmp_path / f"IMG_{i}.jpg", seed=i))
    return folder


def test_files_never_added_are_offered_and_added_to_the_inbox(qtbot, window, tmp_path):
    folder = case_with_two_unadded_files(tmp_path)
    window.session.open(folder)
    wait_open(qtbot, window)
    box = wait_box(qtbot, "never added")
    assert box.windowTitle() == "Files that were never added"
    assert box.text().startswith("2 files (")
    assert "Nothing has been deleted" in box.informativeText()
    [add] = [b for b in box.buttons() if b.text() == "Add to the Inbox"]
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(list_inbox(window.session.case)) == 2, timeout=20000)
    settle(qtbot, window)
    marks = sorted(a.exhibit_mark for a in list_inbox(window.session.case))
    assert marks == ["JS/1", "JS/2"]


def test_cancel_keeps_the_files_and_asks_again_next_time(qtbot, window, tmp_path):
    folder = case_with_two_unadded_files(tmp_path)
    window.session.open(folder)
    wait_open(qtbot, window)
    box = wait_box(qtbot, "never added")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not message_boxes(), timeout=5000)
    settle(qtbot, window)
    case = window.session.case
    assert list_inbox(case) == [] and len(list(case.originals.all_hashes())) == 2
    window.session.close()
    window.session.open(folder)
    wait_open(qtbot, window)
    assert wait_box(qtbot, "never added").text().startswith("2 files (")


def test_a_case_with_nothing_left_over_asks_nothing(qtbot, window, tmp_path):
    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    settle(qtbot, window)
    qtbot.wait(200)
    assert not [b for b in message_boxes() if "never added" in b.text()]


def test_check_my_evidence_names_files_never_added_in_the_words_of_the_offer(
        qtbot, window, tmp_path):
    """Check my evidence, like `verify`, says what the offer at open said: the files were
    kept, and the app offers them back (Add to the Inbox)."""
    from PySide6.QtWidgets import QApplication

    from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog
    from tests.gui.test_safety import menu_action

    folder = case_with_two_unadded_files(tmp_path)
    window.session.open(folder)
    wait_open(qtbot, window)
    offer = wait_box(qtbot, "never added")
    offer.reject()  # Cancel: kept, asked again next time
    menu_action(window, "tools", "Check my evidence…").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, CheckEvidenceDialog))
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert dialog.result.ok  # not a problem: nothing is wrong with the evidence
    details = dialog.details.text()
    assert "Files that were never added" in details
    assert "2 files were saved into this case but never added to it" in details
    assert "Nothing has been deleted" in details
    assert "Add to the Inbox" in details
    dialog.close()
    settle(qtbot, window)
