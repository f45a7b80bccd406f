"""What an export says about a message beyond its words: forwarded (from whom), edited
(and when), unsent. A forwarded message is not the sender's own words and an edited
one was changed after it was sent; both matter as evidence, so they are recorded per
message (models.Message, migration 0006) while the text stays exactly as exported.

The importers that read these from structured exports (Telegram's "forwarded_from",
"edited"; Meta's "is_unsent") set them on `ChatMessage`. WhatsApp writes no field: it
appends "<This message was edited>" (in the phone's language) to the text itself, which
`whatsapp_edited` recognises here, so the WhatsApp reader need not change.
`record_marks` writes them for the messages an import adds, with one UPDATE per marked
message (few are marked), after chat.py's bulk insert.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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


def record_marks(conn: Any, ex: ChatExport, fresh: Sequence[int], first_id: int) -> int:
    """Store the marks of the messages just inserted: `fresh` are their positions in
    `ex.messages`, given ids `first_id`, `first_id + 1`, ... in that order (as chat.py
    inserts them). Returns how many messages were marked."""
    rows: list[tuple[Any, ...]] = []
    whatsapp = ex.source == "whatsapp"
    for n, pos in enumerate(fresh):
        m = ex.messages[pos]
        edited = m.edited or (whatsapp and m.kind == "text" and whatsapp_edited(m.text))
        if m.forwarded_from is None and not edited and not m.unsent:
            continue
        rows.append((m.forwarded_from, 1 if edited else 0, stored_datetime(m.edited_at),
                     1 if m.unsent else 0, first_id + n))
    if rows:
        conn.exec_driver_sql(
            "UPDATE messages SET forwarded_from = ?, edited = ?, edited_at = ?, unsent = ? "
            "WHERE id = ?", rows)
    return len(rows)
