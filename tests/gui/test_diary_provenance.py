"""A diary imported through the dialog is kept as an exhibit, and each incident from it
says where it came from in the editor, as the report does: the spreadsheet row the person
sees in the preview, the diary's exhibit mark, and when it was imported."""

import hashlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from evidence_app.core import incidents as inc
from evidence_app.core.attachments import count_inbox, incident_attachments
from evidence_app.gui.exhibits_hookup import install
from tests.gui.helpers import make_case, settle, wait_open
from tests.gui.test_diary_columns import open_dialog
from tests.report.test_diary_provenance import DIARY


def click_incident(qtbot, window, title):
    timeline = window.view.timeline
    model = timeline.model()
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    index = next(i for i in rows if title in str(i.data()))
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton,
                     pos=timeline.visualRect(index).center())
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.detail is not None and title in editor.detail.title,
                    timeout=15000)
    return editor


def test_the_diary_is_kept_and_the_editor_names_its_row(qtbot, window, tmp_path,
                                                        monkeypatch):
    hookup = install(window)  # the exhibits gallery, as the app has it
    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    path = tmp_path / "my diary.csv"
    path.write_bytes(DIARY.replace("\n", "\r\n").encode("utf-8"))
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    # The preview numbers rows as the spreadsheet does (a title line, then the header):
    # the numbers the report will give.
    table = dialog.table.model()
    assert table.headerData(0, Qt.Orientation.Horizontal) == "Row"
    assert [table.index(r, 0).data() for r in range(table.rowCount())] == ["3", "5"]
    with qtbot.waitSignal(dialog.accepted, timeout=15000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "the diary itself is kept as exhibit JS/1" in window.statusBar().currentMessage()
    case = window.session.case
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    first, second = sorted(s.id for s in inc.list_incidents(case))
    [exhibit] = incident_attachments(case, first)
    assert (exhibit.exhibit_mark, exhibit.sha256, exhibit.original_name) == \
        ("JS/1", sha, "my diary.csv")
    assert case.originals.read_bytes(sha) == path.read_bytes()
    assert incident_attachments(case, second) == [] and count_inbox(case) == 0

    today = datetime.now(UTC).astimezone(ZoneInfo(window.session.timezone))
    day = f"{today.day} {today:%b %Y}"
    editor = click_incident(qtbot, window, "Followed me to the bus stop")
    qtbot.waitUntil(lambda: "From a diary" in editor.form.meta.text(), timeout=15000)
    assert (f"From a diary kept at the time (exhibit JS/1, row 5), imported on {day}."
            in editor.form.meta.text())
    assert editor.form.meta.text().startswith("Recorded on ")
    qtbot.waitUntil(lambda: hookup.gallery.incident_id == second, timeout=10000)
    assert hookup.gallery.model.items == []  # the diary is filed with the first incident
    editor = click_incident(qtbot, window, "He waited outside work")
    qtbot.waitUntil(lambda: "row 3)" in editor.form.meta.text(), timeout=15000)
    window.grab().save(str(tmp_path / "editor.png"))
    qtbot.waitUntil(lambda: len(hookup.gallery.model.items) == 1, timeout=10000)
    assert hookup.gallery.model.items[0].exhibit_mark == "JS/1"
    editor.scroll_area.ensureWidgetVisible(hookup.gallery.view)
    qtbot.wait(200)
    window.grab().save(str(tmp_path / "exhibit.png"))
