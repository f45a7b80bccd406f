"""Exhibits in the main window: Import, the Inbox, drops anywhere, Ctrl+V, the gallery."""

from datetime import datetime

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from evidence_app.core import incidents as inc
from evidence_app.core.attachments import count_inbox, incident_attachments
from evidence_app.core.cases import open_case
from evidence_app.core.dates import parse_when
from evidence_app.core.store.verify import run_verify
from evidence_app.gui.exhibits_hookup import install
from evidence_app.gui.thumbs import ThumbState
from evidence_app.gui.widgets.tiles import ThumbStateRole
from tests.gui.helpers import make_case, settle, wait_open
from tests.gui_helpers import blob_and_row_hashes, drop_files
from tests.sample_images import photo, screenshot


@pytest.fixture
def opened(qtbot, window, tmp_path):
    hookup = install(window)
    folder = make_case(tmp_path / "case")
    window.session.open(folder)
    wait_open(qtbot, window)
    return window, hookup


@pytest.fixture
def with_incident(qtbot, opened):
    window, hookup = opened
    made: list[int] = []  # written through the window's writer, as the window writes
    window.session.ops.op(inc.create_incident, title="Car outside the house",
                          when=parse_when("12/03/2025 08:20", "Europe/London"),
                          on_done=made.append)
    qtbot.waitUntil(lambda: bool(made) and window.view.model.rowCount() > 0, timeout=5000)
    incident_id = made[0]
    window.show_incident(incident_id)
    qtbot.waitUntil(lambda: window.view.editor.detail is not None
                    and hookup.gallery.incident_id == incident_id, timeout=5000)
    return window, hookup, incident_id


def pictures(folder, n=2):
    return [photo(folder / f"IMG_{i:04d}.jpg", datetime(2025, 3, 12, 8, 10 + i),
                  colour=f"#{40 + 30 * i:02x}7090") for i in range(n)]


def test_files_dropped_on_the_timeline_go_to_the_inbox(qtbot, opened, tmp_path):
    window, hookup = opened
    files = pictures(tmp_path / "drop")
    assert drop_files(window.view.timeline.viewport(), files)
    assert hookup.inbox_shown  # the person sees where the files went
    qtbot.waitUntil(lambda: len(hookup.inbox.model.items) == 2, timeout=10000)
    assert hookup.act_inbox.text() == "Inbox (2)"
    hookup.inbox.last_import.summary.close()
    # Choosing an incident in the timeline brings the editor back.
    made: list[int] = []
    window.session.ops.op(inc.create_incident, title="Later", on_done=made.append)
    qtbot.waitUntil(lambda: bool(made) and window.view.model.rowCount() > 0, timeout=5000)
    incident_id = made[0]
    window.view.timeline.select_incident(incident_id)
    qtbot.waitUntil(lambda: not hookup.inbox_shown, timeout=5000)


def test_a_file_dropped_on_a_text_field_becomes_an_exhibit_not_text(qtbot, with_incident,
                                                                    tmp_path):
    window, hookup, incident_id = with_incident
    title = window.view.editor.form.title
    [shot] = [screenshot(tmp_path / "Screenshot_20250312-081900.png")]
    assert drop_files(title, [shot])
    qtbot.waitUntil(lambda: len(hookup.gallery.model.items) == 1, timeout=10000)
    assert title.text() == "Car outside the house"
    assert [a.original_name for a in incident_attachments(window.session.case, incident_id)] == [
        shot.name]
    # Thumbnails load when their tiles come into view: scroll the form down to them.
    window.view.editor.scroll_area.ensureWidgetVisible(hookup.gallery.view)
    hookup.gallery.view.viewport().repaint()
    qtbot.waitUntil(lambda: hookup.gallery.model.index(0).data(ThumbStateRole)
                    is ThumbState.READY, timeout=5000)
    hookup.gallery.last_import.summary.close()


def test_ctrl_v_pastes_a_picture_into_the_incident_but_text_into_fields(qtbot, with_incident):
    window, hookup, incident_id = with_incident
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#884422"))
    QGuiApplication.clipboard().setImage(image)
    window.view.timeline.setFocus()
    qtbot.keyClick(window.view.timeline, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(incident_attachments(window.session.case, incident_id)) == 1,
                    timeout=5000)
    qtbot.waitUntil(lambda: len(hookup.gallery.model.items) == 1, timeout=5000)
    assert hookup.gallery.model.items[0].media_type == "image/png"
    assert window.statusBar().currentMessage().startswith("Pasted picture saved as exhibit JS/1")
    # Said where the person is looking too: above the incident's pictures.
    hint = hookup.gallery.hint
    assert hint.isVisible() and hint.text().startswith("\u2713 Pasted picture saved as exhibit JS/1")

    QGuiApplication.clipboard().setText(" (Astra)")
    title = window.view.editor.form.title
    title.setFocus()
    title.end(False)
    qtbot.keyClick(title, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert title.text() == "Car outside the house (Astra)"
    settle(qtbot, window)
    assert len(incident_attachments(window.session.case, incident_id)) == 1
    assert count_inbox(window.session.case) == 0


def test_each_file_chooser_says_where_the_files_go(with_incident, monkeypatch):
    window, hookup, _ = with_incident
    asked = []

    def cancelled_chooser(parent, title, folder, file_filter):
        asked.append((title, file_filter))
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(cancelled_chooser))
    hookup.choose_files()  # the Import action (Ctrl+I)
    hookup.inbox.choose_files()
    hookup.gallery.choose_files()
    assert [title for title, _ in asked] == [
        "Import into the Inbox", "Import files into the Inbox", "Add files to this incident"]
    assert all(f.startswith("Pictures and screenshots (*.png *.jpg") for _, f in asked)
    assert count_inbox(window.session.case) == 0  # cancelling imports nothing


def test_import_action_fills_the_inbox_and_a_new_incident_opens_in_the_editor(
        qtbot, opened, tmp_path, monkeypatch):
    window, hookup = opened
    files = pictures(tmp_path / "phone", 3)
    # The system file chooser stands in for the person picking the files.
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(f) for f in files], "")))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert hookup.inbox_shown
    inbox = hookup.inbox
    qtbot.waitUntil(lambda: len(inbox.model.items) == 3, timeout=10000)
    inbox.last_import.summary.close()
    inbox.view.selectAll()
    qtbot.mouseClick(inbox.new_button, Qt.MouseButton.LeftButton)
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.detail is not None and len(editor.detail.attachments) == 3,
                    timeout=5000)
    assert not hookup.inbox_shown
    qtbot.waitUntil(editor.form.title.hasFocus, timeout=5000)  # ready to say what happened
    assert editor.form.title.text() == "3 photos"
    assert editor.detail.when_text == "12 Mar 2025, between 08:10 and 08:12"
    # The timeline reloads on a reader thread, then selects the new incident.
    qtbot.waitUntil(lambda: window.view.timeline.current_incident_id() == editor.incident_id,
                    timeout=5000)
    qtbot.waitUntil(lambda: len(hookup.gallery.model.items) == 3, timeout=5000)
    qtbot.waitUntil(lambda: hookup.act_inbox.text() == "Inbox", timeout=5000)


def test_viewer_windows_close_with_the_case(qtbot, with_incident, tmp_path):
    window, hookup, incident_id = with_incident
    photo_path = pictures(tmp_path / "one", 1)[0]
    hookup.gallery.import_paths([photo_path])
    qtbot.waitUntil(lambda: len(hookup.gallery.model.items) == 1, timeout=10000)
    hookup.gallery.last_import.summary.close()
    hookup.gallery.open_viewer(0)
    viewer = hookup.gallery.viewer
    assert viewer.isVisible()
    window.session.close()
    qtbot.waitUntil(lambda: hookup.gallery is None, timeout=5000)
    qtbot.waitUntil(lambda: not _alive_and_visible(viewer), timeout=5000)


def _alive_and_visible(widget):
    import shiboken6

    return shiboken6.isValid(widget) and widget.isVisible()


def test_inbox_tiles_dragged_onto_an_incident_in_the_timeline_move_there(qtbot, with_incident,
                                                                        tmp_path):
    window, hookup, incident_id = with_incident
    files = pictures(tmp_path / "later", 2)
    hookup.inbox.import_paths(files)
    qtbot.waitUntil(lambda: len(hookup.inbox.model.items) == 2, timeout=10000)
    hookup.inbox.last_import.summary.close()
    inbox = hookup.inbox
    # What the view hands to a drag when both tiles are picked up.
    mime = inbox.model.mimeData([inbox.model.index(0), inbox.model.index(1)])
    timeline = window.view.timeline
    row = next(r for r in range(window.view.model.rowCount())
               if window.view.model.index(r).data() == "Car outside the house")
    at = timeline.visualRect(window.view.model.index(row)).center()
    enter = QDragEnterEvent(at, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(timeline.viewport(), enter)
    assert enter.isAccepted()
    assert window.statusBar().currentMessage() == (
        "Drop to move these 2 exhibits to \u201cCar outside the house\u201d")
    drop = QDropEvent(QPointF(at), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(timeline.viewport(), drop)
    qtbot.waitUntil(lambda: len(incident_attachments(window.session.case, incident_id)) == 2,
                    timeout=5000)
    qtbot.waitUntil(lambda: not inbox.model.items, timeout=5000)
    assert window.statusBar().currentMessage() == "Moved 2 exhibits to \u201cCar outside the house\u201d."


def test_closing_the_case_stops_an_import_without_partial_data(qtbot, opened, tmp_path):
    window, hookup = opened
    case = window.session.case
    folder = tmp_path / "many"
    folder.mkdir()
    base = photo(folder / "base.jpg", datetime(2025, 3, 12, 8, 0), size=(1600, 1200)).read_bytes()
    for i in range(300):
        (folder / f"IMG_{i:04d}.jpg").write_bytes(base + i.to_bytes(4, "big"))
    hookup.inbox.import_paths([folder])
    run = hookup.inbox.last_import
    qtbot.waitUntil(lambda: run._latest is not None and run._latest.done >= 5, timeout=10000)
    window.session.close()
    reopened = open_case(case.folder)
    try:
        blobs, rows = blob_and_row_hashes(reopened)
        assert blobs == rows and 5 <= len(rows) < 300  # stopped part-way, nothing half-done
        assert run_verify(reopened).ok
    finally:
        reopened.close()
