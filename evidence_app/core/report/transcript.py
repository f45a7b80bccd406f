"""Messages in the report: an incident made from messages prints them as a transcript,
and the summary counts messages and calls per week.

Each transcript says where every line came from: the conversation, the export file's
exhibit mark and the messages' numbers in that export file ("JS/12, messages
341-355": they never change, even when a later export slots earlier messages into the
conversation), so anyone holding the export file (listed with its SHA-256 in the exhibit
list) can find each line in it. Text is printed exactly as exported (emoji as sent,
drawn by `fonts.markup`); pictures sent with a message are named by their exhibit
mark, and drawn with the incident's other exhibits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from evidence_app.core.conversations import (
    SOURCE_LABELS,
    MessageView,
    describe_counts,
    index_ranges,
)
from evidence_app.core.report.data import ReportData
from evidence_app.core.report.fonts import markup
from evidence_app.core.report.formatting import day_text
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import SHADE, ReportTable, Styles, grid_table

TIME_W, FROM_W, NUMBER_W = 27 * mm, 30 * mm, 13 * mm
_BASIS_NOTE = {
    "case_zone": "Times are as the phone showed them, read in the case's time zone ({tz}): "
                 "the export does not say which zone the phone was set to.",
    # The case's zone has changed since: its messages were read, and are shown, in the
    # zone they were imported in, so each line shows the time the phone showed.
    "case_zone_then": "Times are as the phone showed them, read in {tz}, the case's time "
                      "zone when they were imported: the export does not say which zone "
                      "the phone was set to.",
    "export_zone": "Times are as the phone showed them, in the zone given at import ({tz}).",
}


def _p(text: str, style: object) -> ScriptParagraph:
    return ScriptParagraph(text, style)  # type: ignore[arg-type]


def sources_text(messages: list[MessageView]) -> str:
    """"JS/12, messages 341-355; JS/15, messages 1-5" (by export file, in the order the
    transcript first cites each; the numbers are each message's in its own file)."""
    by_export: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        by_export[m.export_mark or "?"].append(m.export_number)
    return "; ".join(f"{mark}, {'message' if len(ix) == 1 else 'messages'} {index_ranges(ix)}"
                     for mark, ix in by_export.items())


def _time(m: MessageView, tz: str) -> str:
    local = m.local(tz)
    if local is None:
        return "undated"
    return f"{day_text(local)}<br/>{local:%H:%M:%S} {local:%Z}"


def _body(m: MessageView, tz: str = "UTC") -> str:
    if m.kind == "call":
        text = markup(m.call_summary())
        return f"<i>{text}</i>" if text else ""
    parts = []
    marks = m.marks(tz)
    if marks:
        # Not the sender's own words, or changed after sending: said before the words,
        # which follow exactly as exported.
        parts.append('<font color="#52606d"><i>['
                     + "; ".join(markup(x) for x in marks) + "]</i></font>")
    if m.subject:
        parts.append(f"<b>{markup(m.subject)}</b>")
    if m.text:
        parts.append(markup(m.text))
    if m.kind == "system":
        parts = [f"<i>{p}</i>" for p in parts]
    for att in m.attachments:
        parts.append(f'<font color="#52606d">[{markup(att.kind or "file")} sent: exhibit '
                     f"<b>{markup(att.exhibit_mark)}</b>, {markup(att.name)}]</font>")
    return "<br/>".join(parts)


def _pieces(body: str, size: int = 3000) -> list[str]:
    """A long message as several paragraphs (split at its line breaks), so a table row
    can break across pages."""
    if len(body) <= size:
        return [body]
    out: list[str] = []
    current = ""
    for line in body.split("<br/>"):
        if current and len(current) + len(line) > size:
            out.append(current)
            current = line
        else:
            current = f"{current}<br/>{line}" if current else line
    out.append(current)
    return out


def _rows(messages: list[MessageView], tz: str, st: Styles, width: float) -> ReportTable:
    text_w = width - TIME_W - FROM_W - NUMBER_W
    rows: list[list[Any]] = [[_p(h, st.head_cell) for h in ("No.", "Time", "From", "Message")]]
    style = grid_table(zebra=False)
    several = len({m.export_mark for m in messages}) > 1
    for m in messages:
        # Its number in its own export file (as the source line above cites it), with
        # the file's mark when the messages come from more than one.
        number = str(m.export_number) + (
            f'<br/><font size="6">{markup(m.export_mark)}</font>' if several else "")
        pieces = _pieces(_body(m, tz))
        who = markup(m.sender_name) if m.sender_name else "<i>(system)</i>"
        if m.outgoing:
            who += '<br/><font color="#52606d">(the person)</font>'
        elif m.sender_is_suspect:
            who += '<br/><font color="#52606d">(suspect)</font>'
        notes = f'<br/><font color="#52606d" size="7">{markup(m.time_note)}</font>' \
            if m.time_note else ""
        rows.append([_p(number, st.cell_muted), _p(_time(m, tz) + notes, st.cell),
                     _p(who, st.cell), [_p(piece, st.cell) for piece in pieces]])
        if m.outgoing:
            style.add("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE)
    table = ReportTable(rows, colWidths=[NUMBER_W, TIME_W, FROM_W, text_w], repeatRows=1)
    table.setStyle(style)
    return table


def transcript(data: ReportData, incident_id: int, st: Styles, width: float,
               ) -> list[Flowable]:
    """The messages of one incident as a transcript per conversation, or nothing."""
    messages = data.messages.get(incident_id, [])
    if not messages:
        return []
    tz = data.case.timezone
    out: list[Flowable] = [_p("Messages", st.h2)]
    by_conv: dict[int, list[MessageView]] = defaultdict(list)
    for m in messages:
        by_conv[m.conversation_id].append(m)
    for cid, items in by_conv.items():
        conv = data.conversations.get(cid)
        label = SOURCE_LABELS.get(conv.source, conv.source) if conv else "Conversation"
        title = conv.title if conv else ""
        calls = [m for m in items if m.kind == "call"]
        missed = sum(1 for m in calls if m.call_status in ("missed", "rejected", "blocked"))
        texts = sum(1 for m in items if m.kind == "text")
        head = (f"{markup(label)} conversation \u201c{markup(title)}\u201d: "
                f"{describe_counts(texts, len(calls), missed)}. "
                f"Source: {markup(sources_text(items))}.")
        # Local times in the zone the conversation was read in (the case's zone when it
        # was imported): the times the phone showed, even if the case's zone changed.
        zone = conv.timezone if conv and conv.timezone else tz
        bases = {m.time_basis for m in items}
        notes = [_BASIS_NOTE["case_zone_then" if b == "case_zone" and zone != tz else b]
                 .format(tz=zone) for b in sorted(bases) if b in _BASIS_NOTE]
        out.append(_p(head + (" " + " ".join(notes) if notes else ""), st.muted))
        out += [_rows(items, zone, st, width), Spacer(1, 2 * mm)]
    return out


def week_rows(data: ReportData) -> list[tuple[date, int, int, int]]:
    """(Monday, messages, calls, missed calls) for every week from the first message in
    the report to the last; system lines are not counted."""
    zone = ZoneInfo(data.case.timezone)
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for items in data.messages.values():
        for m in items:
            if m.kind == "system" or m.sent_at is None:
                continue
            day = m.sent_at.astimezone(zone).date()
            c = weeks[day - timedelta(days=day.weekday())]
            if m.kind == "call":
                c[1] += 1
                c[2] += m.call_status in ("missed", "rejected", "blocked")
            else:
                c[0] += 1
    if not weeks:
        return []
    out: list[tuple[date, int, int, int]] = []
    week, last = min(weeks), max(weeks)
    while week <= last:
        messages, calls, missed = weeks.get(week, [0, 0, 0])
        out.append((week, messages, calls, missed))
        week += timedelta(days=7)
    return out


def weekly_section(data: ReportData, st: Styles, width: float) -> list[Flowable]:
    """The summary's table of messages and calls per week (nothing without messages)."""
    rows = week_rows(data)
    if not rows:
        return []
    table_rows: list[list[Any]] = [[_p(h, st.head_cell) for h in (
        "Week beginning", "Messages", "Calls", "of which missed or rejected")]]
    for week, messages, calls, missed in rows:
        table_rows.append([_p(day_text(week), st.cell), _p(str(messages), st.cell),
                           _p(str(calls), st.cell), _p(str(missed), st.cell)])
    total = [sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)]
    table_rows.append([_p("<b>Total</b>", st.cell)] + [_p(f"<b>{n}</b>", st.cell) for n in total])
    cols = [45 * mm, 30 * mm, 30 * mm, width - 105 * mm]
    table = ReportTable(table_rows, colWidths=cols, repeatRows=1)
    table.setStyle(grid_table())
    return [_p("Messages and calls by week", st.h2),
            _p("Messages and calls in the incidents of this report, counted by the week they "
               "were sent (Monday to Sunday).", st.muted), table, Spacer(1, 2 * mm)]
