"""The back of the report: the exhibit list, with each exhibit's full SHA-256."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from evidence_app.core.names import shown_name
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.figures import sha256_paragraph
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import (
    capture_source,
    capture_when,
    datetime_text,
    media_text,
    size_text,
    unbroken,
)
from evidence_app.core.report.navigation import anchor, exhibit_key, incident_key, link, listed_key
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import SHADE, ReportTable, Styles, grid_table


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def _hash_row(rows: list[list[Any]], style: Any, sha256: str, hash_width: float,
              st: Styles) -> None:
    """The row under an exhibit's details: its whole SHA-256, kept on the same page and
    shaded with it (every other exhibit)."""
    rows.append(["", sha256_paragraph(sha256, hash_width, st.mono), "", "", ""])
    r = len(rows) - 1
    style.add("SPAN", (1, r), (-1, r))
    style.add("NOSPLIT", (0, r - 1), (-1, r))
    style.add("LINEBELOW", (0, r - 1), (-1, r - 1), 0, SHADE)
    style.add("TOPPADDING", (0, r), (-1, r), 0)
    if (r // 2) % 2 == 0:
        style.add("BACKGROUND", (0, r - 1), (-1, r), SHADE)


def exhibit_list(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Each exhibit on two rows kept on one page: its details, then its full SHA-256."""
    tz = data.case.timezone
    widths = [16 * mm, 18 * mm, None, 43 * mm, 25 * mm]
    fixed = sum(w for w in widths if w)
    cols = [w if w else width - fixed for w in widths]
    rows: list[list[Any]] = [[_p(h, st.head_cell) for h in (
        "Mark", "Incident", "File", "Captured", "Imported")]]
    style = grid_table(zebra=False)
    exports = {a.id for a in data.export_files}
    for att in data.listed_exhibits:
        source = capture_source(att)
        in_report = att.incident_id is not None and att.incident_id in data.incident_ids
        number = data.number_of(att.incident_id) if in_report and att.incident_id else None
        if att.id in exports and att not in data.exhibits:
            # A message export file: cited by the transcripts, not drawn in the report.
            rows.append([
                _p(anchor(listed_key(att.exhibit_serial)) + f"<b>{markup(att.exhibit_mark)}</b>",
                   st.cell),
                _p("Messages export", st.cell_muted),
                [_p(markup(att.original_name), st.cell),
                 _p(markup(f"{media_text(att)}, {size_text(att.size)}; " + (
                     "a part of the download the pictures in the transcripts came from"
                     if att.id in data.picture_exports else
                     "the file the transcripts were read from")), st.cell_muted)],
                _p("", st.cell),
                _p(unbroken(datetime_text(att.imported_at, tz)), st.cell)])
            _hash_row(rows, style, att.sha256, width - cols[0] - 10, st)
            continue
        # The mark leads to where the exhibit is drawn, the number to its incident.
        rows.append([
            _p(anchor(listed_key(att.exhibit_serial))
               + link(f"<b>{markup(att.exhibit_mark)}</b>", exhibit_key(att.exhibit_serial)),
               st.cell),
            _p(link(f"No.\u00a0{number}", incident_key(number)) if number else "", st.cell),
            [_p(markup(shown_name(att.original_name)), st.cell)]
            + ([_p(f"<i>{markup(att.caption)}</i>", st.cell)] if att.caption else [])
            + [_p(markup(f"{media_text(att)}, {size_text(att.size)}"), st.cell_muted)],
            [_p(markup(unbroken(capture_when(att, tz))), st.cell)]
            + ([_p(markup(source), st.cell_muted)] if source else []),
            _p(unbroken(datetime_text(att.imported_at, tz)), st.cell)])
        _hash_row(rows, style, att.sha256, width - cols[0] - 10, st)
    out: list[Flowable] = [
        _p("Exhibit list", st.h1),
        _p("Every exhibit in this report, by mark. The SHA-256 fingerprint identifies the "
           "exact original file: a copy whose SHA-256 matches is identical to it, byte for "
           "byte. Here each is printed whole; in a narrow caption beside its picture it "
           "may be printed in four groups of 16 characters, to be read together without "
           "the spaces. Capture times say where they came from." + _gaps_note(data),
           st.muted)]
    if not data.listed_exhibits:
        out.append(_p("This report has no exhibits.", st.notice))
        return out
    table = ReportTable(rows, colWidths=cols, repeatRows=1)
    table.setStyle(style)
    out.append(table)
    return out


def _gaps_note(data: ReportData) -> str:
    """Why some marks are missing: marks are never reused, so gaps are expected."""
    serials = sorted(a.exhibit_serial for a in data.listed_exhibits)
    if not serials or serials[-1] - serials[0] + 1 == len(serials) and serials[0] == 1:
        return ""
    return (" Marks missing from the sequence belong to files that are not in this report "
            "(outside its selection, or removed from the log); a mark is never reused.")
