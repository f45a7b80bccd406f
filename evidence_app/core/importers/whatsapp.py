"""WhatsApp "Export chat": the .txt, or the .zip the phone shares (with media or not).

Android writes `14/03/2025, 22:15 - Mark: text` (newer versions `14/03/2025, 10:15 pm -`,
with a narrow no-break space before `pm`), iPhone `[14/03/2025, 22:15:03] Mark: text`,
often with left-to-right marks (U+200E) before the bracket and before attachments. The
date is in the phone's order (day first in the UK, month first in the US, year first in
some locales), so the order is decided from the whole file: a field above 12 settles
it; failing that, the only order in which the dates run forwards; failing that the
person is asked (`AmbiguousDateOrder` lists the choices; pass `date_order=`).

A line that does not start with a date is the continuation of the message before it
(messages keep their line breaks). Lines with no `Name: ` are system lines ("Messages
and calls are end-to-end encrypted", "Mark added Jane"). Attachments: Android
`IMG-20250314-WA0003.jpg (file attached)` (the caption, if any, on the next lines),
iPhone `<attached: 00000012-PHOTO-2025-03-14-22-15-03.jpg>` after the caption; without
media `<Media omitted>` / `image omitted` stay as the text the export holds. WhatsApp's
call lines ("Missed voice call") become calls.

Times are the phone's local clock: read in the zone given for the export, or the
case's zone (said on every message), with clock-change nights handled by `LocalClock`.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate, repeat
from pathlib import Path, PurePosixPath

from evidence_app.core.errors import ValidationError
from evidence_app.core.importers.chat import (
    ChatExport,
    ChatMessage,
    ImportProblem,
    LocalClock,
    is_media_placeholder,
    safe_members,
    unpack,
    unsafe_reference,
)

SOURCE = "whatsapp"
# A chat's text: 100,000 messages make about 10 MB; 1 GB is no chat.
MAX_CHAT_BYTES = 1024**3
DATE_ORDERS = {"dmy": "day/month/year (14/03/2025)", "mdy": "month/day/year (03/14/2025)",
               "ymd": "year/month/day (2025/03/14)"}
# Direction marks and isolates (newer exports wrap names in U+2068 ... U+2069), BOM.
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_STRIP_MARKS = str.maketrans("", "", _MARKS)
_SPACE = "[ \u00a0\u202f\u2009]"
# The date, then (in some languages) a word before the time: Finnish "klo", Portuguese
# "às", French "à"; a 12-hour time ends "pm", "p.m.", "p. m." or German "nachm.".
# Android puts " - " before the sender, iPhone "] ", some older phones ": ".
HEADER = re.compile(
    r"^[" + _MARKS + r"]*(?P<br>\[)?(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\.?,?" + _SPACE
    + r"*(?:[^\W\d_]{1,3}" + _SPACE + r"+)?(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
    r"(?:" + _SPACE + r"?(?P<ampm>[aApP]\.?" + _SPACE + r"?[mM]\.?|vorm\.|nachm\.))?"
    r"(?(br)\]" + _SPACE + r"|(?:" + _SPACE + r"[-\u2013]" + _SPACE + r"|:" + _SPACE
    + r"))(?P<rest>.*)$")
# The same, finding every message's first line in the whole text at once (`_entries`).
_HEADER_LINES = re.compile(HEADER.pattern, re.M)
_DATE_PARTS = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# "File attached" as Android writes it in each language; any other label is taken only
# after a name WhatsApp gives its own media (IMG-20250314-WA0003.jpg).
_ATTACHED_LABELS = ("file attached|Datei angeh\u00e4ngt|archivo adjunto|fichier joint|"
                    "arquivo anexado|file allegato|bestand bijgevoegd")
_WA_MEDIA = r"(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d+\.[A-Za-z0-9]{1,5}"
_ANDROID_FILE = re.compile(
    r"^[" + _MARKS + r"]*(?P<name>[^\n]+?\.[A-Za-z0-9]{1,5})"
    r"(?:" + _SPACE + r"\u2022" + _SPACE + r"[^\n]*?)?"  # "Report.pdf • 3 pages"
    r"" + _SPACE + r"[" + _MARKS + r"]*\((?:" + _ATTACHED_LABELS + r")\)$", re.I)
_ANDROID_WA_FILE = re.compile(
    r"^[" + _MARKS + r"]*(?P<name>" + _WA_MEDIA + r")" + _SPACE + r"\([^()\n]{2,40}\)$")
# iPhone: "<attached: 00000012-PHOTO-2025-03-14-22-15-03.jpg>" (German "<Anhang: ...>",
# Spanish "<adjunto: ...>"), older versions "2015-08-04-PHOTO-00004762.jpg <attached>".
_IOS_LABELS = "attached|Anhang|adjunto|anexado|allegato|pi\u00e8ce jointe|bijlage"
_IOS_FILE = re.compile(
    r"[" + _MARKS + r"]*<\s?[" + _MARKS + r"]*(?:(?:" + _IOS_LABELS + r")\s?:\s?"
    r"(?P<name>[^<>\n]+?)|[^<>:\n]{1,25}:\s?(?P<named>\d{8}-[A-Z]+-[^<>\n]+?))\s?>\s*$"
    r"|(?:^|\s)(?P<old>[^\s<>]+\.[A-Za-z0-9]{1,5})\s<[" + _MARKS + r"]*attached>\s*$")
_CALL = re.compile(
    r"^[" + _MARKS + r"]*(?:(?P<missed>Missed |Silenced )?(?P<what>(?:group )?"
    r"(?:voice|video) call)|(?P<missed_de>Verpasster )(?P<what_de>(?:Gruppen)?(?:Sprach|Video)"
    r"anruf))"  # German: "Verpasster Sprachanruf"
    r"(?:[,.][" + _MARKS + r"\s]*(?P<extra>.*))?$", re.I)
_DURATION = re.compile(r"(?:(?P<h>\d+) hr)?\s*(?:(?P<m>\d+) min)?\s*(?:(?P<s>\d+) sec)?")
_DELETED_BY_OWNER = ("You deleted this message", "You deleted this message.")
_IOS_SYSTEM = ("Messages and calls are end-to-end encrypted", "You created group",
               "You created this group", "created group", "You added", "You removed",
               "changed the subject", "changed this group", "changed the group",
               "Your security code", "This chat is with a business account",
               "Disappearing messages", "You blocked this contact",
               "You unblocked this contact")
# The first system line of every chat, in the phone's language ("Nachrichten und Anrufe
# sind Ende-zu-Ende-verschlüsselt", "Los mensajes y las llamadas están cifrados de
# extremo a extremo", ...): found by its words for end-to-end.
_E2E_WORDS = ("end-to-end", "Ende-zu-Ende", "de extremo a extremo", "de bout en bout",
              "ponta a ponta", "сквозным шифрованием")
# iPhone writes a group's events under the group's name, after a mark ("‎Mark added
# Jane", "‎Mark left"); a person's own line never starts with the mark.
_IOS_GROUP_WORDS = (" added ", " left ", " removed ", " changed ", " created ", " joined ",
                    " security code ", " hinzugef\u00fcgt", " verlassen", " erstellt",
                    " entfernt", " ge\u00e4ndert")
# WhatsApp's own notice, whoever it is written as coming from (with or without the mark).
_E2E_NOTICES = ("Messages and calls are end-to-end encrypted.",
                "Nachrichten und Anrufe sind Ende-zu-Ende-verschl\u00fcsselt.",
                "Los mensajes y las llamadas est\u00e1n cifrados de extremo a extremo.",
                "Les messages et les appels sont chiffr\u00e9s de bout en bout.")
# Words that show the text before a colon is an Android system line, not a name
# ('Mark changed the subject from "Us" to "Us: again"').
_SYSTEM_NAME_WORDS = (" added ", " left", " removed ", " changed ", " created ", " joined ",
                      "security code", "end-to-end", '"',
                      # the quotation marks of other languages ('Marie a créé le groupe
                      # « Famille : été »', 'Mark hat „Familie: Sommer“ erstellt')
                      "\u00ab", "\u00bb", "\u201e", "\u201c", "\u201d")
_PHONE = re.compile(r"^\+?[\d\s\-().\u00a0\u202f]{7,}$")


class AmbiguousDateOrder(ValidationError):
    """The export's dates read correctly in more than one order; ask which."""

    def __init__(self, choices: Sequence[str], example: str) -> None:
        self.choices = tuple(choices)
        listed = "; ".join(f"{c}: {DATE_ORDERS[c]}" for c in self.choices)
        super().__init__(
            f"The dates in this chat (such as {example}) can be read more than one way. "
            f"Say which order the phone writes dates in ({listed}) and import again.")


@dataclass(slots=True)
class _Line:
    number: int
    date: str
    time: str
    ampm: str
    rest: str
    more: list[str]


def looks_like_whatsapp(head: str) -> bool:
    """Whether text (the start of a file) reads as a WhatsApp chat export: several of
    its first lines start like WhatsApp's messages."""
    lines = [ln for ln in head.splitlines()[:40] if ln.strip()]
    hits = sum(1 for ln in lines if HEADER.match(ln) and _looks_like_message(HEADER.match(ln)))
    # One message with a caption or a second line is a chat too, if it opens the file.
    return hits >= min(2, len(lines)) and hits > 0 or (
        hits == 1 and _looks_like_message(HEADER.match(lines[0])))


def _looks_like_message(m: re.Match[str] | None) -> bool:
    return m is not None and bool(m.group("rest"))


# --------------------------------------------------------------------------- dates
def _fields(date_text: str) -> tuple[int, int, int, bool]:
    a, b, c = (int(x) for x in _DATE_PARTS.findall(date_text))
    return a, b, c, len(_DATE_PARTS.findall(date_text)[0]) == 4


def decide_date_order(dates: Sequence[str], given: str | None = None) -> str:
    """The date order of a whole file: given, or settled by a field above 12, or by the
    only order in which the dates run forwards; else `AmbiguousDateOrder`."""
    if given is not None:
        if given not in DATE_ORDERS:
            raise ValidationError(f"Unknown date order {given!r}; use one of "
                                  f"{', '.join(DATE_ORDERS)}.")
        return given
    if not dates:
        return "dmy"
    fields = [_fields(d) for d in dates]
    if all(f[3] for f in fields):
        return "ymd"
    first_big = any(f[0] > 12 for f in fields)
    second_big = any(f[1] > 12 for f in fields)
    if first_big and not second_big:
        return "dmy"
    if second_big and not first_big:
        return "mdy"
    candidates = []
    for order in ("dmy", "mdy"):
        try:
            days = [_ymd(f, order) for f in fields]
            datetimes = [datetime(*d) for d in days]
        except ValueError:
            continue
        if all(x <= y for x, y in zip(datetimes, datetimes[1:], strict=False)):
            candidates.append(order)
    if len(candidates) == 1:
        return candidates[0]
    example = next((d for d in dates if _fields(d)[0] != _fields(d)[1]), dates[0])
    raise AmbiguousDateOrder(candidates or ["dmy", "mdy"], example)


def _ymd(f: tuple[int, int, int, bool], order: str) -> tuple[int, int, int]:
    a, b, c, _ = f
    if order == "ymd":
        y, m, d = a, b, c
    elif order == "mdy":
        m, d, y = a, b, c
    else:
        d, m, y = a, b, c
    return (2000 + y if y < 100 else y), m, d


def _clock(time_text: str, ampm: str) -> tuple[int, int, int]:
    parts = [int(x) for x in re.split(r"[:.]", time_text)]
    h, m = parts[0], parts[1]
    s = parts[2] if len(parts) > 2 else 0
    if ampm:
        pm = ampm.strip().lower().startswith(("p", "nachm"))
        if not 1 <= h <= 12:
            raise ValueError("hour out of range for a 12-hour clock")
        h = (h % 12) + (12 if pm else 0)
    return h, m, s


# --------------------------------------------------------------------------- reading
def _decode(data: bytes) -> tuple[str, list[int]]:
    """The text, and the numbers of lines that were not valid UTF-8 (kept, with U+FFFD)."""
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        bad = []
        lines = data.split(b"\n")
        for n, raw in enumerate(lines, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(n)
        return data.decode("utf-8-sig", errors="replace"), bad


# Messages as `_entries` gives them: the line numbers, dates, times, am/pm ("" if
# none), the rest of each first line, and each message's continuation lines ("", or
# "\n" and the lines joined by "\n").
_Entries = tuple[list[int], list[str], list[str], list[str], list[str], list[str]]


def _entries(text: str) -> _Entries | None:
    """The messages of a chat whose every line is readable (no control characters, no
    carriage returns) and whose first message comes before any other text, found by
    one split of the whole text rather than line by line; None for any other text
    (`split_lines` reads it and says what it left out). Gives what `split_lines` gives
    for such a text."""
    if "\r" in text or _CONTROL.search(text) is not None:
        return None
    # [before the first message, then for each: [, date, time, am/pm, rest, what follows
    # its first line up to the next message's (its continuation lines and a newline)]
    parts = _HEADER_LINES.split(text)
    if len(parts) == 1 or parts[0].strip():
        return None  # no message, or text before the first one: said by `split_lines`
    after = parts[6::6]
    if not text.endswith("\n"):
        after[-1] += "\n"  # as if it ended with a newline (the last adds no line)
    lines = list(accumulate(map(str.count, after, repeat("\n")),
                            initial=1 + parts[0].count("\n")))
    lines.pop()
    return (lines, parts[2::6], parts[3::6], [a or "" for a in parts[4::6]], parts[5::6],
            [a[:-1] for a in after])


def split_lines(text: str) -> tuple[list[_Line], list[str]]:
    """Messages as header lines with their continuation lines; problems for lines
    before the first message and lines holding control characters."""
    out: list[_Line] = []
    problems: list[str] = []
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()  # the file's last newline ends the last line; it adds none
    match = HEADER.match
    for n, raw in enumerate(raw_lines, 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        m = match(line)
        if m is not None:
            date, time, ampm, rest = m.group("date", "time", "ampm", "rest")
            out.append(_Line(n, date, time, ampm or "", rest, []))
            continue
        if _CONTROL.search(line):
            problems.append(f"line {n}: unreadable characters; left out")
            continue
        if out:
            out[-1].more.append(line)
        elif line.strip():
            problems.append(f"line {n}: text before the first message; left out")
    return out, problems


def _sender_and_text(rest: str, names: dict[str, str | None]) -> tuple[str | None, str]:
    """(sender, text) of a message line's rest, or (None, text) for a system line;
    `names` remembers what each text before a colon turned out to be."""
    name, sep, text = rest.partition(": ")
    if not sep:
        if rest.endswith(":") and ": " not in rest:  # "Mark:" with an empty first line
            return rest[:-1].translate(_STRIP_MARKS).strip(), ""
        return None, rest
    if name in names:
        clean = names[name]
    else:
        clean = name.translate(_STRIP_MARKS).strip()
        if not clean or len(clean) > 100 or any(w in clean for w in _SYSTEM_NAME_WORDS):
            clean = None
        names[name] = clean
    return (clean, text) if clean is not None else (None, rest)


def _files(text: str) -> tuple[str, list[str]]:
    """The text without attachment markers, and the attached files' names."""
    if ")" not in text and ">" not in text:
        return text, []
    lines = text.split("\n")
    names: list[str] = []
    m = _ANDROID_FILE.match(lines[0]) or _ANDROID_WA_FILE.match(lines[0])
    if m:
        names.append(m.group("name").strip())
        lines = lines[1:]
    body = "\n".join(lines)
    m2 = _IOS_FILE.search(body) if ">" in body else None
    if m2:
        names.append((m2.group("name") or m2.group("named") or m2.group("old")).strip())
        body = body[:m2.start()]
    body = body.rstrip(" " + _MARKS) if names else body
    return body, names


def _call(text: str) -> tuple[str, int | None] | None:
    m = _CALL.match(text)
    if not m:
        return None
    extra = (m.group("extra") or "").translate(_STRIP_MARKS).strip()
    seconds = None
    d = _DURATION.fullmatch(extra) if extra else None
    if d and any(d.groupdict().values()):
        seconds = (int(d.group("h") or 0) * 3600 + int(d.group("m") or 0) * 60
                   + int(d.group("s") or 0))
    missed = bool(m.group("missed") or m.group("missed_de")) or extra.lower().startswith(
        ("no answer", "tap to call"))
    return ("missed" if missed else "answered"), seconds


def parse_chat(text: str, *, tz: str, basis: str, date_order: str | None = None,
               title: str = "", owner: str | None = None, me: str = "",
               bad_lines: Sequence[int] = ()) -> ChatExport:
    """Read a WhatsApp chat's text into a `ChatExport` (see the module docstring)."""
    entries = _entries(text)
    problems: list[str] = []
    if entries is None:
        lines, problems = split_lines(text)
        entries = ([ln.number for ln in lines], [ln.date for ln in lines],
                   [ln.time for ln in lines], [ln.ampm for ln in lines],
                   [ln.rest for ln in lines],
                   ["\n" + "\n".join(ln.more) if ln.more else "" for ln in lines])
    problems += [f"line {n}: not valid UTF-8; unreadable characters shown as \ufffd"
                 for n in bad_lines]
    # Each distinct date once (a chat has many messages a day), in the file's order.
    order = decide_date_order(list(dict.fromkeys(entries[1])), date_order)
    clock = LocalClock(tz, basis)
    msgs: list[ChatMessage] = []
    append = msgs.append
    senders: dict[str, int] = {}
    # A day: its (y, m, d), "yyyy-mm-dd ", its UTC offset (None on a clock-change day),
    # and whether that is a whole number of hours.
    days: dict[str, tuple[tuple[int, int, int], str, timedelta | None, bool]] = {}
    sender_names: dict[str, str | None] = {}
    addresses: dict[str, str] = {}
    clocks: dict[str, tuple[tuple[int, int, int], str, timedelta, str]] = {}
    hours: dict[tuple[str, int], tuple[datetime, str]] = {}  # UTC hour of a local one
    last: datetime | None = None  # the last time read with a day's offset
    for number, date, time, ampm, rest, tail in zip(*entries, strict=True):
        try:
            day = days.get(date)
            if day is None:
                ymd = _ymd(_fields(date), order)
                offset = clock.day_offset(*ymd)
                day = days[date] = (ymd, "{:04d}-{:02d}-{:02d} ".format(*ymd), offset,
                                    offset is not None and offset.seconds % 3600 == 0)
            hm = time + ampm if ampm else time
            hms_text = clocks.get(hm)
            if hms_text is None:
                hms = _clock(time, ampm)
                datetime(2000, 1, 1, *hms)  # a real time of day, or ValueError
                hms_text = clocks[hm] = (hms, "{:02d}:{:02d}:{:02d}".format(*hms),
                                         timedelta(minutes=hms[1], seconds=hms[2]),
                                         ":{:02d}:{:02d}.000000".format(*hms[1:]))
            hour_key = (date, hms_text[0][0])
            hour = hours.get(hour_key)
            if hour is None:
                # The local hour marked UTC, less the day's offset.
                start = datetime(*day[0], hms_text[0][0], tzinfo=UTC) - (day[2] or timedelta(0))
                hour = hours[hour_key] = (start, start.isoformat(" ")[:13])
        except ValueError:
            problems.append(f"line {number}: the date {date} {time}{ampm and ' '}"
                            f"{ampm} cannot be a real time; this message was left out")
            continue
        # The time as written (the message's identity: importers/chat.py).
        wall = day[1] + hms_text[1]
        if day[3]:
            # No clock change that day and a whole-hour offset: the UTC hour (made once
            # an hour) plus the minutes and seconds as written.
            sent = hour[0] + hms_text[2]
            stamp: str | None = hour[1] + hms_text[3]  # as stored
            note = ""
            last = sent
        else:
            if last is not None:
                clock.passed(last)
            sent, note = clock.utc(datetime(*day[0], *hms_text[0]))
            last = sent
            stamp = None
        name, sep, body = rest.partition(": ")
        sender = sender_names.get(name) if sep else None
        if sender is None:  # a name not seen yet, a system line, or no ": " at all
            sender, body = _sender_and_text(rest, sender_names)
        if tail:
            body += tail
        if sender is None:
            append(ChatMessage("", sent, basis, number, text=body.translate(_STRIP_MARKS)
                               .strip(), kind="system", time_note=note, wall=wall,
                               stamp=stamp))
            continue
        senders[sender] = senders.get(sender, 0) + 1
        if ")" in body or ">" in body:  # cheap first look: attachments end with either
            body, names = _files(body)
        else:
            names = []
        clean = body.lstrip(_MARKS)
        address = addresses.get(sender)
        if address is None:
            address = addresses[sender] = sender if _PHONE.match(sender) else ""
        # Positional (about half the time of keywords, 100,000 times): sender, sent_at,
        # time_basis, line, text, kind, address, time_note, subject, call_number,
        # call_direction, call_status, call_seconds, files, from_owner, part, wall,
        # stamp, media.
        msg = ChatMessage(sender, sent, basis, number, clean, "text", address, note, "", "",
                          "", "", None, names, None, 0, wall, stamp,
                          bool(names) or ("omitted" in clean and is_media_placeholder(clean)))
        if not names and ("all" in clean or "ALL" in clean or "nruf" in clean) and (call := _call(clean)) is not None:
            msg.kind = "call"
            msg.call_status, msg.call_seconds = call
        if "deleted" in clean and clean.strip() in _DELETED_BY_OWNER:
            msg.from_owner = True
        if clean.startswith(_E2E_NOTICES) or body.startswith("\u200e") and (
                clean.startswith(_IOS_SYSTEM) or any(w in clean[:200] for w in _E2E_WORDS)
                or "\n" not in clean and any(w in f" {clean} " for w in _IOS_GROUP_WORDS)):
            # iPhone writes system lines as if the chat itself sent them.
            msg = ChatMessage("", sent, basis, number, text=clean, kind="system",
                              time_note=note, wall=wall, stamp=stamp)
            senders[sender] -= 1
        append(msg)
    counted = Counter({s: n for s, n in senders.items() if n > 0})
    owners = _owner_names(counted, title, owner, msgs, me)
    for m in msgs:
        if m.kind == "call":
            m.call_direction = "outgoing" if m.sender in owners else "incoming"
    others = sorted(s for s in counted if s not in owners)
    key = title or ", ".join(others)
    return ChatExport(SOURCE, title or key, key, msgs, problems, {},
                      {"date_order": order, "timezone": tz, "time_basis": basis},
                      owners)


def _owner_names(senders: Counter[str], title: str, owner: str | None,
                 msgs: Sequence[ChatMessage], me: str = "") -> set[str]:
    if owner:
        return {owner}
    by_deletion = {m.sender for m in msgs if m.from_owner}
    if by_deletion:
        return by_deletion
    # "WhatsApp Chat with Mark": a chat with one other person; the other sender is the
    # person who exported it.
    if title and len(senders) == 2 and title in senders:
        return {s for s in senders if s != title}
    # The person's own messages carry the name they gave WhatsApp: often the case's
    # owner name, or its first word.
    if me:
        exact = {s for s in senders if s.casefold() == me.casefold()}
        if exact:
            return exact
        first = me.split()[0].casefold() if me.split() else ""
        starts = {s for s in senders if first and s.casefold().split()[:1] == [first]}
        if len(starts) == 1:
            return starts
    return set()


def title_from_name(name: str) -> str:
    """"WhatsApp Chat with Mark.txt" / "WhatsApp Chat - Mark.zip" -> "Mark"."""
    stem = PurePosixPath(name).stem
    for prefix in ("WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-Chat mit ",
                   "Chat de WhatsApp con ", "Conversa do WhatsApp com "):
        if stem.startswith(prefix):
            return stem[len(prefix):].strip()
    return ""


# --------------------------------------------------------------------------- files
def _chat_member(zf: zipfile.ZipFile, members: Sequence[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    texts = [m for m in members if m.filename.lower().endswith(".txt")]
    texts.sort(key=lambda m: (PurePosixPath(m.filename).name != "_chat.txt",
                              not PurePosixPath(m.filename).name.startswith("WhatsApp Chat"),
                              m.filename))
    for info in texts:
        with zf.open(info) as fh:
            head = fh.read(8192).decode("utf-8", errors="replace")
        if looks_like_whatsapp(head):
            return info
    raise ImportProblem("This zip file holds no WhatsApp chat (no text file in it starts "
                        "like a chat export).")


def _check_size(size: int, name: str) -> None:
    if size > MAX_CHAT_BYTES:
        raise ImportProblem(f"{name} holds {size:,} bytes of text, more than any chat export "
                            f"(the limit is {MAX_CHAT_BYTES // 1024**2} MB); it was not read.")


def _attach_files(export: ChatExport, available: dict[str, Path]) -> None:
    """Give the export the files its messages name that it holds. Those it lacks are
    said once, by message number, when the messages are stored (chat.py)."""
    for m in export.messages:
        for name in m.files:
            why = unsafe_reference(name)
            if why:  # never looked for: said as the zip checks say it
                export.problems.append(f"line {m.line}: {why}")
                export.refused.add(name)
            elif name in available:
                export.files[name] = available[name]
    if not available:
        export.media_note = "it was shared without media"


def read_export(path: Path, scratch: Path, *, tz: str, date_order: str | None = None,
                owner: str | None = None, timezone_given: bool = False,
                me: str = "") -> list[ChatExport]:
    """Read a WhatsApp export (.txt or .zip) at `path`; the media its messages name are
    unpacked into `scratch` (inside the case)."""
    basis = "export_zone" if timezone_given else "case_zone"
    if not zipfile.is_zipfile(path):
        _check_size(path.stat().st_size, path.name)
        text, bad = _decode(path.read_bytes())
        export = parse_chat(text, tz=tz, basis=basis, date_order=date_order,
                            title=title_from_name(path.name), owner=owner, me=me,
                            bad_lines=bad)
        _attach_files(export, {})
        return [export]
    with zipfile.ZipFile(path) as zf:
        members, refused = safe_members(zf)
        chat = _chat_member(zf, members)
        _check_size(chat.file_size, chat.filename)
        with zf.open(chat) as fh:
            data = fh.read(MAX_CHAT_BYTES + 1)  # never more than the limit, whatever it says
        _check_size(len(data), chat.filename)
        text, bad = _decode(data)
        title = title_from_name(path.name) or title_from_name(chat.filename)
        export = parse_chat(text, tz=tz, basis=basis, date_order=date_order, title=title,
                            owner=owner, me=me, bad_lines=bad)
        wanted = {name for m in export.messages for name in m.files}
        available: dict[str, Path] = {}
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/")).name
            if info is not chat and name in wanted and name not in available:
                available[name] = unpack(zf, info, scratch)
    export.problems = refused + export.problems
    _attach_files(export, available)
    return [export]
