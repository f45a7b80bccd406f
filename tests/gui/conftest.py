import pytest

from evidence_app.gui.app import bare_window
from evidence_app.gui.search_ui import attach_search
from evidence_app.gui.settings import AppSettings


@pytest.fixture
def settings():
    return AppSettings()


@pytest.fixture
def window(qtbot, settings):
    win = bare_window(settings)
    attach_search(win)  # exhibits tests plug in the exhibits themselves
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.session.close()
