"""messages: their number in their own export file; identities that survive a change of
the case's time zone and an export with or without its media

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 04:40:00

`messages.source_index` is the message's number among the messages of the export file
it was read from, which a report cites ("JS/12, messages 341-355") and which never
changes when a later export slots earlier messages in (their `idx`, the place in the
conversation, moves then). Messages imported before this revision keep NULL: the report
cites their `idx`, as it did when they were imported, so nothing already printed
changes.

`messages.dedupe_key` (the message's identity) is computed again as importers/chat.py
`identities` now does: the local wall-clock time as written for exports whose times
carry no zone (WhatsApp, older Telegram exports), and "media" in place of the text of a message that sent a
picture or file, so a re-import after the case's zone changed, or of the same chat with
or without its media, recognises the messages already there. The rule is written out
here, not imported, so this revision stays what it was.
"""

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"
_PLACEHOLDER = re.compile(
    r"^[\s" + _MARKS + r"]*(?:<Media omitted>|(?:image|video|audio|sticker|GIF|"
    r"Contact card|document) omitted|[^\n]*[\s" + _MARKS + r"]document omitted)[\s" + _MARKS + r"]*$")


def _wall(sent: str, zone: ZoneInfo) -> str:
    utc = datetime.fromisoformat(sent).replace(tzinfo=UTC)
    return utc.astimezone(zone).replace(tzinfo=None, microsecond=0).isoformat(" ")


def _identities(conn: sa.Connection) -> None:
    zones = {cid: tz for cid, tz in conn.exec_driver_sql(
        "SELECT id, timezone FROM conversations")}
    sources = {cid: src for cid, src in conn.exec_driver_sql(
        "SELECT id, source FROM conversations")}
    with_files = {r[0] for r in conn.exec_driver_sql(
        "SELECT DISTINCT message_id FROM message_attachments")}
    rows = conn.exec_driver_sql(
        "SELECT m.id, m.conversation_id, m.sent_at, m.time_basis, m.kind, m.text, "
        "m.call_number, m.call_status, coalesce(p.name, ''), coalesce(p.address, '') "
        "FROM messages m LEFT JOIN participants p ON p.id = m.participant_id "
        "ORDER BY m.conversation_id, m.idx").all()
    seen: dict[tuple[int, str], int] = {}
    updates = []
    cache: dict[str, ZoneInfo] = {}
    for (mid, cid, sent, basis, kind, text, number, status, name, address) in rows:
        whatsapp = sources.get(cid) == "whatsapp"
        when = sent or ""
        if (whatsapp or sources.get(cid) == "telegram") and sent and basis in (
                "case_zone", "export_zone"):
            tz = zones.get(cid) or "UTC"
            try:
                zone = cache.get(tz) or cache.setdefault(tz, ZoneInfo(tz))
            except (KeyError, ValueError):  # an unknown zone: keep the absolute time
                zone = None
            if zone is not None:
                when = _wall(sent, zone)
        text = text or ""
        media = whatsapp and kind == "text" and (
            mid in with_files or text == "" or ("omitted" in text
                                                and _PLACEHOLDER.match(text) is not None))
        sender = name if kind != "system" else ""
        base = "\x1f".join((sender, address if kind != "system" else "", when, kind or "",
                            "\x00media" if media else text, number or "", status or ""))
        n = seen.get((cid, base), 0)
        seen[(cid, base)] = n + 1
        updates.append((hashlib.sha256(f"{base}\x1f{n}".encode()).hexdigest()[:40], mid))
    if updates:
        conn.exec_driver_sql("UPDATE messages SET dedupe_key = ? WHERE id = ?", updates)


def upgrade() -> None:
    # A plain ALTER TABLE: the table (and its search triggers) stays as it is.
    op.add_column("messages", sa.Column("source_index", sa.Integer(), nullable=True))
    _identities(op.get_bind())


def downgrade() -> None:
    op.execute("ALTER TABLE messages DROP COLUMN source_index")
