"""People and vehicles (linking from the editor, the manager window) and the trash."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from evidence_app.core import incidents as inc
from evidence_app.core import people as ppl
from evidence_app.core.trash import list_trash
from evidence_app.gui.dialogs.person_forms import PersonDialog, VehicleDialog
from tests.gui.helpers import make_case, settle, wait_box, wait_open
from tests.gui.test_editor import new_incident


@pytest.fixture
def opened(qtbot, window, tmp_path):
    folder = make_case(tmp_path / "case")
    window.session.open(folder)
    wait_open(qtbot, window)
    return window


def choose_from_menu(qtbot, button, text):
    """Click a menu button and pick an entry from the menu that pops up."""
    picked = []

    def pick():
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        action = next(a for a in menu.actions() if a.text() == text)
        picked.append(text)
        menu.setActiveAction(action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(50, pick)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picked == [text], timeout=15000)


def open_dialog(kind):
    qtbot_dialogs = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, kind) and w.isVisible()]
    return qtbot_dialogs[-1] if qtbot_dialogs else None


def test_link_people_and_vehicles_from_the_editor(qtbot, opened):
    window = opened
    case = window.session.case
    form = window.view.editor.form
    incident_id = new_incident(qtbot, window)
    ppl.create_person(case, "Mark Davies", role="suspect")
    window.view.editor.links.refresh_lists()
    settle(qtbot, window)
    # an existing person, from the menu
    choose_from_menu(qtbot, form.link_person, "Mark Davies")
    qtbot.waitUntil(lambda: [c.label.text() for c in form.people.chips()] == ["Mark Davies"],
                    timeout=15000)
    # a new vehicle, described in the dialog and linked in one go
    choose_from_menu(qtbot, form.link_vehicle, "New vehicle…")
    qtbot.waitUntil(lambda: open_dialog(VehicleDialog) is not None, timeout=15000)
    dialog = open_dialog(VehicleDialog)
    qtbot.keyClicks(dialog.fields.plate, "ab12 cde")
    qtbot.keyClicks(dialog.fields.colour, "Silver")
    qtbot.keyClicks(dialog.fields.make, "Vauxhall")
    qtbot.keyClicks(dialog.fields.model, "Astra")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(form.vehicles.chips()) == 1, timeout=15000)
    assert form.vehicles.chips()[0].label.text() == "Silver Vauxhall Astra (AB12 CDE)"
    # a new witness
    choose_from_menu(qtbot, form.link_person, "New person…")
    qtbot.waitUntil(lambda: open_dialog(PersonDialog) is not None, timeout=15000)
    dialog = open_dialog(PersonDialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()  # a name is needed
    qtbot.keyClicks(dialog.fields.name, "Mrs Patel")
    dialog.fields.role.setCurrentIndex(dialog.fields.role.findData("witness"))
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(form.people.chips()) == 2, timeout=15000)
    settle(qtbot, window)
    detail = inc.get_incident(case, incident_id)
    assert sorted(p.name for p in detail.people) == ["Mark Davies", "Mrs Patel"]
    assert [v.plate for v in detail.vehicles] == ["AB12 CDE"]
    # unlink with the chip's ×, then undo
    chip = next(c for c in form.people.chips() if c.label.text() == "Mark Davies")
    qtbot.mouseClick(chip.remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(form.people.chips()) == 1, timeout=15000)
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: len(form.people.chips()) == 2, timeout=15000)


def test_tags_are_added_with_enter_and_removed_with_the_cross(qtbot, opened):
    window = opened
    form = window.view.editor.form
    incident_id = new_incident(qtbot, window)
    qtbot.keyClicks(form.tag_input, "car")
    qtbot.keyClick(form.tag_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [c.value for c in form.tags.chips()] == ["car"], timeout=15000)
    qtbot.keyClicks(form.tag_input, "night time")
    qtbot.keyClick(form.tag_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(form.tags.chips()) == 2, timeout=15000)
    qtbot.mouseClick(form.tags.chips()[0].remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [c.value for c in form.tags.chips()] == ["night time"], timeout=15000)
    settle(qtbot, window)
    assert inc.get_incident(window.session.case, incident_id).tags == ["night time"]


def test_people_window_edits_and_lists_incidents(qtbot, opened):
    window = opened
    case = window.session.case
    a = inc.create_incident(case, title="Followed home")
    inc.create_incident(case, title="Unrelated")
    pid = ppl.create_person(case, "Mark Davies", role="suspect")
    ppl.link_person(case, a, pid)
    vid = ppl.create_vehicle(case, plate="AB12 CDE", make="Vauxhall")
    ppl.link_vehicle(case, a, vid)
    window.people()
    from evidence_app.gui.dialogs.people import PeopleDialog

    qtbot.waitUntil(lambda: open_dialog(PeopleDialog) is not None, timeout=15000)
    dialog = open_dialog(PeopleDialog)
    people = dialog.people
    qtbot.waitUntil(lambda: people.list.topLevelItemCount() == 1, timeout=15000)
    rect = people.list.visualItemRect(people.list.topLevelItem(0))
    qtbot.mouseClick(people.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: people.incidents.topLevelItemCount() == 1, timeout=15000)
    assert people.incidents.topLevelItem(0).text(1) == "Followed home"
    assert people.list.topLevelItem(0).text(1) == "Suspect"
    assert people.list.topLevelItem(0).text(2) == "1"
    people.fields.description.setPlainText("Ex-partner, 6ft, beard")
    qtbot.mouseClick(people.save, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert ppl.list_people(case)[0].description == "Ex-partner, 6ft, beard"
    # all incidents for a plate; double-click shows it in the main window
    dialog.tabs.setCurrentWidget(dialog.vehicles)
    vehicles = dialog.vehicles
    qtbot.waitUntil(lambda: vehicles.list.topLevelItemCount() == 1, timeout=15000)
    assert vehicles.list.topLevelItem(0).text(1) == "AB12 CDE"
    vehicles.list.setCurrentItem(vehicles.list.topLevelItem(0))
    qtbot.waitUntil(lambda: vehicles.incidents.topLevelItemCount() == 1, timeout=15000)
    first = vehicles.incidents.topLevelItem(0)
    qtbot.waitUntil(lambda: vehicles.incidents.visualItemRect(first).height() > 0)
    item_rect = vehicles.incidents.visualItemRect(first)
    # a real double-click is a click followed by a double-click event
    qtbot.mouseClick(vehicles.incidents.viewport(), Qt.MouseButton.LeftButton,
                     pos=item_rect.center())
    qtbot.mouseDClick(vehicles.incidents.viewport(), Qt.MouseButton.LeftButton,
                      pos=item_rect.center())
    qtbot.waitUntil(lambda: window.view.editor.incident_id == a, timeout=15000)
    dialog.close()


def test_delete_restore_and_empty_the_trash(qtbot, opened):
    window = opened
    case = window.session.case
    keep = inc.create_incident(case, title="Keep me")
    gone = inc.create_incident(case, title="Delete me")
    window.view.model.reload()
    view = window.view.timeline
    view.select_incident(gone)
    qtbot.waitUntil(lambda: window.view.editor.incident_id == gone
                    and window.view.editor.detail is not None, timeout=15000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.view.model.incident_ids() == [keep], timeout=15000)
    assert "trash" in window.statusBar().currentMessage()
    # restore from the trash window
    window.trash()
    from evidence_app.gui.dialogs.trash import TrashDialog

    qtbot.waitUntil(lambda: open_dialog(TrashDialog) is not None, timeout=15000)
    trash = open_dialog(TrashDialog)
    qtbot.waitUntil(lambda: trash.tree.topLevelItemCount() == 1, timeout=15000)
    assert "Delete me" in trash.tree.topLevelItem(0).text(0)
    assert not trash.restore_button.isEnabled()
    trash.tree.setCurrentItem(trash.tree.topLevelItem(0))
    qtbot.mouseClick(trash.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sorted(window.view.model.incident_ids()) == [keep, gone], timeout=15000)
    qtbot.waitUntil(lambda: trash.empty_label.isVisibleTo(trash), timeout=15000)
    # delete again, then empty the trash: it asks first
    inc.delete_incident(case, gone)
    trash.refresh()
    qtbot.waitUntil(lambda: trash.tree.topLevelItemCount() == 1, timeout=15000)
    qtbot.mouseClick(trash.empty_button, Qt.MouseButton.LeftButton)
    box = wait_box(qtbot, "for good")
    box.reject()  # cancel: nothing happens
    settle(qtbot, window)
    assert len(list_trash(case).incidents) == 1
    qtbot.mouseClick(trash.empty_button, Qt.MouseButton.LeftButton)
    box = wait_box(qtbot, "for good")
    yes = next(b for b in box.buttons() if b.text() == "Empty trash")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: trash.empty_label.isVisibleTo(trash), timeout=15000)
    assert list_trash(case).empty
    trash.close()


def test_a_deleted_person_and_vehicle_wait_in_the_trash_and_come_back(qtbot, opened):
    window = opened
    case = window.session.case
    a = inc.create_incident(case, title="Followed home")
    pid = ppl.create_person(case, "Mark Davies", role="suspect")
    ppl.link_person(case, a, pid)
    vid = ppl.create_vehicle(case, plate="AB12 CDE", make="Vauxhall", colour="Silver")
    window.people()
    from evidence_app.gui.dialogs.people import PeopleDialog
    from evidence_app.gui.dialogs.trash import TrashDialog

    qtbot.waitUntil(lambda: open_dialog(PeopleDialog) is not None, timeout=15000)
    dialog = open_dialog(PeopleDialog)
    people = dialog.people
    qtbot.waitUntil(lambda: people.list.topLevelItemCount() == 1, timeout=15000)
    people.list.setCurrentItem(people.list.topLevelItem(0))
    qtbot.mouseClick(people.delete, Qt.MouseButton.LeftButton)
    box = wait_box(qtbot, "restore")
    yes = next(b for b in box.buttons() if b.text() == "Delete person")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: people.list.topLevelItemCount() == 0, timeout=15000)
    ppl.delete_vehicle(case, vid)
    window.trash()
    qtbot.waitUntil(lambda: open_dialog(TrashDialog) is not None, timeout=15000)
    trash = open_dialog(TrashDialog)
    qtbot.waitUntil(lambda: trash.tree.topLevelItemCount() == 2, timeout=15000)
    texts = [trash.tree.topLevelItem(i).text(0) for i in range(2)]
    assert texts == ["Person: Mark Davies (suspect)", "Vehicle: Silver Vauxhall (AB12 CDE)"]
    trash.tree.setCurrentItem(trash.tree.topLevelItem(0))
    qtbot.mouseClick(trash.restore_button, Qt.MouseButton.LeftButton)
    # The person is back, still linked to the incident, and the people list shows them.
    qtbot.waitUntil(lambda: people.list.topLevelItemCount() == 1, timeout=15000)
    assert [(p.name, p.incident_count) for p in ppl.list_people(case)] == [("Mark Davies", 1)]
    qtbot.waitUntil(lambda: trash.tree.topLevelItemCount() == 1, timeout=15000)
    qtbot.mouseClick(trash.empty_button, Qt.MouseButton.LeftButton)
    box = wait_box(qtbot, "for good")
    assert "1 vehicle" in box.text()
    box.reject()
    trash.close()
    dialog.close()


def test_undo_brings_back_a_deleted_incident(qtbot, opened):
    window = opened
    incident_id = new_incident(qtbot, window)
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: window.view.model.incident_ids() == [], timeout=15000)
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: window.view.model.incident_ids() == [incident_id], timeout=15000)


def test_delete_key_only_deletes_from_the_timeline(qtbot, opened):
    window = opened
    incident_id = new_incident(qtbot, window)
    form = window.view.editor.form
    form.category.setFocus()
    qtbot.keyClick(form.category, Qt.Key.Key_Delete)
    qtbot.keyClicks(form.title, "Car")
    qtbot.keyClick(form.title, Qt.Key.Key_Home)
    qtbot.keyClick(form.title, Qt.Key.Key_Delete)  # deletes a letter, not the incident
    assert form.title.text() == "ar"
    settle(qtbot, window)
    assert window.view.model.incident_ids() == [incident_id]
    window.view.timeline.setFocus()
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.view.model.incident_ids() == [], timeout=15000)


def test_after_a_delete_the_next_incident_is_shown(qtbot, window, tmp_path):
    from datetime import UTC, datetime

    from evidence_app.core.cases import create_case
    from evidence_app.core.dates import When
    from evidence_app.core.vocab import Precision

    folder = tmp_path / "three"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        ids = [inc.create_incident(case, title=t, when=When(datetime(2025, 1, d, tzinfo=UTC),
                                                           None, Precision.DAY, "Europe/London"))
               for d, t in ((3, "Third"), (2, "Second"), (1, "First"))]
    window.session.open(folder)
    wait_open(qtbot, window)
    view = window.view
    # on opening, the newest incident is shown rather than an empty editor
    qtbot.waitUntil(lambda: view.editor.incident_id == ids[0], timeout=15000)
    view.timeline.select_incident(ids[1])
    qtbot.waitUntil(lambda: view.editor.incident_id == ids[1], timeout=15000)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.editor.incident_id == ids[2], timeout=15000)
    assert view.timeline.current_incident_id() == ids[2]
