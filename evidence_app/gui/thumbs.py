"""Thumbnails for the gallery, inbox and viewer, read off the GUI thread.

Reader threads hand back `QImage`s (batched, so a screen of tiles costs a few events);
`QPixmap`s are made here on the GUI thread and kept in a small in-memory cache. Nothing
is written outside the case folder.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap

from evidence_app.core.attachments import thumbnail
from evidence_app.core.views import AttachmentView
from evidence_app.gui.alive import while_alive
from evidence_app.gui.tasks import CaseOps

BATCH = 12
CACHE_SIZE = 300


def _sharper(case: Any, att: AttachmentView, fit: QSize) -> QImage | None:
    """The original drawn at `fit` (device pixels), or None if it cannot be read."""
    from evidence_app.core.attachments import display_image

    try:
        picture = display_image(case, att, max(fit.width(), fit.height())).convert("RGBA")
    except OSError:
        return None
    data = picture.tobytes("raw", "RGBA")
    return QImage(data, picture.width, picture.height, picture.width * 4,
                  QImage.Format.Format_RGBA8888).copy()


class ThumbState(Enum):
    LOADING = "loading"
    READY = "ready"
    NONE = "none"  # not a picture, damaged, or the thumbnail could not be rebuilt


def _read_batch(case: Any, attachments: list[AttachmentView], fit: QSize,
                ) -> list[tuple[str, QImage | None]]:
    """Worker side: each attachment's thumbnail as a QImage scaled to fit `fit` (device
    pixels), so painting a tile never rescales; None when there is no thumbnail."""
    from evidence_app.core.media.analysis import THUMB_SIZE

    out: list[tuple[str, QImage | None]] = []
    for att in attachments:
        try:
            data = thumbnail(case, att)
        except OSError:
            data = None
        image = QImage.fromData(data) if data is not None else None
        if image is None or image.isNull():
            out.append((att.sha256, None))
            continue
        # On a high-DPI screen the tile can be larger than the cached thumbnail: the
        # original is then read again at the tile's own size, so it is sharp at 200%
        # (a picture that is itself small stays small).
        capped = max(image.width(), image.height()) >= THUMB_SIZE
        if capped and image.width() < fit.width() and image.height() < fit.height():
            image = _sharper(case, att, fit) or image
        if (image.width() > fit.width() or image.height() > fit.height()
                or (capped and image.width() < fit.width() and image.height() < fit.height())):
            image = image.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        out.append((att.sha256, image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)))
    return out


class ThumbnailLoader(QObject):
    """Asks for thumbnails by attachment; says `ready(sha256)` when one has arrived."""

    ready = Signal(str)

    def __init__(self, ops: CaseOps, parent: QObject | None = None,
                 fit: QSize = QSize(152, 140)) -> None:  # noqa: B008 - an immutable value
        super().__init__(parent)
        self.ops = ops
        self.fit = fit
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._missing: set[str] = set()
        self._queued: dict[str, AttachmentView] = {}
        self._in_flight: set[str] = set()
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._submit)

    def state(self, att: AttachmentView) -> ThumbState:
        if not att.preview or att.sha256 in self._missing:
            return ThumbState.NONE
        return ThumbState.READY if att.sha256 in self._cache else ThumbState.LOADING

    def pixmap(self, att: AttachmentView) -> QPixmap | None:
        """The cached thumbnail, or None while it loads (a load is then queued)."""
        pix = self._cache.get(att.sha256)
        if pix is not None:
            self._cache.move_to_end(att.sha256)
            return pix
        if att.preview and att.sha256 not in self._missing:
            self.request(att)
        return None

    def request(self, att: AttachmentView) -> None:
        sha = att.sha256
        if sha in self._cache or sha in self._in_flight or sha in self._missing:
            return
        self._queued[sha] = att
        if not self._flush.isActive():
            self._flush.start()

    def forget(self, sha256: str) -> None:
        self._cache.pop(sha256, None)
        self._missing.discard(sha256)

    def _submit(self) -> None:
        batch = list(self._queued.values())
        self._queued.clear()
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        fit = QSize(round(self.fit.width() * ratio), round(self.fit.height() * ratio))
        for i in range(0, len(batch), BATCH):
            part = batch[i:i + BATCH]
            self._in_flight.update(a.sha256 for a in part)
            self.ops.read(_read_batch, part, fit, on_done=while_alive(self, self._arrived),
                          on_error=while_alive(self, lambda _exc, part=part: self._failed(part)))

    def _failed(self, part: list[AttachmentView]) -> None:
        for att in part:
            self._in_flight.discard(att.sha256)
            self._missing.add(att.sha256)
            self.ready.emit(att.sha256)

    def _arrived(self, results: list[tuple[str, QImage | None]]) -> None:
        for sha, image in results:
            self._in_flight.discard(sha)
            if image is None:
                self._missing.add(sha)
            else:
                self._cache[sha] = QPixmap.fromImage(image)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            self.ready.emit(sha)

