"""Who is who in a conversation (the person keeping the case, suspects, links to People),
its title, and the trash; each change one unit of work with its audit event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Conversation,
    Participant,
    Person,
)


def set_participant(case: Case, participant_id: int, *, is_owner: bool | None = None,
                    is_suspect: bool | None = None, person_id: int | None | bool = False,
                    ) -> None:
    """Say who a participant is: the person keeping the case (`is_owner`), a suspect,
    and which entry in People (`person_id`; None unlinks; left out, unchanged)."""
    with case.write() as (session, audit):
        p = session.get(Participant, participant_id)
        if p is None:
            raise NotFoundError(f"There is no participant {participant_id}.")
        changes: dict[str, dict[str, Any]] = {}
        if person_id is not False:
            if person_id is not None:
                person = session.get(Person, person_id)
                if person is None or person.deleted_at is not None:
                    raise NotFoundError(f"There is no person {person_id}.")
            if p.person_id != person_id:
                changes["person_id"] = {"old": p.person_id, "new": person_id}
                p.person_id = person_id  # type: ignore[assignment]
        if is_owner is not None and bool(p.is_owner) != is_owner:
            if is_owner:  # one person keeps the case
                for other in session.scalars(select(Participant).where(
                        Participant.conversation_id == p.conversation_id,
                        Participant.is_owner.is_(True))):
                    other.is_owner = False
                    audit.log("update", "participant", other.id,
                              conversation_id=p.conversation_id,
                              changes={"is_owner": {"old": True, "new": False}})
            changes["is_owner"] = {"old": bool(p.is_owner), "new": is_owner}
            p.is_owner = is_owner
        if is_suspect is not None and bool(p.is_suspect) != is_suspect:
            changes["is_suspect"] = {"old": bool(p.is_suspect), "new": is_suspect}
            p.is_suspect = is_suspect
        if changes:
            audit.log("update", "participant", participant_id,
                      conversation_id=p.conversation_id, name=p.name, changes=changes)


def rename_conversation(case: Case, conversation_id: int, title: str) -> None:
    """Give a conversation a clearer title (audited)."""
    title = title.strip()
    if not title:
        raise ValidationError("A conversation needs a title.")
    with case.write() as (session, audit):
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            raise NotFoundError(f"There is no conversation {conversation_id}.")
        if conv.title != title:
            audit.log("update", "conversation", conversation_id, conversation_id=conversation_id,
                      changes={"title": {"old": conv.title, "new": title}})
            conv.title = title
            conv.updated_at = audit.now()


def delete_conversation(case: Case, conversation_id: int) -> None:
    """Move a conversation to the trash: it leaves the list and the search; its messages,
    export files and pictures stay in the case (and in any incident made from them)."""
    _set_deleted(case, conversation_id, True)


def restore_conversation(case: Case, conversation_id: int) -> None:
    """Take a conversation out of the trash."""
    _set_deleted(case, conversation_id, False)


def _set_deleted(case: Case, conversation_id: int, deleted: bool) -> None:
    with case.write() as (session, audit):
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            raise NotFoundError(f"There is no conversation {conversation_id}.")
        if (conv.deleted_at is not None) == deleted:
            return
        conv.deleted_at = audit.now() if deleted else None
        audit.log("trash" if deleted else "restore", "conversation", conversation_id,
                  conversation_id=conversation_id, title=conv.title)
