"""'Impact on me' tick boxes in the incident editor and in case settings, driven as a
person would: click a box, type the date's words and an amount, read what was stored."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox

from evidence_app.core import impacts
from evidence_app.core.store.audit import entries
from evidence_app.gui.dialogs.case_settings import CaseSettingsDialog
from tests.gui.helpers import settle
from tests.gui.test_editor import new_incident


@pytest.fixture
def opened(case_window):
    return case_window


def click(qtbot, widget):
    """Click where a person would: on a tick box's square, a button's middle."""
    qtbot.waitUntil(lambda: not widget.visibleRegion().isEmpty(), timeout=15000)
    at = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at)


def test_ticking_an_effect_shows_its_fields_and_stores_them(qtbot, opened, tmp_path):
    window = opened
    window.resize(1366, 768)
    editor = window.view.editor
    ticks = editor.form.impacts
    incident_id = new_incident(qtbot, window)
    fear = ticks.row("fear_of_violence")
    assert not fear.details.isVisibleTo(window)
    editor.scroll_area.ensureWidgetVisible(fear.box)
    click(qtbot, fear.box)
    assert fear.details.isVisibleTo(window)
    fear.since.setDate(QDate(2025, 4, 2))
    qtbot.keyClicks(fear.words, "He said he would hurt me")
    costs = ticks.row("costs")
    editor.scroll_area.ensureWidgetVisible(costs.box)
    click(qtbot, costs.box)
    costs.since.setDate(QDate(2025, 4, 5))
    qtbot.keyClicks(costs.words, "New locks")
    qtbot.keyClicks(costs.amount, "£1,240.50")
    qtbot.waitUntil(lambda: len(impacts.list_impacts(window.session.case, incident_id)) == 2
                    and impacts.list_impacts(window.session.case, incident_id)[1].amount_pence
                    == 124050, timeout=15000)
    settle(qtbot, window)
    stored = {i.kind: i for i in impacts.list_impacts(window.session.case, incident_id)}
    assert stored["fear_of_violence"].since == date(2025, 4, 2)
    assert stored["fear_of_violence"].details == "He said he would hurt me"
    assert stored["costs"].since == date(2025, 4, 5)
    assert stored["costs"].details == "New locks"
    assert not ticks.error.isVisibleTo(window)
    window.grab().save(str(tmp_path / "editor-impacts.png"))

    # Unticking removes it; the audit trail keeps what it said.
    click(qtbot, fear.box)
    assert not fear.details.isVisibleTo(window)
    qtbot.waitUntil(lambda: [i.kind for i in impacts.list_impacts(window.session.case,
                                                                   incident_id)] == ["costs"],
                    timeout=15000)
    with window.session.case.read() as session:
        gone = [e for e in entries(session, "impact") if e.action == "delete"]
    assert gone and gone[0].details["details"] == "He said he would hurt me"


def test_an_amount_that_cannot_be_read_is_explained_and_not_stored(qtbot, opened):
    window = opened
    editor = window.view.editor
    incident_id = new_incident(qtbot, window)
    costs = editor.form.impacts.row("costs")
    editor.scroll_area.ensureWidgetVisible(costs.box)
    click(qtbot, costs.box)
    qtbot.keyClicks(costs.amount, "about forty")
    qtbot.waitUntil(lambda: editor.form.impacts.error.isVisibleTo(window), timeout=15000)
    assert "not an amount of money" in editor.form.impacts.error.text()
    settle(qtbot, window)
    assert impacts.list_impacts(window.session.case, incident_id) == []
    costs.amount.clear()
    qtbot.keyClicks(costs.amount, "40")
    qtbot.waitUntil(lambda: [i.amount_pence for i in
                             impacts.list_impacts(window.session.case, incident_id)] == [4000],
                    timeout=15000)
    assert not editor.form.impacts.error.isVisibleTo(window)


def test_stored_effects_show_ticked_when_the_incident_is_opened(qtbot, opened):
    window = opened
    case = window.session.case
    first = new_incident(qtbot, window)
    second = new_incident(qtbot, window)
    impacts.set_impact(case, first, "moved_home", since=date(2025, 6, 1),
                       details="Staying with family")
    editor = window.view.editor
    settle(qtbot, window)
    window.view.timeline.select_incident(first)
    qtbot.waitUntil(lambda: editor.incident_id == first and editor.detail is not None,
                    timeout=15000)
    settle(qtbot, window)
    moved = editor.form.impacts.row("moved_home")
    assert moved.box.isChecked() and moved.details.isVisibleTo(window)
    assert moved.words.text() == "Staying with family"
    assert moved.since.date() == QDate(2025, 6, 1)
    window.view.timeline.select_incident(second)
    qtbot.waitUntil(lambda: editor.incident_id == second and editor.detail is not None,
                    timeout=15000)
    assert not moved.box.isChecked() and moved.words.text() == ""


def test_case_settings_keep_effects_on_the_whole_case(qtbot, opened, tmp_path):
    window = opened
    case = window.session.case
    dialog = CaseSettingsDialog(window.session.ops, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isEnabled, timeout=15000)
    dialog.tabs.setCurrentIndex(dialog.tabs.indexOf(dialog.impacts.parentWidget()))
    time_off = dialog.impacts.row("time_off")
    click(qtbot, time_off.box)
    time_off.since.setDate(QDate(2025, 5, 12))
    qtbot.keyClicks(time_off.words, "Two weeks off work")
    dialog.grab().save(str(tmp_path / "settings-impacts.png"))
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: impacts.list_impacts(case, whole_case=True) != [], timeout=15000)
    [stored] = impacts.list_impacts(case, whole_case=True)
    assert (stored.kind, stored.incident_id, stored.since, stored.details) == (
        "time_off", None, date(2025, 5, 12), "Two weeks off work")

    again = CaseSettingsDialog(window.session.ops, window)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(again.isEnabled, timeout=15000)
    row = again.impacts.row("time_off")
    assert row.box.isChecked() and row.words.text() == "Two weeks off work"
    again.reject()


def test_a_persons_relationship_is_typed_and_stored(qtbot, opened):
    from evidence_app.core.people import create_person, list_people
    from evidence_app.gui.dialogs.person_forms import PersonFields

    fields = PersonFields()
    qtbot.addWidget(fields)
    fields.show()
    qtbot.keyClicks(fields.name, "Mark Ellis")
    fields.role.setCurrentIndex(fields.role.findData("suspect"))
    qtbot.keyClicks(fields.relation, "Former partner")
    values = fields.values()
    create_person(opened.session.case, **values)
    [person] = list_people(opened.session.case)
    assert (person.name, person.role, person.relation) == ("Mark Ellis", "suspect",
                                                           "Former partner")
    fields.set_person(person)
    assert fields.relation.text() == "Former partner"


def test_ctrl_z_unticks_and_ctrl_shift_z_ticks_again(qtbot, opened):
    window = opened
    editor = window.view.editor
    case = window.session.case
    incident_id = new_incident(qtbot, window)
    health = editor.form.impacts.row("health")
    editor.scroll_area.ensureWidgetVisible(health.box)
    click(qtbot, health.box)
    health.since.setDate(QDate(2025, 7, 1))
    qtbot.keyClicks(health.words, "Panic attacks")
    qtbot.waitUntil(lambda: [i.details for i in impacts.list_impacts(case, incident_id)]
                    == ["Panic attacks"], timeout=15000)
    settle(qtbot, window)
    qtbot.keyClick(health.words, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: impacts.list_impacts(case, incident_id) == [], timeout=15000)
    assert not health.box.isChecked()
    qtbot.keyClick(health.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: [i.details for i in impacts.list_impacts(case, incident_id)]
                    == ["Panic attacks"], timeout=15000)
    assert health.box.isChecked() and health.words.text() == "Panic attacks"
    assert impacts.list_impacts(case, incident_id)[0].since == date(2025, 7, 1)
