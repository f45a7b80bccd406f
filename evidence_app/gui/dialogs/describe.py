"""Describe what you grouped: a quick pass over new incidents, one at a time.

After Group by time or "New incident from selection" the incidents are titled by what
their files are ("7 screenshots") and typed Other. Here the person sees each one's
pictures, types a title, picks a type with the keyboard, and presses Enter for the next;
Skip leaves one for later (Incident > Show untitled finds them again). Each save is an
ordinary, audited edit.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QSize, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.incidents import get_incident, update_incident
from evidence_app.core.views import AttachmentView, IncidentDetail
from evidence_app.core.vocab import CATEGORY_LABELS, Category
from evidence_app.gui.alive import while_alive
from evidence_app.gui.look import heading, muted
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.thumbs import ThumbnailLoader

PICTURES = 6  # shown side by side; more are counted


class WordsCombo(QComboBox):
    """A list a person can pick from by typing any word of an item, not only its first
    letters: "texts" finds "Unwanted contact: texts / messages", "track" finds
    "Monitoring / tracking". Letters typed within a second of each other make one word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._clock = QElapsedTimer()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        text = event.text()
        if not text or not text.isprintable() or event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            super().keyPressEvent(event)
            return
        if not self._clock.isValid() or self._clock.elapsed() > 1000:
            self._typed = ""
        self._clock.restart()
        self._typed += text.lower()
        labels = [self.itemText(i).lower() for i in range(self.count())]
        found = next((i for i, label in enumerate(labels) if label.startswith(self._typed)),
                     None)
        if found is None:
            found = next((i for i, label in enumerate(labels)
                          if any(word.startswith(self._typed)
                                 for word in label.replace("/", " ").replace(":", " ").split())),
                         None)
        if found is not None:
            self.setCurrentIndex(found)
        event.accept()


class DescribeDialog(QDialog):
    """Open with `open()`; `described` counts the incidents saved with a new title/type."""

    def __init__(self, ops: CaseOps, incident_ids: list[int], loader: ThumbnailLoader,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.ids, self.loader = ops, list(incident_ids), loader
        self.position = -1
        self.detail: IncidentDetail | None = None
        self.described = 0
        self.skipped = 0
        self.setWindowTitle("Describe your new incidents")
        fit_to_screen(self, 900, 420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        self.counter = heading(QLabel(), 1.15)
        layout.addWidget(self.counter)
        layout.addWidget(muted(QLabel("Give each a few words and a type, so the report's "
                                      "summary and chronology say what happened. Enter saves "
                                      "and moves on; Skip leaves it for later.")))
        self.when = QLabel()
        layout.addWidget(self.when)
        self.strip = QHBoxLayout()
        self.strip.setSpacing(8)
        self.pictures: list[QLabel] = []
        for _ in range(PICTURES):
            pic = QLabel()
            pic.setFixedSize(QSize(132, 132))
            pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.strip.addWidget(pic)
            self.pictures.append(pic)
        self.more = muted(QLabel())
        self.strip.addWidget(self.more)
        self.strip.addStretch(1)
        layout.addLayout(self.strip)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setAccessibleName("Title of this incident")
        self.title.setPlaceholderText("A few words, e.g. 'Messages from a new number'")
        self.title.setMaxLength(300)
        self.category = WordsCombo()
        self.category.setAccessibleName("Type of incident")
        for cat in Category:
            self.category.addItem(CATEGORY_LABELS[cat], cat.value)
        form.addRow("Title", self.title)
        form.addRow("Type", self.category)
        layout.addLayout(form)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.later_button = QPushButton("Finish later")
        self.skip_button = QPushButton("Skip")
        self.save_button = QPushButton("Save and next")
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.later_button.clicked.connect(self.reject)
        self.skip_button.clicked.connect(self.skip)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Right"), self, self.skip)
        loader.ready.connect(self._thumb_ready)
        self._next()

    # -- moving through ----------------------------------------------------------------
    def _next(self) -> None:
        self.position += 1
        if self.position >= len(self.ids):
            self.accept()
            return
        self.detail = None
        self._set_enabled(False)
        incident_id = self.ids[self.position]
        self.ops.read(get_incident, incident_id,
                      on_done=while_alive(self, self._show),
                      on_error=while_alive(self, lambda _exc: self._next()))  # trashed since

    def _show(self, detail: IncidentDetail) -> None:
        self.detail = detail
        n, total = self.position + 1, len(self.ids)
        self.counter.setText(f"Incident {n} of {total}")
        self.when.setText(f"<b>{detail.when_text}</b>")
        self.title.setText(detail.title)
        self.title.selectAll()  # typing replaces the suggested title
        self.category.setCurrentIndex(max(0, self.category.findData(detail.category)))
        self._show_pictures(detail.attachments)
        last = n == total
        self.save_button.setText("Save and finish" if last else "Save and next")
        self.skip_button.setText("Skip and finish" if last else "Skip")
        self._set_enabled(True)
        self.title.setFocus()

    def _show_pictures(self, attachments: list[AttachmentView]) -> None:
        shown = attachments[:PICTURES]
        for pic, att in zip(self.pictures, [*shown, *[None] * PICTURES], strict=False):
            pic.setVisible(att is not None)
            if att is not None:
                self._paint(pic, att)
        extra = len(attachments) - len(shown)
        self.more.setText(f"and {extra} more" if extra > 0 else "")

    def _paint(self, pic: QLabel, att: AttachmentView) -> None:
        pix = self.loader.pixmap(att)
        pic.setProperty("sha256", att.sha256)
        pic.setToolTip(f"{att.exhibit_mark} {att.original_name}")
        if pix is None:
            pic.setText(att.exhibit_mark)  # until the thumbnail arrives
            return
        pic.setPixmap(pix.scaled(pic.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation))

    def _thumb_ready(self, sha256: str) -> None:
        if self.detail is None:
            return
        for pic, att in zip(self.pictures, self.detail.attachments, strict=False):
            if att.sha256 == sha256:
                self._paint(pic, att)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.title, self.category, self.save_button, self.skip_button):
            widget.setEnabled(on)

    # -- the person's choices ------------------------------------------------------------
    def save(self) -> None:
        detail = self.detail
        if detail is None:
            return
        title = " ".join(self.title.text().split())
        category = str(self.category.currentData())
        changes: dict[str, str] = {}
        if title and title != detail.title:
            changes["title"] = title
        if category != detail.category:
            changes["category"] = category
        if not changes:
            self.skip()
            return
        self._set_enabled(False)
        self.described += 1
        self.ops.op(update_incident, detail.id, **changes,
                    on_done=while_alive(self, lambda _fields: self._next()),
                    on_error=while_alive(self, self._failed))

    def _failed(self, exc: BaseException) -> None:
        from evidence_app.gui.messages import show_error

        self.described -= 1
        show_error(self, "This incident was not saved", exc)
        self._set_enabled(True)

    def skip(self) -> None:
        if self.detail is not None:
            self.skipped += 1
            self._next()

