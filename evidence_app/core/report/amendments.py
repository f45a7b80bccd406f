"""When an incident was recorded, and every later change to it, as the incident's page
shows them.

Saves made while the incident was first being written are its first recording
("Recorded on 9 Nov 2026, 20:00-20:03 GMT"); each later change is an amendment with its
date and what changed: the words added and removed for a text, old and new for any
other field. The unchanged words of a long text are shortened around each change (the
full text is printed just above); the changes themselves never are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from reportlab.platypus import Flowable, Paragraph

from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import datetime_text, day_text, local
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import Styles
from evidence_app.core.report.textdiff import LEGEND, diff_markup, word_diff
from evidence_app.core.views import Amendment, IncidentDetail
from evidence_app.core.vocab import FIELD_LABELS, Precision, category_label

CONTEXT_WORDS = 12  # unchanged words kept each side of a change on the incident's page
PIECE = 4000  # characters per paragraph, so that a long change splits across pages
# Fields whose values are not free text: shown as old and new, never as a word diff.
NOT_TEXT = frozenset({"category", "precision", "timezone", "occurred_at", "occurred_end",
                      "reported_on", "tags", "captured_at", "captured_from", "sha256",
                      "private", "size", "media_type", "kind", "exhibit"})


def is_text_change(key: str, old: Any, new: Any) -> bool:
    """True when a change is to free text (compared word by word)."""
    return (key not in NOT_TEXT and isinstance(old, str | None) and isinstance(new, str | None)
            and bool(old or new))


def _p(text: str, style: object) -> Paragraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def _label(key: str) -> str:
    label = FIELD_LABELS.get(key, key.replace("_", " "))
    return label[:1].upper() + label[1:]


def _value(key: str, value: Any, precision: Any, tz: str) -> str:
    """A stored value in the words the incident's page uses (local times)."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if key == "category":
        return markup(category_label(str(value)))
    if key == "precision":
        try:
            return Precision(value).label.lower()
        except ValueError:
            return markup(str(value))
    if isinstance(value, list):
        return markup(", ".join(str(v) for v in value))
    if key in ("occurred_at", "occurred_end") and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return markup(value)
        if precision == Precision.DAY:
            return day_text(local(moment, tz))
        if precision == Precision.MONTH:
            return f"{local(moment, tz):%B %Y}"
        return datetime_text(moment, tz)
    if key == "reported_on" and isinstance(value, str):
        try:
            return day_text(date.fromisoformat(value[:10]))
        except ValueError:
            return markup(value)
    return f"\u201c{markup(str(value))}\u201d"


def change_markup(key: str, change: Any, precision: tuple[Any, Any], tz: str,
                  context: int | None = CONTEXT_WORDS) -> list[str]:
    """One field's change as markup pieces: "What happened: ... [+ added +]"."""
    old, new = (change.get("old"), change.get("new")) if isinstance(change, dict) else (None,
                                                                                       change)
    head = f"<b>{_label(key)}:</b> "
    if is_text_change(key, old, new):
        pieces = diff_markup(word_diff(old or "", new or ""), context=context, size=PIECE)
        return [head + pieces[0], *pieces[1:]]
    return [head + f"{_value(key, old, precision[0], tz)} \u2192 "
            f"{_value(key, new, precision[1], tz)}"]


def recorded_text(inc: IncidentDetail, tz: str) -> str:
    """"Recorded on 9 Nov 2026, 20:00 GMT" or, for a sitting of several saves,
    "Recorded on 9 Nov 2026, 20:00-20:03 GMT"."""
    start = datetime_text(inc.recorded_at, tz)
    until = inc.recorded_until
    if until is None or until <= inc.recorded_at:
        return f"Recorded on {start}."
    a, b = local(inc.recorded_at, tz), local(until, tz)
    if a.date() == b.date() and a.tzname() == b.tzname():
        if f"{a:%H:%M}" == f"{b:%H:%M}":  # saved within the minute: one time, not "20:00-20:00"
            return f"Recorded on {start}."
        return f"Recorded on {day_text(a)}, {a:%H:%M}\u2013{b:%H:%M} {b:%Z}".rstrip() + "."
    return f"Recorded on {start} to {datetime_text(until, tz)}."


def _amendment(a: Amendment, inc: IncidentDetail, tz: str, st: Styles) -> list[Flowable]:
    changes = a.changes
    current = inc.precision
    precision = changes.get("precision")
    was, now = ((precision.get("old"), precision.get("new")) if isinstance(precision, dict)
                else (current, current))
    out: list[Flowable] = [_p(f"<b>Amended on {datetime_text(a.at, tz)}:</b>", st.recorded)]
    item = st.recorded.clone("amended_item", leftIndent=10, spaceBefore=1, textColor="#000000")
    for key, change in changes.items():
        for piece in change_markup(key, change, (was, now), tz):
            out.append(_p(piece, item))
    return out


def record_lines(inc: IncidentDetail, tz: str, st: Styles) -> list[Flowable]:
    """When the incident was recorded (and, for one imported from a diary, which diary
    row it came from), then each amendment with what it changed."""
    out: list[Flowable] = [_p(recorded_text(inc, tz), st.recorded)]
    if inc.diary is not None:
        day = day_text(local(inc.diary.imported_at, tz))
        out.append(_p(markup(inc.diary.sentence(day)), st.recorded))
    for a in inc.amendments:
        out += _amendment(a, inc, tz, st)
    if any(is_text_change(k, *(_old_new(c))) for a in inc.amendments
           for k, c in a.changes.items()):
        out.append(_p(LEGEND, st.recorded))
    return out


def _old_new(change: Any) -> tuple[Any, Any]:
    return (change.get("old"), change.get("new")) if isinstance(change, dict) else (None, change)
