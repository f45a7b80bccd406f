"""Messages in the search: their own FTS5 index (`message_index`), kept in step like the
main one, and the search that finds a message and says where to open it.

One document per message (its id is the message's id): the text and subject, the
sender's name and address (and, for a forwarded message, "forwarded from" and the name
of whom it was forwarded from; the stored text stays as exported), the call number in the forms people type it
(`+44 7700 900123`, `447700900123`, `07700900123`), and the plate fragments the text
holds (core/search/text.py), so plates, phrases and prefixes find messages exactly as
they find incidents. Triggers made by migration 0004 note every message a write touches
in `message_dirty`; `Case.write()` rebuilds those documents before it commits.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from evidence_app.core.search.query import ParsedQuery, parse_query
from evidence_app.core.search.snippets import make_snippet
from evidence_app.core.search.text import plate_keys, plate_ngrams
from evidence_app.core.search.types import SearchHit
from evidence_app.core.store.bulk import trigger_paused
from evidence_app.core.store.case import Case

TABLE = "message_index"
DIRTY = "message_dirty"
INSERT_TRIGGER = "search_message_insert"  # migration 0004: queues each new message
COLUMNS = ("text", "sender", "numbers", "plates")
CHUNK = 2000

MessageDoc = tuple[str, str, str, str]

_DOC_SQL = (
    "SELECT m.id, m.text, m.subject, m.call_number, p.name, p.address, m.forwarded_from "
    "FROM messages m LEFT JOIN participants p ON p.id = m.participant_id "
    "WHERE m.id IN ({marks})")
_DIGITS = re.compile(r"\D+")
_HAS_DIGIT = re.compile(r"\d")


def number_forms(number: str) -> str:
    """A phone number as it is written and in the forms people type it: digits only,
    and for UK numbers both +44 and 0 forms (`07700900123`, `447700900123`)."""
    raw = number.strip()
    digits = _DIGITS.sub("", raw)
    if len(digits) < 5:
        return raw
    forms = [raw, digits]
    if digits.startswith("44") and len(digits) > 10:
        forms.append("0" + digits[2:])
    elif digits.startswith("0") and not digits.startswith("00"):
        forms.append("44" + digits[1:])
    return " ".join(dict.fromkeys(f for f in forms if f))


def message_doc(text: str, subject: str, call_number: str, name: str, address: str,
                forwarded_from: str | None = None) -> MessageDoc:
    """The index document of one message (`forwarded_from`: None if not forwarded, ""
    if forwarded from someone not named)."""
    body = f"{subject}\n{text}" if subject else text
    sender = f"{name}\n{address}" if address and address != name else name
    if forwarded_from is not None:  # found by "forwarded" and by whom it came from
        sender += f"\nforwarded from {forwarded_from}".rstrip()
    numbers = " ".join(n for n in (number_forms(call_number) if call_number else "",
                                   number_forms(address) if _looks_like_number(address)
                                   else "") if n)
    plates = plate_ngrams(plate_keys((body,))) if _HAS_DIGIT.search(body) else ""
    return body, sender, numbers, plates


def _looks_like_number(text: str) -> bool:
    return bool(text) and "@" not in text and len(_DIGITS.sub("", text)) >= 5


def build_docs(conn: Connection, ids: Sequence[int]) -> dict[int, MessageDoc]:
    """Documents of these messages (ids of messages that are gone are absent)."""
    out: dict[int, MessageDoc] = {}
    for chunk in _chunks(ids):
        sql = _DOC_SQL.format(marks=", ".join("?" * len(chunk)))
        for mid, text, subject, number, name, address, forwarded in conn.exec_driver_sql(
                sql, tuple(chunk)):
            out[mid] = message_doc(text or "", subject or "", number or "", name or "",
                                   address or "", forwarded)
    return out


def _chunks(items: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _write(conn: Connection, ids: Sequence[int]) -> None:
    docs = build_docs(conn, ids)
    conn.exec_driver_sql(f"DELETE FROM {TABLE} WHERE rowid = ?", [(i,) for i in ids])
    if docs:
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
            [(i, *doc) for i, doc in docs.items()])


def flush_dirty(conn: Connection) -> int:
    """Rebuild the documents of every message a write touched; returns how many."""
    dirty = [r[0] for r in conn.exec_driver_sql(f"SELECT id FROM {DIRTY} ORDER BY id")]
    if not dirty:
        return 0
    # A fresh import (ids above every indexed one) needs no deletes first.
    top = conn.exec_driver_sql(f"SELECT max(rowid) FROM {TABLE}").scalar() or 0
    fresh = [i for i in dirty if i > top]
    old = [i for i in dirty if i <= top]
    for chunk in _chunks(old):
        _write(conn, chunk)
    for chunk in _chunks(fresh):
        docs = build_docs(conn, chunk)
        if docs:
            conn.exec_driver_sql(
                f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
                [(i, *doc) for i, doc in docs.items()])
    conn.exec_driver_sql(f"DELETE FROM {DIRTY}")
    return len(dirty)


def index_new(conn: Connection, first_id: int, last_id: int,
              docs: list[tuple[int, MessageDoc]]) -> None:
    """Index messages an importer has just inserted (ids `first_id` to `last_id`, all
    new), from the documents it built with `message_doc`, and take them off the queue
    their insert trigger filled: the same result as `flush_dirty`, without reading back
    what was just written."""
    if docs:
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
            [(i, *doc) for i, doc in docs])
    conn.exec_driver_sql(f"DELETE FROM {DIRTY} WHERE id BETWEEN ? AND ?", (first_id, last_id))


def queue(conn: Connection, ids: Sequence[int]) -> None:
    """Queue these messages' documents to be rebuilt, after a write the triggers do not
    see (a forwarded mark added to a message already there, message_marks.py)."""
    if ids:
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO {DIRTY} (id) VALUES (?)",
                             [(i,) for i in ids])


@contextlib.contextmanager
def queue_paused(conn: Connection) -> Iterator[None]:
    """Messages inserted inside are not queued in `message_dirty`: for an importer that
    indexes what it inserts itself (`index_new`, `index_plain`), this saves writing and
    deleting a queue row per message (a third of the time of inserting 100,000). The
    queueing trigger is paused inside the caller's transaction (`bulk.trigger_paused`):
    a failure or crash rolls it back with everything else."""
    with trigger_paused(conn, INSERT_TRIGGER):
        yield


# The document `message_doc` makes for a plain message (no subject, no call number, no
# digit in its text, a sender whose address is no phone number, not forwarded): written by SQLite from
# the rows just inserted, without passing each through Python.
_PLAIN_DOCS_SQL = (
    f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) "
    "SELECT m.id, m.text, CASE WHEN coalesce(p.address, '') <> '' "
    "AND p.address <> coalesce(p.name, '') THEN coalesce(p.name, '') || char(10) || p.address "
    "ELSE coalesce(p.name, '') END, '', '' "
    "FROM messages m LEFT JOIN participants p ON p.id = m.participant_id "
    "WHERE m.id BETWEEN ? AND ?")


def needs_own_doc(text: str, subject: str, call_number: str, address: str) -> bool:
    """Whether a message's document needs `message_doc` (numbers or plates to spell
    out, a subject), rather than the plain one `index_plain` writes in SQL."""
    return bool(subject or call_number or _HAS_DIGIT.search(text)
                or _looks_like_number(address))


# `needs_own_doc`'s look at a message's text alone (a digit: plates or numbers to spell
# out), for an importer that checks the other fields itself, 100,000 times over.
text_needs_own_doc = _HAS_DIGIT.search


def index_plain(conn: Connection, runs: Sequence[tuple[int, int]]) -> None:
    """Index plain messages just inserted (see `needs_own_doc`), given as runs of ids
    (first, last): one INSERT ... SELECT a run."""
    if runs:
        conn.exec_driver_sql(_PLAIN_DOCS_SQL, list(runs))


def pending(conn: Connection) -> int:
    """How many message documents wait to be refreshed."""
    return conn.exec_driver_sql(f"SELECT count(*) FROM {DIRTY}").scalar() or 0


def rebuild(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Throw the message index away and build it again; returns documents written."""
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql(f"DELETE FROM {DIRTY}")
    ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM messages ORDER BY id")]
    done = 0
    for chunk in _chunks(ids):
        _write(conn, chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    return len(ids)


def differences(conn: Connection, limit: int = 20) -> list[str]:
    """Where the message index differs from the messages (empty when in step)."""
    problems: list[str] = []
    try:
        conn.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('integrity-check')")
    except Exception as exc:  # noqa: BLE001 - any failure here means a damaged index
        # FTS5 runs its check as a write: a case opened read-only is compared below only.
        if "readonly" not in str(exc):
            return [f"the message search index is damaged ({exc})"]
    waiting = pending(conn)
    if waiting:
        problems.append(f"{waiting} message(s) wait to be added to the search index")
    want = [r[0] for r in conn.exec_driver_sql("SELECT id FROM messages ORDER BY id")]
    have = {r[0] for r in conn.exec_driver_sql(f"SELECT rowid FROM {TABLE}")}
    for extra in sorted(have - set(want))[:limit]:
        problems.append(f"the search index holds message {extra}, which is not in the case")
    for chunk in _chunks(want):
        docs = build_docs(conn, chunk)
        stored = {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(
            f"SELECT rowid, {', '.join(COLUMNS)} FROM {TABLE} WHERE rowid BETWEEN ? AND ?",
            (chunk[0], chunk[-1]))}
        for mid, doc in docs.items():
            if stored.get(mid) != doc:
                what = "is missing from" if mid not in stored else "is out of date in"
                problems.append(f"message {mid} {what} the search index")
                if len(problems) >= limit:
                    return problems
    return problems


class MessageIndex:
    """The message index as derived data of a case (`core.store.case.DerivedData`)."""

    name = "message search index"

    def refresh(self, conn: Connection) -> int:
        return flush_dirty(conn)

    def pending(self, conn: Connection) -> int:
        return pending(conn)

    def differences(self, conn: Connection) -> list[str]:
        return differences(conn)


MESSAGE_INDEX = MessageIndex()


# --------------------------------------------------------------------------- search
@dataclass(frozen=True)
class MessageMatch:
    """Where a message hit opens: its conversation and its place in it."""

    message_id: int
    conversation_id: int
    index: int
    sent_at: datetime | None


_SEARCH_SQL = (
    "SELECT m.id, m.conversation_id, m.idx, m.sent_at, m.kind, m.text, m.subject, "
    "m.call_number, m.call_status, p.name, p.address, c.title, c.timezone, m.forwarded_from "
    "FROM (SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ? "
    "OFFSET ?) hit JOIN messages m ON m.id = hit.rowid "
    "JOIN conversations c ON c.id = m.conversation_id AND c.deleted_at IS NULL "
    "LEFT JOIN participants p ON p.id = m.participant_id ORDER BY hit.rank")


def search_messages(case: Case, text: str | ParsedQuery, limit: int = 50, offset: int = 0,
                    ) -> tuple[list[SearchHit], int]:
    """Messages matching what was typed (the same query language as `find.search`),
    best first, and how many match in all. Each hit is kind "message" and carries
    `conversation_id` and `message_index` so a view can open the conversation there."""
    parsed = parse_query(text) if isinstance(text, str) else text
    # SQLite's integers stop at 2**63 - 1; a larger limit means "all of them".
    limit, offset = min(limit, 2**63 - 1), min(max(offset, 0), 2**63 - 1)
    match = parsed.fts
    limit, offset = min(max(limit, 0), 100_000), min(max(offset, 0), 2**62)
    if match is None:
        return [], 0
    hits: list[SearchHit] = []
    with case.connect() as conn:
        total = conn.exec_driver_sql(
            f"SELECT count(*) FROM {TABLE} JOIN messages m ON m.id = {TABLE}.rowid "
            "JOIN conversations c ON c.id = m.conversation_id AND c.deleted_at IS NULL "
            f"WHERE {TABLE} MATCH ?", (match,)).scalar() or 0
        rows = conn.exec_driver_sql(_SEARCH_SQL.format(table=TABLE), (match, limit, offset))
        for (mid, cid, idx, sent, kind, body, subject, number, _status, name, address,
             title, tz, forwarded) in rows:
            when = _when(sent, tz)
            sender = name or address or ("" if kind != "system" else "System message")
            texts = [f"{subject}\n{body}" if subject else body, sender, number or ""]
            if forwarded is not None:  # found by the mark: shown with it, as the chat does
                texts.append(f"Forwarded from {forwarded}: {body}" if forwarded
                             else f"Forwarded: {body}")
            column, snippet, spans = make_snippet(texts, parsed)
            if column < 0:
                snippet, spans = (body or subject or number or "")[:160], []
            label = (title or sender) if sender in (title, "") else (
                f"{sender} in \u201c{title}\u201d" if title else sender)
            hits.append(SearchHit(
                kind="message", id=mid, title=label,
                when=when, snippet=snippet, highlights=spans,
                field=("text", "sender", "numbers", "forwarded")[max(column, 0)],
                occurred_at=_aware(sent), category=(kind if kind != "text" else ""),
                conversation_id=cid, message_index=idx))
    return hits, total


def _aware(value: str | datetime | None) -> datetime | None:
    if value is None:
        return None
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def _when(value: str | datetime | None, tz: str) -> str:
    dt = _aware(value)
    if dt is None:
        return "Undated"
    local = dt.astimezone(ZoneInfo(tz))
    return f"{local.day} {local:%b %Y %H:%M}"
