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


@pytest.fixture
def case_window(qtbot, window, tmp_path):
    """The main window with a new, empty case open."""
    from tests.gui.helpers import make_case, wait_open

    window.session.open(make_case(tmp_path / "case"))
    wait_open(qtbot, window)
    return window
