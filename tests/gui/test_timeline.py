"""The paged timeline model and its view: order, month headers, paging, sources, refresh."""

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt

from evidence_app.core import incidents as inc
from evidence_app.core.dates import When
from evidence_app.core.vocab import Precision
from evidence_app.gui.models.timeline import (
    PAGE,
    HeaderRole,
    IncidentRole,
    RowSource,
    TimelineModel,
)
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.timeline import TimelineView


def add(case, title, when=None, precision=Precision.EXACT, **fields):
    w = When(when, None, precision, "Europe/London") if when else None
    return inc.create_incident(case, when=w, title=title, **fields)


def rows(model):
    out = []
    for r in range(model.rowCount()):
        index = model.index(r)
        out.append(("#" if index.data(HeaderRole) else "") + index.data())
    return out


def wait_ready(qtbot, model):
    qtbot.waitUntil(lambda: model.ready and not model.loading, timeout=15000)


def test_month_headers_order_and_undated_last(qtbot, case):
    add(case, "Flowers", datetime(2025, 1, 11, 12, tzinfo=UTC), Precision.DAY)
    add(case, "Letter")  # undated
    add(case, "Car", datetime(2025, 3, 1, 21, 40, tzinfo=UTC))
    add(case, "Calls", datetime(2025, 3, 20, 9, tzinfo=UTC), Precision.CIRCA)
    ops = CaseOps(case)
    model = TimelineModel(ops, newest_first=True)
    model.reload(keep=False)
    wait_ready(qtbot, model)
    assert rows(model) == ["#March 2025", "Calls", "Car", "#January 2025", "Flowers",
                           "#Undated", "Letter"]
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.index(1).data(IncidentRole).when_text == "20 Mar 2025, c. 09:00"
    model.set_newest_first(False)
    wait_ready(qtbot, model)
    assert rows(model) == ["#January 2025", "Flowers", "#March 2025", "Car", "Calls",
                           "#Undated", "Letter"]


def test_pages_load_as_the_view_scrolls(qtbot, case):
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with case.write():
        pass
    from evidence_app.core.importers.diary_csv import DiaryPreview, DiaryRow, import_diary

    n = PAGE * 2 + 50
    preview = DiaryPreview({}, [], [DiaryRow(line=i + 2, values={
        "title": f"Incident {i}", "description": "", "location": "", "category": "other",
        "suspect_appearance": "", "suspect_voice": "", "suspect_clothing": "", "witnesses": "",
        "impact": "", "police_reference": "", "police_officer": "",
        "occurred_at": start + timedelta(days=i), "occurred_end": None, "precision": "day",
        "timezone": "Europe/London", "reported_on": None}) for i in range(n)])
    import_diary(case, preview)
    ops = CaseOps(case)
    model = TimelineModel(ops, newest_first=False)
    view = TimelineView(model)
    qtbot.addWidget(view)
    view.resize(400, 600)
    view.show()
    model.reload(keep=False)
    wait_ready(qtbot, model)
    assert model.total == n
    assert len(model.incident_ids()) == PAGE  # one page, not everything
    view.scrollToBottom()
    qtbot.waitUntil(lambda: len(model.incident_ids()) > PAGE, timeout=15000)
    # asking for an incident far down loads pages until it is there
    last = inc.list_incidents(case, newest_first=True, limit=1)[0].id
    view.select_incident(last)
    qtbot.waitUntil(lambda: view.current_incident_id() == last, timeout=15000)
    assert len(model.incident_ids()) == n
    assert model.incident_ids() == sorted(model.incident_ids())
    # headers: one per month across the whole list, never repeated at page joins
    headers = [model.index(r).data() for r in range(model.rowCount())
               if model.index(r).data(HeaderRole)]
    assert len(headers) == len(set(headers))


def test_a_pluggable_source_narrows_the_timeline(qtbot, case):
    ids = [add(case, f"Item {i}", datetime(2025, 2, 1 + i, tzinfo=UTC)) for i in range(5)]
    ops = CaseOps(case)
    model = TimelineModel(ops)
    model.reload(keep=False)
    wait_ready(qtbot, model)
    wanted = ids[1:3]
    source = RowSource(
        lambda c, offset, limit, newest: inc.list_incidents(c, ids=wanted, newest_first=newest,
                                                            offset=offset, limit=limit),
        lambda c: len(wanted), name="search")
    model.set_source(source)
    wait_ready(qtbot, model)
    assert sorted(model.incident_ids()) == wanted and model.total == 2
    model.set_source(None)
    wait_ready(qtbot, model)
    assert model.total == 5


def test_refresh_keeps_the_selection(qtbot, case):
    a = add(case, "A", datetime(2025, 1, 1, tzinfo=UTC))
    b = add(case, "B", datetime(2025, 2, 1, tzinfo=UTC))
    ops = CaseOps(case)
    model = TimelineModel(ops, newest_first=True)
    view = TimelineView(model)
    qtbot.addWidget(view)
    model.reload(keep=False)
    wait_ready(qtbot, model)
    view.select_incident(a)
    qtbot.waitUntil(lambda: view.current_incident_id() == a, timeout=15000)
    # a change moves A to the top of the list; it stays selected
    with qtbot.waitSignal(model.reloaded, timeout=15000):
        ops.op(inc.update_incident, a, when=When(datetime(2025, 3, 1, tzinfo=UTC), None,
                                                  Precision.EXACT, "Europe/London"))
    assert model.incident_ids() == [a, b]
    assert view.current_incident_id() == a
    # a title change: same rows, updated in place
    with qtbot.waitSignal(ops.changed, timeout=15000):
        ops.op(inc.update_incident, b, title="B renamed")
    qtbot.waitUntil(lambda: "B renamed" in rows(model), timeout=15000)
    assert view.current_incident_id() == a


def test_keyboard_skips_month_headers(qtbot, case):
    add(case, "March", datetime(2025, 3, 1, tzinfo=UTC))
    add(case, "February", datetime(2025, 2, 1, tzinfo=UTC))
    ops = CaseOps(case)
    model = TimelineModel(ops, newest_first=True)
    view = TimelineView(model)
    qtbot.addWidget(view)
    view.show()
    model.reload(keep=False)
    wait_ready(qtbot, model)
    view.setFocus()
    view.setCurrentIndex(model.index(1))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().data() == "February"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().data() == "March"
    qtbot.keyClick(view, Qt.Key.Key_Up)  # only a header above: stays put
    assert view.currentIndex().data() == "March"
    assert model.index(0).data(HeaderRole)
    assert model.data(QModelIndex()) is None


def test_empty_case_says_what_to_do(qtbot, case):
    model = TimelineModel(CaseOps(case))
    view = TimelineView(model)
    qtbot.addWidget(view)
    model.reload(keep=False)
    wait_ready(qtbot, model)
    assert model.rowCount() == 0
    assert "Ctrl+N" in view.empty_text


def test_home_and_end_keys_land_on_incidents(qtbot, case):
    add(case, "Newest", datetime(2025, 3, 1, tzinfo=UTC))
    add(case, "Oldest", datetime(2025, 1, 1, tzinfo=UTC))
    ops = CaseOps(case)
    model = TimelineModel(ops, newest_first=True)
    view = TimelineView(model)
    qtbot.addWidget(view)
    view.show()
    model.reload(keep=False)
    wait_ready(qtbot, model)
    view.setFocus()
    view.setCurrentIndex(model.index(1))
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().data() == "Oldest"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().data() == "Newest"


def test_a_search_without_the_open_incident_leaves_it_open(qtbot, case):
    a = add(case, "Open one", datetime(2025, 1, 1, tzinfo=UTC))
    b = add(case, "Found one", datetime(2025, 2, 1, tzinfo=UTC))
    ops = CaseOps(case)
    model = TimelineModel(ops)
    view = TimelineView(model)
    qtbot.addWidget(view)
    told = []
    view.incident_selected.connect(told.append)
    model.reload(keep=False)
    wait_ready(qtbot, model)
    view.select_incident(a)
    qtbot.waitUntil(lambda: told[-1:] == [a], timeout=15000)
    source = RowSource(lambda c, o, n, newest: inc.list_incidents(c, ids=[b], offset=o, limit=n),
                       lambda c: 1, name="search")
    model.set_source(source)
    wait_ready(qtbot, model)
    qtbot.wait(50)
    assert model.incident_ids() == [b]
    assert told[-1] == a  # the editor was not switched or emptied
    assert view.current_incident_id() is None
