"""Page layout and the PDF build: running header and footer, "Page N of M", sections.

`build_report` is a generator of `Progress` events honouring a `CancelToken`, so the GUI
can run it off its thread. The PDF is written to a temporary file beside the target and
renamed into place only when complete. With SOURCE_DATE_EPOCH set, the same case and
options produce a byte-identical file (reportlab's invariant mode, fixed dates).
"""

from __future__ import annotations

import errno
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph

from evidence_app import APP_NAME, __version__
from evidence_app.core.errors import UserError
from evidence_app.core.incidents import REPORT
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.report.archival import DocumentInfo, make_archival
from evidence_app.core.report.audit_trail import audit_appendix
from evidence_app.core.report.data import ReportData, collect
from evidence_app.core.report.exhibit_list import exhibit_list
from evidence_app.core.report.fonts import SANS, markup, plain
from evidence_app.core.report.formatting import datetime_text
from evidence_app.core.report.images import Renderer, case_renderer
from evidence_app.core.report.incident_pages import incident_full
from evidence_app.core.report.navigation import Bookmark
from evidence_app.core.report.options import Profile, ReportOptions
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.personal import Found
from evidence_app.core.report.running import (
    RunningState,
    draw_marking,
    page_hooks,
    private_marking,
)
from evidence_app.core.report.sections import chronology, cover, summary
from evidence_app.core.report.styles import (
    HEADER_GAP,
    MARGIN,
    MUTED,
    RULE,
    PageGeometry,
    Styles,
    make_styles,
    page_geometry,
    page_size,
)
from evidence_app.core.report.summary import declaration
from evidence_app.core.store.case import Case
from evidence_app.core.store.originals import fsync_folder, sha256_file

# reportlab keeps per-document font state in global font objects; one build at a time
# keeps that safe and the output deterministic.
_BUILD_LOCK = threading.Lock()


class ReportCancelled(Exception):
    """Raised inside the layout thread when the person cancels."""


@dataclass(frozen=True)
class ReportResult:
    """A finished report file."""

    path: Path
    pages: int
    incidents: int
    exhibits: int
    sha256: str
    size: int
    personal: Found = field(default_factory=Found)  # the person's details typed into the log
    case_name: str = ""  # as the report prints it (names its print job)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "pages": self.pages, "incidents": self.incidents,
                "exhibits": self.exhibits, "sha256": self.sha256, "size": self.size,
                "personal_details": self.personal.to_json()}


def generated_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


class _Checkpoint(Flowable):
    """Zero-size marker: reports progress when placed, stops the build when cancelled."""

    def __init__(self, step: int, message: str, on_step: Callable[[int, str], None],
                 cancel: CancelToken | None) -> None:
        super().__init__()
        self.step, self.message, self.on_step, self.cancel = step, message, on_step, cancel
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def frameAction(self, frame: Any) -> None:  # noqa: N802 - reportlab's name
        # Handled where the frame stands, taking no room: as an ordinary flowable after
        # a full page it would be carried to a page of its own, left blank by the next
        # page break.
        if self.cancel is not None and self.cancel.cancelled:
            raise ReportCancelled()
        self.on_step(self.step, self.message)

    def draw(self) -> None:
        pass


def _canvas_class(data: ReportData, pages: list[int]) -> type[Canvas]:
    """A canvas that holds its pages until the end, to print 'Page N of M' on each."""
    generated = f"Generated {datetime_text(data.generated_at, data.case.timezone)}"
    marking = private_marking(data.kept_in())

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Every font in the file is embedded: none of the unembedded base 14.
            kwargs["initialFontName"] = SANS
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def bookmarkPage(self, key: str, *args: Any, **kwargs: Any) -> Any:  # noqa: N802
            # Pages reach the document only at save(), so reportlab would bind every
            # destination to page 1: bind it to the page being drawn.
            doc = self._doc
            held, doc.pageCounter = doc.pageCounter, self._pageNumber
            try:
                return super().bookmarkPage(key, *args, **kwargs)
            finally:
                doc.pageCounter = held

        def drawImage(self, image: Any, x: float, y: float, width: Any = None,  # noqa: N802
                      height: Any = None, *args: Any, **kwargs: Any) -> Any:
            drawn = super().drawImage(image, x, y, width, height, *args, **kwargs)
            if height is not None:  # where an exhibit's link lands (navigation.py)
                self.picture_top = (self._pageNumber, self.absolutePosition(x, y + height)[1])
            return drawn

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                Canvas.showPage(self)
            pages.append(total)
            Canvas.save(self)

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
            self.setFont(SANS, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, MARGIN - 8 * mm, generated)
            self.drawRightString(width - MARGIN, MARGIN - 8 * mm,
                                 f"Page {self._pageNumber} of {total}")
            self.restoreState()
            if marking:
                draw_marking(self, marking, width / 2, MARGIN - 8 * mm)

    return NumberedCanvas


def _header(data: ReportData, st: Styles) -> Callable[[Canvas, Any], None]:
    styles = [st.muted.clone(f"hdr{align}", alignment=align, fontSize=7.5, leading=9)
              for align in (0, 2)]
    left = ScriptParagraph(f"<b>{markup(data.case.case_name)}</b>", styles[0],
                           keep_alignment=True)
    right = ScriptParagraph(f"{markup(data.options.title)} \u2013 {data.options.profile.short}",
                            styles[1], keep_alignment=True)

    marking = private_marking(data.kept_in())

    def draw(canv: Canvas, doc: Any) -> None:
        width, height = canv._pagesize
        canv.saveState()
        usable = width - 2 * MARGIN
        top = height - MARGIN + HEADER_GAP - 2 * mm
        # A private copy's marking sits in the middle of the header, between the case
        # and the title.
        side = (usable - 72 * mm) / 2 if marking else 0
        places = (((left, MARGIN, side), (right, width - MARGIN - side, side)) if marking
                  else ((left, MARGIN, usable * 0.6), (right, MARGIN + usable * 0.6,
                                                       usable * 0.4)))
        for para, x, w in places:
            _, h = para.wrap(w, 30)
            # Beside the marking a long case name wraps upwards, clear of the rule.
            para.drawOn(canv, x, top if marking else top - h + 9)
        if marking:
            draw_marking(canv, marking, width / 2, top + 1.6 * mm + 1)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, top - 3, width - MARGIN, top - 3)
        canv.restoreState()

    return draw


def make_story(data: ReportData, st: Styles, page: PageGeometry,
               render: Renderer, on_step: Callable[[int, str], None],
               cancel: CancelToken | None, running: RunningState | None = None,
               ) -> tuple[list[Flowable], int]:
    """All flowables of the report, with checkpoints; returns (story, number of steps)."""
    story: list[Flowable] = []
    steps = 0
    width = page.width

    def checkpoint(message: str) -> None:
        nonlocal steps
        steps += 1
        story.append(_Checkpoint(steps, message, on_step, cancel))

    checkpoint("Cover page")
    story += [Bookmark("cover", "Cover page")] + cover(data, st, width) + [PageBreak()]
    checkpoint("Summary")
    story += [Bookmark("summary", "Summary")] + summary(data, st, width) + [PageBreak()]
    checkpoint("Chronology")
    story += [Bookmark("chronology", "Chronology")] + chronology(data, st, width)
    dated, undated = data.dated, data.undated
    if dated:
        story += [PageBreak(), Bookmark("incidents", "Incidents in full"),
                  Paragraph("Incidents in full", st.h1)]
    for inc in dated:
        checkpoint(f"Incident {data.number_of(inc.id)} of {len(data.incidents)}")
        story += incident_full(data, inc, st, page, render, running)
    if undated:
        story += [PageBreak(), Bookmark("undated", "Undated incidents"),
                  Paragraph("Undated incidents", st.h1),
                  Paragraph("The date of these incidents is not known. They are listed in the "
                            "order they were recorded.", st.muted)]
    for inc in undated:
        checkpoint(f"Incident {data.number_of(inc.id)} of {len(data.incidents)}")
        story += incident_full(data, inc, st, page, render, running)
    checkpoint("Exhibit list")
    story += [PageBreak(), Bookmark("exhibits", "Exhibit list")] + exhibit_list(data, st, width)
    if data.options.profile is Profile.COURT:
        checkpoint("Declaration of truth")
        story += [PageBreak(), Bookmark("declaration", "Declaration of truth")] + declaration(
            data, st, width)
    if data.options.include_audit:
        checkpoint("Audit trail")
        story += [PageBreak(), Bookmark("audit", "Audit trail")] + audit_appendix(data, st, width)
    checkpoint("Saving")
    return story, steps


def write_pdf(data: ReportData, out: Path, render: Renderer,
              on_step: Callable[[int, str], None] = lambda n, m: None,
              cancel: CancelToken | None = None, on_total: Callable[[int], None] | None = None,
              ) -> int:
    """Lay out and write the PDF (blocking), then make it PDF/A-2b (`archival.py`);
    returns the number of pages."""
    st = make_styles()
    pagesize = page_size(data.options.paper)
    page = page_geometry(data.options.paper)
    invariant = bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())
    pages: list[int] = []
    running = RunningState()
    info = DocumentInfo(title=plain(f"{data.options.title}: {data.case.case_name}"),
                        author=plain(data.case.owner_name),
                        subject="Chronological evidence report",
                        creator=f"{APP_NAME} {__version__}", created=data.generated_at)
    raw = out.with_name(out.name + ".raw")
    with _BUILD_LOCK:
        story, steps = make_story(data, st, page, render, on_step, cancel, running)
        if on_total is not None:
            on_total(steps)
        doc = BaseDocTemplate(
            str(raw), pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_GAP, bottomMargin=MARGIN, title=info.title,
            author=info.author, subject=info.subject, creator=info.creator, lang=info.language,
            invariant=invariant, pageCompression=1,
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        header = _header(data, st)
        start, end = page_hooks(running, st, page.top, page.left, page.width)

        def on_page(canv: Canvas, doc: Any) -> None:
            header(canv, doc)
            start(canv, doc)

        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page,
                                           onPageEnd=end)])
        doc.build(story, canvasmaker=_canvas_class(data, pages))
    try:
        make_archival(raw, out, info)
    finally:
        raw.unlink(missing_ok=True)
    return pages[0] if pages else 0


def build_report(case: Case, options: ReportOptions, out: Path,
                 cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Write the report for `options` to `out`; the last event's item is a ReportResult.

    The PDF is built in the case's cache and only the finished, fsynced file is put at
    `out`: cancelling, or the app being killed, leaves nothing at the destination (the
    cache's leftovers go at the next open) and never changes an existing file there.
    """
    out = Path(out).expanduser()
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name such as report.pdf")
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    if not os.access(out.parent, os.W_OK):
        raise UserError(f"The report cannot be saved in {out.parent}: this folder cannot be "
                        "written to. Choose another place.")
    token = cancel or CancelToken()
    yield Progress(0, 0, "Reading the log")
    data = collect(case, options, generated_time())
    if token.cancelled:
        return
    with case.cache.scratch() as work:
        tmp = work / "report.pdf"
        pages = yield from _write_in_thread(data, tmp, case, token)
        if pages is None:
            return
        if case.writable:  # a case on a read-only medium cannot log it
            _record_production(case, data, tmp)
        try:
            _place(tmp, out)
        except OSError as exc:
            raise UserError(f"Cannot write the report to {out}: {exc.strerror or exc}"
                            ) from exc
    result = ReportResult(out, pages, len(data.incidents), len(data.exhibits),
                          sha256_file(out), out.stat().st_size, data.personal,
                          data.case.case_name)
    yield Progress(pages, pages, f"Report saved: {pages} pages", item=result)


def _write_in_thread(data: ReportData, tmp: Path, case: Case, token: CancelToken,
                     ) -> Generator[Progress, None, int | None]:
    """Lay out and write the PDF on a thread, passing its progress on; the page count,
    or None when cancelled."""
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            pages = write_pdf(data, tmp, case_renderer(case),
                              on_step=lambda n, m: events.put(("step", (n, m))),
                              cancel=token, on_total=lambda n: events.put(("total", n)))
            events.put(("done", pages))
        except BaseException as exc:  # noqa: BLE001 - handed back to the generator
            events.put(("error", exc))

    thread = threading.Thread(target=work, name="report-build", daemon=True)
    thread.start()
    total, finished = 0, False
    try:
        while True:
            kind, value = events.get()
            if kind == "total":
                total = value
            elif kind == "step":
                yield Progress(value[0] - 1, total, value[1])
            elif kind == "error":
                if isinstance(value, ReportCancelled):
                    return None
                if isinstance(value, OSError):
                    raise UserError(f"The report could not be written: "
                                    f"{value.strerror or value}") from value
                raise value
            else:
                finished = True
                return int(value)
    finally:
        if not finished:
            token.cancel()  # a closed generator stops the layout thread too
        thread.join()


def _record_production(case: Case, data: ReportData, pdf: Path) -> None:
    """Log that a report holding these incidents was produced: from now on a change to
    any of them is an amendment, never part of its first recording (incidents.py)."""
    # "incident_ids", not "incidents": producing a report changes no incident, so views
    # need not reload them (store/changes.py reads "incidents" as changed records).
    with case.write() as (_session, log):
        log.log(REPORT, "case", 1, incident_ids=[i.id for i in data.incidents],
                profile=str(data.options.profile), sha256=sha256_file(pdf))


def _place(tmp: Path, out: Path) -> None:
    """Put the finished file at `out` whole: fsynced, then named in one step. Across
    file systems it is copied beside `out` under a hidden name first."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    try:
        os.replace(tmp, out)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        fd, name = tempfile.mkstemp(prefix=".report-", suffix=".pdf.tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as dst, open(tmp, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(name, out)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    fsync_folder(out.parent)


def preview_file(case: Case, name: str) -> Path:
    """Where a preview of the report may be built: inside the case's cache (never a
    shared temp folder), removed by `clear_previews` and when the case closes."""
    return case.cache.preview_file(name)


def clear_previews(case: Case) -> None:
    """Remove the report previews built so far."""
    case.cache.clear_previews()
