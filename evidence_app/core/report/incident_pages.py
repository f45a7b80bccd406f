"""Each incident in full: its fields, notes, people, vehicles, amendments and exhibits."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from evidence_app.core.impacts import pounds_text
from evidence_app.core.media.pdf import PDF_TYPE
from evidence_app.core.media.source import Source
from evidence_app.core.names import shown_name
from evidence_app.core.report.amendments import record_lines
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.emoji import naming_once
from evidence_app.core.report.figures import (
    BOX_PAD,
    GAP,
    Exhibit,
    ExhibitRow,
    column_width,
    sha256_paragraph,
)
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import (
    capture_text,
    datetime_text,
    day_text,
    gps_text,
    is_picture,
    kind_text,
    media_text,
    size_text,
)
from evidence_app.core.report.images import (
    MIN_PPI,
    PHOTO_DPI,
    SCREENSHOT_DPI,
    ExhibitPicture,
    Renderer,
    document_page,
    oriented_size,
)
from evidence_app.core.report.navigation import (
    Bookmark,
    ExhibitAnchor,
    exhibit_key,
    incident_key,
    link,
    listed_key,
)
from evidence_app.core.report.options import ImageLayout
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.running import IncidentEnd, IncidentMark, RunningState
from evidence_app.core.report.styles import (
    ACCENT,
    SHADE,
    PageGeometry,
    ReportTable,
    Styles,
    fields_table,
)
from evidence_app.core.report.transcript import transcript
from evidence_app.core.views import AttachmentView, IncidentDetail
from evidence_app.core.vocab import ImpactKind, Role

SUMMARY_ROLES = (Role.SUSPECT.value, Role.WITNESS.value)  # described in the summary


def impact_statement(kind: str) -> str:
    """The report's words for a stored kind of impact."""
    try:
        return ImpactKind(kind).statement
    except ValueError:
        return kind

# (label, attribute) in the order an officer reads them; empty fields are left out.
FIELDS = (
    ("Location", "location"),
    ("What happened", "description"),
    ("Suspect's appearance", "suspect_appearance"),
    ("Suspect's voice", "suspect_voice"),
    ("Suspect's clothing", "suspect_clothing"),
    ("Witnesses", "witnesses"),
    ("Effect on me", "impact"),
    ("Police reference", "police_reference"),
    ("Officer", "police_officer"),
)


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


LABEL_W = 40 * mm  # the label column of an incident's fields

# Laying out one paragraph costs time in proportion to its length at every page break it
# crosses, so a very long account (hundreds of pages) is set as paragraphs of about this
# many characters: split at line breaks, else after a sentence, else at a space.
CHUNK = 4000


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """`text` in pieces of at most about `size` characters, cut where a reader would."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    rest = text
    while len(rest) > size:
        window = rest[:size]
        cut = window.rfind("\n")
        if cut < size // 2:
            cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? ")) + 1
        if cut < size // 2:
            cut = window.rfind(" ")
        if cut < size // 2:
            cut = size
        out.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n ") if rest[cut:cut + 1] in ("\n", " ") else rest[cut:]
    out.append(rest)
    return out


def text_block(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Stored text as paragraphs (one, unless it is very long), spaced as one paragraph."""
    pieces = chunks(text)
    if len(pieces) == 1:
        return [_p(markup(text), style)]
    inner = style.clone(f"{style.name}_run", spaceBefore=0, spaceAfter=0)
    last = style.clone(f"{style.name}_run_end", spaceBefore=0)
    return [_p(markup(piece), last if i == len(pieces) - 1 else inner)
            for i, piece in enumerate(pieces)]


def _header(number: int, inc: IncidentDetail, st: Styles, width: float) -> ReportTable:
    when = markup(inc.when_text)
    title = markup(inc.title) or "<i>(untitled)</i>"
    cells = [[_p(f'<font size="15" color="#243b53">{number}</font>',
                 st.cell_bold),
              [_p(f"<b>{when}</b>", st.cell), _p(title, st.h2)],
              _p(markup(inc.category_text), st.muted)]]
    table = ReportTable(cells, colWidths=[14 * mm, width - 64 * mm, 50 * mm])
    table.setStyle([
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ])
    return table


def _role(value: str) -> str:
    try:
        return Role(value).label.lower()
    except ValueError:
        return markup(value)


def _field_rows(inc: IncidentDetail, st: Styles) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for label, attr in FIELDS:
        text = getattr(inc, attr).strip()
        if attr == "impact" and inc.impacts:
            # What the person ticked, in the Act's words, under what they wrote.
            lines = _impact_lines(inc)
            written = text_block(getattr(inc, attr), st.body) if text else []
            value: Any = (written + [_p(line, st.body) for line in lines] if len(written) > 1
                          else _p("<br/>".join(([markup(getattr(inc, attr))] if text else [])
                                               + lines), st.body))
            rows.append([_p(label, st.label), value])
        elif text:
            rows.append([_p(label, st.label), text_block(getattr(inc, attr), st.body)])
    if inc.reported_on:
        rows.append([_p("Reported to police", st.label), _p(day_text(inc.reported_on), st.body)])
    if inc.people:
        # Suspects and witnesses are described once, in the summary; here only named.
        text = "<br/>".join(
            f"{markup(p.name)} ({_role(p.role)})"
            + (f": {markup(p.description)}" if p.description and p.role not in SUMMARY_ROLES
               else "")
            for p in inc.people)
        rows.append([_p("People", st.label), _p(text, st.body)])
    if inc.vehicles:
        rows.append([_p("Vehicles", st.label),
                     _p("<br/>".join(markup(v.label) for v in inc.vehicles), st.body)])
    if inc.tags:
        rows.append([_p("Tags", st.label), _p(markup(", ".join(inc.tags)), st.body)])
    return rows


def _impact_lines(inc: IncidentDetail) -> list[str]:
    lines = []
    for impact in inc.impacts:
        head = [day_text(impact.since)] if impact.since else []
        if impact.amount_pence is not None:
            head.append(pounds_text(impact.amount_pence))
        line = f"<b>{impact_statement(impact.kind)}</b>"
        line += f" ({', '.join(head)})" if head else ""
        lines.append(line + (f": {markup(impact.details)}" if impact.details else ""))
    return lines


def exhibit_caption(att: AttachmentView, tz: str, st: Styles, width: float, shown: str = "",
                    ) -> list[Flowable]:
    """Mark, file, caption, capture time and source, camera, GPS (if kept), SHA-256.

    `width` is the caption's: the SHA-256 is fitted to it, never broken inside. `shown`
    says what is drawn of a document (in place of "cannot be shown on paper").
    """
    mark = link(f"<b>Exhibit {markup(att.exhibit_mark)}</b>", listed_key(att.exhibit_serial))
    lines: list[Flowable] = [
        ExhibitAnchor(exhibit_key(att.exhibit_serial), is_picture(att)),
        _p(f"{mark} \u2013 {markup(shown_name(att.original_name))}", st.caption)]
    if att.caption:
        lines.append(_p(markup(att.caption), st.caption))
    details = [f"{media_text(att)}, {size_text(att.size)}"]
    if att.width and att.height:
        details.append(f"{att.width}\u00d7{att.height} pixels")
    if att.kind in ("video", "audio") and att.preview_error:  # "a video, 0:42 long"
        details.append(att.preview_error.split(", ", 1)[-1])
    lines.append(_p(markup(", ".join(details)), st.muted))
    lines.append(_p(f"Captured: {markup(capture_text(att, tz))}", st.muted))
    if att.camera:
        lines.append(_p(f"Camera: {markup(att.camera)}", st.muted))
    gps = gps_text(att)
    if gps:
        lines.append(_p(f"Photo location (GPS): {gps}", st.muted))
    if shown:
        lines.append(_p(shown, st.muted))
    elif not is_picture(att):
        lines.append(_p(_not_shown(att), st.muted))
    lines.append(sha256_paragraph(att.sha256, width, st.mono))
    return lines


def _not_shown(att: AttachmentView) -> str:
    if att.kind in ("video", "audio"):
        return f"A {kind_text(att)} cannot be shown on paper: play the original file."
    if att.media_type.startswith("image/") and att.preview_error:
        return f"The picture cannot be shown: {markup(att.preview_error)}."
    return "This file cannot be shown on paper: open the original file."


# Picture sizes (A4 or Letter text width): the box a picture fits in, and the smallest
# it may shrink to so that a row fits the rest of a page. Screenshots stay larger so
# that the messages in them remain readable on paper.
FULL_BOX = {"screenshot": (150 * mm, 115 * mm), "photo": (110 * mm, 60 * mm)}
TWO_BOX = {"screenshot": (120 * mm, 95 * mm), "photo": (80 * mm, 50 * mm)}
CAPTION_BESIDE = 95 * mm  # room beside a portrait picture: a SHA-256 fits on one line


# A PDF's first page: large enough that a letter's words can be read on paper.
DOCUMENT_BOX = (180 * mm, 110 * mm)  # (largest, smallest) height


def _document(att: AttachmentView, source: Source, box_w: float, caption_w: float, tz: str,
              st: Styles) -> Exhibit:
    """A PDF exhibit: its first page drawn, with "page 1 of N", or why it cannot be."""
    max_h, min_h = DOCUMENT_BOX
    page, pages, reason = document_page(source, box_w, max_h)
    of = f" of {pages:,}" if pages else ""
    if page is None:
        shown = f"The first page cannot be shown: {markup(reason)}. Open the original file."
        return Exhibit(None, exhibit_caption(att, tz, st, caption_w - 2 * BOX_PAD, shown),
                       boxed=True)
    more = " The whole document is in the original file." if pages and pages > 1 else ""
    shown = f"Shown above: page 1{of}.{more}"
    return Exhibit(page, exhibit_caption(att, tz, st, caption_w, shown),
                   min_height=min(min_h, page.height))


def _exhibit(att: AttachmentView, render: Renderer, box_w: float, caption_w: float,
             layout: ImageLayout, tz: str, st: Styles) -> Exhibit:
    if att.media_type == PDF_TYPE:
        return _document(att, render.source(att.sha256), box_w, caption_w, tz, st)
    size = oriented_size(att.width, att.height, att.orientation)
    if not is_picture(att) or size is None:
        return Exhibit(None, exhibit_caption(att, tz, st, caption_w - 2 * BOX_PAD), boxed=True)
    caption = exhibit_caption(att, tz, st, caption_w)
    screenshot = att.kind == "screenshot"
    max_h, min_h = (FULL_BOX if layout is ImageLayout.FULL else TWO_BOX)[
        "screenshot" if screenshot else "photo"]
    pic = ExhibitPicture(att.sha256, render, size, box_w, max_h,
                         SCREENSHOT_DPI if screenshot else PHOTO_DPI)
    return Exhibit(pic, caption, min_height=min(min_h, pic.height))


def is_portrait(att: AttachmentView) -> bool:
    """True for a picture clearly taller than wide (as shown, after EXIF rotation)."""
    size = oriented_size(att.width, att.height, att.orientation)
    return size is not None and size[0] < size[1] * 0.9


def _is_phone_screen(att: AttachmentView) -> bool:
    return att.kind == "screenshot" and is_portrait(att)


def row_sizes(count: int) -> list[int]:
    """How `count` portrait screenshots in a row of exhibits are set: three to a row,
    with two rows of two rather than one left alone (4 -> 2+2, 7 -> 3+2+2)."""
    if count < 2:
        return [count] if count else []
    threes, rest = divmod(count, 3)
    if rest == 0:
        return [3] * threes
    if rest == 2:
        return [3] * threes + [2]
    return [3] * (threes - 1) + [2, 2]


def _runs(pictures: list[AttachmentView]) -> list[list[AttachmentView]]:
    """The pictures in order, consecutive portrait screenshots gathered into runs."""
    runs: list[list[AttachmentView]] = []
    for att in pictures:
        if runs and _is_phone_screen(att) and all(_is_phone_screen(a) for a in runs[-1]):
            runs[-1].append(att)
        else:
            runs.append([att])
    return runs


def exhibit_rows(atts: list[AttachmentView], render: Renderer, tz: str, st: Styles,
                 width: float, layout: ImageLayout, page_height: float,
                 heading: Flowable | None = None) -> list[Flowable]:
    """Pictures with their captions, then files that are not pictures.

    Portrait screenshots (phone screens) that follow each other go two or three to a
    row; photos and documents take the full width, a portrait one with its caption
    beside it (or, in the two-to-a-row layout, go in pairs). `heading` travels with
    the first row, so it never ends a page on its own.
    """
    pictures = [a for a in atts if is_picture(a)]
    others = [a for a in atts if not is_picture(a)]
    rows: list[tuple[list[Exhibit], bool, int]] = []  # exhibits, caption beside, columns
    pair: list[AttachmentView] = []

    def side_by_side(group: list[AttachmentView], columns: int) -> None:
        col = column_width(width, columns)
        rows.append(([_exhibit(a, render, col, col, layout, tz, st) for a in group], False,
                     columns))

    def alone(att: AttachmentView) -> None:
        # Portrait pictures, and small ones (never enlarged past their pixels), leave
        # room for their caption beside them.
        size = oriented_size(att.width, att.height, att.orientation) or (0, 0)
        small = size[0] * 72 / MIN_PPI <= width - CAPTION_BESIDE - GAP
        beside = is_portrait(att) or small or layout is ImageLayout.TWO
        box_w = (column_width(width, 2) if layout is ImageLayout.TWO
                 else width - CAPTION_BESIDE - GAP if beside else width)
        rows.append(([_exhibit(att, render, box_w, CAPTION_BESIDE if beside else width,
                               layout, tz, st)], beside, 1))

    def flush_pair() -> None:
        if len(pair) == 2:
            side_by_side(pair, 2)
        elif pair:  # the odd one out: its caption beside it, not half a row of white
            alone(pair[0])
        pair.clear()

    for run in _runs(pictures):
        if len(run) > 1:
            flush_pair()
            # Every row of a run in the same columns, so its screenshots are one size.
            sizes = row_sizes(len(run))
            start = 0
            for size in sizes:
                side_by_side(run[start:start + size], max(sizes))
                start += size
        elif layout is ImageLayout.TWO:
            pair.append(run[0])
            if len(pair) == 2:
                flush_pair()
        else:
            alone(run[0])
    flush_pair()
    for att in others:
        rows.append(([_exhibit(att, render, width, width, layout, tz, st)], False, 1))
    out: list[Flowable] = []
    for n, (exhibits, beside, columns) in enumerate(rows):
        lead = [heading] if heading is not None and n == 0 else None
        out.append(ExhibitRow(exhibits, width, beside=beside, lead=lead,
                              page_height=page_height, space_after=5 * mm, columns=columns))
    return out


def _fields(rows: list[list[Any]], st: Styles, width: float) -> list[Flowable]:
    """Label/value rows as a table; a value of many paragraphs flows below its label
    instead (a table re-measures a row's whole remainder at every page it crosses)."""
    out: list[Flowable] = []
    pending: list[list[Any]] = []

    def flush() -> None:
        if pending:
            table = ReportTable(list(pending), colWidths=[LABEL_W, width - LABEL_W],
                                hAlign="LEFT")
            table.setStyle(fields_table())
            out.append(table)
            pending.clear()

    for label, value in rows:
        if isinstance(value, list) and len(value) > 1:
            flush()
            # Not kept with the text: the text splits, so the label is never left alone.
            out.append(_p(label.text, st.label.clone("label_above", spaceBefore=2)))
            for piece in value:
                piece.style = piece.style.clone(piece.style.name + "_in",
                                                leftIndent=LABEL_W)
                out.append(piece)
        else:
            pending.append([label, value])
    flush()
    return out


class _KeepShort(KeepTogether):
    """Keeps an incident's account on one page when it is shorter than most of a page;
    a longer one flows on, its heading kept with what follows it."""

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aw, ah):
            self.wrap(aw, ah)
        frame = getattr(self, "_frame", None)
        height: float = self._H
        if frame is not None and height > frame._height * 0.7:
            return [CondPageBreak(60 * mm), *self._content]
        return super().split(aw, ah)


@naming_once  # each emoji is named on its first appearance in the incident
def incident_full(data: ReportData, inc: IncidentDetail, st: Styles, page: PageGeometry,
                  render: Renderer, running: RunningState | None = None,
                  ) -> list[Flowable]:
    """The full account of one incident: its record kept together, then its exhibits."""
    tz = data.case.timezone
    width = page.width
    number = data.number_of(inc.id)
    running = running or RunningState()
    record: list[Flowable] = [IncidentMark(running, (number, inc.title), page.top, 8 * mm),
                              Bookmark(incident_key(number), f"{number}. {inc.when_text} \u2013 "
                                       f"{inc.title or '(untitled)'}", level=1, lift=4 * mm)]
    record += [_header(number, inc, st, width), Spacer(1, 3 * mm)]
    record += _fields(_field_rows(inc, st), st, width)
    record += record_lines(inc, tz, st)
    if inc.notes:
        record.append(_p("Notes", st.h2))
        for note in inc.notes:
            label = datetime_text(note.created_at, tz)
            if note.private:  # only in a private copy; marked where it stands
                label = (f'<font color="#000000"><b>[PRIVATE NOTE \u2013 NOT FOR '
                         f'DISCLOSURE]</b></font> {label}')
            first, *more = chunks(note.text)
            if not more:
                record.append(_p(f'<font color="#52606d">{label}</font><br/>{markup(first)}',
                                 st.body))
            else:
                record.append(_p(f'<font color="#52606d">{label}</font>', st.label))
                record += text_block(note.text, st.body)
    out: list[Flowable] = [_KeepShort(record)]
    out += transcript(data, inc.id, st, width)
    if inc.attachments:
        out += exhibit_rows(inc.attachments, render, tz, st, width, data.options.image_layout,
                            page.height, heading=_p("Exhibits", st.h2))
    out.append(IncidentEnd(running))
    return out
