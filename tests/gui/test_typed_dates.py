"""Typing a date into the incident editor the way people write it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from evidence_app.core import incidents as inc
from evidence_app.core.vocab import Precision
from tests.gui.helpers import settle
from tests.gui.test_editor import new_incident

LONDON = ZoneInfo("Europe/London")


def stored(window, incident_id):
    return inc.get_incident(window.session.case, incident_id)


def type_date(qtbot, when, text):
    when.typed.setFocus()
    qtbot.keyClicks(when.typed, text)
    qtbot.keyClick(when.typed, Qt.Key.Key_Return)


def test_typing_15_03_2025_stores_15_march_2025(qtbot, case_window):
    window = case_window
    incident_id = new_incident(qtbot, window)
    when = window.view.editor.form.when
    type_date(qtbot, when, "15/03/2025")
    assert when.understood.isVisible()
    assert when.understood.text() == "Understood as Sat 15 Mar 2025."
    window.view.editor.flush()
    settle(qtbot, window)
    detail = stored(window, incident_id)
    assert detail.precision == Precision.DAY
    assert detail.occurred_at.astimezone(LONDON).date().isoformat() == "2025-03-15"
    # the pickers show it too, at its precision
    assert when.current_precision() is Precision.DAY
    assert when.start_date.date().toString("yyyy-MM-dd") == "2025-03-15"


def test_yesterday_9pm(qtbot, case_window):
    window = case_window
    incident_id = new_incident(qtbot, window)
    when = window.view.editor.form.when
    type_date(qtbot, when, "yesterday 9pm")
    window.view.editor.flush()
    settle(qtbot, window)
    start = stored(window, incident_id).occurred_at.astimezone(LONDON)
    yesterday = datetime.now(LONDON).date() - timedelta(days=1)
    assert (start.date(), start.hour, start.minute) == (yesterday, 21, 0)
    assert when.current_precision() is Precision.EXACT


def test_a_date_that_cannot_be_read_changes_nothing_and_says_why(qtbot, case_window):
    window = case_window
    incident_id = new_incident(qtbot, window)
    when = window.view.editor.form.when
    type_date(qtbot, when, "15/03/2025 21:40")
    window.view.editor.flush()
    settle(qtbot, window)
    before = stored(window, incident_id).occurred_at
    when.typed.clear()
    type_date(qtbot, when, "31/02/2025")
    assert when.understood.text().startswith("Not understood:")
    assert "not a real date" in when.understood.text()
    window.view.editor.flush()
    settle(qtbot, window)
    assert stored(window, incident_id).occurred_at == before


def test_moving_a_picker_afterwards_clears_the_typed_words(qtbot, case_window):
    window = case_window
    new_incident(qtbot, window)
    when = window.view.editor.form.when
    type_date(qtbot, when, "15 March 2025 at 21:40")
    assert when.typed.text()
    when.start_time.setTime(when.start_time.time().addSecs(600))
    assert when.typed.text() == "" and not when.understood.isVisible()
