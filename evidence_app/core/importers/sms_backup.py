"""Android text messages and call logs saved by "SMS Backup & Restore" (SyncTech).

The app writes XML (fields described at synctech.com.au, "Fields in XML Backup Files"):

- `<smses>` holding `<sms address= date= type= body= contact_name= readable_date= .../>`
  (date: milliseconds since 1970, UTC; type 1 received, 2 sent, 3 draft, 4 outbox,
  5 failed, 6 queued) and `<mms date= msg_box= address= contact_name=>` with
  `<parts><part seq= ct= name= cl= text= data=(base64)/></parts>` and
  `<addrs><addr address= type=(137 from, 151 to, 130 cc, 129 bcc)/></addrs>`;
- `<calls>` holding `<call number= duration=(seconds) date= type= presentation=
  contact_name=/>` (type 1 incoming, 2 outgoing, 3 missed, 4 voicemail, 5 rejected,
  6 refused list (blocked); presentation 1 allowed, 2 restricted (withheld),
  3 unknown, 4 payphone).

One conversation per other number (texts and calls together); calls from withheld
numbers go to a conversation of their own. Times are exact. `source_line` is the
entry's number in the file (1 = its first sms, mms or call). The file is read as a
stream (a backup with pictures can be gigabytes); pictures are decoded into the
case's scratch folder and imported as exhibits. A damaged or cut-off file keeps what
was read before the damage, and says where it is.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath

from evidence_app.core.importers.chat import (
    ChatExport,
    ChatMessage,
    from_epoch_ms,
    scratch_file,
)
from evidence_app.core.importers.phone_numbers import number_key as phone_number_key

SOURCE = "sms"
SMS_TYPES = {"1": "received", "2": "sent", "3": "draft", "4": "outbox", "5": "failed",
             "6": "queued"}
CALL_TYPES = {"1": ("incoming", "answered"), "2": ("outgoing", "answered"),
              "3": ("incoming", "missed"), "4": ("incoming", "voicemail"),
              "5": ("incoming", "rejected"), "6": ("incoming", "blocked"),
              "7": ("incoming", "answered")}  # 7: answered on another device
WITHHELD = {"2": "Withheld number", "3": "Unknown number", "4": "Payphone"}
UNKNOWN_NAMES = {"", "(Unknown)", "null", "Unknown"}
# The app writes emoji as two character references, one per UTF-16 surrogate
# ("&#55357;&#56832;"), which XML parsers refuse; they are joined before parsing.
_SURROGATES = re.compile(rb"&#(5[5-6]\d{3});&#(5[6-7]\d{3});")
# What is left that XML forbids: half of a pair (a text cut inside an emoji by the
# network) and control characters ("&#1;"); each becomes U+FFFD instead of stopping
# the file there.
_BAD_REFERENCE = re.compile(rb"&#(\d{1,7});")


def _bad_reference(m: re.Match[bytes]) -> bytes:
    n = int(m.group(1))
    bad = n < 0x20 and n not in (9, 10, 13) or 0xD800 <= n <= 0xDFFF or n > 0x10FFFF
    return b"&#65533;" if bad else m.group(0)
_CHUNK = 1024 * 1024
_SAFE_NAME = re.compile(r"[^\w.\- ()]+")


def _join_surrogates(m: re.Match[bytes]) -> bytes:
    hi, lo = int(m.group(1)), int(m.group(2))
    if 0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF:
        return f"&#{0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)};".encode()
    return m.group(0)


class _Fixed(io.RawIOBase):
    """The file with surrogate pairs joined, read in chunks (never all at once)."""

    def __init__(self, path: Path) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._buf = b""
        self._tail = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        while not self._buf and not self._eof:
            chunk = self._fh.read(_CHUNK)
            if not chunk:
                self._eof = True
                data, self._tail = self._tail, b""
            else:
                data = self._tail + chunk
                # A pair of references may be split by the chunk: keep the end back.
                cut = data.find(b"&", max(0, len(data) - 24))
                data, self._tail = (data[:cut], data[cut:]) if cut != -1 else (data, b"")
            self._buf = _BAD_REFERENCE.sub(_bad_reference,
                                           _SURROGATES.sub(_join_surrogates, data))
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def number_key(number: str, country: str = "GB") -> str:
    """A number as the same for every way it is written (`+44 7700 900123`,
    `07700900123`, `447700900123` -> `07700900123`; in an American case `+1 555 123
    4567`, `(555) 123-4567` -> `5551234567`): phone_numbers.number_key."""
    return phone_number_key(number, country)


def _name(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in UNKNOWN_NAMES else value


class _Threads:
    def __init__(self, me: str, country: str = "GB") -> None:
        self.me = me
        self.country = country  # the case's, for telling one number written two ways
        self.by_key: dict[str, ChatExport] = {}

    def key(self, number: str) -> str:
        return number_key(number, self.country)

    def get(self, number: str, name: str) -> ChatExport:
        if "~" in number:  # a group MMS: its own conversation, whoever is in it
            numbers = sorted({n for n in number.split("~") if n.strip()}, key=self.key)
            key = "~".join(self.key(n) for n in numbers)
            number = ", ".join(numbers)
        else:
            key = self.key(number) if number else "withheld"
        ex = self.by_key.get(key)
        if ex is None:
            title = name or number or "Withheld number"
            ex = ChatExport(SOURCE, title, key, owner_names={self.me})
            self.by_key[key] = ex
        elif name and ex.title == number:
            ex.title = name
        return ex


def _sms(el: ET.Element, n: int, threads: _Threads) -> None:
    attrs = el.attrib
    number = attrs.get("address", "")
    name = _name(attrs.get("contact_name"))
    ex = threads.get(number, name)
    kind = attrs.get("type", "1")
    sent_by_me = kind in ("2", "4", "5", "6")
    body = attrs.get("body") or ""
    when = _when(attrs.get("date"), n, ex)
    if when is None:
        return
    msg = ChatMessage(threads.me if sent_by_me else (name or number), when, "exact", n,
                      text="" if body == "null" else body,
                      address="" if sent_by_me else number, from_owner=sent_by_me)
    if kind in ("3", "5", "6"):
        msg.time_note = f"the phone lists this message as {SMS_TYPES[kind]} (never delivered)"
    ex.messages.append(msg)


# Below this a `date` cannot be milliseconds (it would be before March 1973): some
# backups (messages restored from other apps) hold seconds there instead.
_SECONDS_BELOW = 100_000_000_000


def _when(value: str | None, n: int, ex: ChatExport) -> datetime | None:
    try:
        number = int(value or "")
        return from_epoch_ms(number * 1000 if 0 < number < _SECONDS_BELOW else number)
    except (ValueError, OverflowError, OSError):
        ex.problems.append(f"entry {n}: no readable date ({value!r}); left out")
        return None


def _mms(el: ET.Element, n: int, threads: _Threads, scratch: Path) -> None:
    attrs = el.attrib
    froms = [a.get("address", "") for a in el.iter("addr") if a.get("type") == "137"]
    box = attrs.get("msg_box", "1")
    sent_by_me = box == "2"
    number = attrs.get("address", "")
    name = _name(attrs.get("contact_name"))
    ex = threads.get(number, name)
    when = _when(attrs.get("date"), n, ex)
    if when is None:
        return
    texts: list[str] = []
    files: list[str] = []
    for part in el.iter("part"):
        p = part.attrib
        if p.get("seq") == "-1" or (p.get("ct") or "") == "application/smil":
            continue
        ct = p.get("ct") or ""
        data = p.get("data")
        if ct.startswith("text/plain"):
            text = p.get("text")
            if text and text != "null":
                texts.append(text)
            elif data:  # some versions keep a long text as base64 data
                try:
                    texts.append(base64.b64decode(data).decode("utf-8", errors="replace"))
                except (binascii.Error, ValueError):
                    ex.problems.append(f"entry {n}: a text part is damaged; left out")
            continue
        label = _name(p.get("name")) or _name(p.get("cl")) or f"part-{n}"
        label = _SAFE_NAME.sub("_", PurePosixPath(label.replace("\\", "/")).name) or f"part-{n}"
        if not data:
            if not ct.startswith("text/"):  # media the backup was set not to keep
                ex.problems.append(f"entry {n}: {label} ({ct or 'a file'}) was sent with this "
                                   f"message but the backup holds no copy of it")
            continue
        try:
            raw = base64.b64decode(data, validate=False)
        except (binascii.Error, ValueError):
            ex.problems.append(f"entry {n}: the picture {label} is damaged; left out")
            continue
        key = f"entry{n}-{label}"
        target = scratch_file(scratch, f"entry{n}", label)
        target.write_bytes(raw)
        ex.files[key] = target
        files.append(key)
    sender = threads.me if sent_by_me else (froms[0] if froms else number)
    if not sent_by_me and name and (not froms or threads.key(froms[0]) == threads.key(number)):
        sender = name
    ex.messages.append(ChatMessage(
        sender, when, "exact", n, text="\n".join(texts),
        address="" if sent_by_me else (froms[0] if froms else number),
        subject=_name(attrs.get("sub")), files=files, from_owner=sent_by_me))


def _call(el: ET.Element, n: int, threads: _Threads) -> None:
    attrs = el.attrib
    presentation = attrs.get("presentation", "1")
    number = attrs.get("number", "")
    if presentation in WITHHELD or number in ("", "-1", "-2", "-3"):
        number = ""
    name = _name(attrs.get("contact_name"))
    ex = threads.get(number, name if number else "")
    if not number:
        ex.title = "Withheld numbers"
    when = _when(attrs.get("date"), n, ex)
    if when is None:
        return
    direction, status = CALL_TYPES.get(attrs.get("type", ""), ("incoming", "answered"))
    try:
        seconds: int | None = int(attrs.get("duration") or 0)
    except ValueError:
        seconds = None
    shown = number or WITHHELD.get(presentation, "Withheld number")
    outgoing = direction == "outgoing"
    ex.messages.append(ChatMessage(
        threads.me if outgoing else (name or shown), when, "exact", n, kind="call",
        address="" if outgoing else number, call_number=shown, call_direction=direction,
        call_status=status, call_seconds=seconds, from_owner=outgoing))


def _entries(path: Path) -> Iterator[tuple[str, ET.Element] | ET.ParseError]:
    source = io.BufferedReader(_Fixed(path), buffer_size=_CHUNK)  # type: ignore[type-var]
    try:
        depth = 0
        for event, el in ET.iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth == 1 and el.tag in ("sms", "mms", "call"):
                yield el.tag, el
                el.clear()
    except ET.ParseError as exc:
        yield exc
    finally:
        source.close()


def read_backup(path: Path, scratch: Path, *, owner: str | None = None,
                me: str = "Me", country: str = "GB") -> list[ChatExport]:
    """Read an SMS Backup & Restore XML file into one `ChatExport` per other number
    (`country`: the case's, so a number written nationally and internationally is one)."""
    threads = _Threads(owner or me, country)
    damaged = ""
    n = 0
    for item in _entries(path):
        if isinstance(item, ET.ParseError):
            line, col = item.position
            damaged = (f"the file is damaged or cut short at line {line}, column {col}: "
                       f"entries after entry {n} could not be read")
            break
        tag, el = item
        n += 1
        if tag == "sms":
            _sms(el, n, threads)
        elif tag == "mms":
            _mms(el, n, threads, scratch)
        else:
            _call(el, n, threads)
    exports = list(threads.by_key.values())
    for ex in exports:
        ex.messages.sort(key=lambda m: (m.sent_at, m.line))  # type: ignore[arg-type, return-value]
        ex.options = {"entries": n}
        if damaged:
            ex.problems.append(damaged)
    if damaged and not exports:
        exports.append(ChatExport(SOURCE, path.name, "", problems=[damaged]))
    return exports
