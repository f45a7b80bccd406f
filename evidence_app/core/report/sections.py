"""The front of the report: cover page, summary (see summary.py), chronology table."""

from __future__ import annotations

from datetime import date

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from evidence_app import APP_NAME, __version__
from evidence_app.core.report.course import mostly_other
from evidence_app.core.report.data import ReportData, incident_span
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import (
    datetime_text,
    day_text,
    local,
    marks_text,
    unbroken,
)
from evidence_app.core.report.navigation import exhibit_key, incident_key, link
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import (
    WARNING,
    WARNING_SHADE,
    ReportTable,
    Styles,
    fields_table,
    grid_table,
)
from evidence_app.core.report.summary import officer_summary
from evidence_app.core.report.transcript import weekly_section
from evidence_app.core.views import IncidentDetail
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


def _listed(items: list[str], joiner: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {joiner} " + items[-1]


def _warning(title: str, text: str, st: Styles, width: float) -> ReportTable:
    """A framed notice the eye cannot miss."""
    box = ReportTable([[[_p(f"<b>{title.upper()}</b>", st.warning),
                         _p(text, st.warning)]]], colWidths=[width])
    box.setStyle([("BOX", (0, 0), (-1, -1), 1.2, WARNING), ("BACKGROUND", (0, 0), (-1, -1),
                                                              WARNING_SHADE),
                  ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                  ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    return box


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
        ("Generated", datetime_text(data.generated_at, c.timezone)
         + f" by {APP_NAME} {__version__}"),
        ("Case identifier", c.case_uuid),
    ]
    if data.head:
        count, _, digest = data.head.partition(":")
        rows.append(("Audit log when generated",
                     f"{count} events, the last with hash<br/><font name='{st.mono.fontName}' "
                     f"size='8'>{' '.join(digest[i:i + 8] for i in range(0, 64, 8))}</font>"))
    out: list[Flowable] = [
        Spacer(1, 18 * mm),
        _p(markup(o.title), st.title),
        _p("Chronological record of stalking and harassment incidents", st.subtitle),
    ]
    kept = data.kept_in()
    if kept:
        out += [_warning("Not for disclosure", "This copy includes " + _listed(kept, "and")
                         + ". It is meant for the person keeping this log. Do not give it to "
                         "anyone who may have to show it to the defence.", st, width),
                Spacer(1, 6 * mm)]
    out += [
        _facts(rows, st, width),
        Spacer(1, 10 * mm),
        _p("How this log was kept", st.h2),
        _p(APP_STATEMENT, st.body),
        _p(ORIGINALS_STATEMENT.format(initials=markup(c.initials)), st.body),
        _p(AUDIT_STATEMENT, st.body),
        _p(READING_GUIDE.format(tz=markup(c.timezone)), st.body),
    ]
    left = data.left_out()
    if left:
        out += [_p("Left out of this report", st.h2),
                _p("To protect the person's safety, this report does not contain "
                   + _listed(left, "or")
                   + ". The full log holds them and they can be provided if needed.", st.body)]
    if o.export is not None:
        # Said from the bundle's own bytes: the originals are exact camera files, so a
        # report that leaves a detail off its pages must not suggest the files do too.
        out += [_p("Files given with this report", st.h2),
                _p(" ".join(markup(x) for x in o.export.statements()), st.body)]
    return out


def summary(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Page 2: the key facts, then what an officer acts on (suspect, vehicles, witnesses,
    course of conduct, chart by kind, impact, risk), then counts by category and month
    and the police references."""
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
    out += [_facts(facts, st, width), Spacer(1, 2 * mm)]
    if not data.incidents:
        out.append(_p("No incidents match the options chosen for this report.", st.notice))
        return out
    out += officer_summary(data, st, width)
    out += counts(data, st, width)
    out += weekly_section(data, st, width)
    refs = police_table(data, st, width)
    if refs is not None:
        out += [_p("Police references", st.h2), refs]
    return out


def counts(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Incidents by category and by month. When most incidents have no category, a
    sentence says so instead of a table with one long row of "Other"."""
    months = data.by_month()
    half = (width - 8 * mm) / 2
    count_head = st.head_cell.clone("count_head", alignment=TA_RIGHT)
    cat_rows = [[_p("Category", st.head_cell), _p("Incidents", count_head)]]
    cat_rows += [[_p(markup(label), st.cell), _p(str(n), st.number_cell)]
                 for label, n in data.by_category()]
    cats = ReportTable(cat_rows, colWidths=[half - 22 * mm, 22 * mm], repeatRows=1)
    cats.setStyle(grid_table())
    out: list[Flowable] = []
    if mostly_other(data.incidents):
        named = [(label, n) for label, n in data.by_category() if label != "Other"]
        text = (f"{len(data.incidents) - sum(n for _, n in named)} of the "
                f"{len(data.incidents)} incidents have no behaviour category "
                "(\u201cOther\u201d): they were grouped or imported without one.")
        if named:
            text += " The others: " + ", ".join(f"{markup(label).lower()} ({n})"
                                                for label, n in named) + "."
        out += [_p("Incidents by category", st.h2), _p(text, st.body)]
        if months:
            out += [_p("Incidents by month", st.h2), year_grid(months, len(data.undated), st,
                                                               width)]
        return out
    if not months or len(months) > YEAR_GRID_AFTER:
        # Years of incidents (or one mistyped year) read better as a year-by-month grid
        # than as a column of a hundred months.
        cats.hAlign = "LEFT"
        out += [_p("Incidents by category", st.h2), cats]
        if months:
            out += [_p("Incidents by month", st.h2),
                    year_grid(months, len(data.undated), st, width)]
        return out
    month_rows = [[_p("Month", st.head_cell), _p("Incidents", count_head)]]
    month_rows += [[_p(f"{m:%B %Y}", st.cell), _p(str(n), st.number_cell)]
                   for m, n in months]
    if data.undated:
        month_rows.append([_p("Undated", st.cell),
                           _p(str(len(data.undated)), st.number_cell)])
    mons = ReportTable(month_rows, colWidths=[half - 22 * mm, 22 * mm], repeatRows=1)
    mons.setStyle(grid_table())
    pair = ReportTable([[cats, mons]], colWidths=[half + 8 * mm, half])
    pair.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return out + [_p("Incidents by category and by month", st.h2), pair]


YEAR_GRID_AFTER = 24  # months listed one per row up to two years


def year_grid(months: list[tuple[date, int]], undated: int, st: Styles, width: float,
              ) -> ReportTable:
    """Incidents per month as one row per year: Jan..Dec and the year's total."""
    head = st.head_cell.clone("grid_head", alignment=TA_RIGHT)
    counts = {m: n for m, n in months}
    rows = [[_p("Year", st.head_cell)] + [_p(f"{date(2000, k, 1):%b}", head) for k in range(1, 13)]
            + [_p("Total", head)]]
    for year in range(months[0][0].year, months[-1][0].year + 1):
        row = [counts.get(date(year, k, 1), 0) for k in range(1, 13)]
        rows.append([_p(str(year), st.cell)]
                    + [_p(str(n) if n else "", st.number_cell) for n in row]
                    + [_p(f"<b>{sum(row)}</b>", st.number_cell)])
    if undated:
        rows.append([_p("Undated", st.cell)] + [_p("", st.cell)] * 12
                    + [_p(f"<b>{undated}</b>", st.number_cell)])
    first, total = 16 * mm, 16 * mm
    cell = (width - first - total) / 12
    table = ReportTable(rows, colWidths=[first] + [cell] * 12 + [total], repeatRows=1)
    table.setStyle(grid_table())
    return table


def police_table(data: ReportData, st: Styles, width: float) -> ReportTable | None:
    """Each police reference (and officer) once, with the incidents reported under it."""
    groups: dict[tuple[str, str], list[IncidentDetail]] = {}
    for inc in data.police_references():
        key = (inc.police_reference.strip(), inc.police_officer.strip())
        groups.setdefault(key, []).append(inc)
    if not groups:
        return None
    rows = [[_p(h, st.head_cell) for h in ("Police reference", "Officer", "Incidents",
                                            "First reported")]]
    for (reference, officer), incs in groups.items():
        reported = [i.reported_on for i in incs if i.reported_on]
        rows.append([
            _p(markup(reference) or "<i>none given</i>", st.cell),
            _p(markup(officer), st.cell),
            _p(", ".join(f"No.\u00a0{data.number_of(i.id)}" for i in incs), st.cell),
            _p(unbroken(day_text(min(reported))) if reported else "", st.cell)])
    table = ReportTable(rows, colWidths=[40 * mm, 50 * mm, width - 120 * mm, 30 * mm],
                        repeatRows=1)
    table.setStyle(grid_table())
    return table


def chronology(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """One row per incident: number, when, category, title, location, exhibit marks."""
    # The exhibits column holds three marks ("JS/11, JS/13, JS/15") or a range
    # ("JS/132–JS/143") to a line, so twelve marks take four lines, not twelve.
    widths = [10 * mm, 33 * mm, 26 * mm, None, 23 * mm, 30 * mm]
    fixed = sum(w for w in widths if w)
    col_widths = [w if w else width - fixed for w in widths]
    rows = [[_p(h, st.head_cell) for h in ("No.", "When", "Category", "What happened",
                                            "Location", "Exhibits")]]
    marks_style = st.cell.clone("marks_cell", fontSize=8, leading=10.5, splitLongWords=0)
    for inc in data.incidents:
        marks = marks_text(inc.attachments)
        # The number and title lead to the full account, the marks to its first exhibit.
        to_account = incident_key(data.number_of(inc.id))
        to_exhibits = exhibit_key(inc.attachments[0].exhibit_serial) if inc.attachments else ""
        rows.append([
            _p(link(str(data.number_of(inc.id)), to_account), st.cell),
            _p(markup(unbroken(inc.when_text)),
               st.cell_bold if inc.occurred_at is None else st.cell),
            _p(markup(inc.category_text), st.cell),
            _p(link(markup(inc.title) or "<i>(untitled)</i>", to_account), st.cell),
            _p(markup(inc.location), st.cell),
            _p(link(markup(marks), to_exhibits), marks_style),
        ])
    out: list[Flowable] = [_p("Chronology", st.h1),
                           _p("Every incident in this report, in the order it happened. "
                              "Numbers refer to the full accounts that follow.", st.muted)]
    if len(rows) > 1:
        table = ReportTable(rows, colWidths=col_widths, repeatRows=1)
        table.setStyle(grid_table())
        out.append(table)
    else:
        out.append(_p("There are no incidents in this log yet.", st.notice))
    return out
