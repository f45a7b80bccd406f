"""The attachment gallery: thumbnails, drops, paste, captions, moving and the trash."""

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMenu

from evidence_app.core.attachments import count_inbox, get_attachment, incident_attachments
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.core.trash import list_trash
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbState
from evidence_app.gui.widgets.gallery import AttachmentGallery
from evidence_app.gui.widgets.tiles import ThumbStateRole
from tests.gui_helpers import drop_files
from tests.sample_images import photo, screenshot


@pytest.fixture
def ops(case):
    ops = CaseOps(case)
    yield ops
    ops.wait_idle()


@pytest.fixture
def incident(case, tmp_path):
    when = parse_when("12/03/2025 08:20", "Europe/London")
    incident_id = create_incident(case, when=when, title="Car outside the house",
                                  category="loitering")
    files = [photo(tmp_path / "src" / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17)),
             screenshot(tmp_path / "src" / "Screenshot_20250312-081900.png")]
    list(import_files(case, files, incident_id))
    return incident_id


@pytest.fixture
def gallery(qtbot, ops, incident):
    g = AttachmentGallery(ops)
    qtbot.addWidget(g)
    g.resize(800, 500)
    g.show()
    with qtbot.waitSignal(g.loaded, timeout=5000):
        g.set_incident(incident)
    return g


def thumb_states(gallery):
    model = gallery.model
    return [model.index(r).data(ThumbStateRole) for r in range(model.rowCount())]


def test_thumbnails_load_off_the_gui_thread(qtbot, gallery):
    assert [a.exhibit_mark for a in gallery.model.items] == ["JS/1", "JS/2"]
    assert gallery.heading.text() == "Exhibits (2)"
    # Painting asks for thumbnails; they arrive as pixmaps a moment later.
    gallery.view.viewport().repaint()
    qtbot.waitUntil(lambda: thumb_states(gallery) == [ThumbState.READY] * 2, timeout=5000)
    pix = gallery.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    # Scaled on the worker to the tile's picture area (152 x 140 here), keeping its shape.
    assert (pix.width(), pix.height()) == (152, 114)


def test_dropped_files_become_exhibits_with_thumbnails(qtbot, gallery, tmp_path, case, incident):
    new = [photo(tmp_path / "drop" / f"IMG_10{i}.jpg", datetime(2025, 3, 12, 9, i),
                 colour=f"#{30 * i:02x}8040") for i in range(3)]
    junk = tmp_path / "drop" / "notes.txt"
    junk.write_text("not a picture but still kept as evidence")
    assert drop_files(gallery.view.viewport(), [*new, junk])
    qtbot.waitUntil(lambda: gallery.last_import is not None and not gallery.last_import.running,
                    timeout=10000)
    qtbot.waitUntil(lambda: len(gallery.model.items) == 6, timeout=5000)
    gallery.view.viewport().repaint()
    qtbot.waitUntil(lambda: thumb_states(gallery).count(ThumbState.READY) == 5, timeout=5000)
    # The text file has a clear "no preview" tile, not an endless placeholder.
    by_name = {a.original_name: r for r, a in enumerate(gallery.model.items)}
    assert thumb_states(gallery)[by_name["notes.txt"]] is ThumbState.NONE
    summary = gallery.last_import.summary
    assert summary is not None and summary.isVisible()
    assert "4 files added to the incident \u201cCar outside the house\u201d" in summary.headline.text()
    assert {a.original_name for a in incident_attachments(case, incident)} >= {"notes.txt"}
    summary.close_button.click()


def test_dropping_a_duplicate_names_the_existing_exhibit(qtbot, gallery, tmp_path):
    again = tmp_path / "copy of IMG_0001.jpg"
    again.write_bytes((tmp_path / "src" / "IMG_0001.jpg").read_bytes())
    assert drop_files(gallery.view.viewport(), [again])
    qtbot.waitUntil(lambda: gallery.last_import is not None and gallery.last_import.summary
                    is not None, timeout=10000)
    summary = gallery.last_import.summary
    assert summary.headline.text().startswith("0 files added")
    dup = summary.sections["duplicate"].child(0)
    assert dup.text(0) == "copy of IMG_0001.jpg"
    assert dup.text(1) == "Same file as exhibit JS/1"


def test_paste_a_screenshot_stores_a_png_original(qtbot, gallery, case, incident):
    image = QImage(420, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    QGuiApplication.clipboard().setImage(image)
    gallery.view.setFocus()
    messages = []
    gallery.message.connect(messages.append)
    qtbot.keyClick(gallery.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(gallery.model.items) == 3, timeout=5000)
    pasted = next(a for a in gallery.model.items if a.exhibit_mark == "JS/3")
    assert pasted.original_name.startswith("Pasted image ")
    assert pasted.original_name.endswith(".png")
    assert pasted.media_type == "image/png"
    assert (pasted.width, pasted.height) == (420, 300)
    assert pasted.captured_from == "pasted"
    assert case.originals.read_bytes(pasted.sha256)[:8] == b"\x89PNG\r\n\x1a\n"
    qtbot.waitUntil(lambda: bool(messages), timeout=2000)
    assert messages[-1].startswith("Pasted picture saved as exhibit JS/3")


def test_caption_edit_from_the_context_menu(qtbot, gallery, case):
    gallery.view.setFocus()
    gallery.view.setCurrentIndex(gallery.model.index(1))
    qtbot.keyClick(gallery.view, Qt.Key.Key_F2)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.isVisible() and w.windowTitle() == "Caption for exhibit JS/2")
    qtbot.keyClicks(dialog.edit, "Text saying he saw me at the station")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: get_attachment(case, gallery.model.items[1].id).caption
                    == "Text saying he saw me at the station", timeout=5000)
    qtbot.waitUntil(lambda: gallery.model.items[1].caption != "", timeout=5000)


def test_move_to_another_incident_and_back_to_inbox(qtbot, gallery, case, incident):
    other = create_incident(case, when=parse_when("13/03/2025", "Europe/London"),
                            title="Flowers left at work")
    gallery.view.setCurrentIndex(gallery.model.index(0))
    moved_id = gallery.model.items[0].id
    gallery.exhibit_actions.move_action.trigger()
    picker = gallery.exhibit_actions.picker
    qtbot.waitUntil(lambda: picker.model.rowCount() == 1, timeout=5000)
    qtbot.keyClicks(picker.search, "flowers")
    assert picker.model.rowCount() == 1
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [a.id for a in incident_attachments(case, other)] == [moved_id],
                    timeout=5000)
    qtbot.waitUntil(lambda: len(gallery.model.items) == 1, timeout=5000)
    gallery.view.setCurrentIndex(gallery.model.index(0))
    gallery.exhibit_actions.inbox_action.trigger()
    qtbot.waitUntil(lambda: count_inbox(case) == 1, timeout=5000)
    qtbot.waitUntil(lambda: gallery.stack.currentWidget() is gallery.empty, timeout=5000)
    assert "No exhibits yet" in gallery.empty.text()


def test_delete_key_moves_to_trash(qtbot, gallery, case):
    gallery.view.setFocus()
    gallery.view.setCurrentIndex(gallery.model.index(0))
    qtbot.keyClick(gallery.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(gallery.model.items) == 1, timeout=5000)
    assert [a.exhibit_mark for a in list_trash(case).attachments] == ["JS/1"]


def test_context_menu_offers_the_exhibit_actions(qtbot, gallery):
    rect = gallery.view.visualRect(gallery.model.index(1))
    gallery.view.customContextMenuRequested.emit(rect.center())
    menu = next(m for m in gallery.view.findChildren(QMenu) if m.isVisible())
    texts = [a.text() for a in menu.actions() if not a.isSeparator() and a.isVisible()]
    assert texts == ["Open", "Open original in system viewer", "Edit caption\u2026",
                     "Move to another incident\u2026", "Move back to the Inbox", "Move to trash"]
    # Right-clicking a tile selects it, so the menu acts on what was clicked.
    assert gallery.exhibit_actions.selected() == [gallery.model.items[1]]
    menu.close()


def test_a_pdf_letter_tile_shows_its_first_page(qtbot, gallery, case, incident, tmp_path):
    from tests.fixtures.pdf_samples import encrypted_pdf, letter_pdf

    letter = tmp_path / "pdf" / "letter from him.pdf"
    letter.parent.mkdir()
    letter.write_bytes(letter_pdf())
    locked = tmp_path / "pdf" / "locked.pdf"
    locked.write_bytes(encrypted_pdf())
    list(import_files(case, [letter, locked], incident))
    with qtbot.waitSignal(gallery.loaded, timeout=5000):
        gallery.set_incident(incident)
    gallery.view.viewport().repaint()
    by_name = {a.original_name: r for r, a in enumerate(gallery.model.items)}
    row = by_name["letter from him.pdf"]
    qtbot.waitUntil(lambda: thumb_states(gallery)[row] is ThumbState.READY, timeout=20000)
    pix = gallery.model.index(row).data(Qt.ItemDataRole.DecorationRole)
    assert pix.height() > pix.width()  # an A4 page, upright
    image = pix.toImage()
    # White paper with dark words near the top (the letter's heading).
    assert QColor(image.pixel(pix.width() // 2, pix.height() - 4)).lightness() > 240
    dark = sum(QColor(image.pixel(x, y)).lightness() < 180
               for x in range(pix.width()) for y in range(pix.height() // 4))
    assert dark > 10
    # A locked PDF keeps the calm "no preview" tile.
    qtbot.waitUntil(lambda: thumb_states(gallery)[by_name["locked.pdf"]] is ThumbState.NONE,
                    timeout=5000)
    assert gallery.grab().save(str(tmp_path / "gallery.png"))
