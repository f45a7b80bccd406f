"""The diary import never drops a column silently: 'How it made me feel' is used, any
column can be sent to a field by choosing from its list, and the choice is remembered."""

from PySide6.QtCore import Qt

from evidence_app.core import incidents as inc
from evidence_app.gui.dialogs.diary_import import DiaryImportDialog
from tests.gui.helpers import settle
from tests.gui.test_menus import visible

DIARY = ("Date,Time,What happened,Where,How it made me feel,Car\n"
         "12/03/2025,21:40,He waited outside work,Park Row,Scared to walk home,Grey Golf\n"
         "15/03/2025,08:10,Followed me to the bus stop,Park Row,Shaking all day,Grey Golf\n")


def row_of(dialog, label):
    for i in range(dialog.columns.rowCount()):
        if dialog.columns.item(i, 0).text() == label:
            return i
    raise AssertionError(f"no column {label!r}")


def open_dialog(qtbot, window, path, monkeypatch):
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    before = visible(DiaryImportDialog)
    window.act_diary.trigger()
    qtbot.waitUntil(lambda: visible(DiaryImportDialog) not in (None, before), timeout=15000)
    return visible(DiaryImportDialog)


def test_the_feelings_column_is_used_and_a_column_can_be_assigned(qtbot, case_window, tmp_path,
                                                                    monkeypatch):
    window = case_window
    path = tmp_path / "diary.csv"
    path.write_text(DIARY, encoding="utf-8")
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    feelings = dialog.columns.cellWidget(row_of(dialog, "How it made me feel"), 1)
    assert feelings.currentText() == "How it affected me"
    car = dialog.columns.cellWidget(row_of(dialog, "Car"), 1)
    assert car.currentText() == "Not used"
    assert dialog.columns.item(row_of(dialog, "Car"), 2).text() == "Grey Golf"
    # The person sends "Car" to the incident's notes, choosing from the list.
    car.setFocus()
    car.setCurrentIndex(car.findText("A note on the incident"))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=15000)
    assert dialog.preview.columns["Car"] == "notes"
    with qtbot.waitSignal(dialog.accepted, timeout=15000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    case = window.session.case
    details = [inc.get_incident(case, s.id) for s in inc.list_incidents(case)]
    assert sorted(d.impact for d in details) == ["Scared to walk home", "Shaking all day"]
    assert all([n.text for n in d.notes] == ["Grey Golf"] for d in details)
    # A later file with the same columns opens with "Car" where the person put it.
    later = tmp_path / "diary later.csv"
    later.write_text(DIARY.replace("12/03/2025", "20/03/2025"), encoding="utf-8")
    again = open_dialog(qtbot, window, later, monkeypatch)
    assert again.columns.cellWidget(row_of(again, "Car"), 1).currentText() == \
        "A note on the incident"
    again.reject()


def test_a_choice_without_a_date_column_is_refused_and_undone(qtbot, case_window, tmp_path,
                                                               monkeypatch):
    window = case_window
    path = tmp_path / "diary.csv"
    path.write_text(DIARY, encoding="utf-8")
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    date = dialog.columns.cellWidget(row_of(dialog, "Date"), 1)
    date.setCurrentIndex(date.findText("Not used"))
    qtbot.waitUntil(lambda: dialog.columns.cellWidget(row_of(dialog, "Date"), 1)
                    .currentText() == "Date", timeout=15000)
    from tests.gui.helpers import message_boxes
    boxes = message_boxes()
    assert boxes and "date" in (boxes[0].text() + boxes[0].informativeText()).lower()
    for box in boxes:
        box.close()
    dialog.reject()
