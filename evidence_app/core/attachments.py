"""Attachments after import: read, caption, link to incidents, the inbox, trash."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.store.audit import AuditWriter
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    ConversationExport,
    Incident,
    message_attachments,
)
from evidence_app.core.views import AttachmentView

if TYPE_CHECKING:
    from PIL import Image


def _get(session, attachment_id: int, allow_deleted: bool = False) -> Attachment:  # type: ignore[no-untyped-def]
    att = session.get(Attachment, attachment_id)
    if att is None or (att.deleted_at is not None and not allow_deleted):
        raise NotFoundError(f"There is no attachment {attachment_id}.")
    return att


def get_attachment(case: Case, attachment_id: int, allow_deleted: bool = False) -> AttachmentView:
    """One attachment's details."""
    with case.read() as session:
        return AttachmentView.from_row(_get(session, attachment_id, allow_deleted))


def thumbnail(case: Case, attachment: AttachmentView) -> bytes | None:
    """The thumbnail (JPEG bytes; a PDF's first page), rebuilt from the original if the
    cache lost it; None when the exhibit has none or the thumbnail cannot be made."""
    from evidence_app.core.media.analysis import make_thumbnail

    if not attachment.has_thumbnail:
        return None
    data = case.cache.thumbnail(attachment.sha256)
    if data is None:
        try:
            data = make_thumbnail(case.originals.opener(attachment.sha256))
        except OSError:
            return None
        with contextlib.suppress(OSError):  # a cache that cannot be written: rebuilt again later
            case.cache.save_thumbnail(attachment.sha256, data)
    return data


def display_image(case: Case, attachment: AttachmentView, max_side: int | None = None,
                  ) -> Image.Image:
    """The original as an upright RGB(A) picture for the viewer (a PDF's first page),
    fitted within `max_side` pixels. Raises OSError with a readable reason when it
    cannot be shown."""
    from evidence_app.core.media.analysis import load_display_image
    from evidence_app.core.media.pdf import MAX_BYTES, MAX_SIDE, PDF_TYPE, read_pdf

    if attachment.media_type == PDF_TYPE and not attachment.preview:
        with case.originals.open(attachment.sha256) as fh:
            facts = read_pdf(fh.read(MAX_BYTES + 1), min(max_side or MAX_SIDE, MAX_SIDE))
        if facts.image is None:
            raise OSError(facts.error or "the PDF's first page could not be drawn")
        return facts.image
    if not attachment.preview and attachment.media_type in _ISOLATED_TYPES:
        # Its reader stopped on it at import (a crash, a hang, too much memory): it is
        # not decoded again in the app's own process.
        raise OSError(attachment.preview_error or "this picture cannot be shown")
    return load_display_image(case.originals.opener(attachment.sha256), max_side)


# Pictures whose decoders run in a child process at import (core.media.isolated).
_ISOLATED_TYPES = {"image/tiff", "image/x-adobe-dng", "image/heic", "image/heif",
                   "image/avif", "image/jp2"}


def viewer_copy(case: Case, attachment_id: int) -> Path:
    """A read-only file with the original's exact bytes, named like the original, for
    the system's own viewer. It lives in the case's cache until the case closes."""
    att = get_attachment(case, attachment_id, allow_deleted=True)
    try:
        return case.cache.viewer_copy(att.sha256, att.original_name, att.media_type)
    except FileNotFoundError:
        raise NotFoundError(f"The original of exhibit {att.exhibit_mark} is missing from the "
                            "case.") from None


def clear_viewer_copies(case: Case) -> int:
    """Remove every copy made for the system viewer; returns how many."""
    return case.cache.clear_viewer_copies()


def extract(case: Case, attachment_id: int, dest: Path, *, replace: bool = False) -> Path:
    """Write a copy of the original bytes to `dest` (a file, or a folder to keep its name).

    An existing file is never replaced unless `replace` is given; a copy cut short (a
    full disk) is removed rather than left looking like the exhibit.
    """
    import shutil

    att = get_attachment(case, attachment_id, allow_deleted=True)
    if not case.originals.exists(att.sha256):
        raise NotFoundError(f"The original of attachment {attachment_id} is missing from the case.")
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / att.original_name
    if case.contains(dest):
        # Opening an original (or case.db) for writing would empty it before a byte is copied.
        raise ValidationError("Choose a place outside the case folder.")
    if dest.is_dir():
        raise ValidationError(f"{dest} is a folder. Give a file name.")
    if dest.exists() and not replace:
        raise ValidationError(f"{dest} already exists and was left as it is. Give another "
                              "name, or ask to replace it.")
    with case.originals.open(att.sha256) as fin, open(dest, "wb" if replace else "xb") as fout:
        try:
            shutil.copyfileobj(fin, fout, 1024 * 1024)
            fout.flush()
            os.fsync(fout.fileno())
        except BaseException:
            fout.close()
            dest.unlink(missing_ok=True)
            raise
    return dest


def in_conversation() -> Any:
    """Whether an attachment belongs to imported messages: a message export file, or a
    picture or file sent in a message. Those are shown in their conversation, not in
    the inbox; they become an incident's exhibits with the messages put in it."""
    return or_(
        exists().where(message_attachments.c.attachment_id == Attachment.id),
        exists().where(ConversationExport.attachment_id == Attachment.id))


def list_inbox(case: Case, offset: int = 0, limit: int | None = None) -> list[AttachmentView]:
    """Imported files not yet linked to an incident, by capture time (files that came
    with imported messages are in their conversation instead)."""
    query = (
        select(Attachment)
        .where(Attachment.incident_id.is_(None), Attachment.deleted_at.is_(None),
               ~in_conversation())
        .order_by(Attachment.captured_at.is_(None), Attachment.captured_at, Attachment.exhibit_serial)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    with case.read() as session:
        return [AttachmentView.from_row(a) for a in session.scalars(query)]


def incident_attachments(case: Case, incident_id: int) -> list[AttachmentView]:
    """An incident's exhibits (not in the trash), by capture time then exhibit number."""
    query = (
        select(Attachment)
        .where(Attachment.incident_id == incident_id, Attachment.deleted_at.is_(None))
        .order_by(Attachment.captured_at.is_(None), Attachment.captured_at, Attachment.exhibit_serial)
    )
    with case.read() as session:
        return [AttachmentView.from_row(a) for a in session.scalars(query)]


def count_inbox(case: Case) -> int:
    """How many imported files wait in the inbox (not in the trash)."""
    with case.read() as session:
        return session.scalar(select(func.count(Attachment.id)).where(
            Attachment.incident_id.is_(None), Attachment.deleted_at.is_(None),
            ~in_conversation())) or 0


def set_caption(case: Case, attachment_id: int, caption: str) -> None:
    """Describe an exhibit in words (audited)."""
    text = caption.replace("\x00", "").strip()
    with case.write() as (session, audit):
        att = _get(session, attachment_id)
        if att.caption != text:
            audit.log("update", "attachment", attachment_id, exhibit=att.exhibit_mark,
                      changes={"caption": {"old": att.caption, "new": text}})
            att.caption = text


def move_attachments(case: Case, attachment_ids: list[int], incident_id: int | None) -> None:
    """Link attachments to an incident, or back to the inbox with None (audited)."""
    with case.write() as (session, audit):
        link_attachments(session, audit, attachment_ids, incident_id)


def link_attachments(session: Session, audit: AuditWriter, attachment_ids: list[int],
                     incident_id: int | None) -> None:
    """`move_attachments` inside a unit of work the caller already holds."""
    if incident_id is not None:
        incident = session.get(Incident, incident_id)
        if incident is None or incident.deleted_at is not None:
            raise NotFoundError(f"There is no incident {incident_id}.")
    for att_id in attachment_ids:
        att = _get(session, att_id)
        if att.incident_id == incident_id:
            continue
        action = "unlink" if incident_id is None else "link"
        audit.log(action, "attachment", att_id, exhibit=att.exhibit_mark,
                  old_incident=att.incident_id, new_incident=incident_id)
        att.incident_id = incident_id


def delete_attachments(case: Case, attachment_ids: list[int]) -> None:
    """Move attachments to the trash; the originals stay until the trash is emptied."""
    with case.write() as (session, audit):
        for att_id in attachment_ids:
            att = _get(session, att_id)
            att.deleted_at = audit.now()
            audit.log("trash", "attachment", att_id, exhibit=att.exhibit_mark)


def restore_attachment(case: Case, attachment_id: int) -> None:
    """Bring an exhibit back from the trash (audited); nothing happens if it is not there."""
    with case.write() as (session, audit):
        att = _get(session, attachment_id, allow_deleted=True)
        if att.deleted_at is not None:
            att.deleted_at = None
            audit.log("restore", "attachment", attachment_id, exhibit=att.exhibit_mark)

