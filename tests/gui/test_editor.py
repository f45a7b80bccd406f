"""Adding and editing incidents in the editor, as a person would."""

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTime

from evidence_app.core import incidents as inc
from evidence_app.core.store.audit import entries
from evidence_app.core.vocab import Precision
from tests.gui.helpers import make_case, settle, wait_open


@pytest.fixture
def opened(qtbot, window, tmp_path):
    folder = make_case(tmp_path / "case")
    window.session.open(folder)
    wait_open(qtbot, window)
    return window


def new_incident(qtbot, window):
    editor = window.view.editor
    before = editor.incident_id
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.incident_id not in (None, before) and editor.detail is not None
                    and editor.form.title.hasFocus(), timeout=15000)
    return editor.incident_id


def timeline_titles(window):
    model = window.view.model
    return [model.index(r).data() for r in range(model.rowCount())
            if model.flags(model.index(r)) & Qt.ItemFlag.ItemIsSelectable]


def test_add_an_incident_and_see_it_in_the_timeline(qtbot, opened):
    window = opened
    form = window.view.editor.form
    incident_id = new_incident(qtbot, window)
    qtbot.keyClicks(form.title, "Silver car parked outside")
    qtbot.keyClicks(form.location, "Elm Road")
    form.category.setCurrentIndex(form.category.findData("loitering"))
    qtbot.keyClicks(form.description, "He sat in the car for twenty minutes.")
    qtbot.keyClicks(form.impact, "I stayed in all evening.")
    qtbot.waitUntil(lambda: "Silver car parked outside" in timeline_titles(window), timeout=15000)
    settle(qtbot, window)
    stored = inc.get_incident(window.session.case, incident_id)
    assert stored.title == "Silver car parked outside"
    assert stored.location == "Elm Road"
    assert stored.category == "loitering"
    assert stored.description == "He sat in the car for twenty minutes."
    assert stored.impact == "I stayed in all evening."
    assert stored.precision == "exact"
    assert window.view.timeline.current_incident_id() == incident_id
    # every save is an audited update of that incident
    with window.session.case.read() as session:
        updates = [e for e in entries(session, "incident", [incident_id]) if e.action == "update"]
    assert updates
    assert "Recorded on" in form.meta.text()


@pytest.mark.parametrize("precision, expected", [
    ("exact", "12 Mar 2025, 14:30"),
    ("circa", "12 Mar 2025, c. 14:30"),
    ("day", "12 Mar 2025"),
    ("month", "March 2025"),
    ("between", "12 Mar 2025, between 14:30 and 16:00"),
    ("undated", "Undated"),
])
def test_every_date_precision(qtbot, opened, precision, expected):
    window = opened
    incident_id = new_incident(qtbot, window)
    when = window.view.editor.form.when
    when.start_date.setDate(QDate(2025, 3, 12))
    when.start_time.setTime(QTime(14, 30))
    when.precision.setCurrentIndex(when.precision.findData(precision))
    if precision == "between":
        assert when.end_date.isVisibleTo(window) and when.end_time.isVisibleTo(window)
        when.end_date.setDate(QDate(2025, 3, 12))
        when.end_time.setTime(QTime(16, 0))
    if precision == "month":
        assert when.month.isVisibleTo(window) and not when.start_date.isVisibleTo(window)
        assert when.month.currentText() == "March" and when.year.value() == 2025
    if precision == "undated":
        assert when.undated_note.isVisibleTo(window) and not when.start_date.isVisibleTo(window)
    window.view.editor.flush()
    settle(qtbot, window)
    summary = inc.list_incidents(window.session.case, ids=[incident_id])[0]
    assert summary.precision == precision
    assert summary.when_text == expected
    if precision != "undated":
        local = summary.occurred_at.astimezone(datetime.now().astimezone().tzinfo)
        assert summary.occurred_at.tzinfo is not None and local.year == 2025


def test_edits_are_saved_when_switching_incident_and_on_close(qtbot, opened, settings):
    window = opened
    editor = window.view.editor
    first = new_incident(qtbot, window)
    qtbot.keyClicks(editor.form.title, "First")
    second = new_incident(qtbot, window)  # switches away at once, before the pause
    qtbot.keyClicks(editor.form.title, "Second")
    qtbot.keyClicks(editor.form.witnesses, "Mrs Patel at number 12")
    folder = window.session.case.folder
    window.close()  # nothing waits for the typing pause
    from evidence_app.core.cases import open_case

    with open_case(folder) as case:
        assert inc.get_incident(case, first).title == "First"
        second_row = inc.get_incident(case, second)
        assert second_row.title == "Second"
        assert second_row.witnesses == "Mrs Patel at number 12"


def test_ctrl_z_undoes_the_last_edit(qtbot, opened):
    window = opened
    editor = window.view.editor
    incident_id = new_incident(qtbot, window)
    qtbot.keyClicks(editor.form.title, "Car outside")
    editor.flush()
    settle(qtbot, window)
    qtbot.keyClicks(editor.form.location, "Station Road")
    # Ctrl+Z while still typing: the typing is saved, then undone
    qtbot.keyClick(editor.form.location, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert editor.form.location.text() == ""
    assert editor.form.title.text() == "Car outside"
    assert inc.get_incident(window.session.case, incident_id).location == ""
    # again, from the timeline this time, through Edit > Undo
    window.view.timeline.setFocus()
    window.act_undo.trigger()
    settle(qtbot, window)
    assert editor.form.title.text() == ""
    assert inc.get_incident(window.session.case, incident_id).title == ""
    # and redo
    window.act_redo.trigger()
    settle(qtbot, window)
    assert editor.form.title.text() == "Car outside"
    # the audit trail keeps every step; made while the incident was first being written,
    # they are its first recording, not amendments
    with window.session.case.read() as session:
        saves = [e for e in entries(session, "incident", [incident_id]) if e.action == "update"]
    assert len(saves) >= 4
    detail = inc.get_incident(window.session.case, incident_id)
    assert detail.amendments == [] and detail.recorded_until == saves[-1].at


def test_reported_to_police_date_and_references(qtbot, opened):
    window = opened
    form = window.view.editor.form
    incident_id = new_incident(qtbot, window)
    qtbot.keyClicks(form.police_reference, "54250012345")
    qtbot.keyClicks(form.police_officer, "PC Hughes 4412")
    assert not form.reported_on.isEnabled()
    qtbot.mouseClick(form.reported, Qt.MouseButton.LeftButton)
    assert form.reported_on.isEnabled()
    form.reported_on.setDate(QDate(2025, 3, 2))
    window.view.editor.flush()
    settle(qtbot, window)
    detail = inc.get_incident(window.session.case, incident_id)
    assert (detail.police_reference, detail.police_officer) == ("54250012345", "PC Hughes 4412")
    assert detail.reported_on.isoformat() == "2025-03-02"


def test_notes_are_timestamped_and_can_be_private(qtbot, opened):
    window = opened
    notes = window.view.editor.form.notes
    incident_id = new_incident(qtbot, window)
    assert not notes.add.isEnabled()
    qtbot.keyClicks(notes.input, "Neighbour saw the car too.")
    qtbot.mouseClick(notes.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(notes.cards) == 1, timeout=15000)
    qtbot.keyClicks(notes.input, "Told my sister.")
    qtbot.mouseClick(notes.private, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(notes.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(notes.cards) == 2, timeout=15000)
    settle(qtbot, window)
    assert notes.input.toPlainText() == "" and not notes.private.isChecked()
    stored = inc.get_incident(window.session.case, incident_id).notes
    assert [(n.text, n.private) for n in stored] == [
        ("Neighbour saw the car too.", False), ("Told my sister.", True)]
    assert all(n.created_at.tzinfo is not None for n in stored)
    assert notes.cards[1].private.isChecked()
    assert notes.cards[0].when.text().startswith("Added on ")
    # untick "private" on the second note
    qtbot.mouseClick(notes.cards[1].private, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not inc.get_incident(window.session.case, incident_id).notes[1].private
    # remove the first: it goes to the trash, and undo brings it back
    qtbot.mouseClick(notes.cards[0].remove, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert len(inc.get_incident(window.session.case, incident_id).notes) == 1
    window.act_undo.trigger()
    settle(qtbot, window)
    assert len(inc.get_incident(window.session.case, incident_id).notes) == 2


def test_new_incident_is_dated_now(qtbot, opened):
    window = opened
    incident_id = new_incident(qtbot, window)
    settle(qtbot, window)
    summary = inc.list_incidents(window.session.case, ids=[incident_id])[0]
    assert summary.precision == Precision.EXACT
    assert abs((datetime.now(UTC) - summary.occurred_at).total_seconds()) < 120


def test_recorded_and_amended_read_as_in_the_report(qtbot, opened):
    from datetime import timedelta

    from evidence_app.core.views import Amendment
    from evidence_app.gui.widgets.incident_editor import record_line

    window = opened
    editor = window.view.editor
    incident_id = new_incident(qtbot, window)
    form = editor.form
    assert form.meta.text().startswith("Recorded on ") and "Amended" not in form.meta.text()
    # Typed while the incident is first being written: its first recording, not amendments.
    qtbot.keyClicks(form.title, "Car outside")
    editor.flush()
    qtbot.keyClicks(form.impact, "Scared to go out")
    editor.flush()
    settle(qtbot, window)
    assert form.meta.text().startswith("Recorded on ") and "Amended" not in form.meta.text()
    # Leaving the incident ends that sitting: a change made on coming back is an amendment.
    other = new_incident(qtbot, window)
    assert other != incident_id
    settle(qtbot, window)
    with window.session.case.read() as session:
        actions = [e.action for e in entries(session, "incident", [incident_id])]
    assert actions.count("finish") == 1 and actions.count("update") == 2, actions
    window.view.timeline.select_incident(incident_id)
    qtbot.waitUntil(lambda: editor.incident_id == incident_id and editor.detail is not None,
                    timeout=15000)
    qtbot.keyClicks(form.impact, ", even by day")
    editor.flush()
    qtbot.waitUntil(lambda: "Amended on" in form.meta.text(), timeout=15000)
    assert "(effect on me)." in form.meta.text() and "(title" not in form.meta.text()
    detail = inc.get_incident(window.session.case, incident_id)
    at = datetime(2025, 3, 3, 14, 30, tzinfo=UTC)
    detail.recorded_at, detail.recorded_until = at, at + timedelta(minutes=3)
    detail.amendments = [Amendment(at + timedelta(days=i), ["title"], {}) for i in range(5)]
    line = record_line(detail, "Europe/London")
    assert line.startswith("Recorded on 3 Mar 2025, 14:30\u201314:33 GMT. Amended on 3 Mar 2025, "
                           "14:30 GMT")
    assert "… 3 more amendments …" in line and line.endswith("Amended on 7 Mar 2025, 14:30 GMT (title).")
    assert record_line(detail, "Europe/London", limit=None).count("Amended on") == 5


def test_ctrl_s_saves_at_once_and_says_so(qtbot, opened):
    window = opened
    editor = window.view.editor
    incident_id = new_incident(qtbot, window)
    qtbot.keyClicks(editor.form.title, "Typed just now")
    assert editor.dirty
    qtbot.keyClick(editor.form.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.dirty
    assert "saved" in window.statusBar().currentMessage()
    settle(qtbot, window)
    assert inc.get_incident(window.session.case, incident_id).title == "Typed just now"


def test_a_period_keeps_its_length_when_its_start_moves(qtbot, opened):
    window = opened
    new_incident(qtbot, window)
    form = window.view.editor.form
    qtbot.keyClick(form.title, Qt.Key.Key_Return)  # Enter moves on to the date
    assert form.when.start_date.hasFocus()
    when = form.when
    when.precision.setCurrentIndex(when.precision.findData("between"))
    when.start_date.setDate(QDate(2025, 3, 12))
    when.start_time.setTime(QTime(18, 0))
    when.end_date.setDate(QDate(2025, 3, 12))
    when.end_time.setTime(QTime(19, 30))
    when.start_date.setDate(QDate(2025, 3, 14))  # moved two days later
    assert (when.end_date.date(), when.end_time.time()) == (QDate(2025, 3, 14), QTime(19, 30))
    when.end_date.setDate(QDate(2025, 3, 1))  # the person sets an end before the start
    assert when.backwards_note.isVisibleTo(window)
    when.end_date.setDate(QDate(2025, 3, 14))
    assert not when.backwards_note.isVisibleTo(window)


def test_a_period_of_whole_days(qtbot, opened):
    window = opened
    incident_id = new_incident(qtbot, window)
    when = window.view.editor.form.when
    when.precision.setCurrentIndex(when.precision.findData("between"))
    when.start_date.setDate(QDate(2025, 3, 12))
    when.end_date.setDate(QDate(2025, 3, 14))
    # where a person clicks: on the box (its middle is empty space in a wide row)
    qtbot.mouseClick(when.whole_days, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, when.whole_days.height() // 2))
    assert not when.start_time.isVisibleTo(window) and not when.end_time.isVisibleTo(window)
    window.view.editor.flush()
    settle(qtbot, window)
    summary = inc.list_incidents(window.session.case, ids=[incident_id])[0]
    assert summary.when_text == "between 12 Mar 2025 and 14 Mar 2025"
    # shown the same way when the incident is opened again
    window.view.editor.set_incident(None)
    window.view.editor.set_incident(incident_id)
    qtbot.waitUntil(lambda: window.view.editor.detail is not None, timeout=15000)
    assert when.whole_days.isChecked() and not when.end_time.isVisibleTo(window)


def test_ctrl_z_in_a_text_box_undoes_the_editor_change(qtbot, opened):
    window = opened
    editor = window.view.editor
    incident_id = new_incident(qtbot, window)
    qtbot.keyClicks(editor.form.description, "He waited by the gate.")
    editor.flush()
    settle(qtbot, window)
    qtbot.keyClicks(editor.form.description, " Then he left.")
    qtbot.keyClick(editor.form.description, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert editor.form.description.toPlainText() == "He waited by the gate."
    assert inc.get_incident(window.session.case, incident_id).description == \
        "He waited by the gate."


def type_time(qtbot, edit, text):
    """Click into the hours and type the time, as a person does ("0130")."""
    edit.setFocus()
    edit.setSelectedSection(edit.Section.HourSection)
    qtbot.keyClicks(edit, text)


def test_times_when_the_clocks_change_are_refused_or_explained(qtbot, opened):
    window = opened
    incident_id = new_incident(qtbot, window)
    when = window.view.editor.form.when
    when.precision.setCurrentIndex(when.precision.findData("exact"))
    when.start_date.setDate(QDate(2025, 3, 30))
    type_time(qtbot, when.start_time, "0045")
    window.view.editor.flush()
    settle(qtbot, window)
    saved = inc.get_incident(window.session.case, incident_id).occurred_at
    assert saved == datetime(2025, 3, 30, 0, 45, tzinfo=UTC)
    # 01:30 that night never happened in the UK: storing it would show 02:30 later.
    type_time(qtbot, when.start_time, "0130")
    assert when.start_time.time() == QTime(1, 30)
    assert when.clock_note.isVisibleTo(window)
    assert when.clock_note.text().startswith(
        "01:30 on 30/03/2025 did not exist in Europe/London: the clocks went forward")
    assert when.clock_note.text().endswith("Not saved until you change it.")
    qtbot.keyClicks(window.view.editor.form.title, "Outside the house")  # other edits save
    window.view.editor.flush()
    settle(qtbot, window)
    detail = inc.get_incident(window.session.case, incident_id)
    assert (detail.title, detail.occurred_at) == ("Outside the house", saved)
    type_time(qtbot, when.start_time, "0230")
    assert not when.clock_note.isVisibleTo(window)
    window.view.editor.flush()
    settle(qtbot, window)
    assert inc.get_incident(window.session.case, incident_id).occurred_at == datetime(
        2025, 3, 30, 1, 30, tzinfo=UTC)
    # 01:30 on 26 October happened twice: taken as the first, and said so.
    when.start_date.setDate(QDate(2025, 10, 26))
    type_time(qtbot, when.start_time, "0130")
    assert when.clock_note.isVisibleTo(window)
    assert when.clock_note.text() == ("01:30 on 26/10/2025 happened twice in Europe/London "
                                      "(the clocks went back that night): it is recorded as "
                                      "the first, 01:30 BST.")
    window.view.editor.flush()
    settle(qtbot, window)
    assert inc.get_incident(window.session.case, incident_id).occurred_at == datetime(
        2025, 10, 26, 0, 30, tzinfo=UTC)


def test_a_stored_time_in_the_second_of_two_hours_stays_there(qtbot, window, tmp_path):
    # "New incident from selection" dates an incident from a photo taken at 01:30 GMT,
    # after the clocks went back: editing anything else must not move it to 01:30 BST.
    from evidence_app.core.cases import open_case
    from evidence_app.core.dates import When

    folder = make_case(tmp_path / "case")
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 01:30 GMT
    with open_case(folder) as case:
        incident_id = inc.create_incident(
            case, when=When(second, None, Precision.EXACT, "Europe/London"), title="Knocking")
    window.session.open(folder)
    wait_open(qtbot, window)
    window.view.timeline.select_incident(incident_id)
    editor = window.view.editor
    when = editor.form.when
    qtbot.waitUntil(lambda: editor.incident_id == incident_id and editor.detail is not None,
                    timeout=5000)
    assert when.start_time.time() == QTime(1, 30)
    assert when.clock_note.text().endswith("it is recorded as the second, 01:30 GMT.")
    qtbot.keyClicks(editor.form.title, " again")
    editor.flush()
    settle(qtbot, window)
    detail = inc.get_incident(window.session.case, incident_id)
    assert (detail.title, detail.occurred_at) == ("Knocking again", second)


def test_an_incident_from_messages_seconds_apart_opens_as_it_is(qtbot, window, tmp_path):
    """A period 22:15:03-22:15:40 (two messages): the timeline says "22:15" once, the
    editor shows both ends at 22:15 (not an hour long), and typing elsewhere keeps them."""
    from evidence_app.core.cases import create_case
    from evidence_app.core.dates import When
    from tests.gui.helpers import settle as _settle

    start, end = datetime(2025, 3, 14, 22, 15, 3, tzinfo=UTC), datetime(2025, 3, 14, 22, 15, 40,
                                                                        tzinfo=UTC)
    c = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS")
    iid = inc.create_incident(c, when=When(start, end, Precision.BETWEEN, "Europe/London"),
                              title="2 messages from Mark", category="contact_text")
    c.close()
    window.session.open(tmp_path / "case")
    wait_open(qtbot, window)
    model = window.view.model
    row = next(model.index(r) for r in range(model.rowCount())
               if model.index(r).data() == "2 messages from Mark")
    # What the timeline row says (its date line is drawn from the same text).
    assert row.data(Qt.ItemDataRole.AccessibleTextRole).startswith("14 Mar 2025, 22:15, ")
    assert row.data(Qt.ItemDataRole.ToolTipRole).startswith("14 Mar 2025, 22:15\n")
    window.view.timeline.select_incident(iid)
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.incident_id == iid and editor.detail is not None
                    and editor.detail.id == iid, timeout=10000)
    when = editor.form.when
    assert (when.start_time.time(), when.end_time.time()) == (QTime(22, 15), QTime(22, 15))
    qtbot.keyClicks(editor.form.location, "Home")
    editor.flush()
    _settle(qtbot, window)
    stored = inc.get_incident(window.session.case, iid)
    assert (stored.location, stored.occurred_at, stored.occurred_end) == ("Home", start, end)
    assert stored.when_text == "14 Mar 2025, 22:15"
