"""Each incident in full: its fields, notes, people, vehicles, amendments and exhibits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from evidence_app.core.report.data import ReportData
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import (
    FIELD_LABELS,
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
    PHOTO_DPI,
    SCREENSHOT_DPI,
    ExhibitPicture,
    oriented_size,
)
from evidence_app.core.report.options import ImageLayout
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import ACCENT, RULE, SHADE, ReportTable, Styles, fields_table
from evidence_app.core.views import AttachmentView, IncidentDetail
from evidence_app.core.vocab import Role

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


def _field_rows(inc: IncidentDetail, st: Styles) -> list[list[Paragraph]]:
    rows = [[_p(label, st.label), _p(markup(getattr(inc, attr)), st.body)]
            for label, attr in FIELDS if getattr(inc, attr).strip()]
    if inc.reported_on:
        rows.append([_p("Reported to police", st.label), _p(day_text(inc.reported_on), st.body)])
    if inc.people:
        text = "<br/>".join(
            f"{markup(p.name)} ({_role(p.role)})"
            + (f": {markup(p.description)}" if p.description else "")
            for p in inc.people)
        rows.append([_p("People", st.label), _p(text, st.body)])
    if inc.vehicles:
        text = "<br/>".join(markup(v.label) + (f": {markup(v.description)}" if v.description else "")
                            for v in inc.vehicles)
        rows.append([_p("Vehicles", st.label), _p(text, st.body)])
    if inc.tags:
        rows.append([_p("Tags", st.label), _p(markup(", ".join(inc.tags)), st.body)])
    return rows


def _record_line(inc: IncidentDetail, tz: str) -> str:
    parts = [f"Recorded on {datetime_text(inc.recorded_at, tz)}."]
    for amendment in inc.amendments:
        fields = ", ".join(FIELD_LABELS.get(f, f.replace("_", " ")) for f in amendment.fields)
        parts.append(f"Amended on {datetime_text(amendment.at, tz)} ({markup(fields)}).")
    return " ".join(parts)


def exhibit_caption(att: AttachmentView, tz: str, st: Styles) -> list[Flowable]:
    """Mark, file, caption, capture time and source, camera, GPS (if kept), SHA-256."""
    lines: list[Flowable] = [
        _p(f"<b>Exhibit {markup(att.exhibit_mark)}</b> \u2013 {markup(att.original_name)}",
           st.caption)]
    if att.caption:
        lines.append(_p(markup(att.caption), st.caption))
    details = [f"{media_text(att)}, {size_text(att.size)}"]
    if att.width and att.height:
        details.append(f"{att.width}\u00d7{att.height} pixels")
    lines.append(_p(markup(", ".join(details)), st.muted))
    lines.append(_p(f"Captured: {markup(capture_text(att, tz))}", st.muted))
    if att.camera:
        lines.append(_p(f"Camera: {markup(att.camera)}", st.muted))
    gps = gps_text(att)
    if gps:
        lines.append(_p(f"Photo location (GPS): {gps}", st.muted))
    if not att.preview and att.media_type.startswith("image/") and att.preview_error:
        lines.append(_p(f"No picture: {markup(att.preview_error)}", st.muted))
    elif att.kind in ("video", "audio") and att.preview_error:  # "a video, 0:42 long"
        lines.append(_p(markup(att.preview_error[0].upper() + att.preview_error[1:]) + ".", st.muted))
    lines.append(_p(f"SHA-256: {att.sha256}", st.mono))
    return lines


def _picture(att: AttachmentView, source: Path, width: float, layout: ImageLayout,
             ) -> ExhibitPicture | None:
    if not is_picture(att):
        return None
    size = oriented_size(att.width, att.height, att.orientation)
    if size is None:
        return None
    screenshot = att.kind == "screenshot"
    if layout is ImageLayout.FULL:
        max_h = (185 if screenshot else 115) * mm
    else:
        max_h = (120 if screenshot else 80) * mm
    return ExhibitPicture(source, size, width, max_h, SCREENSHOT_DPI if screenshot else PHOTO_DPI)


def exhibit_blocks(atts: list[AttachmentView], source_of: Callable[[str], Path], tz: str,
                   st: Styles, width: float, layout: ImageLayout,
                   heading: Flowable | None = None) -> list[Flowable]:
    """Pictures with their captions (one per row or two per row), then other files.

    `heading` is kept on the same page as the first exhibit.
    """
    out: list[Flowable] = []
    pictures = [a for a in atts if is_picture(a)]
    others = [a for a in atts if not is_picture(a)]
    if layout is ImageLayout.TWO and len(pictures) > 1:
        col = (width - 6 * mm) / 2
        cells = []
        for att in pictures:
            pic = _picture(att, source_of(att.sha256), col, layout)
            cells.append(([pic, Spacer(1, 2 * mm)] if pic else []) + exhibit_caption(att, tz, st))
        for i in range(0, len(cells), 2):
            pair = cells[i:i + 2] + ([[]] if len(cells[i:i + 2]) == 1 else [])
            table = ReportTable([pair], colWidths=[col + 6 * mm, col])
            table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (0, -1), 6 * mm),
                            ("RIGHTPADDING", (1, 0), (1, -1), 0),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm)])
            out.append(table)
    else:
        for att in pictures:
            pic = _picture(att, source_of(att.sha256), width, layout)
            block: list[Flowable] = [pic, Spacer(1, 2 * mm)] if pic else []
            out.append(KeepTogether(block + exhibit_caption(att, tz, st) + [Spacer(1, 4 * mm)]))
    for att in others:
        box = ReportTable([[exhibit_caption(att, tz, st)]], colWidths=[width])
        box.setStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE),
                      ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
        out += [KeepTogether([_p(f"This exhibit is a {kind_text(att)} that cannot be shown as a "
                                 "picture; its details are listed here.", st.muted), box]),
                Spacer(1, 4 * mm)]
    if heading is not None and out:
        first = out[0]
        content = first._content if isinstance(first, KeepTogether) else [first]
        out[0] = KeepTogether([heading, *content])
    return out


def incident_full(data: ReportData, inc: IncidentDetail, st: Styles, width: float,
                  source_of: Callable[[str], Path]) -> list[Flowable]:
    """The full account of one incident."""
    tz = data.case.timezone
    out: list[Flowable] = [CondPageBreak(70 * mm), _header(data.number_of(inc.id), inc, st, width),
                           Spacer(1, 3 * mm)]
    rows = _field_rows(inc, st)
    if rows:
        table = ReportTable(rows, colWidths=[40 * mm, width - 40 * mm], hAlign="LEFT", splitInRow=1)
        table.setStyle(fields_table())
        out.append(table)
    out.append(_p(_record_line(inc, tz), st.muted))
    if inc.notes:
        out.append(_p("Notes", st.h2))
        for note in inc.notes:
            label = datetime_text(note.created_at, tz) + (" \u2013 private" if note.private else "")
            out.append(_p(f'<font color="#52606d">{label}</font><br/>{markup(note.text)}',
                          st.body))
    if inc.attachments:
        out += exhibit_blocks(inc.attachments, source_of, tz, st, width,
                              data.options.image_layout, heading=_p("Exhibits", st.h2))
    out.append(Spacer(1, 6 * mm))
    return out
