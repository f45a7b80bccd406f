"""The same changes made in the app's windows and with the command line leave the same
audit trail: the command line calls the services the windows call, with the same values."""

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from evidence_app.cli import main
from evidence_app.core.cases import open_case
from evidence_app.core.store.models import AuditEvent
from evidence_app.gui.dialogs.case_settings import CaseSettingsDialog
from evidence_app.gui.dialogs.person_forms import PersonDialog, VehicleDialog
from tests.gui.helpers import make_case, settle, wait_open
from tests.gui.test_editor import new_incident
from tests.gui.test_people_trash import choose_from_menu


def events(folder_or_case, after=0):
    """(action, entity, id, details) of the audit events past the first `after`, from a
    closed case folder or a case the app has open."""
    if isinstance(folder_or_case, Path):
        with open_case(folder_or_case) as case:
            return events(case, after)
    with folder_or_case.read() as session:
        # Not the full records each unit leaves: they hold the times rows were written.
        rows = session.scalars(select(AuditEvent).where(AuditEvent.entity != "records")
                               .order_by(AuditEvent.id)).all()
        return [(e.action, e.entity, e.entity_id, json.loads(e.details)) for e in rows][after:]


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def visible(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


@pytest.fixture
def two_cases(qtbot, window, tmp_path):
    """The app on one new case; a twin of it, made the same way, for the command line."""
    app_case = make_case(tmp_path / "app")
    cli_case = make_case(tmp_path / "cli")
    window.session.open(app_case)
    wait_open(qtbot, window)
    return window, app_case, cli_case


def test_case_settings_changed_in_the_window_and_by_command(qtbot, two_cases, capsys):
    window, app_case, cli_case = two_cases
    start = len(events(cli_case))
    window.act_settings.trigger()
    qtbot.waitUntil(lambda: visible(CaseSettingsDialog) is not None
                    and visible(CaseSettingsDialog).isEnabled(), timeout=15000)
    dialog = visible(CaseSettingsDialog)
    dialog.initials.clear()
    qtbot.keyClicks(dialog.initials, "jms")
    qtbot.keyClicks(dialog.address, "1 Elm Road")
    qtbot.keyClicks(dialog.contact, "Phone: 07700 900123")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.case.settings().initials == "JMS", timeout=15000)
    window.session.close()
    cli(capsys, "--case", cli_case, "case", "settings", "--initials", "jms", "--address",
        "1 Elm Road", "--phone", "07700 900123")
    made_in_app = events(app_case, start)
    assert made_in_app and made_in_app == events(cli_case, start)
    assert made_in_app[0][3]["changes"]["initials"] == {"old": "JS", "new": "JMS"}


def test_people_and_vehicles_linked_in_the_editor_and_by_command(qtbot, two_cases, capsys):
    window, app_case, cli_case = two_cases
    new_incident(qtbot, window)
    settle(qtbot, window)
    start = len(events(window.session.case))
    form = window.view.editor.form
    choose_from_menu(qtbot, form.link_vehicle, "New vehicle…")
    qtbot.waitUntil(lambda: visible(VehicleDialog) is not None, timeout=15000)
    dialog = visible(VehicleDialog)
    qtbot.keyClicks(dialog.fields.plate, "ab12 cde")
    qtbot.keyClicks(dialog.fields.colour, "Silver")
    qtbot.keyClicks(dialog.fields.make, "Vauxhall")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(form.vehicles.chips()) == 1, timeout=15000)
    choose_from_menu(qtbot, form.link_person, "New person…")
    qtbot.waitUntil(lambda: visible(PersonDialog) is not None, timeout=15000)
    dialog = visible(PersonDialog)
    qtbot.keyClicks(dialog.fields.name, "Mrs Patel")
    dialog.fields.role.setCurrentIndex(dialog.fields.role.findData("witness"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(form.people.chips()) == 1, timeout=15000)
    settle(qtbot, window)
    window.session.close()
    # The incident the editor made, as the command line makes it (its own event differs:
    # the editor fills in today's date), then the same additions and links.
    cli(capsys, "--case", cli_case, "incident", "add", "--title", "Car outside")
    cli_start = len(events(cli_case))
    cli(capsys, "--case", cli_case, "vehicle", "add", "--plate", "ab12 cde", "--colour",
        "Silver", "--make", "Vauxhall")
    cli(capsys, "--case", cli_case, "vehicle", "link", "1", "1")
    cli(capsys, "--case", cli_case, "person", "add", "--name", "Mrs Patel", "--role", "witness")
    cli(capsys, "--case", cli_case, "person", "link", "1", "1")
    made_in_app = events(app_case, start)
    assert [e[:3] for e in made_in_app] == [
        ("create", "vehicle", 1), ("link", "vehicle", 1), ("create", "person", 1),
        ("link", "person", 1)]
    assert made_in_app == events(cli_case, cli_start)
