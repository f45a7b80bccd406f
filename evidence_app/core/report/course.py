"""The course of conduct in words: how many, over what period, how often, how the
frequency and the kinds of behaviour changed, and what escalated.

Plain text built from the incidents a report includes (no layout here), so tests can
read the sentences as an officer would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from evidence_app.core.report.formatting import day_text
from evidence_app.core.views import IncidentDetail
from evidence_app.core.vocab import Category

# How each kind of behaviour reads at the start of a sentence ("Threats began in ...").
KIND_WORDS: dict[str, str] = {
    Category.FOLLOWING: "Following", Category.LOITERING: "Turning up or waiting nearby",
    Category.CALL: "Calls", Category.TEXT: "Texts and messages", Category.EMAIL: "Emails",
    Category.SOCIAL: "Contact on social media", Category.GIFTS: "Gifts or letters",
    Category.THIRD_PARTY: "Contact through other people",
    Category.MONITORING: "Monitoring or tracking", Category.DAMAGE: "Damage to property",
    Category.THREATS: "Threats", Category.VIOLENCE: "Violence",
}
# Behaviour a risk assessment (DASH, S-DASH) asks about first, most serious first.
RISK_KINDS = (Category.VIOLENCE, Category.THREATS, Category.MONITORING, Category.DAMAGE,
              Category.FOLLOWING, Category.LOITERING)
SERIOUS = RISK_KINDS[:4]  # a new one of these later on is escalation
MOSTLY_OTHER = 0.6  # above this share of "Other", counts by kind say nothing useful


@dataclass(frozen=True)
class Dated:
    """An incident with its local date and report number."""

    number: int
    day: date
    category: str
    title: str


def dated_incidents(incidents: Sequence[IncidentDetail], numbers: dict[int, int], tz: str,
                    ) -> list[Dated]:
    """The dated incidents as local dates, in report order."""
    zone = ZoneInfo(tz)
    return [Dated(numbers[i.id], i.occurred_at.astimezone(zone).date(), i.category, i.title)
            for i in incidents if i.occurred_at is not None]


def mostly_other(incidents: Sequence[IncidentDetail]) -> bool:
    """True when most incidents have no behaviour category (made by grouping, or from a
    diary without a type column)."""
    if not incidents:
        return False
    other = sum(1 for i in incidents if i.category in ("", Category.OTHER))
    return other / len(incidents) >= MOSTLY_OTHER


def month_text(d: date) -> str:
    return f"{d:%B %Y}"


def _count(n: int, one: str, many: str) -> str:
    return f"{'one' if n == 1 else n} {one if n == 1 else many}"


def _rate(n: int, days: int) -> str:
    per_week = n * 7 / max(days, 1)
    if per_week >= 1:
        return f"about {per_week:.1f} a week".replace(".0 ", " ")
    per_month = n * 30.44 / max(days, 1)
    if per_month >= 1:
        return f"about {per_month:.1f} a month".replace(".0 ", " ")
    return f"about one every {round(days / max(n, 1))} days"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def frequency_sentences(items: list[Dated]) -> list[str]:
    """Period, average rate and how the rate changed between the two halves."""
    first, last = items[0].day, items[-1].day
    days = (last - first).days + 1
    out = []
    if days < 14:
        out.append(f"All {len(items)} dated incidents happened within {days} days.")
        return out
    out.append(f"The {len(items)} dated incidents span {days} days: "
               f"{_rate(len(items), days)}.")
    middle = first + timedelta(days=days // 2)
    early = sum(1 for i in items if i.day < middle)
    late = len(items) - early
    half = f"in the first half of the period (to {day_text(middle - timedelta(days=1))})"
    if late >= early * 1.5 and late - early >= 2:
        out.append(f"They became more frequent: {early} {half}, {late} in the second half.")
    elif early >= late * 1.5 and early - late >= 2:
        out.append(f"They became less frequent: {early} {half}, {late} in the second half.")
    else:
        out.append(f"The frequency stayed about the same: {early} {half}, {late} in the "
                   "second half.")
    if days >= 56:
        recent = sum(1 for i in items if (last - i.day).days < 28)
        out.append(f"In the latest four weeks (to {day_text(last)}) there "
                   f"{'was one' if recent == 1 else f'were {recent}'}.")
    return out


def kind_sentences(incidents: Sequence[IncidentDetail], items: list[Dated]) -> list[str]:
    """The commonest kinds, and the kinds that began later (what escalated)."""
    if mostly_other(incidents):
        other = sum(1 for i in incidents if i.category in ("", Category.OTHER))
        return [f"{other} of the {len(incidents)} incidents have no behaviour category "
                "(\u201cOther\u201d), so the kinds of behaviour cannot be compared over time; "
                "the chronology describes each one."]
    counts = Counter(i.category for i in incidents if i.category in KIND_WORDS)
    out = []
    if counts:
        top = [f"{KIND_WORDS[c].lower()} ({n})" for c, n in counts.most_common(3)]
        out.append("The commonest kinds of behaviour are " + _listed(top) + "."
                   if len(top) > 1 else f"The behaviour recorded is {top[0]}.")
    if not items:
        return out
    firsts: dict[str, Dated] = {}
    for item in items:
        if item.category in KIND_WORDS:
            firsts.setdefault(item.category, item)
    start = items[0].day
    early = [d for d in firsts.values() if (d.day - start).days < 14]
    later = sorted((d for d in firsts.values() if (d.day - start).days >= 14),
                   key=lambda d: d.day)
    if early and later:
        out.append(f"It began with {_listed([KIND_WORDS[d.category].lower() for d in early])}"
                   f" in {month_text(start)}.")
    came = [f"{KIND_WORDS[d.category].lower()} ({month_text(d.day)})" for d in later
            if d.category not in SERIOUS]
    if came:
        out.append("Later came " + _listed(came) + ".")
    serious = [d for d in later if d.category in SERIOUS]
    if serious:
        steps = []
        for d in serious:
            title = f", \u201c{d.title}\u201d" if d.title else ""
            steps.append(f"{KIND_WORDS[d.category].lower()} began in {month_text(d.day)} "
                         f"(No.\u00a0{d.number}{title})")
        out.append("It escalated: " + "; ".join(steps) + ".")
    return out


def course_of_conduct(incidents: Sequence[IncidentDetail], numbers: dict[int, int],
                      tz: str) -> list[str]:
    """A few sentences an officer can read in a minute, as paragraphs: how many and how
    often, then the kinds of behaviour and what escalated."""
    items = dated_incidents(incidents, numbers, tz)
    undated = len(incidents) - len(items)
    if not incidents:
        return ["No incidents are included in this report."]
    if not items:
        return [f"{_count(len(incidents), 'incident is', 'incidents are').capitalize()} "
                "recorded, none of them with a date."]
    first, last = items[0], items[-1]
    total = _count(len(incidents), "incident is", "incidents are").capitalize()
    extra = f" ({undated} of them undated)" if undated else ""
    if len(items) == 1:
        out = [f"{total} recorded{extra}; the only dated one was on {day_text(first.day)}."]
    else:
        out = [f"{total} recorded{extra}, from {day_text(first.day)} to "
               f"{day_text(last.day)}."]
        out.append(f"The first was No.\u00a0{first.number} (\u201c{first.title or 'untitled'}"
                   f"\u201d); the latest No.\u00a0{last.number} (\u201c"
                   f"{last.title or 'untitled'}\u201d).")
        out += frequency_sentences(items)
    kinds = kind_sentences(incidents, items)
    return [" ".join(out)] + ([" ".join(kinds)] if kinds else [])


def risk_facts(incidents: Sequence[IncidentDetail], numbers: dict[int, int], tz: str,
               ) -> list[tuple[str, str]]:
    """(kind, "3 incidents, 2 Apr 2025 to 9 Jun 2025: Nos. 4, 7, 9") for each kind of
    behaviour that bears on risk, most serious first."""
    zone = ZoneInfo(tz)
    out = []
    for kind in RISK_KINDS:
        found = [i for i in incidents if i.category == kind]
        if not found:
            continue
        days = sorted(i.occurred_at.astimezone(zone).date() for i in found
                      if i.occurred_at is not None)
        text = _count(len(found), "incident", "incidents").capitalize()
        if days:
            text += f", {day_text(days[0])}" + (f" to {day_text(days[-1])}"
                                                if days[-1] != days[0] else "")
        nos = ", ".join(str(numbers[i.id]) for i in found)
        text += f": No{'s' if len(found) > 1 else ''}.\u00a0{nos}"
        out.append((KIND_WORDS[kind], text))
    return out
