"""Videos, voice notes and files that cannot be shown, as a person meets them in the
gallery and the viewer: the right kind, the length, and a plain reason instead of a
picture."""

from datetime import UTC, datetime

import pytest
from fixtures.corpus_av import iphone_mov, opus_note
from fixtures.media_factory import bomb_png
from PySide6.QtCore import Qt

from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.gallery import AttachmentGallery


@pytest.fixture
def gallery(qtbot, case, tmp_path):
    ops = CaseOps(case)
    incident = create_incident(case, when=parse_when("15/07/2024 20:10", "Europe/London"),
                               title="Car outside the house")
    src = tmp_path / "src"
    src.mkdir()
    (src / "IMG_5004.MOV").write_bytes(iphone_mov(
        datetime(2024, 7, 15, 19, 15, 30, tzinfo=UTC), "2024-07-15T20:15:30+0100", 42.4))
    (src / "PTT-20240715-WA0004.opus").write_bytes(opus_note(95.0))
    (src / "photo.jpg").write_bytes(b"<!doctype html><html><body>Sign in</body></html>")
    bomb_png(src / "huge.png")
    list(import_files(case, sorted(src.iterdir()), incident))
    g = AttachmentGallery(ops)
    qtbot.addWidget(g)
    g.resize(760, 420)
    g.show()
    with qtbot.waitSignal(g.loaded, timeout=5000):
        g.set_incident(incident)
    yield g
    if g.viewer is not None:
        g.viewer.close()
    ops.wait_idle()


def _row(gallery, name):
    return next(i for i, a in enumerate(gallery.model.items) if a.original_name == name)


def _open(qtbot, gallery, name):
    rect = gallery.view.visualRect(gallery.model.index(_row(gallery, name)))
    qtbot.mouseClick(gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = gallery.viewer
    assert viewer is not None and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.current.original_name == name, timeout=5000)
    return viewer


def test_a_video_says_what_it_is_how_long_and_when_it_was_recorded(qtbot, gallery):
    tip = gallery.model.data(gallery.model.index(_row(gallery, "IMG_5004.MOV")),
                             Qt.ItemDataRole.ToolTipRole)
    assert "MOV file, no preview: a video, 0:42 long" in tip
    viewer = _open(qtbot, gallery, "IMG_5004.MOV")
    message = viewer.image.message.text()
    assert message.startswith("MOV file\n\nThis file cannot be shown here (a video, 0:42 long).")
    panel = viewer.panel
    assert panel.kind.text() == "Video"
    assert panel.captured.text() == "Mon 15 Jul 2024, 20:15:30 BST"
    assert panel.source.text() == "The time stored in the video or sound file."
    assert panel.camera.text() == "Apple iPhone 15 Pro"
    assert panel.gps_warning.isVisible()


def test_voice_notes_and_files_that_cannot_be_shown_read_plainly(qtbot, gallery):
    viewer = _open(qtbot, gallery, "PTT-20240715-WA0004.opus")
    assert viewer.panel.kind.text() == "Sound recording"
    assert "(a sound recording, 1:35 long)" in viewer.image.message.text()
    viewer = _open(qtbot, gallery, "photo.jpg")
    assert ("(not a picture: the name ends in .jpg, but the file is a web page (HTML))"
            in viewer.image.message.text())
    assert viewer.panel.media_type.text() == "text/html"
    viewer = _open(qtbot, gallery, "huge.png")
    assert ("(the picture is too large to show safely: it would need over 200 million pixels)"
            in viewer.image.message.text())
