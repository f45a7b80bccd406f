"""The front of the report: cover page, summary with the monthly chart, chronology table."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from evidence_app.core.report.charts import monthly_chart
from evidence_app.core.report.data import ReportData, incident_span
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import datetime_text, day_text, local
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import ReportTable, Styles, fields_table, grid_table
from evidence_app.core.vocab import category_label

APP_STATEMENT = (
    "Each incident was written down in Evidence Organiser, an offline application, with "
    "when it happened (and how exactly that is known) and when it was recorded. Later "
    "changes are shown as amendments with their dates; nothing is overwritten silently."
)
ORIGINALS_STATEMENT = (
    "Photos, screenshots and other files were stored exactly as received and have never "
    "been altered. Each exhibit carries a mark ({initials}/1, {initials}/2, ...) that is "
    "never changed or reused, and the SHA-256 fingerprint of its original file: anyone can "
    "confirm that a file is the exhibit by computing its SHA-256 (for example with "
    "<i>sha256sum</i>). Pictures in this report are reduced copies of the originals."
)
AUDIT_STATEMENT = (
    "Every change to the log is recorded in an append-only audit trail whose entries are "
    "chained by SHA-256, so that altering or removing an entry would be detectable."
)
READING_GUIDE = (
    "Times are local time ({tz}). \u201cc.\u201d marks an approximate time; \u201cbetween\u201d "
    "gives the period within which something happened; a date without a time means the "
    "time is not known. Undated incidents are listed after the dated ones."
)


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def _facts(rows: list[tuple[str, str]], st: Styles, width: float, label_w: float = 42 * mm,
           ) -> ReportTable:
    data = [[_p(label, st.label), _p(value, st.body)] for label, value in rows if value]
    table = ReportTable(data, colWidths=[label_w, width - label_w], hAlign="LEFT")
    table.setStyle(fields_table())
    return table


def period_text(data: ReportData) -> str:
    """The first and last dates the included incidents cover."""
    tz = data.case.timezone
    spans = [s for s in (incident_span(i, tz) for i in data.dated) if s is not None]
    if not spans:
        return "No dated incidents"
    first = local(min(s[0] for s in spans), tz).date()
    last = local(max(s[1] for s in spans), tz).date()
    return day_text(first) if first == last else f"{day_text(first)} to {day_text(last)}"


def selection_text(data: ReportData) -> str:
    """What the person asked this report to include, when it is not the whole log."""
    o = data.options
    parts = []
    if o.date_from or o.date_to:
        start = day_text(o.date_from) if o.date_from else "the start of the log"
        end = day_text(o.date_to) if o.date_to else "the latest incident"
        parts.append(f"incidents from {start} to {end}")
    if o.categories:
        parts.append("categories: " + ", ".join(category_label(c) for c in o.categories))
    if o.tags:
        parts.append("tags: " + ", ".join(o.tags))
    if o.incident_ids:
        parts.append(f"{len(o.incident_ids)} chosen incident(s)")
    if not o.include_undated:
        parts.append("undated incidents left out")
    return "; ".join(parts)


def cover(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Page 1: what this is, whose it is, what it covers, how it was kept."""
    c, o = data.case, data.options
    n_undated = len(data.undated)
    count = f"{len(data.incidents)}" + (f" ({n_undated} undated)" if n_undated else "")
    rows = [
        ("Case", markup(c.case_name)),
        ("Prepared by", markup(c.owner_name)),
        ("Address", markup(c.address)),
        ("Contact", markup(c.contact)),
        ("Period covered", period_text(data)),
        ("Selection", markup(selection_text(data)) if o.filtered else "The whole log"),
        ("Incidents", count),
        ("Exhibits", str(len(data.exhibits))),
        ("Prepared for", o.profile.label),
        ("Generated", datetime_text(data.generated_at, c.timezone)),
        ("Case identifier", c.case_uuid),
    ]
    out: list[Flowable] = [
        Spacer(1, 18 * mm),
        _p(markup(o.title), st.title),
        _p("Chronological record of stalking and harassment incidents", st.subtitle),
        _facts(rows, st, width),
        Spacer(1, 10 * mm),
        _p("How this log was kept", st.h2),
        _p(APP_STATEMENT, st.body),
        _p(ORIGINALS_STATEMENT.format(initials=markup(c.initials)), st.body),
        _p(AUDIT_STATEMENT, st.body),
        _p(READING_GUIDE.format(tz=markup(c.timezone)), st.body),
    ]
    left = o.left_out()
    if left:
        out += [_p("Left out of this report", st.h2),
                _p("To protect the person's safety, this report does not contain "
                   + ", ".join(left[:-1]) + (" or " if len(left) > 1 else "") + left[-1]
                   + ". The full log holds them and they can be provided if needed.", st.body)]
    if o.include_private:
        out += [_p("This copy includes private notes and may include the person's address "
                   "and the places photos were taken. It is not meant for disclosure.",
                   st.notice)]
    return out


def summary(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Counts by category and month, the chart, first and latest incident, police refs."""
    out: list[Flowable] = [_p("Summary", st.h1)]
    dated = data.dated
    facts = [("Incidents", str(len(data.incidents))),
             ("Period covered", period_text(data))]
    if dated:
        first, last = dated[0], dated[-1]
        facts.append(("First incident",
                      f"{markup(first.when_text)}: {markup(first.title) or '(untitled)'}"))
        facts.append(("Latest incident",
                      f"{markup(last.when_text)}: {markup(last.title) or '(untitled)'}"))
    facts.append(("Exhibits", str(len(data.exhibits))))
    out += [_facts(facts, st, width), Spacer(1, 5 * mm)]

    months = data.by_month()
    if months:
        out += [monthly_chart(months, width, 160 if len(months) <= 24 else 180),
                Spacer(1, 5 * mm)]

    half = (width - 8 * mm) / 2
    cat_rows = [[_p("Category", st.head_cell), _p("Incidents", st.head_cell)]]
    cat_rows += [[_p(markup(label), st.cell), _p(str(n), st.cell)]
                 for label, n in data.by_category()]
    cats = ReportTable(cat_rows, colWidths=[half - 22 * mm, 22 * mm], repeatRows=1)
    cats.setStyle(grid_table())
    month_rows = [[_p("Month", st.head_cell), _p("Incidents", st.head_cell)]]
    month_rows += [[_p(f"{m:%B %Y}", st.cell), _p(str(n), st.cell)] for m, n in months]
    if data.undated:
        month_rows.append([_p("Undated", st.cell), _p(str(len(data.undated)), st.cell)])
    mons = ReportTable(month_rows, colWidths=[half - 22 * mm, 22 * mm], repeatRows=1)
    mons.setStyle(grid_table())
    pair = ReportTable([[cats, mons]], colWidths=[half + 8 * mm, half])
    pair.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    out += [_p("Incidents by category and by month", st.h2), pair]

    refs = data.police_references()
    if refs:
        rows = [[_p(h, st.head_cell) for h in ("No.", "When", "Police reference", "Officer",
                                                "Reported on")]]
        for inc in refs:
            rows.append([
                _p(str(data.number_of(inc.id)), st.cell), _p(markup(inc.when_text), st.cell),
                _p(markup(inc.police_reference), st.cell), _p(markup(inc.police_officer), st.cell),
                _p(day_text(inc.reported_on) if inc.reported_on else "", st.cell)])
        table = ReportTable(rows, colWidths=[12 * mm, 44 * mm, 40 * mm, width - 126 * mm, 30 * mm],
                      repeatRows=1)
        table.setStyle(grid_table())
        out += [_p("Police references", st.h2), table]
    if not data.incidents:
        out.append(_p("No incidents match the options chosen for this report.", st.notice))
    return out


def chronology(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """One row per incident: number, when, category, title, location, exhibit marks."""
    widths = [10 * mm, 36 * mm, 30 * mm, None, 30 * mm, 18 * mm]
    fixed = sum(w for w in widths if w)
    col_widths = [w if w else width - fixed for w in widths]
    rows = [[_p(h, st.head_cell) for h in ("No.", "When", "Category", "What happened",
                                            "Location", "Exhibits")]]
    for inc in data.incidents:
        marks = ", ".join(a.exhibit_mark for a in inc.attachments)
        rows.append([
            _p(str(data.number_of(inc.id)), st.cell),
            _p(markup(inc.when_text), st.cell_bold if inc.occurred_at is None else st.cell),
            _p(markup(inc.category_text), st.cell),
            _p(markup(inc.title) or "<i>(untitled)</i>", st.cell),
            _p(markup(inc.location), st.cell),
            _p(markup(marks), st.cell),
        ])
    out: list[Flowable] = [_p("Chronology", st.h1),
                           _p("Every incident in this report, in the order it happened. "
                              "Numbers refer to the full accounts that follow.", st.muted)]
    if len(rows) > 1:
        table = ReportTable(rows, colWidths=col_widths, repeatRows=1)
        table.setStyle(grid_table())
        out.append(table)
    return out
