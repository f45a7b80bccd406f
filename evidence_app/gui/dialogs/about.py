"""Help › About: the version, and where the data, settings and logs are kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from evidence_app import APP_NAME, __version__
from evidence_app.gui.icons import app_icon
from evidence_app.logs import log_file
from evidence_app.paths import config_dir, data_dir


class AboutDialog(QDialog):
    def __init__(self, case_folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(12)
        top = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(56, 56)))
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<b style='font-size:15pt'>{APP_NAME}</b><br>Version {__version__}")
        top.addWidget(title, 1)
        top.setSpacing(14)
        layout.addLayout(top)
        blurb = QLabel("A private, offline log of stalking and harassment evidence. "
                       "It never uses the internet and sends nothing anywhere. What a "
                       "passphrase and the lock protect, and what they cannot: Help › "
                       "What protection does and does not do.")
        blurb.setWordWrap(True)
        blurb.setObjectName("aboutBlurb")
        layout.addWidget(blurb)
        licence = QLabel("Free software under the GNU General Public License, version 3 or "
                         "later. The licences of the fonts and libraries it contains come "
                         "with it (the licences folder beside the program).")
        licence.setWordWrap(True)
        licence.setObjectName("aboutLicence")
        layout.addWidget(licence)
        rows = [("This case", str(case_folder) if case_folder else "No case open"),
                ("Cases are kept in", str(data_dir() / "cases")),
                ("Settings", str(config_dir())),
                ("Log file", str(log_file()))]
        grid = QLabel("<table cellspacing='6'>" + "".join(
            f"<tr><td style='padding-right:12px'><b>{k}</b></td><td>{v}</td></tr>"
            for k, v in rows) + "</table>")
        grid.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.setWordWrap(True)
        grid.setObjectName("aboutPaths")
        layout.addWidget(grid)
        # Spare height goes below the text, not between its paragraphs.
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.paths = dict(rows)
        # As tall as the text at this width: Qt's own guess, made for narrower lines,
        # spreads the spare height between the paragraphs.
        width = max(self.minimumWidth(), self.sizeHint().width())
        layout.activate()
        self.resize(width, max(self.heightForWidth(width), self.minimumHeight()))
