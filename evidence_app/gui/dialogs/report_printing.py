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
    stopped: bool = False  # Cancel was pressed, but these pages had already gone out


def page_range(printer: QPrinter, count: int) -> tuple[int, int]:
    """The first and last page (1-based) the print dialog asked for, within the document."""
    first = max(1, printer.fromPage() or 1)
    last = min(count, printer.toPage() or count)
    return first, last


def print_pages(case: Any, pdf: Path, printer: QPrinter, first: int, last: int,
                cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Paint pages `first`..`last` of `pdf` onto `printer`, one progress step per page.

    `case` is unused (CaseOps.task passes it). Cancelling stops between pages and
    aborts the print job where the printer allows it (no item then); otherwise the last
    event's item is a `Printed` saying how many pages went out, `stopped` if cancelled.
    """
    document = QPdfDocument()
    try:
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise UserError("The report preview could not be read for printing. "
                            "Press Update preview and try again.")
        last = min(last, document.pageCount())
        total = max(0, last - first + 1)
        painter = QPainter()
        dpi = min(printer.resolution(), PRINT_DPI)
        printed = 0
        try:
            for index in range(first - 1, last):
                if cancel is not None and cancel.cancelled:
                    break
                yield Progress(printed, total, f"Printing page {printed + 1} of {total}...")
                if not painter.isActive():
                    # Started only with the first page: Cancel pressed before it sends
                    # nothing at all (an ended print job goes out, even if empty).
                    if not painter.begin(printer):
                        raise UserError("The printer could not be started. Check that it is "
                                        "switched on and connected, then try again.")
                else:
                    printer.newPage()
                area = QRectF(painter.viewport())
                points = document.pagePointSize(index)
                scale = min(area.width() / points.width(), area.height() / points.height())
                image = document.render(index, QSize(round(points.width() * dpi / 72),
                                                     round(points.height() * dpi / 72)))
                painter.drawImage(QRectF(QPointF(0, 0), points * scale), image)
                printed += 1
            # Where the printer can drop the job, it is dropped rather than sent
            # half-printed. Printing to a PDF file, and through CUPS (which prints from a
            # PDF), cannot: the pages painted so far go out when the painter ends, and
            # the result says so instead of claiming nothing was sent.
            if cancel is not None and cancel.cancelled and printer.abort():
                return
        finally:
            if painter.isActive():
                painter.end()
        stopped = cancel is not None and cancel.cancelled
        if stopped and not printed:
            return
        yield Progress(total, total, item=Printed(printed, stopped))
    finally:
        document.close()
