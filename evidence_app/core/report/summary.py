"""The summary an officer acts on: who the suspect is, vehicles, witnesses, the course of
conduct in words, incidents per week or month by kind, the impact on the person, the
facts that bear on risk; and the court copy's declaration of truth.

People and vehicles are described here once; the incident pages name them only.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from evidence_app.core.impacts import pounds_text
from evidence_app.core.report.charts import kinds_chart
from evidence_app.core.report.course import (
    KIND_WORDS,
    course_of_conduct,
    mostly_other,
    risk_facts,
)
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.fonts import MONO, markup
from evidence_app.core.report.formatting import day_text
from evidence_app.core.report.options import Profile
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import ReportTable, Styles, fields_table
from evidence_app.core.views import ImpactView, IncidentDetail, PersonView, VehicleView
from evidence_app.core.vocab import ImpactKind, Role

# People of these roles are described in the summary and named only in incidents.
SUMMARY_ROLES = (Role.SUSPECT, Role.WITNESS)

DECLARATION = (
    "I believe that the facts stated in this document are true. The incidents in it were "
    "recorded by me at the times shown, and this record is true to the best of my "
    "knowledge and belief. I understand that proceedings for contempt of court may be "
    "brought against anyone who makes, or causes to be made, a false statement in a "
    "document verified by a statement of truth without an honest belief in its truth."
)
IMPACT_INTRO = (
    "The effects these events have had on {owner}, as {owner} recorded them. The first two "
    "are in the words of section 4A(1)(b) of the Protection from Harassment Act 1997."
)


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def _table(rows: list[tuple[str, str]], st: Styles, width: float, label_w: float,
           ) -> ReportTable:
    data = [[_p(label, st.label), _p(value, st.body)] for label, value in rows]
    table = ReportTable(data, colWidths=[label_w, width - label_w], hAlign="LEFT")
    table.setStyle(fields_table())
    return table


def _numbers(data: ReportData, incs: list[IncidentDetail]) -> str:
    nos = [str(data.number_of(i.id)) for i in incs]
    return ("No.\u00a0" if len(nos) == 1 else "Nos.\u00a0") + ", ".join(nos)


def _share(data: ReportData, incs: list[IncidentDetail], verb: str) -> str:
    if len(incs) == len(data.incidents) > 1:
        return f"{verb} all {len(incs)} incidents."
    return f"{verb} {len(incs)} of the {len(data.incidents)} incidents ({_numbers(data, incs)})."


def _people(data: ReportData) -> dict[int, tuple[PersonView, list[IncidentDetail]]]:
    out: dict[int, tuple[PersonView, list[IncidentDetail]]] = {}
    for inc in data.incidents:
        for person in inc.people:
            out.setdefault(person.id, (person, []))[1].append(inc)
    return out


def _vehicles(data: ReportData) -> dict[int, tuple[VehicleView, list[IncidentDetail]]]:
    out: dict[int, tuple[VehicleView, list[IncidentDetail]]] = {}
    for inc in data.incidents:
        for vehicle in inc.vehicles:
            out.setdefault(vehicle.id, (vehicle, []))[1].append(inc)
    return out


def people_section(data: ReportData, st: Styles, width: float, role: Role) -> list[Flowable]:
    """Each suspect (or witness) once: relationship, description, contact, incidents."""
    found = [(p, incs) for p, incs in _people(data).values() if p.role == role]
    if not found:
        return []
    rows = []
    for person, incs in sorted(found, key=lambda pi: -len(pi[1])):
        parts = []
        if person.relation:
            parts.append(f"<b>{markup(person.relation)}</b>")
        if person.description:
            parts.append(markup(person.description))
        # A suspect's number helps the police; a witness's is given only in a copy that
        # keeps contact details, as the report may reach the suspect.
        if person.contact and (role is Role.SUSPECT or data.options.include_address):
            parts.append("Contact: " + markup(person.contact))
        parts.append(_share(data, incs, "In"))
        rows.append((f'<font color="#1f2933">{markup(person.name)}</font>',
                     "<br/>".join(parts)))
    title = {Role.SUSPECT: "The suspect" if len(found) == 1 else "The suspects",
             Role.WITNESS: "Witnesses"}[role]
    return [_p(title, st.h2), _table(rows, st, width, 45 * mm)]


def vehicles_section(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Each vehicle once: make, model, colour, plate, description, incidents."""
    found = list(_vehicles(data).values())
    if not found:
        return []
    rows = []
    for vehicle, incs in sorted(found, key=lambda vi: -len(vi[1])):
        what = " ".join(p for p in (vehicle.colour, vehicle.make, vehicle.model) if p)
        parts = [f"<b>{markup(what)}</b>"] if what else []
        if vehicle.description:
            parts.append(markup(vehicle.description))
        parts.append(_share(data, incs, "Seen in"))
        plate = vehicle.plate or "no plate noted"
        rows.append((f'<font face="{MONO}" size="10" color="#1f2933">'
                     f"{markup(plate)}</font>", "<br/>".join(parts)))
    return [_p("Vehicles", st.h2), _table(rows, st, width, 45 * mm)]


def _impact_line(data: ReportData, impact: ImpactView) -> str:
    parts = []
    if impact.since:
        parts.append(f"<b>{day_text(impact.since)}</b>")
    if impact.amount_pence is not None:
        parts.append(f"<b>{pounds_text(impact.amount_pence)}</b>")
    where = ""
    if impact.incident_id is not None and impact.incident_id in data.incident_ids:
        where = f" (No.\u00a0{data.number_of(impact.incident_id)})"
    head = ", ".join(parts) + where
    text = markup(impact.details) if impact.details else ""
    if head and text:
        return f"{head}: {text}"
    return head or text or "Recorded, without details"


def impact_section(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """'Impact on me': every effect ticked, by kind in the Act's words, with dates and
    amounts; the total spent; incidents that describe their effect in words."""
    out: list[Flowable] = [_p("Impact on me", st.h2)]
    owner = markup(data.case.owner_name) or "the person keeping this log"
    by_kind: dict[str, list[ImpactView]] = {}
    for impact in data.impacts:
        by_kind.setdefault(impact.kind, []).append(impact)
    rows = []
    for kind in ImpactKind:
        items = by_kind.get(kind.value, [])
        if not items:
            continue
        label = kind.statement
        if kind is ImpactKind.FEAR and len(items) >= 2:
            label += f" (on {len(items)} occasions)"
        lines = [_impact_line(data, i) for i in items]
        if kind is ImpactKind.COSTS and len(items) > 1:
            total = sum(i.amount_pence or 0 for i in items)
            lines.append(f"<b>Total: {pounds_text(total)}</b>")
        rows.append((label, "<br/>".join(lines)))
    worded = [i for i in data.incidents if i.impact.strip()]
    if rows:
        out += [_p(IMPACT_INTRO.format(owner=owner), st.muted),
                _table(rows, st, width, 62 * mm)]
    else:
        out.append(_p("No effects have been ticked yet (fear of violence, alarm or distress, "
                      "changes to daily life, money spent).", st.notice))
    if worded:
        out.append(_p(f"{len(worded)} incident{'s' if len(worded) > 1 else ''} also "
                      f"describe{'' if len(worded) > 1 else 's'} the effect in "
                      f"{owner}\u2019s own words ({_numbers(data, worded)}).", st.muted))
    return out


def risk_section(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Facts that bear on risk: violence, threats, tracking, damage, following, turning
    up; fear of violence; reports to the police."""
    tz = data.case.timezone
    rows = [(kind, text) for kind, text in risk_facts(data.incidents, data.numbers(), tz)]
    fear = [i for i in data.impacts if i.kind == ImpactKind.FEAR]
    if fear:
        days = [day_text(d) for d in sorted(i.since for i in fear if i.since)]
        rows.append(("Fear of violence", f"Recorded on {len(fear)} occasion"
                     f"{'s' if len(fear) > 1 else ''}" + (f" ({', '.join(days)})" if days
                                                          else "")))
    reported = data.police_references()
    if reported:
        rows.append(("Reported to police", f"{len(reported)} incident"
                     f"{'s' if len(reported) > 1 else ''} ({_numbers(data, reported)})"))
    if not rows:
        return []
    return [_p("Facts that bear on risk", st.h2), _table(rows, st, width, 45 * mm)]


def course_section(data: ReportData, st: Styles) -> list[Flowable]:
    """The course of conduct in a few sentences."""
    paragraphs = course_of_conduct(data.incidents, data.numbers(), data.case.timezone)
    return [_p("Course of conduct", st.h2), *(_p(markup(p), st.body) for p in paragraphs)]


CHART_KINDS = 4  # the commonest kinds shown apart; the rest together as "Other"


def chart_periods(data: ReportData) -> tuple[str, list[tuple[str, list[int]]], list[str]]:
    """(unit, [(label, counts per kind)], kind names): weeks for up to six months of
    incidents, months up to ten years, years beyond (a mistyped year spans centuries)."""
    zone = ZoneInfo(data.case.timezone)
    days = [(i.occurred_at.astimezone(zone).date(), i.category) for i in data.dated
            if i.occurred_at is not None]
    if not days:
        return "month", [], []
    counts = Counter(c for _, c in days if c in KIND_WORDS)
    named = [] if mostly_other(data.incidents) else [c for c, _ in
                                                      counts.most_common(CHART_KINDS)]
    kinds = [KIND_WORDS[c] for c in named]
    if len(named) < len(set(c for _, c in days)):
        kinds.append("Other" if named else "Incidents")
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days
    unit = "week" if span <= 182 else "month" if span <= 10 * 366 else "year"

    def bucket(d: date) -> date:
        if unit == "week":
            return d - timedelta(days=d.weekday())
        return d.replace(day=1) if unit == "month" else d.replace(month=1, day=1)

    def following(b: date) -> date:
        if unit == "week":
            return b + timedelta(days=7)
        return (b + timedelta(days=32)).replace(day=1) if unit == "month" \
            else b.replace(year=b.year + 1)

    buckets: list[date] = []
    b = bucket(first)
    while b <= last:
        buckets.append(b)
        b = following(b)
    index = {b: n for n, b in enumerate(buckets)}
    grid = [[0] * len(kinds) for _ in buckets]
    for d, c in days:
        k = named.index(c) if c in named else len(kinds) - 1
        grid[index[bucket(d)]][k] += 1

    def label(b: date, n: int) -> str:
        if unit == "week":
            return f"{b.day} {b:%b}"
        if unit == "year":
            return f"{b:%Y}"
        return f"{b:%b}\n{b:%Y}" if n == 0 or b.month == 1 else f"{b:%b}"

    periods = [(label(b, n), grid[n]) for n, b in enumerate(buckets)]
    return unit, periods, kinds


def kinds_chart_section(data: ReportData, width: float) -> list[Flowable]:
    """Incidents per week or month, stacked by kind of behaviour."""
    unit, periods, kinds = chart_periods(data)
    if not periods:
        return []
    title = (f"Incidents per {unit}" + (" (weeks starting Monday)" if unit == "week" else "")
             + (", by kind of behaviour" if len(kinds) > 1 else ""))
    height = 150 + 12 * (1 + (len(kinds) - 1) // 3) if len(kinds) > 1 else 140
    return [kinds_chart(periods, kinds, title, width, height), Spacer(1, 4 * mm)]


def officer_summary(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """Who, what vehicles, witnesses, the course of conduct, the chart, the impact; the
    advocate's copy puts the impact and the risk facts first."""
    people = (people_section(data, st, width, Role.SUSPECT) + vehicles_section(data, st, width)
              + people_section(data, st, width, Role.WITNESS))
    course = course_section(data, st) + kinds_chart_section(data, width)
    impact = impact_section(data, st, width)
    risk = risk_section(data, st, width)
    if data.options.profile is Profile.ADVOCATE:
        return impact + risk + course + people
    return people + course + impact + risk


def declaration(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """The court copy's statement of truth, with a block to sign and date by hand."""
    owner = markup(data.case.owner_name)
    line = "_" * 46
    rows = [("Signed", line), ("Full name", owner), ("Date", line)]
    table = _table(rows, st, width, 30 * mm)
    table.setStyle([("TOPPADDING", (0, 0), (-1, -1), 9)])
    return [_p("Declaration of truth", st.h1),
            _p(f"I, {owner}, make this declaration about the record above and the exhibits "
               "listed in it.", st.body),
            _p(DECLARATION, st.body), Spacer(1, 6 * mm), table]

