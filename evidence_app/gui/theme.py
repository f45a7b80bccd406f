"""Look and feel: Fusion where the platform has no modern style, the system's light or dark
scheme, and a small stylesheet for the app's own elements (cards, sections, chips)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

NATIVE_STYLES = {"windows11", "windowsvista", "macos"}
ACCENT = "#2f6d75"
ACCENT_DARK = "#5fa8b0"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#24282b", QPalette.ColorRole.WindowText: "#e6e6e3",
        QPalette.ColorRole.Base: "#1c1f21", QPalette.ColorRole.AlternateBase: "#2c3134",
        QPalette.ColorRole.Text: "#e6e6e3", QPalette.ColorRole.Button: "#2e3336",
        QPalette.ColorRole.ButtonText: "#e6e6e3", QPalette.ColorRole.Highlight: ACCENT_DARK,
        QPalette.ColorRole.HighlightedText: "#101314", QPalette.ColorRole.ToolTipBase: "#2c3134",
        QPalette.ColorRole.ToolTipText: "#e6e6e3", QPalette.ColorRole.PlaceholderText: "#8c9396",
        QPalette.ColorRole.Link: ACCENT_DARK, QPalette.ColorRole.Mid: "#4a5054",
        QPalette.ColorRole.Light: "#3a4043", QPalette.ColorRole.Dark: "#151719",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7b8286"))
    return disabled_fields_recede(pal)


def light_palette() -> QPalette:
    pal = QStyleFactory.create("Fusion").standardPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#f4f3f0"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#eeede9"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8d9396"))
    return disabled_fields_recede(pal)


def disabled_fields_recede(pal: QPalette) -> QPalette:
    """A field that cannot be used (e.g. search with no case open) takes the window's
    colour, so it does not look like somewhere to type."""
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base,
                 pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window))
    return pal


def muted(pal: QPalette) -> QColor:
    text, base = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
    # PySide6's stub says getRgb() returns object; it returns (r, g, b, a).
    mix = [(a * 3 + b * 2) // 5 for a, b in zip(text.getRgb()[:3], base.getRgb()[:3], strict=True)]  # type: ignore[index]
    return QColor(*mix)


def stylesheet(pal: QPalette) -> str:
    dark = is_dark(pal)
    accent = ACCENT_DARK if dark else ACCENT
    on_accent = "#101314" if dark else "#ffffff"
    card = "#2a2f32" if dark else "#ffffff"
    line = "#40474b" if dark else "#dedbd4"
    soft = muted(pal).name()
    return f"""
    QFrame#card {{ background: {card}; border: 1px solid {line}; border-radius: 10px; }}
    QLabel#welcomeTitle {{ font-size: 20pt; font-weight: 600; }}
    QLabel#intro {{ font-size: 11pt; color: {soft}; }}
    QLabel#sectionTitle {{ font-size: 12pt; font-weight: 600; }}
    QLabel#subheading {{ font-weight: 600; margin-top: 6px; }}
    QLabel#muted {{ color: {soft}; }}
    QLabel#emptyHint {{ color: {soft}; font-size: 11pt; }}
    QLabel#error {{ color: {'#ff8a80' if dark else '#a8322d'}; }}
    QLabel#paneTitle {{ font-size: 12pt; font-weight: 600; }}
    QLineEdit#titleEdit {{ font-size: 17pt; font-weight: 600; border: none;
        border-bottom: 1px solid {line}; border-radius: 0; padding: 4px 2px;
        background: transparent; }}
    QLineEdit#titleEdit:focus {{ border-bottom: 2px solid {accent}; }}
    QFrame#noteCard {{ background: {card}; border: 1px solid {line}; border-radius: 8px; }}
    QFrame#chip {{ background: {card}; border: 1px solid {line}; border-radius: 13px; }}
    QFrame#chip QToolButton {{ border: none; padding: 0 4px; }}
    QPushButton#primary {{ background: {accent}; color: {on_accent}; border: none;
        border-radius: 6px; padding: 7px 18px; font-weight: 600; }}
    QPushButton#primary:disabled {{ background: {line}; color: {soft}; }}
    QListWidget#recentList {{ border: 1px solid {line}; border-radius: 6px; padding: 4px; }}
    QListWidget#recentList::item {{ padding: 6px 4px; }}
    QWidget#editorPane, QScrollArea > QWidget > QWidget#incidentForm {{ background: {card}; }}
    QStatusBar QLabel {{ color: {soft}; }}
    QPushButton#linkButton {{ border: none; color: {accent}; text-decoration: underline;
        padding: 2px 0; text-align: left; }}
    QToolButton#linkButton {{ border: 1px dashed {line}; border-radius: 13px; padding: 3px 10px;
        color: {accent}; }}
    QToolButton#linkButton::menu-indicator {{ image: none; width: 0; }}
    """


class Theme(QObject):
    """Applies palette and stylesheet now and whenever the system scheme changes."""

    changed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        if app.style().name().lower() not in NATIVE_STYLES:
            app.setStyle("Fusion")
        self._fusion = app.style().name().lower() == "fusion"
        self.apply()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: self.apply())

    def apply(self, scheme: Qt.ColorScheme | None = None) -> None:
        scheme = scheme or QGuiApplication.styleHints().colorScheme()
        if self._fusion:
            self.app.setPalette(dark_palette() if scheme == Qt.ColorScheme.Dark else light_palette())
        self.app.setStyleSheet(stylesheet(self.app.palette()))
        self.changed.emit()
