"""The app follows the system's light or dark scheme, and draws its icons to match."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.gui.icons import app_icon, icon
from evidence_app.gui.theme import Theme, is_dark


def test_dark_and_light_schemes_change_palette_and_icons(qtbot, window):
    app = QApplication.instance()
    before_palette, before_sheet, before_style = app.palette(), app.styleSheet(), app.style().name()
    theme = Theme(app)
    theme.changed.connect(window.refresh_icons)
    try:
        with qtbot.waitSignal(theme.changed):
            theme.apply(Qt.ColorScheme.Dark)
        assert is_dark(app.palette())
        dark_icon = window.act_new.icon().pixmap(24, 24).toImage()
        theme.apply(Qt.ColorScheme.Light)
        assert not is_dark(app.palette())
        light_icon = window.act_new.icon().pixmap(24, 24).toImage()
        assert dark_icon != light_icon  # redrawn in the scheme's text colour
        assert "QFrame#card" in app.styleSheet()
    finally:
        app.setPalette(before_palette)
        app.setStyleSheet(before_sheet)
        app.setStyle(before_style)


def test_icons_render_at_every_size():
    for size in (16, 24, 32):
        assert not icon("people").pixmap(size, size).isNull()
    assert not app_icon().pixmap(256, 256).isNull()
