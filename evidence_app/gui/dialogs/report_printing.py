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

Pages print at their real size: the printer is put in full-page mode with no margins of
its own (the report has its margins drawn in), and each page is drawn at the printer's
resolution, not scaled into Qt's default 10 pt margins (which shrank it to 96.6%). Only
a page larger than the paper is shrunk, and the result says so. The job carries the
case's and report's name, and the printer's queue is checked before and after sending
(see `print_queue`), so the result says what really happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from evidence_app.core.errors import UserError
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.gui.dialogs import print_queue
from evidence_app.gui.dialogs.print_queue import Outcome, QueueState

PRINT_DPI = 300  # enough for small print and screenshots; more only makes big print jobs


@dataclass(frozen=True)
class Printed:
    """What one print run did."""

    pages: int
    stopped: bool = False  # Cancel was pressed, but these pages had already gone out
    outcome: Outcome = Outcome.SENT
    printer: str = ""  # the printer's name, or the file printed to
    job: str = ""  # the job's name in the queue
    reason: str = ""  # what the printer's queue says about itself
    scale: float = 1.0  # 1.0: real size; less when a page had to shrink to fit the paper

    @property
    def message(self) -> str:
        """What happened, in a sentence for the person."""
        return print_queue.describe(self.outcome, self.pages, self.printer, self.job,
                                    self.reason, self.scale)


def job_name(case_name: str, title: str, profile: str) -> str:
    """The print job's name, as the printer queue lists it (a plain hyphen: print queues
    and cups-pdf mangle other punctuation)."""
    return f"{case_name} - {title} ({profile})"


def prepare_printer(printer: QPrinter, page_points: QSizeF, job: str) -> None:
    """Name the job, and print the report's pages at their real size on its page size
    (when the printer has that paper), with no margins added."""
    printer.setDocName(job)
    size = QPageSize(page_points, QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    info = QPrinterInfo.printerInfo(printer.printerName())
    supported = info.isNull() or any(s.id() == size.id() for s in info.supportedPageSizes())
    if size.isValid() and supported:
        printer.setPageSize(size)
        printer.setPageOrientation(QPageLayout.Orientation.Portrait
                                   if page_points.height() >= page_points.width()
                                   else QPageLayout.Orientation.Landscape)
    printer.setFullPage(True)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)


def queue_of(printer: QPrinter) -> str | None:
    """The printer queue the job goes to; None when printing to a file."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat or printer.outputFileName():
        return None
    return printer.printerName()


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
    queue = queue_of(printer)
    target = queue if queue is not None else printer.outputFileName()
    job = printer.docName()
    before = QueueState()
    if queue is not None:
        yield Progress(0, 0, "Checking the printer...")
        before = print_queue.queue_state(queue)
        refused = print_queue.refusal(before)
        if refused is not None:
            yield Progress(0, 0, item=Printed(0, outcome=refused, printer=queue, job=job,
                                              reason=before.reason))
            return
    document = QPdfDocument()
    try:
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise UserError("The report preview could not be read for printing. "
                            "Press Update preview and try again.")
        last = min(last, document.pageCount())
        total = max(0, last - first + 1)
        painter = QPainter()
        dpi = min(printer.resolution(), PRINT_DPI)
        device_per_point = printer.resolution() / 72
        printer.setFullPage(True)  # the page's own margins, none added by the printer
        printed = 0
        smallest = 1.0
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
                paper = QRectF(painter.viewport())  # the whole sheet, in device pixels
                points = document.pagePointSize(index)
                real = points * device_per_point
                # Real size; shrunk (and centred) only when the page is larger than the paper.
                scale = min(1.0, paper.width() / real.width(), paper.height() / real.height())
                if scale > 0.99:  # a paper size rounded to whole points: the page fits
                    scale = 1.0
                smallest = min(smallest, scale)
                place = QRectF(0, 0, real.width() * scale, real.height() * scale)
                if scale < 1.0:
                    place.moveCenter(paper.center())
                image = document.render(index, QSize(round(points.width() * dpi / 72),
                                                     round(points.height() * dpi / 72)))
                painter.drawImage(place, image)
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
        if queue is None:
            yield Progress(total, total, item=Printed(printed, stopped, Outcome.FILE, target,
                                                      job, scale=smallest))
            return
        yield Progress(total, total, "Checking the printer...")
        after = print_queue.queue_state(queue)
        result = print_queue.outcome(before, after)
        yield Progress(total, total, item=Printed(printed, stopped, result, queue, job,
                                                  after.reason or before.reason, smallest))
    finally:
        document.close()
