"""Pasting evidence from the clipboard: a screenshot (Print Screen, then Ctrl+V) or files.

An image is stored as a PNG original named like "Pasted image 2026-11-28 15.30.12.png"
through core.importers.clipboard.import_bytes; the PNG is encoded on the writer thread, not here.
Files copied in the file manager are imported like dropped files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from evidence_app.core.importers.clipboard import import_bytes
from evidence_app.core.importers.files import ImportResult
from evidence_app.gui.alive import while_alive
from evidence_app.gui.drops import local_paths
from evidence_app.gui.importing import start_import
from evidence_app.gui.tasks import CaseOps


def pasted_name(now: datetime | None = None) -> str:
    """The original file name a pasted image is stored under (local time)."""
    now = now or datetime.now()
    return f"Pasted image {now:%Y-%m-%d %H.%M.%S}.png"


def png_bytes(image: QImage) -> bytes:
    """Encode a QImage as PNG (safe on a worker thread: QImage is not a GUI object)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stub types the format as bytes, but only a str is accepted.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("the pasted picture could not be saved as PNG")
    buffer.close()
    return bytes(data.data())


def _store(case: Any, image: QImage, name: str, incident_id: int | None) -> ImportResult:
    return import_bytes(case, png_bytes(image), name, incident_id)


def clipboard_has_evidence() -> bool:
    mime = QGuiApplication.clipboard().mimeData()
    return mime is not None and (mime.hasImage() or bool(local_paths(mime)))


def paste_evidence(ops: CaseOps, incident_id: int | None, destination: str, parent: QWidget,
                   on_done: Callable[[str], None] | None = None) -> bool:
    """Import what the clipboard holds; False when it holds no picture or files.

    `on_done` receives a sentence for the status bar once a pasted image is stored.
    """
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return False
    paths = local_paths(mime)
    if paths:
        start_import(ops, paths, incident_id, destination, parent)
        return True
    if not mime.hasImage():
        return False
    image = QGuiApplication.clipboard().image()
    if image.isNull():
        return False
    name = pasted_name()

    def done(result: ImportResult) -> None:
        if on_done is None:
            return
        if result.status == "duplicate":
            on_done(f"That picture is already in the case ({result.reason}).")
        else:
            on_done(f"Pasted picture saved as exhibit {result.exhibit} in {destination}.")

    ops.op(_store, image.copy(), name, incident_id, on_done=while_alive(parent, done))
    return True
