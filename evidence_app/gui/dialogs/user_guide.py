"""Help › User guide: docs/user-guide.md, shown in a window of its own with its pictures,
read from this computer (no internet).

The guide is found where the app was installed from: the bundle carries it as package
data (evidence_app/resources/guide/, see packaging/evidence-organiser.spec); a source
checkout reads docs/ directly. The contents on the left jump to each section."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QImageReader, QTextCursor, QTextImageFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from evidence_app import APP_NAME
from evidence_app.gui.screen_fit import fit_to_screen

PACKAGE = Path(__file__).resolve().parent.parent.parent
GUIDE_PLACES = (PACKAGE / "resources" / "guide" / "user-guide.md",  # bundle / installed
                PACKAGE.parent / "docs" / "user-guide.md")  # source checkout


def guide_file() -> Path | None:
    """Where this installation keeps the user guide, or None if it has none."""
    return next((p for p in GUIDE_PLACES if p.is_file()), None)


class UserGuide(QDialog):
    """The guide, with its contents beside it. Links to the web are shown, not followed."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — User guide")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.path = path or guide_file()
        self.contents = QListWidget()
        self.contents.setObjectName("guideContents")
        self.contents.setMinimumWidth(200)
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text = QTextBrowser()
        self.text.setObjectName("guideText")
        self.text.setOpenLinks(False)  # nothing is fetched; section links are followed below
        self.text.anchorClicked.connect(self._follow)
        self.text.document().setDocumentMargin(18)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)  # reading, not scanning: a little larger
        self.text.setFont(font)
        # Pictures follow the width of the text column (see _fit_pictures).
        self.text.viewport().installEventFilter(self)
        self._width = 0
        self._jumped = (-1, 0)  # the section last jumped to, and the scroll it left
        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.text)
        split.setStretchFactor(1, 1)
        split.setSizes([270, 830])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self._load()
        self.contents.currentRowChanged.connect(self._go_to)
        fit_to_screen(self, 1100, 820)

    # -- loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        if self.path is None:
            self.text.setPlainText(
                "The user guide is not in this copy of the app. It is the file "
                "docs/user-guide.md that comes with the app's source.")
            return
        doc = self.text.document()
        # Pictures are named relative to the guide's folder.
        doc.setBaseUrl(QUrl.fromLocalFile(str(self.path.parent) + "/"))
        self.text.setSearchPaths([str(self.path.parent)])
        self.text.setMarkdown(self.path.read_text(encoding="utf-8"))
        self._fit_pictures()
        self.headings: list[int] = []  # block numbers, one per contents row
        block = doc.begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level in (1, 2):
                item = QListWidgetItem(block.text())
                if level == 2:
                    item.setText("   " + block.text())
                else:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.contents.addItem(item)
                self.headings.append(block.blockNumber())
            block = block.next()

    def _fit_pictures(self) -> None:
        """Pictures no wider than the text column, so a screenshot is seen whole."""
        # The text column less the page margins and a list's indent (a picture may sit in one).
        width = max(320, self.text.viewport().width() - 2 * 18 - 60)
        doc = self.text.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    natural = self._natural_size(image)
                    if natural is not None and natural.width() > 0:
                        shown = min(natural.width(), width)
                        image.setWidth(shown)
                        image.setHeight(natural.height() * shown / natural.width())
                        cursor = QTextCursor(doc)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(),
                                           QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(image)
                it += 1
            block = block.next()
        # Changing the pictures' formats leaves the text around them unlaid-out (no lines,
        # no height) until painted, so jumping to a heading would land short: lay it all
        # out again.
        doc.markContentsDirty(0, doc.characterCount())
        # Pictures above a section just jumped to have changed height: keep its heading at
        # the top (unless the person has scrolled since).
        row, value = self._jumped
        if row >= 0 and self.text.verticalScrollBar().value() == value:
            self._go_to(row)

    def _natural_size(self, image: QTextImageFormat) -> QSize | None:
        if self.path is None:
            return None
        size = QImageReader(str(self.path.parent / image.name())).size()
        return size if size.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and self.path is not None \
                and self.text.viewport().width() != self._width:
            self._width = self.text.viewport().width()
            QTimer.singleShot(0, self._fit_pictures)  # after the layout has the new width
        return super().eventFilter(watched, event)

    # -- moving about ---------------------------------------------------------------------
    def section_titles(self) -> list[str]:
        return [self.contents.item(r).text().strip() for r in range(self.contents.count())]

    def _go_to(self, row: int) -> None:
        if not 0 <= row < len(self.headings):
            return
        doc = self.text.document()
        block = doc.findBlockByNumber(self.headings[row])
        self.text.setTextCursor(QTextCursor(block))
        # Asking for the heading's place lays the text out down to it (see _fit_pictures).
        top = int(doc.documentLayout().blockBoundingRect(block).top())
        self.text.verticalScrollBar().setValue(top)
        self._jumped = (row, self.text.verticalScrollBar().value())

    def _follow(self, url: QUrl) -> None:
        """A link to a section of the guide goes there; any other link is not opened (the
        app never goes on the internet)."""
        if url.hasFragment() and not url.path():
            wanted = url.fragment().replace("-", " ").lower()
            for row, title in enumerate(self.section_titles()):
                if title.lower().replace("-", " ").startswith(wanted):
                    self.contents.setCurrentRow(row)
                    return
