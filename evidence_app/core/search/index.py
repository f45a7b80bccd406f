"""The full-text index (SQLite FTS5), kept in step with the case in the same transaction.

One index row ("document") per incident, holding everything that describes it: its
fields, live notes, the names of linked people, linked vehicles, tags, and the captions,
file names and recognised text of its exhibits. Attachments outside a live incident's
exhibits (inbox items, and exhibits trashed on their own) have their own document.
Document ids: an incident's id, or minus an attachment's id.

How it stays in step: triggers (created by migration 0002, plain SQL, so they fire for
every write however it is made: ORM, bulk inserts, cascades, other tools) note which
documents a write touched in `search_dirty`; `Case.write()` calls `flush_dirty` just
before it commits, which rebuilds exactly those documents in the same transaction. A
case opened after a write the app did not make (or after the upgrade that created the
index) is brought up to date on open. `rebuild` redoes everything (`verify --repair`).

This module and core/search/find.py hold the only SQLite-specific SQL in the app.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from evidence_app.core.search.messages import rebuild as rebuild_messages
from evidence_app.core.search.text import plate_keys, plate_ngrams
from evidence_app.core.store.models import (
    Attachment,
    Impact,
    Incident,
    Note,
    Person,
    Tag,
    Vehicle,
    incident_people,
    incident_tags,
    incident_vehicles,
)
from evidence_app.core.vocab import category_label, impact_label

TABLE = "search_index"
COLUMNS = ("title", "details", "notes", "people", "vehicles", "files", "ocr", "plates")
CHUNK = 400

Doc = tuple[str, ...]

# The schema (FTS5 table, `search_dirty`, triggers) is created by migration 0002.
_INCIDENT_TEXT = ("title", "description", "location", "category", "suspect_appearance",
                  "suspect_voice", "suspect_clothing", "witnesses", "impact",
                  "police_reference", "police_officer")


# --------------------------------------------------------------------------- documents
def _join(parts: Iterable[str], sep: str = "\n") -> str:
    return sep.join(p for p in (s.strip() for s in parts) if p)


def _by_incident(conn: Connection, query: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        out[row[0]].append(row)
    return out


def incident_docs(conn: Connection, ids: Sequence[int]) -> dict[int, Doc]:
    """The index documents of these incidents (missing ids are left out)."""
    cols = [getattr(Incident, name) for name in _INCIDENT_TEXT]
    incidents = conn.execute(select(Incident.id, *cols).where(Incident.id.in_(ids))).all()
    if not incidents:
        return {}
    notes = _by_incident(conn, select(Note.incident_id, Note.text).where(
        Note.incident_id.in_(ids), Note.deleted_at.is_(None)).order_by(Note.created_at, Note.id))
    people = _by_incident(conn, select(incident_people.c.incident_id, Person.name)
                          .join(Person, Person.id == incident_people.c.person_id)
                          .where(incident_people.c.incident_id.in_(ids),
                                 Person.deleted_at.is_(None)).order_by(Person.name, Person.id))
    vehicles = _by_incident(conn, select(
        incident_vehicles.c.incident_id, Vehicle.colour, Vehicle.make, Vehicle.model,
        Vehicle.plate, Vehicle.description)
        .join(Vehicle, Vehicle.id == incident_vehicles.c.vehicle_id)
        .where(incident_vehicles.c.incident_id.in_(ids), Vehicle.deleted_at.is_(None))
        .order_by(Vehicle.id))
    tags = _by_incident(conn, select(incident_tags.c.incident_id, Tag.name)
                        .join(Tag, Tag.id == incident_tags.c.tag_id)
                        .where(incident_tags.c.incident_id.in_(ids)).order_by(Tag.name))
    atts = _by_incident(conn, select(
        Attachment.incident_id, Attachment.exhibit_mark, Attachment.original_name,
        Attachment.caption, Attachment.ocr_text)
        .where(Attachment.incident_id.in_(ids), Attachment.deleted_at.is_(None))
        .order_by(Attachment.exhibit_serial))
    impacts = _by_incident(conn, select(Impact.incident_id, Impact.kind, Impact.details)
                           .where(Impact.incident_id.in_(ids)).order_by(Impact.id))
    docs: dict[int, Doc] = {}
    for row in incidents:
        iid = row[0]
        f = dict(zip(_INCIDENT_TEXT, row[1:], strict=True))
        category = "" if f["category"] in ("", "other") else category_label(f["category"])
        details = _join([f["description"], f["location"], category,
                         f["suspect_appearance"], f["suspect_voice"], f["suspect_clothing"],
                         f["witnesses"], f["impact"], f["police_reference"],
                         f["police_officer"], ", ".join(t[1] for t in tags.get(iid, ())),
                         *(f"{impact_label(m[1])}: {m[2]}" for m in impacts.get(iid, ()))])
        veh = vehicles.get(iid, [])
        text = {
            "title": f["title"] or "",
            "details": details,
            "notes": _join(n[1] for n in notes.get(iid, ())),
            "people": _join(p[1] for p in people.get(iid, ())),
            "vehicles": _join(_join(v[1:6], " ") for v in veh),
            "files": _join(_join(a[1:4], " ") for a in atts.get(iid, ())),
            "ocr": _join((a[4] for a in atts.get(iid, ())), "\n\n"),
        }
        keys = plate_keys(text.values(), known=(v[4] for v in veh))
        docs[iid] = (*text.values(), plate_ngrams(keys))
    return docs


def attachment_docs(conn: Connection, ids: Sequence[int]) -> dict[int, Doc]:
    """Documents (keyed by minus the attachment id) of attachments that stand alone:
    in the inbox, or trashed on their own."""
    rows = conn.execute(select(
        Attachment.id, Attachment.incident_id, Attachment.deleted_at, Attachment.exhibit_mark,
        Attachment.original_name, Attachment.caption, Attachment.ocr_text)
        .where(Attachment.id.in_(ids))).all()
    docs: dict[int, Doc] = {}
    for att_id, incident_id, deleted_at, mark, name, caption, ocr in rows:
        if incident_id is not None and deleted_at is None:
            continue  # part of its incident's document
        text = (caption or "", "", "", "", "", _join([mark, name], " "), ocr or "")
        docs[-att_id] = (*text, plate_ngrams(plate_keys(text)))
    return docs


def build_docs(conn: Connection, doc_ids: Sequence[int]) -> dict[int, Doc]:
    """Documents for these ids; an id with no document (gone, or folded into its
    incident) is absent from the result."""
    docs = incident_docs(conn, [d for d in doc_ids if d > 0])
    docs.update(attachment_docs(conn, [-d for d in doc_ids if d < 0]))
    return docs


def _chunks(items: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _write(conn: Connection, doc_ids: Sequence[int]) -> None:
    docs = build_docs(conn, doc_ids)
    conn.exec_driver_sql(f"DELETE FROM {TABLE} WHERE rowid = ?", [(d,) for d in doc_ids])
    if docs:
        marks = ", ".join("?" * (len(COLUMNS) + 1))
        conn.exec_driver_sql(f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES ({marks})",
                             [(d, *doc) for d, doc in docs.items()])


def flush_dirty(conn: Connection) -> int:
    """Rebuild every document a write has touched; returns how many. Call inside the
    writing transaction, after the ORM has flushed."""
    dirty = [r[0] for r in conn.exec_driver_sql("SELECT doc FROM search_dirty")]
    if not dirty:
        return 0
    for chunk in _chunks(dirty):
        _write(conn, chunk)
    conn.exec_driver_sql("DELETE FROM search_dirty")
    return len(dirty)


def pending(conn: Connection) -> int:
    """How many documents wait to be refreshed (0 whenever the case is in step)."""
    return conn.exec_driver_sql("SELECT count(*) FROM search_dirty").scalar() or 0


def expected_ids(conn: Connection) -> list[int]:
    """Every document id the case should have in its index."""
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT id FROM incidents UNION ALL SELECT -id FROM attachments "
        "WHERE incident_id IS NULL OR deleted_at IS NOT NULL ORDER BY 1")]


def rebuild(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Throw the index away and build it again from the case; returns documents written."""
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql("DELETE FROM search_dirty")
    ids = expected_ids(conn)
    done = 0
    for chunk in _chunks(ids, 2000):
        _write(conn, chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    conn.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    return len(ids)


def rebuild_case_index(case: Any) -> int:
    """Rebuild a case's whole index in one write (what `verify --repair` does)."""
    with case.write() as (session, audit):
        count = rebuild(session.connection())
        count += rebuild_messages(session.connection())
        audit.log("rebuild", "search_index", None, records=count)
        return count


def differences(conn: Connection, limit: int = 20) -> list[str]:
    """Where the stored index differs from what the case holds (empty when in step)."""
    problems: list[str] = []
    try:
        conn.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('integrity-check')")
    except Exception as exc:  # noqa: BLE001 - any failure here means a damaged index
        # FTS5 runs its check as a write: a case opened read-only is compared below only.
        if "readonly" not in str(exc):
            problems.append(f"the search index is damaged ({exc})")
            return problems
    waiting = pending(conn)
    if waiting:
        problems.append(f"{waiting} item(s) wait to be added to the search index")
    want = expected_ids(conn)
    have = {r[0] for r in conn.exec_driver_sql(f"SELECT rowid FROM {TABLE}")}
    for extra in sorted(have - set(want))[:limit]:
        problems.append(f"the search index holds {_name(extra)}, which is not in the case")
    for chunk in _chunks(want, 2000):
        docs = build_docs(conn, chunk)
        stored = {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(
            f"SELECT rowid, {', '.join(COLUMNS)} FROM {TABLE} WHERE rowid BETWEEN ? AND ?",
            (chunk[0], chunk[-1]))}
        for doc_id, doc in docs.items():
            if stored.get(doc_id) != doc:
                what = "is missing from" if doc_id not in stored else "is out of date in"
                problems.append(f"{_name(doc_id)} {what} the search index")
                if len(problems) >= limit:
                    return problems
    return problems


def _name(doc_id: int) -> str:
    return f"incident {doc_id}" if doc_id > 0 else f"attachment {-doc_id}"


class SearchIndex:
    """The index as derived data of a case (`core.store.case.DerivedData`)."""

    name = "search index"

    def refresh(self, conn: Connection) -> int:
        return flush_dirty(conn)

    def pending(self, conn: Connection) -> int:
        return pending(conn)

    def differences(self, conn: Connection) -> list[str]:
        return differences(conn)


SEARCH_INDEX = SearchIndex()
