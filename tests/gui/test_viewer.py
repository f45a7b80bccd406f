"""The exhibit viewer: side panel facts, zoom, caption editing, paging, opening originals."""

import json
import os
import stat
from datetime import datetime

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, Qt, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QWheelEvent
from sqlalchemy import select

from evidence_app.core.attachments import get_attachment
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.core.store.models import AuditEvent
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.gallery import AttachmentGallery
from tests.sample_images import photo, screenshot


@pytest.fixture
def ops(case):
    ops = CaseOps(case)
    yield ops
    ops.wait_idle()


@pytest.fixture
def gallery(qtbot, ops, case, tmp_path):
    incident = create_incident(case, when=parse_when("12/03/2025 08:20", "Europe/London"),
                               title="Car outside the house")
    files = [photo(tmp_path / "src" / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17),
                   size=(3000, 2000), gps=(51.50722, -0.1276)),
             screenshot(tmp_path / "src" / "Screenshot_20250312-081900.png")]
    notes = tmp_path / "src" / "statement.pdf"
    notes.write_bytes(b"%PDF-1.4\n% a statement\n")
    list(import_files(case, [*files, notes], incident))
    g = AttachmentGallery(ops)
    qtbot.addWidget(g)
    g.resize(700, 400)
    g.show()
    with qtbot.waitSignal(g.loaded, timeout=5000):
        g.set_incident(incident)
    return g


def open_first(qtbot, gallery):
    rect = gallery.view.visualRect(gallery.model.index(0))
    # A real double-click is a click followed by a double-click event.
    qtbot.mouseClick(gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = gallery.viewer
    assert viewer is not None and viewer.isVisible()
    # Wait for the full picture (not the enlarged thumbnail) to arrive from the worker.
    qtbot.waitUntil(lambda: viewer.image.item.pixmap().width() == 3000, timeout=10000)
    return viewer


def test_side_panel_shows_what_is_known(qtbot, gallery):
    viewer = open_first(qtbot, gallery)
    panel = viewer.panel
    assert panel.mark.text() == "Exhibit JS/1"
    assert panel.captured.text() == "Wed 12 Mar 2025, 08:17:00 GMT"
    assert panel.source.text().startswith("From the camera metadata (EXIF).")
    assert panel.camera.text() == "Canon EOS 200D"
    assert panel.gps.text() == "51.50722\u00b0 N, 0.12760\u00b0 W"
    assert panel.gps_warning.isVisible()
    assert "records where it was taken" in panel.gps_warning.label.text()
    assert panel.name.text() == "IMG_0001.jpg"
    assert panel.media_type.text() == "image/jpeg"
    assert panel.pixels.text() == "3,000 \u00d7 2,000 pixels (6.0 megapixels)"
    att = viewer.current
    assert panel.file_size.text().endswith(f"({att.size:,} bytes)")
    assert panel.sha.toPlainText() == att.sha256
    qtbot.mouseClick(panel.copy_sha, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == att.sha256
    assert viewer.position.text() == "1 of 3"


def test_zoom_fit_and_actual_size(qtbot, gallery):
    viewer = open_first(qtbot, gallery)
    image = viewer.image
    fitted = image.zoom
    assert image.fitting and fitted < 1.0  # 3000 px wide does not fit a 1100 px window
    assert viewer.zoom_label.text() == f"{fitted * 100:.0f}%"
    centre = image.viewport().rect().center()
    wheel = QWheelEvent(QPointF(centre), QPointF(image.viewport().mapToGlobal(centre)),
                        QPoint(0, 0), QPoint(0, 240), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QGuiApplication.sendEvent(image.viewport(), wheel)
    assert image.zoom == pytest.approx(fitted * 1.25 ** 2)
    assert not image.fitting
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert image.zoom == pytest.approx(fitted * 1.25)
    qtbot.mouseClick(viewer.toolbar.widgetForAction(viewer.actual_action), Qt.MouseButton.LeftButton)
    assert image.zoom == 1.0 and viewer.zoom_label.text() == "100%"
    # 100 % means original pixels: the picture spans its full 3000 x 2000 in the scene.
    assert image.item.sceneBoundingRect().size().toSize().width() == 3000
    qtbot.keyClick(viewer, Qt.Key.Key_F)
    assert image.fitting and image.zoom == pytest.approx(fitted)


def test_caption_typed_in_the_panel_is_saved_and_audited(qtbot, gallery, case):
    viewer = open_first(qtbot, gallery)
    panel = viewer.panel
    panel.caption.setFocus()
    qtbot.keyClicks(panel.caption, "Silver Astra opposite my door")
    att_id = viewer.current.id
    qtbot.waitUntil(lambda: get_attachment(case, att_id).caption
                    == "Silver Astra opposite my door", timeout=5000)
    qtbot.waitUntil(lambda: panel.caption_state.text().startswith("Saved"), timeout=5000)
    with case.read() as session:
        details = session.scalars(select(AuditEvent.details).where(
            AuditEvent.entity == "attachment", AuditEvent.entity_id == att_id,
            AuditEvent.action == "update")).all()
    # Typing pauses may save more than once; the last saved value is the whole caption.
    saved = [json.loads(d)["changes"]["caption"]["new"] for d in details]
    assert saved and saved[-1] == "Silver Astra opposite my door"
    # The gallery tile shows the caption once the change is broadcast.
    qtbot.waitUntil(lambda: gallery.model.items[0].caption == "Silver Astra opposite my door",
                    timeout=5000)


def test_paging_through_exhibits(qtbot, gallery):
    viewer = open_first(qtbot, gallery)
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.panel.mark.text() == "Exhibit JS/2"
    assert not viewer.panel.gps_warning.isVisible()
    assert viewer.panel.gps.text() == "None recorded"
    qtbot.waitUntil(lambda: viewer.image.item.pixmap().width() == 360, timeout=5000)
    qtbot.keyClick(viewer, Qt.Key.Key_PageDown)
    assert viewer.panel.mark.text() == "Exhibit JS/3"
    assert not viewer.image.has_image()
    assert "cannot be shown here" in viewer.image.message.text()
    assert not viewer.next_action.isEnabled()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.position.text() == "2 of 3"


class _UrlCatcher(QObject):
    def __init__(self):
        super().__init__()
        self.urls = []

    @Slot("QUrl")
    def handle(self, url):
        self.urls.append(url)


def test_open_original_hands_the_system_viewer_a_read_only_file(qtbot, gallery, case):
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "handle")
    try:
        viewer = open_first(qtbot, gallery)
        qtbot.mouseClick(viewer.toolbar.widgetForAction(viewer.original_action),
                         Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(catcher.urls), timeout=5000)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    path = catcher.urls[0].toLocalFile()
    assert os.path.basename(path) == "IMG_0001.jpg"
    assert path.startswith(str(case.folder))
    with open(path, "rb") as fh:
        assert fh.read() == case.originals.read_bytes(viewer.current.sha256)
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_a_pdf_letter_opens_at_its_first_page(qtbot, ops, case, tmp_path):
    from tests.fixtures.pdf_samples import letter_pdf

    incident = create_incident(case, when=parse_when("16/01/2023 08:00", "Europe/London"),
                               title="Letter through the door")
    letter = tmp_path / "src" / "letter from him.pdf"
    letter.parent.mkdir(parents=True, exist_ok=True)
    letter.write_bytes(letter_pdf())
    list(import_files(case, [letter], incident))
    g = AttachmentGallery(ops)
    qtbot.addWidget(g)
    g.resize(700, 400)
    g.show()
    with qtbot.waitSignal(g.loaded, timeout=5000):
        g.set_incident(incident)
    rect = g.view.visualRect(g.model.index(0))
    qtbot.mouseClick(g.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(g.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = g.viewer
    assert viewer is not None and viewer.isVisible()
    # The first page arrives drawn large enough to read, upright, in place of a message.
    qtbot.waitUntil(lambda: viewer.image.item.pixmap().height() > 1000, timeout=20000)
    pix = viewer.image.item.pixmap()
    assert pix.height() > pix.width() and not viewer.image.message.isVisible()
    assert viewer.panel.source.text().startswith("From the creation date stored in the PDF")
    assert viewer.grab().save(str(tmp_path / "viewer.png"))
