import pytest

from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.settings import AppSettings


@pytest.fixture
def settings():
    return AppSettings()


@pytest.fixture
def window(qtbot, settings):
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.session.close()
