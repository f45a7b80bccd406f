"""What an export says about a message beyond its words: forwarded (from whom), edited
(and when), unsent. A forwarded message is not the sender's own words and an edited
one was changed after it was sent; both matter as evidence, so they are recorded per
message (models.Message, migration 0006) while the text stays exactly as exported.

The importers that read these from structured exports (Telegram's "forwarded_from",
"edited"; Meta's "is_unsent") set them on `ChatMessage`. WhatsApp writes no field: it
appends "<This message was edited>" (in the phone's language) to the text itself, which
`whatsapp_edited` recognises here, so the WhatsApp reader need not change.
`record_marks` writes them for the messages an import adds, with one UPDATE per marked
message (few are marked), after chat.py's bulk insert. `add_marks` gives a message
already there a mark a later export shows and the first lacked (an export from before
the app read marks, or one from an older app version): it only adds, never changes a
mark already recorded nor the text, and what it added goes in the import's audit event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Any

from evidence_app.core.search.messages import queue
from evidence_app.core.store.bulk import stored_datetime

if TYPE_CHECKING:
    from evidence_app.core.importers.chat import ChatExport

# WhatsApp's edited marker at the end of a message, as Android and iPhone exports
# write it (iPhone puts a left-to-right mark before it): English as in real exports,
# and the Spanish, German, French and Italian forms public chat analysers also strip.
EDITED_MARKERS = (
    "<This message was edited>",
    "<Este mensaje fue editado>",
    "<Diese Nachricht wurde bearbeitet>",
    "<Ce message a été modifié>",
    "<Questo messaggio è stato modificato>",
)
_EDITED = re.compile(
    r"[\s\u200e\u200f]*(?:" + "|".join(re.escape(m) for m in EDITED_MARKERS) + r")\s*\Z")


def whatsapp_edited(text: str) -> bool:
    """Whether a WhatsApp message's text ends with the phone's "edited" marker."""
    # Cheap first look (this runs for every message of a long chat): the marker ends
    # the text, perhaps before a space or line end.
    if not text or ">" not in text[-3:]:
        return False
    return _EDITED.search(text) is not None


def _edited(m: Any, whatsapp: bool) -> bool:
    return bool(m.edited or (whatsapp and m.kind == "text" and whatsapp_edited(m.text)))


def record_marks(conn: Any, ex: ChatExport, fresh: Sequence[int], first_id: int) -> int:
    """Store the marks of the messages just inserted: `fresh` are their positions in
    `ex.messages`, given ids `first_id`, `first_id + 1`, ... in that order (as chat.py
    inserts them). Returns how many messages were marked."""
    rows: list[tuple[Any, ...]] = []
    whatsapp = ex.source == "whatsapp"
    for n, pos in enumerate(fresh):
        m = ex.messages[pos]
        edited = _edited(m, whatsapp)
        if m.forwarded_from is None and not edited and not m.unsent:
            continue
        rows.append((m.forwarded_from, 1 if edited else 0, stored_datetime(m.edited_at),
                     1 if m.unsent else 0, first_id + n))
    if rows:
        conn.exec_driver_sql(
            "UPDATE messages SET forwarded_from = ?, edited = ?, edited_at = ?, unsent = ? "
            "WHERE id = ?", rows)
    return len(rows)


def add_marks(conn: Any, ex: ChatExport, known: Sequence[tuple[int, int, int]],
              ) -> list[dict[str, Any]]:
    """Record on messages already there the marks this export shows that they lack.
    `known`: (position in `ex.messages`, message id, message number) of each message of
    the export that was already there. A recorded mark is never changed or taken away
    and the text is never touched. Returns, per message given a mark, its number and
    what was added (for the import's audit event), in message-number order."""
    whatsapp = ex.source == "whatsapp"
    wanted: dict[int, tuple[int, Any]] = {}
    for pos, mid, idx in known:
        m = ex.messages[pos]
        if m.forwarded_from is not None or m.unsent or _edited(m, whatsapp):
            wanted[mid] = (idx, m)
    if not wanted:
        return []
    stored: dict[int, tuple[Any, ...]] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        stored.update((r[0], tuple(r[1:])) for r in conn.exec_driver_sql(
            "SELECT id, forwarded_from, edited, edited_at, unsent FROM messages "
            f"WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk)))
    rows: list[tuple[Any, ...]] = []
    added: list[dict[str, Any]] = []
    for mid, (idx, m) in wanted.items():
        fwd, edited, edited_at, unsent = stored[mid]
        new: dict[str, Any] = {}
        if m.forwarded_from is not None and fwd is None:
            new["forwarded_from"] = m.forwarded_from
        if _edited(m, whatsapp) and not edited:
            new["edited"] = True
        if new.get("edited", edited) and edited_at is None and m.edited_at is not None:
            new["edited_at"] = m.edited_at.astimezone(UTC).isoformat()
        if m.unsent and not unsent:
            new["unsent"] = True
        if not new:
            continue
        rows.append((new.get("forwarded_from", fwd), 1 if new.get("edited", edited) else 0,
                     stored_datetime(m.edited_at) if "edited_at" in new else edited_at,
                     1 if new.get("unsent", unsent) else 0, mid))
        added.append({"message": idx, "added": new})
    if rows:
        conn.exec_driver_sql(
            "UPDATE messages SET forwarded_from = ?, edited = ?, edited_at = ?, unsent = ? "
            "WHERE id = ?", rows)
        # A forwarded mark is in the message's search document (search/messages.py);
        # the update triggers do not watch it.
        queue(conn, [row[-1] for row in rows if row[0] is not None])
    return sorted(added, key=lambda a: a["message"])
