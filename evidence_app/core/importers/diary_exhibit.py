"""The diary file itself, kept as an exhibit beside the incidents made from its rows.

Its exact bytes (those that were read for the preview) are stored among the case's
originals before the import's transaction; the exhibit's row is written in that same
transaction, on the first incident the import creates, so the diary is listed with its
SHA-256 in the report and the export and never waits in the Inbox. The same bytes
imported again reuse the exhibit already made from them: one original, one mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence_app.core.errors import CaseError
from evidence_app.core.importers.files import store_advice
from evidence_app.core.incidents import DIARY_IMPORT
from evidence_app.core.media.analysis import analyse
from evidence_app.core.names import readable_name
from evidence_app.core.store.audit import AuditWriter
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Attachment, CaseSettings
from evidence_app.core.store.originals import StoreError
from evidence_app.core.vocab import CaptureSource

SOURCE = DIARY_IMPORT  # the audit events' "source", and what the report looks for
# Short enough for a gallery tile; each incident from it says which row it came from.
CAPTION = "Diary (spreadsheet)"
MODIFIED_NOTE = "when the diary file was last saved (copying can change this)"


@dataclass
class StoredDiary:
    """A diary's bytes, safely among the originals; not yet an exhibit."""

    sha256: str
    size: int
    created: bool  # new to the case (removed again if the import commits nothing)
    name: str
    path: str
    media_type: str
    modified: datetime | None = None


def store_original(case: Case, data: bytes, path: Path | None,
                   modified: datetime | None = None) -> StoredDiary:
    """Put the diary's bytes among the originals (outside any transaction, as every
    import does, so a row never refers to a file that is not yet safely on disk)."""
    try:
        sha, size, created = case.originals.put_bytes(data)
    except StoreError as exc:
        raise CaseError(f"The diary cannot be saved into the case: {exc.strerror}. Nothing "
                        "was imported; everything already in the case is safe. "
                        f"{store_advice(exc.errno)}") from exc
    if created:
        # Bytes rewritten in place of a missing or damaged copy belong to an exhibit
        # already: never removed, even if nothing is imported this time.
        with case.read() as session:
            created = session.scalar(
                select(Attachment.id).where(Attachment.sha256 == sha)) is None
    name = readable_name(path.name) if path is not None else "diary.csv"
    media_type = analyse(case.originals.opener(sha), name).media_type
    return StoredDiary(sha, size, created, name,
                       readable_name(str(path)) if path is not None else "", media_type,
                       modified)


Event = tuple[str, str, int | None, dict[str, Any]]


def record_exhibit(session: Session, audit: AuditWriter, stored: StoredDiary,
                   incident_id: int) -> tuple[str, list[Event]]:
    """Within the import's transaction: the exhibit made from the diary (an existing one
    when these bytes are already in the case, else a new mark on `incident_id`, which
    must already be written). Returns its mark, which each imported incident records, and
    the audit event to log after the incidents' own (none when it was already there)."""
    existing = session.scalars(
        select(Attachment).where(Attachment.sha256 == stored.sha256)).one_or_none()
    events: list[Event] = []
    if existing is None:
        settings = session.get(CaseSettings, 1)
        assert settings is not None
        serial = settings.next_exhibit_serial
        settings.next_exhibit_serial = serial + 1
        now = audit.now()  # the clock only: the event is the caller's to log
        existing = Attachment(
            incident_id=incident_id, sha256=stored.sha256, exhibit_serial=serial,
            exhibit_mark=f"{settings.initials}/{serial}", original_name=stored.name,
            original_path=stored.path, size=stored.size, media_type=stored.media_type,
            kind="file", imported_at=now, preview=False, caption=CAPTION,
            # A diary is dated by when it was last saved: the file's own time, said so.
            captured_at=stored.modified, file_mtime=stored.modified,
            captured_from=CaptureSource.MTIME if stored.modified else "",
            captured_note=MODIFIED_NOTE if stored.modified else "")
        session.add(existing)
        session.flush()
        events.append(("import", "attachment", existing.id, {
            "exhibit": existing.exhibit_mark, "sha256": stored.sha256,
            "original_name": stored.name, "size": stored.size, "incident_id": incident_id,
            "captured_at": stored.modified, "captured_from": existing.captured_from,
            "caption": CAPTION, "source": SOURCE}))
    return existing.exhibit_mark, events
