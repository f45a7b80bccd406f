"""Rough edges a newcomer would notice: gaps, blank bands, late arrivals, lost places."""

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton, QVBoxLayout, QWidget

from evidence_app.core.dates import When, parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.core.vocab import Precision
from evidence_app.gui.models.timeline import TimelineModel
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.gallery import AttachmentGallery
from evidence_app.gui.widgets.timeline import TimelineView
from tests.sample_images import photo


@pytest.fixture
def ops(case):
    ops = CaseOps(case)
    yield ops
    ops.wait_idle()


def test_empty_embedded_gallery_leaves_no_blank_gap_below_its_box(qtbot, ops, case, tmp_path):
    when = parse_when("12/03/2025 08:20", "Europe/London")
    empty_id = create_incident(case, when=when, title="Nothing attached yet")
    full_id = create_incident(case, when=when, title="Car outside")
    list(import_files(case, [photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17))],
                      full_id))
    form = QWidget()  # the editor's form: the gallery sits in a column of sections
    qtbot.addWidget(form)
    gallery = AttachmentGallery(ops, embedded=True)
    below = QWidget()
    below.setFixedHeight(40)
    column = QVBoxLayout(form)
    column.addWidget(gallery)
    column.addWidget(below)
    column.addStretch(1)
    form.resize(800, 900)
    form.show()
    with qtbot.waitSignal(gallery.loaded, timeout=5000):
        gallery.set_incident(empty_id)
    qtbot.waitUntil(lambda: gallery.stack.currentWidget() is gallery.empty)
    # What comes next in the form starts right under the dashed box.
    box_bottom = gallery.empty.mapTo(form, gallery.empty.rect().bottomLeft()).y()
    assert below.y() - box_bottom < 30
    with qtbot.waitSignal(gallery.loaded, timeout=5000):
        gallery.set_incident(full_id)
    qtbot.waitUntil(lambda: gallery.stack.currentWidget() is gallery.view)
    # With exhibits, the tiles get their full height again.
    qtbot.waitUntil(lambda: gallery.stack.height() == gallery.view.height())
    assert gallery.view.height() > gallery.empty.height()


def first_ink_row(widget: QWidget) -> int:
    """How far down the first painted (non-background) pixel of `widget` is."""
    image = widget.grab().toImage()
    background = image.pixelColor(2, 2)
    for y in range(image.height()):
        for x in range(0, image.width() - 20, 2):  # skip the scroll bar
            c = image.pixelColor(x, y)
            if abs(c.lightness() - background.lightness()) > 40:
                return round(y / image.devicePixelRatio())
    return image.height()


def march_timeline(qtbot, case):
    """A shown timeline of 28 March incidents, newest first, loaded."""
    for day in range(1, 29):
        create_incident(case, when=When(datetime(2025, 3, day, 9, tzinfo=UTC), None,
                                        Precision.EXACT, "Europe/London"), title=f"Day {day}")
    ops = CaseOps(case)
    model = TimelineModel(ops, newest_first=True)
    view = TimelineView(model)
    qtbot.addWidget(view)
    view.resize(380, 600)
    view.show()
    model.reload(keep=False)
    qtbot.waitUntil(lambda: model.ready and not model.loading, timeout=15000)
    return ops, model, view


def test_no_blank_band_above_the_first_month(qtbot, case):
    ops, model, view = march_timeline(qtbot, case)
    # The month's name starts near the top, not under a card-high empty band...
    assert first_ink_row(view.viewport()) < 24
    # ...and stays there after scrolling down and back up.
    view.scrollToBottom()
    view.scrollToTop()
    assert first_ink_row(view.viewport()) < 24
    view.verticalScrollBar().triggerAction(view.verticalScrollBar().SliderAction.SliderToMinimum)
    assert first_ink_row(view.viewport()) < 24
    ops.wait_idle()


def test_viewer_text_panel_is_small_when_a_picture_has_no_text(qtbot, ops, case, tmp_path):
    from dataclasses import replace

    from evidence_app.core.attachments import incident_attachments
    from evidence_app.gui.thumbs import ThumbnailLoader
    from evidence_app.gui.widgets.viewer import ExhibitViewer

    incident = create_incident(case, when=None, title="Car outside")
    list(import_files(case, [photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17)),
                             photo(tmp_path / "IMG_0002.jpg", datetime(2025, 3, 12, 8, 18))],
                      incident))
    first, second = incident_attachments(case, incident)
    # As the background reader leaves them: nothing found in one, words in the other.
    items = [replace(first, ocr_status="done", ocr_text=""),
             replace(second, ocr_status="done", ocr_text="YD19 KXP")]
    viewer = ExhibitViewer(ops, ThumbnailLoader(ops))
    qtbot.addWidget(viewer)
    viewer.resize(1100, 720)
    viewer.show_items(items, 0, "Europe/London")
    panel = viewer.ocr
    # One calm sentence, not "waiting" above "no text found", and no empty box.
    assert panel.status.text() == "No text was found in this picture."
    assert not panel.text.isVisible()
    details, text_part = viewer.side.sizes()
    assert text_part < details / 3
    # Typing the words in by hand opens the box.
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert panel.text.isVisible() and not panel.text.isReadOnly()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.text.isVisible()
    # A picture with words shows them, with room to read.
    qtbot.mouseClick(viewer.toolbar.widgetForAction(viewer.next_action),
                     Qt.MouseButton.LeftButton)
    assert panel.text.isVisible() and panel.text.toPlainText() == "YD19 KXP"
    assert viewer.side.sizes()[1] > text_part + 3 * panel.text.fontMetrics().lineSpacing()
    viewer.close()


def toolbar_layout(window) -> list[tuple[str, int, bool]]:
    """What the toolbar shows, left to right: (label, x, usable)."""
    bar = window.toolbar
    shown = []
    for action in bar.actions():
        widget = bar.widgetForAction(action)
        if isinstance(widget, QToolButton) and widget.isVisible():
            shown.append((widget.text(), widget.x(), widget.isEnabled()))
    search = window.search_bar
    shown.append(("search", search.mapTo(window, search.rect().topLeft()).x(), search.isEnabled()))
    return shown


def test_toolbar_and_search_are_there_from_the_first_frame(qtbot, settings, tmp_path):
    from evidence_app.gui.app import add_features, bare_window
    from tests.gui.helpers import make_case, wait_open

    window = bare_window(settings)  # what shows before search and exhibits have loaded
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    before = toolbar_layout(window)
    labels = [label for label, _x, _on in before]
    assert labels[:3] == ["New incident", "Import\u2026", "Inbox"] and labels[-1] == "search"
    # With no case open, nothing is usable, and the search field says why.
    assert not any(on for _label, _x, on in before)
    field = window.search_bar.field
    assert field.placeholderText() == "Open a case to search it"
    qtbot.keyClicks(field, "astra")
    assert field.text() == ""
    add_features(window)
    qtbot.wait(50)
    # The features plug into what is already there: nothing moves or appears.
    assert toolbar_layout(window) == before
    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    qtbot.waitUntil(lambda: window.search_bar.isEnabled(), timeout=5000)
    assert field.placeholderText().startswith("Search incidents")
    assert [x for _l, x, _on in toolbar_layout(window)] == [x for _l, x, _on in before]
    assert all(on for _label, _x, on in toolbar_layout(window))
    window.session.close()


def test_autosave_keeps_the_place_in_search_results(qtbot, window, tmp_path, monkeypatch):
    from evidence_app.core.cases import create_case
    from evidence_app.core.incidents import get_incident
    from tests.gui.helpers import wait_open

    monkeypatch.setenv("EVIDENCE_APP_TESSERACT", "")
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as made:
        for day in range(1, 29):
            create_incident(made, when=parse_when(f"{day:02d}/03/2025 08:30", "Europe/London"),
                            title=f"Astra outside, day {day}",
                            description="The silver Astra was parked across the road again")
    window.resize(1280, 800)
    window.session.open(folder)
    wait_open(qtbot, window)
    search = window.case_search()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(search.controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_bar.field, "astra")
    results = search.results.list
    qtbot.waitUntil(lambda: results.count() == 28, timeout=5000)
    bar = results.verticalScrollBar()
    item = results.item(14)
    results.scrollToItem(item)
    qtbot.waitUntil(lambda: bar.value() > 0)
    qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton,
                     pos=results.visualItemRect(item).center())
    chosen = item.data(Qt.ItemDataRole.UserRole).id
    assert results.currentItem() is item
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.incident_id == chosen and editor.detail is not None,
                    timeout=5000)
    place = bar.value()
    # Typing saves by itself; the search runs again, and the list stays where it was.
    with qtbot.waitSignal(search.controller.results_ready, timeout=10000):
        qtbot.keyClicks(editor.form.description, " Astra again at night.")
    qtbot.waitUntil(lambda: "at night" in get_incident(window.session.case,
                                                       chosen).description, timeout=10000)
    qtbot.wait(600)
    assert search.controller.repeated
    assert bar.value() == place
    assert results.currentItem().data(Qt.ItemDataRole.UserRole).id == chosen


def test_dragging_tiles_over_the_timeline_frames_the_target_incident(qtbot, window, tmp_path):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    from evidence_app.core.cases import create_case
    from evidence_app.gui.drops import RowHighlight
    from evidence_app.gui.exhibits_hookup import install
    from tests.gui.helpers import wait_open

    hookup = install(window)
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as made:
        for day, title in ((3, "Flowers on the doorstep"), (12, "Car outside the house")):
            create_incident(made, when=parse_when(f"{day:02d}/03/2025 08:20", "Europe/London"),
                            title=title)
        list(import_files(made, [photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17))]))
    window.session.open(folder)
    wait_open(qtbot, window)
    qtbot.waitUntil(lambda: len(hookup.inbox.model.items) == 1, timeout=5000)
    mime = hookup.inbox.model.mimeData([hookup.inbox.model.index(0)])
    timeline = window.view.timeline
    model = window.view.model
    rects = {model.index(r).data(): timeline.visualRect(model.index(r))
             for r in range(model.rowCount())}
    frame = timeline.viewport().findChild(RowHighlight)
    assert frame is not None and not frame.isVisible()
    at = rects["Car outside the house"].center()
    enter = QDragEnterEvent(at, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(timeline.viewport(), enter)
    assert enter.isAccepted()
    assert frame.isVisible() and frame.geometry() == rects["Car outside the house"]
    # Moving to the other incident moves the frame with it.
    move = QDragMoveEvent(rects["Flowers on the doorstep"].center(), Qt.DropAction.MoveAction,
                          mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(timeline.viewport(), move)
    assert frame.geometry() == rects["Flowers on the doorstep"]
    # The frame is drawn in the highlight colour, on screen.
    image = timeline.viewport().grab().toImage()
    edge = image.pixelColor(frame.x() + 3, frame.geometry().center().y())
    highlight = timeline.palette().color(timeline.palette().ColorRole.Highlight)
    assert abs(edge.hue() - highlight.hue()) < 20 and edge.saturation() > 15
    QApplication.sendEvent(timeline.viewport(), QEvent(QEvent.Type.DragLeave))
    assert not frame.isVisible()
    window.session.close()


def test_fields_added_to_the_editor_later_take_dropped_files_as_exhibits(qtbot, window,
                                                                         tmp_path):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QLineEdit

    from evidence_app.core.attachments import incident_attachments
    from evidence_app.gui.exhibits_hookup import install
    from tests.gui.helpers import make_case, wait_open
    from tests.gui_helpers import file_mime

    hookup = install(window)
    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    case = window.session.case
    made: list[int] = []
    window.session.ops.op(create_incident, title="Car outside the house",
                          when=parse_when("12/03/2025 08:20", "Europe/London"),
                          on_done=made.append)
    qtbot.waitUntil(lambda: bool(made), timeout=5000)
    incident_id = made[0]
    window.show_incident(incident_id)
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.detail is not None and hookup.gallery.incident_id == incident_id,
                    timeout=5000)
    # A field that appears in the form after the case opened (as a later section might).
    late = QLineEdit()
    late.setPlaceholderText("Added later")
    editor.form.layout().addWidget(late)
    qtbot.waitUntil(late.isVisible)
    qtbot.wait(20)  # the form lays itself out again
    shot = photo(tmp_path / "IMG_0009.jpg", datetime(2025, 3, 12, 8, 19))
    # File managers offer the path as plain text too, which a text field would type in.
    mime = file_mime([shot])
    mime.setText(str(shot))
    at = late.rect().center()
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(late, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(late, drop)
    qtbot.waitUntil(lambda: len(incident_attachments(case, incident_id)) == 1, timeout=10000)
    assert late.text() == ""
    qtbot.waitUntil(lambda: hookup.gallery.last_import is not None
                    and not hookup.gallery.last_import.running, timeout=10000)
    window.session.close()


def test_tab_walks_the_editor_in_the_order_it_reads(qtbot, window, tmp_path):
    from evidence_app.core import people
    from evidence_app.core.cases import create_case
    from evidence_app.gui.exhibits_hookup import install
    from tests.gui.helpers import wait_open

    install(window)
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as made:
        incident = create_incident(made, title="Car outside", tags=["astra"],
                                   when=parse_when("12/03/2025 08:20", "Europe/London"))
        car = people.create_vehicle(made, make="Vauxhall", model="Astra", plate="AB12 CDE")
        people.link_vehicle(made, incident, car)
        mark = people.create_person(made, "Mark Jones", "suspect")
        people.link_person(made, incident, mark)
    window.session.open(folder)
    wait_open(qtbot, window)
    window.show_incident(incident)
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.detail is not None and bool(editor.form.tags.chips()),
                    timeout=5000)
    editor.form.title.setFocus()
    names = []
    for _ in range(45):
        focused = QApplication.focusWidget()
        names.append(focused.accessibleName())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    order = {name: names.index(name) for name in reversed(names)}  # first visit of each
    sequence = ["Suspect's clothing", "Remove Vauxhall Astra (AB12 CDE)", "Link vehicle",
                "Witnesses", "Remove Mark Jones", "Link person", "Impact on me",
                "Remove astra", "Add a tag", "Add files to this incident",
                "New note"]
    assert [name for name in sequence if name in order] == sequence, names
    assert [order[name] for name in sequence] == sorted(order[name] for name in sequence)
    window.session.close()


def test_bringing_the_first_incident_of_a_month_into_view_shows_the_month(qtbot, case):
    ops, model, view = march_timeline(qtbot, case)
    view.scrollToBottom()
    first = model.index(1)
    assert first.data() == "Day 28"
    view.scrollTo(first)  # as selecting it from elsewhere (search, Inbox) does
    header = view.visualRect(model.index(0))
    assert header.bottom() > 20  # "March 2025" is on screen above it
    assert view.visualRect(first).bottom() <= view.viewport().height()
    assert first_ink_row(view.viewport()) < 24  # and no blank band above the name
    ops.wait_idle()


def test_thumbnails_fill_their_tiles_on_a_high_dpi_screen(qtbot, ops, case, tmp_path, monkeypatch):
    # Cached thumbnails are 256 px; a 2x screen wants about 300 device pixels per tile.
    # They used to arrive at 256 and so were drawn at 128 logical pixels, a shrunken tile.
    from PIL import Image
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication

    from evidence_app.core.attachments import list_inbox
    from evidence_app.gui.thumbs import ThumbnailLoader

    big = photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17))  # 4:3 landscape
    small = tmp_path / "icon.png"
    Image.new("RGB", (40, 30), "red").save(small)
    list(import_files(case, [big, small]))
    items = {a.original_name: a for a in list_inbox(case)}

    class Screen:
        def devicePixelRatio(self):
            return 2.0

    monkeypatch.setattr(QGuiApplication, "primaryScreen", staticmethod(lambda: Screen()))
    loader = ThumbnailLoader(ops, fit=QSize(152, 140))
    for att in items.values():
        with qtbot.waitSignal(loader.ready, timeout=10000):
            loader.request(att)
    wide = loader.pixmap(items["IMG_0001.jpg"])
    assert wide is not None and wide.width() == 304  # fills the tile's width at 2x
    tiny = loader.pixmap(items["icon.png"])
    assert tiny is not None and (tiny.width(), tiny.height()) == (40, 30)  # never blown up
