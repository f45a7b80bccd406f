"""Printing the previewed report off the GUI thread.

A printer wants pictures of the pages: each page is rasterised at up to 300 dpi, which
takes a noticeable moment per page and, on the GUI thread, froze the window for the
whole print run. `print_pages` runs as a `CaseOps.task` on a worker thread instead.
Qt supports painting on a QPrinter from a thread other than the GUI thread; the pages
are rendered from a QPdfDocument of the worker's own (QtPdf serialises its PDF engine
internally, so the preview's document keeps working meanwhile). The dialog leaves the
QPrinter alone until the task has finished, and keeps its buttons off meanwhile.

What the thread cannot give is a perfectly smooth window: PySide6 keeps Python's GIL
through QPdfDocument.render() and QPainter.drawImage() (about 0.05 s and 0.2 s a page
at 300 dpi), so the window still pauses for a moment per page, as it did when the
pages were painted between processEvents() calls. What the thread does give: progress
("Printing page 3 of 36..."), Cancel, and no re-entrancy (Update preview or Close
pressed mid-print used to close the very document being printed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from evidence_app.core.errors import UserError
from evidence_app.core.progress import CancelToken, Progress

PRINT_DPI = 300  # enough for small print and screenshots; more only makes big print jobs


@dataclass(frozen=True)
class Printed:
    """What one print run did."""

    pages: int


def page_range(printer: QPrinter, count: int) -> tuple[int, int]:
    """The first and last page (1-based) the print dialog asked for, within the document."""
    first = max(1, printer.fromPage() or 1)
    last = min(count, printer.toPage() or count)
    return first, last


def print_pages(case: Any, pdf: Path, printer: QPrinter, first: int, last: int,
                cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Paint pages `first`..`last` of `pdf` onto `printer`, one progress step per page.

    `case` is unused (CaseOps.task passes it). Cancelling stops between pages and
    aborts the print job, so a half-printed report is not sent on; the last event's
    item is a `Printed` only when every page was painted.
    """
    document = QPdfDocument()
    try:
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise UserError("The report preview could not be read for printing. "
                            "Press Update preview and try again.")
        last = min(last, document.pageCount())
        total = max(0, last - first + 1)
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError("The printer could not be started. Check that it is switched "
                            "on and connected, then try again.")
        dpi = min(printer.resolution(), PRINT_DPI)
        printed = 0
        try:
            for index in range(first - 1, last):
                if cancel is not None and cancel.cancelled:
                    printer.abort()  # the job is dropped, not sent half-printed
                    return
                yield Progress(printed, total, f"Printing page {printed + 1} of {total}...")
                if printed:
                    printer.newPage()
                area = QRectF(painter.viewport())
                points = document.pagePointSize(index)
                scale = min(area.width() / points.width(), area.height() / points.height())
                image = document.render(index, QSize(round(points.width() * dpi / 72),
                                                     round(points.height() * dpi / 72)))
                painter.drawImage(QRectF(QPointF(0, 0), points * scale), image)
                printed += 1
        finally:
            painter.end()
        yield Progress(total, total, item=Printed(printed))
    finally:
        document.close()
