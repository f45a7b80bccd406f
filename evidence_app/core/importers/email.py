"""Email: single messages (.eml, RFC 5322) and mailboxes (.mbox: Thunderbird's folders,
Gmail's Google Takeout export).

Each mail becomes a message: sender, recipients (in the text's header lines), date (the
`Date:` header, with its UTC offset), subject, the plain-text body (the HTML one, as
text, when there is no plain one) and its attachments as exhibits. One conversation per
correspondent: the other party of each mail (the sender when it came to the person,
the first recipient when the person sent it). Who the person is: `owner` (an address),
else the address found in every mail of the mailbox.

An mbox is read as a stream, split at its `From ` lines (the mboxrd rule: a line
starting with `From ` after a blank line, or the first line); each mail's
`source_line` is the line of its `From ` separator. A mail without a readable date is
kept undated and listed; a damaged mail is listed by line and left out.
"""

from __future__ import annotations

import email.policy
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email import errors
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from evidence_app.core.importers.chat import ChatExport, ChatMessage, scratch_file

SOURCE = "email"
_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*: ", re.M)
_SAFE_NAME = re.compile(r"[^\w.\- ()]+")
_PARSER = BytesParser(policy=email.policy.default)


def looks_like_mbox(head: str) -> bool:
    """An mbox starts with a `From ` separator line followed by mail headers."""
    first, _, rest = head.partition("\n")
    return first.startswith("From ") and bool(_HEADER.search(rest[:4000]))


def looks_like_eml(head: str) -> bool:
    """A single mail: header lines first, with at least From/Date/Subject/To among them."""
    top = head.split("\n\n", 1)[0].split("\r\n\r\n", 1)[0]
    names = {m.group(0)[:-2].lower() for m in _HEADER.finditer(top)}
    lines = [ln for ln in top.splitlines() if ln.strip()]
    if not lines or not _HEADER.match(lines[0]) and not lines[0].startswith("Received:"):
        return False
    return "from" in names and len(names & {"date", "subject", "to", "message-id"}) >= 2


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    text = "".join(p.parts)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip()


def split_mbox(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line of the `From ` separator, the mail's bytes) for each mail of an mbox."""
    start_line = 0
    chunk: list[bytes] = []
    previous_blank = True
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if line.startswith(b"From ") and previous_blank:
                if chunk or start_line:
                    yield start_line, b"".join(chunk)
                start_line, chunk = n, []
            else:
                # mboxrd quoting: ">From " at the start of a body line was "From ".
                if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
                    line = line[1:]
                chunk.append(line)
            previous_blank = line in (b"\n", b"\r\n")
    if chunk or start_line:
        yield start_line, b"".join(chunk)


def _header_values(msg: EmailMessage, name: str) -> list[str]:
    """A header's values as text. A header written in raw 8-bit (older phones and
    mail servers put "Märk" in Latin-1 or UTF-8 straight into From: or Subject:) is
    read as UTF-8, or failing that Windows-1252, instead of showing \ufffd."""
    out = []
    for key, raw in msg.raw_items():
        if key.lower() != name:
            continue
        if any("\udc80" <= c <= "\udcff" for c in raw):
            data = raw.encode("ascii", "surrogateescape")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
            out.append(" ".join(text.split()))  # header lines unfolded
        else:
            out.append(str(msg.policy.header_fetch_parse(key, raw)))
    return out


def _addresses(msg: EmailMessage, *names: str) -> list[tuple[str, str]]:
    values = [v for name in names for v in _header_values(msg, name)]
    return [(n, a.lower()) for n, a in getaddresses(values) if a]


def _content(part: EmailMessage) -> tuple[str, str]:
    """A text part's text, and a sentence if its character set is one Python does not
    know (real mail says "unknown-8bit", "x-user-defined", misspellings): then it is read
    as UTF-8, or failing that as Windows-1252, and said."""
    try:
        return str(part.get_content()), ""
    except (LookupError, UnicodeError):
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else b""
        try:
            text, read_as = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, read_as = data.decode("cp1252", errors="replace"), "Windows-1252"
        return text, (f"its text is marked as {part.get_content_charset()!r}, a character "
                      f"set this app does not know; it was read as {read_as}")


def _body(msg: EmailMessage) -> tuple[str, str]:
    part = msg.get_body(preferencelist=("plain",))
    if part is not None:
        text, note = _content(part)  # type: ignore[arg-type]
        return text.replace("\r\n", "\n").rstrip(), note
    part = msg.get_body(preferencelist=("html",))
    if part is not None:
        text, note = _content(part)  # type: ignore[arg-type]
        return html_text(text), note
    return "", ""


_CUT = (errors.CloseBoundaryNotFoundDefect, errors.StartBoundaryNotFoundDefect)
_BAD_BASE64 = (errors.InvalidBase64PaddingDefect, errors.InvalidBase64CharactersDefect,
               errors.InvalidBase64LengthDefect)


def _attachments(msg: EmailMessage, n: int, scratch: Path,
                 damaged: list[str] | None = None) -> list[tuple[str, Path]]:
    """The mail's attachments written to the scratch space; the names of those whose
    encoding is broken (a mail cut short in its last attachment) go into `damaged`."""
    out = []
    for i, part in enumerate(msg.iter_attachments(), 1):
        name = part.get_filename() or f"attachment-{i}"
        safe = _SAFE_NAME.sub("_", PurePosixPath(name.replace("\\", "/")).name) or f"attachment-{i}"
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if damaged is not None and any(isinstance(d, _BAD_BASE64) for d in part.defects):
            damaged.append(name)
        target = scratch_file(scratch, f"mail{n}-{i}", safe)
        target.write_bytes(payload)
        out.append((f"mail{n}-{i}-{name}", target))
    return out


def _read(raw: bytes, line: int, scratch: Path) -> tuple[EmailMessage | None, str]:
    try:
        msg = _PARSER.parsebytes(raw)
    except Exception as exc:  # noqa: BLE001 - a damaged mail is listed, not fatal
        return None, f"line {line}: this mail could not be read ({exc}); left out"
    if not isinstance(msg, EmailMessage) or not msg.keys():
        return None, f"line {line}: this is not a mail (no headers); left out"
    return msg, ""


def read_mail(path: Path, scratch: Path, *, owner: str | None = None,
              me_name: str = "") -> list[ChatExport]:
    """Read an .eml file or an mbox into one `ChatExport` per correspondent. The person
    is `owner` (an address), else the address in every mail of a mailbox, else a sender
    whose name is `me_name` (the case owner's)."""
    with open(path, "rb") as fh:
        first = fh.read(5)
    chunks: Iterator[tuple[int, bytes]] = (
        split_mbox(path) if first == b"From " else iter([(1, path.read_bytes())]))
    mails: list[tuple[int, EmailMessage]] = []
    problems: list[str] = []
    for line, raw in chunks:
        msg, problem = _read(raw, line, scratch)
        if msg is None:
            problems.append(problem)
        else:
            mails.append((line, msg))
    me = (owner or "").lower()
    if not me or "@" not in me:
        seen: Counter[str] = Counter()
        for _, msg in mails:
            seen.update({a for _, a in _addresses(msg, "from", "to", "cc")})
        every = [a for a, c in seen.most_common() if c == len(mails)]
        me = every[0] if len(mails) > 1 and len(every) == 1 else me
    threads: dict[str, ChatExport] = {}
    for n, (line, msg) in enumerate(mails, 1):
        sender = _addresses(msg, "from")
        to = _addresses(msg, "to", "cc")
        from_name, from_addr = sender[0] if sender else ("", "")
        mine = (bool(me) and from_addr == me) or (
            not me and bool(me_name) and from_name.casefold() == me_name.casefold())
        other_name, other = (to[0] if to else ("", "")) if mine else (from_name, from_addr)
        ex = threads.get(other)
        if ex is None:
            ex = ChatExport(SOURCE, other_name or other or "Unknown sender", other,
                            owner_names=set())
            threads[other] = ex
        when = None
        date_text = str(msg.get("date") or "")
        try:
            when = parsedate_to_datetime(date_text) if date_text else None
            if when is not None and when.tzinfo is None:
                # "-0000" (RFC 5322 3.3): a time in UTC from a machine whose own zone is
                # not said; the moment is known. With no zone at all it is not.
                when = when.replace(tzinfo=UTC) if re.search(r"-0000\b", date_text) else None
        except (TypeError, ValueError, IndexError):
            when = None
        if when is None:
            ex.problems.append(f"line {line}: no readable date ({date_text or 'none'}); "
                               "kept undated")
        body, note = _body(msg)
        if note:
            ex.problems.append(f"line {line}: {note}")
        recipients = ", ".join(f"{nm} <{a}>" if nm else a for nm, a in to)
        text = (f"To: {recipients}\n\n{body}" if recipients else body)
        damaged: list[str] = []
        files = _attachments(msg, n, scratch, damaged)
        if any(isinstance(d, _CUT) for d in msg.defects):
            ex.problems.append(f"line {line}: this mail ends before its last part does (the "
                               "file is cut short or damaged); what could be read is kept")
        ex.problems += [f"line {line}: {name} is Outlook's own wrapping (TNEF) of the mail's "
                        "formatting and sometimes its attachments; it is kept as it is, and "
                        "needs Outlook or a TNEF reader to open" for _, target in files
                        if (name := target.name).lower() == "winmail.dat"]
        ex.problems += [f"line {line}: the attachment {name} is damaged or cut short (its "
                        "encoding breaks off); kept as it is" for name in damaged]
        for key, target in files:
            ex.files[key] = target
        ex.messages.append(ChatMessage(
            from_name or from_addr, when.astimezone(UTC) if when else None,
            "offset" if when else "exact", line, text=text, address=from_addr,
            subject=next(iter(_header_values(msg, "subject")), ""),
            files=[k for k, _ in files],
            from_owner=mine))
        if mine:
            ex.owner_names.add(from_name or from_addr)
    exports = list(threads.values())
    for ex in exports:
        ex.messages.sort(key=lambda m: (m.sent_at or datetime.max.replace(tzinfo=UTC), m.line or 0))
        ex.options = {"owner": me}
    if exports:
        exports[0].problems = problems + exports[0].problems
    elif problems:
        exports.append(ChatExport(SOURCE, path.name, "", problems=problems))
    return exports
