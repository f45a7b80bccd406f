"""The exhibit viewer closes as a window should: Escape, a visible Close, keys at once."""

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core.attachments import incident_attachments
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbnailLoader
from evidence_app.gui.widgets.viewer import ExhibitViewer
from tests.sample_images import photo


@pytest.fixture
def viewer(qtbot, case, tmp_path):
    ops = CaseOps(case)
    incident = create_incident(case, when=None, title="Car outside")
    list(import_files(case, [photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17)),
                             photo(tmp_path / "IMG_0002.jpg", datetime(2025, 3, 12, 8, 18))],
                      incident))
    window = ExhibitViewer(ops, ThumbnailLoader(ops))
    qtbot.addWidget(window)
    window.show_items(incident_attachments(case, incident), 0, "Europe/London")
    qtbot.waitExposed(window)
    yield window
    ops.wait_idle()


def test_escape_closes_the_viewer(qtbot, viewer):
    assert QApplication.focusWidget() is viewer.image
    qtbot.keyClick(viewer.image, Qt.Key.Key_Right)  # keys work without a click first
    assert viewer.position.text() == "2 of 2"
    qtbot.keyClick(viewer.image, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_the_close_button_is_visible_and_closes(qtbot, viewer):
    button = viewer.toolbar.widgetForAction(viewer.close_action)
    assert button.isVisible() and button.text() == "Close"
    right_edge = button.mapTo(viewer, button.rect().topRight()).x()
    assert right_edge <= viewer.width()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not viewer.isVisible()


def test_escape_while_typing_a_caption_keeps_the_caption(qtbot, viewer, case):
    viewer.panel.caption.setFocus()
    qtbot.keyClicks(viewer.panel.caption, "Car outside at 8am")
    qtbot.keyClick(viewer.panel.caption, Qt.Key.Key_Escape)
    assert not viewer.isVisible()
    viewer.ops.wait_idle()
    first = viewer.items[0]
    stored = {a.id: a.caption for a in incident_attachments(case, first.incident_id)}
    assert stored[first.id] == "Car outside at 8am"
