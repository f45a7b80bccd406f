"""What a unit of work changed, as views need to know it (Anki's `OpChanges`).

Every change to a case is recorded in the audit trail in the same transaction, so the
events a unit of work logged say exactly what it changed: no caller has to guess.
`Case.write()` turns them into a `Changes` after it commits and hands it to whoever is
tracking changes on that thread (`Case.tracking()`), so a caller learns what an
operation did from the operation itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

_ENTITY_FIELD = {"incident": "incidents", "attachment": "attachments", "note": "notes",
                 "person": "people", "vehicle": "vehicles", "conversation": "conversations"}
_TRASH_ACTIONS = {"trash", "restore", "empty_trash"}


@dataclass(frozen=True)
class Changes:
    """Ids of the records a unit of work created, edited, linked, trashed or removed,
    and the other parts of the case it touched. Falsy when nothing changed.

    `incidents` holds incidents whose own record, notes, people, vehicles, tags or set of
    exhibits changed. An exhibit changed in place (its caption, its text, put in or taken
    out of the trash) is in `attachments` only: a view of one incident's exhibits looks
    at `attachments` (and `trash`) too."""

    incidents: frozenset[int] = field(default_factory=frozenset)
    attachments: frozenset[int] = field(default_factory=frozenset)
    notes: frozenset[int] = field(default_factory=frozenset)
    people: frozenset[int] = field(default_factory=frozenset)
    vehicles: frozenset[int] = field(default_factory=frozenset)
    settings: bool = False  # the case's name, owner, initials, address, contact, zone or
    # its case-wide impacts
    state: frozenset[str] = field(default_factory=frozenset)  # case_state keys
    trash: bool = False  # something went into or out of the trash, or it was emptied
    search_index: bool = False  # documents of the search index were rewritten
    # Conversations whose messages, participants or exports changed (messages put into
    # or taken out of an incident are here too, with the incident in `incidents`).
    conversations: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        merged: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = (mine or theirs) if isinstance(mine, bool) else mine | theirs
        return Changes(**merged)

    @property
    def timeline(self) -> bool:
        """Whether lists of incidents may show something else now (an incident, one of
        its notes, exhibits, people or vehicles, or the trash changed)."""
        return bool(self.incidents or self.notes or self.attachments or self.people
                    or self.vehicles or self.trash)

    @property
    def people_or_vehicles(self) -> bool:
        return bool(self.people or self.vehicles)

    @classmethod
    def from_events(cls, events: Iterable[tuple[str, str, int | None, Mapping[str, Any]]],
                    search_index: bool = False) -> Changes:
        """What a list of (action, entity, entity id, details) audit events changed."""
        ids: dict[str, set[int]] = {name: set() for name in _ENTITY_FIELD.values()}
        settings = trash = False
        state: set[str] = set()
        for action, entity, entity_id, details in events:
            trash = trash or action in _TRASH_ACTIONS
            name = _ENTITY_FIELD.get(entity)
            if name is not None and entity_id is not None:
                ids[name].add(entity_id)
            # The incident a note, link or exhibit move belongs to changed too.
            for key in ("incident_id", "old_incident", "new_incident"):
                value = details.get(key)
                if isinstance(value, int):
                    ids["incidents"].add(value)
            conversation = details.get("conversation_id")
            if isinstance(conversation, int):
                ids["conversations"].add(conversation)
            if entity == "case":
                settings = settings or action in ("create", "update")
                for key in _ENTITY_FIELD.values():
                    ids[key].update(_ids(details.get(key, ())))
            elif entity == "impact" and details.get("incident_id") is None:
                settings = True  # an effect on the whole case: case settings show it
            elif entity == "case_state":
                state.add(str(details.get("key", "")))
            elif entity == "search_index":
                search_index = True
        return cls(**{k: frozenset(v) for k, v in ids.items()}, settings=settings,
                   state=frozenset(state), trash=trash, search_index=search_index)


def _ids(values: Any) -> Iterable[int]:
    """Ids listed in an event's details: plain ids, or records with an "id"."""
    for value in values if isinstance(values, list | tuple) else ():
        if isinstance(value, int):
            yield value
        elif isinstance(value, dict) and isinstance(value.get("id"), int):
            yield value["id"]


@dataclass
class ChangeLog:
    """Collects what the units of work on one thread changed (see `Case.tracking`).
    `changes` is replaced whole, never edited, so another thread may read it any time."""

    changes: Changes = field(default_factory=Changes)

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes
