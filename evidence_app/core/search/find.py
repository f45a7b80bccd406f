"""Search the case: words typed by a person (core/search/query.py) plus filters, over the
FTS5 index (core/search/index.py). Results are plain dataclasses any thread may keep.

Two steps keep it fast on a large case: first the page of matching document ids in
order (FTS5 ranks with bm25 and stops at the page), then snippets and details for that
page only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)

from evidence_app.core.attachments import in_conversation
from evidence_app.core.capture_time import capture_text
from evidence_app.core.dates import format_when
from evidence_app.core.incidents import chronological
from evidence_app.core.search.index import COLUMNS, TABLE
from evidence_app.core.search.query import ParsedQuery, parse_query
from evidence_app.core.search.snippets import Span, find_matches, first_text, make_snippet
from evidence_app.core.search.types import SearchFilters, SearchHit, SearchResults
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import (
    Attachment,
    Incident,
    Tag,
    incident_people,
    incident_tags,
    incident_vehicles,
)

__all__ = ["ORDERS", "SearchFilters", "SearchHit", "SearchResults", "count", "highlights",
           "matching_exhibit", "matching_ids", "search", "summaries"]
from evidence_app.core.views import IncidentSummary
from evidence_app.core.vocab import Category

Order = Literal["relevance", "newest", "oldest"]
ORDERS: tuple[str, ...] = ("relevance", "newest", "oldest")
RANK_LIMIT = 5000  # more matches than this are listed newest-recorded first, not ranked

# The titles Group by time and "New incident from selection" suggest (core/importers/
# inbox.py `suggested_title`): "7 screenshots", "2 photos and 1 video", with or without
# the date older versions added. Case-sensitive, as GLOB is: they start with a digit.
SUGGESTED_TITLES = tuple(f"[0-9]* {kind}*" for kind in (
    "screenshot", "photo", "picture", "video", "sound recording", "file"))

_fts = table(TABLE, column("rowid", Integer), column("rank", Float))


# --------------------------------------------------------------------------- SQL parts
def _day_start(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(tz))


def _hidden() -> Any:
    """Document ids of what is in the trash (few; found through deleted_at indexes)."""
    return union_all(select(Incident.id).where(Incident.deleted_at.is_not(None)),
                     select(-Attachment.id).where(Attachment.deleted_at.is_not(None)))


def _conditions(doc: Any, filters: SearchFilters, tz: str) -> list[ColumnElement[bool]]:
    """Filters over `doc` joined to incidents (and, unless the filters only concern
    incidents, outer-joined to attachments too)."""
    only = filters.incidents_only
    is_incident, is_att = doc > 0, doc < 0
    conds: list[ColumnElement[bool]] = []
    if filters.inbox_only:
        conds.append(and_(is_att, Attachment.incident_id.is_(None), ~in_conversation()))
    if filters.categories:
        conds.append(Incident.category.in_(filters.categories))
    for tag in filters.tags:
        conds.append(exists().where(incident_tags.c.incident_id == Incident.id,
                                    incident_tags.c.tag_id == Tag.id, Tag.name == tag))
    for person in filters.people:
        conds.append(exists().where(incident_people.c.incident_id == Incident.id,
                                    incident_people.c.person_id == person))
    for vehicle in filters.vehicles:
        conds.append(exists().where(incident_vehicles.c.incident_id == Incident.id,
                                    incident_vehicles.c.vehicle_id == vehicle))
    if filters.to_describe:
        conds.append(or_(Incident.category == Category.OTHER.value, Incident.title == "",
                         *(Incident.title.op("GLOB")(p) for p in SUGGESTED_TITLES)))
    if filters.has_exhibits:
        other = Attachment.__table__.alias("exhibit")
        has = exists().where(other.c.incident_id == Incident.id, other.c.deleted_at.is_(None))
        conds.append(has if only else or_(is_att, has))
    if filters.date_from or filters.date_to:
        lo = _day_start(filters.date_from, tz) if filters.date_from else None
        hi = _day_start(filters.date_to + timedelta(days=1), tz) if filters.date_to else None
        inc: list[ColumnElement[bool]] = [Incident.occurred_at.is_not(None)]
        att: list[ColumnElement[bool]] = [Attachment.captured_at.is_not(None)]
        if lo is not None:
            inc.append(func.coalesce(Incident.occurred_end, Incident.occurred_at) >= lo)
            att.append(Attachment.captured_at >= lo)
        if hi is not None:
            inc.append(Incident.occurred_at < hi)
            att.append(Attachment.captured_at < hi)
        conds.append(and_(*inc) if only else or_(and_(is_incident, *inc), and_(is_att, *att)))
    return conds


def _base(parsed: ParsedQuery, filters: SearchFilters, tz: str, join: bool,
          ) -> tuple[Any, Any, bool]:
    """(query selecting matching doc ids, the doc column, whether FTS5 can rank it).

    Only filters and date order need the incident and attachment rows; a plain search
    stays inside the index, as fast as FTS5 itself.
    """
    match = parsed.fts
    doc: Any
    source: Any
    if match is not None:
        doc, source, ranked = _fts.c.rowid, _fts, True
    else:
        docs = union_all(
            select(Incident.id.label("doc")),
            select((-Attachment.id).label("doc")).where(
                or_(Attachment.incident_id.is_(None), Attachment.deleted_at.is_not(None))),
        ).subquery("docs")
        doc, source, ranked = docs.c.doc, docs, False
    only = filters.incidents_only
    if only:  # as a hand-written query would: incidents only, no attachment rows
        source = source.join(Incident, Incident.id == doc)
    elif join or filters.active:
        source = source.outerjoin(Incident, Incident.id == doc).outerjoin(
            Attachment, Attachment.id == -doc)
    query = select(doc).select_from(source).where(*_conditions(doc, filters, tz))
    if only and not filters.include_trash:
        query = query.where(Incident.deleted_at.is_(None))
    elif not filters.include_trash:
        query = query.where(doc.not_in(_hidden()))
    if match is not None:
        query = query.where(text(f"{TABLE} MATCH :match").bindparams(match=match))
    elif parsed.exclude is not None:
        excluded = select(_fts.c.rowid).where(
            text(f"{TABLE} MATCH :exclude").bindparams(exclude=parsed.exclude))
        query = query.where(doc.not_in(excluded))
    return query, doc, ranked


def _ordered(query: Any, doc: Any, ranked: bool, order: str, only: bool = False) -> Any:
    if order == "relevance" and ranked:
        return query.add_columns(_fts.c.rank).order_by(_fts.c.rank)
    when = Incident.occurred_at if only else func.coalesce(Incident.occurred_at,
                                                           Attachment.captured_at)
    newest = order == "newest"
    return query.add_columns(literal_column("0.0")).order_by(
        when.is_(None), when.desc() if newest else when.asc(),
        doc.desc() if newest else doc.asc())


# --------------------------------------------------------------------------- API
_SQL_INT_MAX = 2**63 - 1


def search(case: Case, query: str, filters: SearchFilters | None = None,
           order: str = "relevance", limit: int = 50, offset: int = 0,
           count: bool = True, prefix_last: bool = True) -> SearchResults:
    """Find incidents and stand-alone attachments; a page of hits with snippets.

    A blank query with filters lists what the filters let through; a blank query with
    none finds nothing (there is nothing to look for). `total` counts every match (-1
    when `count` is False), except past RANK_LIMIT words-only matches, where it is
    RANK_LIMIT + 1 and `more` is set.
    """
    filters = filters or SearchFilters()
    # SQLite refuses integers past 2**63 - 1; no case holds that many rows anyway.
    limit, offset = min(limit, _SQL_INT_MAX), min(max(offset, 0), _SQL_INT_MAX)
    if order not in ORDERS:
        order = "relevance"
    parsed = parse_query(query, prefix_last=prefix_last)
    if parsed.empty and not (parsed.blank and (filters.active or filters.include_trash)):
        message = "" if parsed.blank else (
            "Search looks for words and numbers; symbols and emoji on their own are ignored.")
        return SearchResults(parsed, [], 0, message)
    with case.connect() as conn:  # a plain read: no ORM session needed
        tz = _timezone(conn)
        ranked_order = order == "relevance" and parsed.fts is not None
        base, doc, ranked = _base(parsed, filters, tz, join=not ranked_order)
        plain = ranked_order and not filters.active and not filters.include_trash
        raw: Any = conn.connection.driver_connection
        rows: Any = []
        message = ""
        many = False
        if plain:
            # The common case (words typed, no filter): plain SQL, as quick as FTS5 itself.
            # Counting stops past RANK_LIMIT: ranking (or counting) tens of thousands of
            # matches is slow and helps nobody, so then the most recently recorded come
            # first and the count says "more than".
            total = raw.execute(_CAPPED_COUNT, (parsed.fts, RANK_LIMIT + 1)).fetchone()[0]
            many = total > RANK_LIMIT
            if many:
                message = (f"More than {RANK_LIMIT:,} matches, so the most recently recorded "
                           "come first. Add a word or a filter to narrow the search.")
        elif count:
            total = conn.execute(select(func.count()).select_from(base.subquery())).scalar() or 0
        else:
            total = -1
        if limit > 0 and plain:
            page = _RECENT_PAGE if many else _FAST_PAGE
            rows = raw.execute(page, (parsed.fts, limit, offset)).fetchall()
        elif limit > 0:
            rows = conn.execute(_ordered(base, doc, ranked, order, filters.incidents_only)
                                .limit(limit).offset(offset)).all()
        hits = _hits(conn, parsed, [(r[0], float(r[1] or 0.0)) for r in rows], tz)
    return SearchResults(parsed, hits, total, message, more=many)


def matching_ids(case: Case, query: str, filters: SearchFilters | None = None,
                 newest_first: bool = False, prefix_last: bool = True,
                 keep: Sequence[int] = ()) -> list[int]:
    """Ids of every matching incident in timeline order (for narrowing the timeline).

    `keep`: incidents to list even if they no longer match (unless trashed), such as
    the one being edited, so a row does not vanish under the person typing in it.
    """
    filters = filters or SearchFilters()
    parsed = parse_query(query, prefix_last=prefix_last)
    if parsed.empty and not (parsed.blank and (filters.active or filters.include_trash)):
        return []
    with case.connect() as conn:
        base, doc, ranked = _base(parsed, filters, _timezone(conn), join=True)
        base = base.where(doc > 0)
        if keep:
            kept: ColumnElement[bool] = Incident.id.in_(list(keep))
            if not filters.include_trash:
                kept = and_(kept, Incident.deleted_at.is_(None))
            query_ids = chronological(select(Incident.id).where(
                or_(Incident.id.in_(base), kept)), newest_first)
            return [r[0] for r in conn.execute(query_ids)]
        rows = conn.execute(_ordered(base, doc, ranked, "newest" if newest_first else "oldest",
                                     filters.incidents_only))
        return [r[0] for r in rows]


def summaries(case: Case, ids: list[int]) -> list[IncidentSummary]:
    """Timeline rows for these incidents in the order given (trashed ones included), for
    showing search results in the timeline page by page."""
    if not ids:
        return []
    exhibits = (select(func.count(Attachment.id))
                .where(Attachment.incident_id == Incident.id, Attachment.deleted_at.is_(None))
                .correlate(Incident).scalar_subquery())
    with case.read() as session:
        rows = {row[0].id: IncidentSummary.from_row(row[0], exhibit_count=row[1]) for row in
                session.execute(select(Incident, exhibits).where(Incident.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def count(case: Case, query: str, filters: SearchFilters | None = None) -> int:
    """How many results a search has."""
    return search(case, query, filters, limit=0).total


def highlights(text_value: str, query: str) -> list[Span]:
    """Where `query` matches in `text_value` (for the editor and viewer to highlight)."""
    return find_matches(text_value, parse_query(query))


_HIDDEN_SQL = ("SELECT id FROM incidents WHERE deleted_at IS NOT NULL UNION ALL "
               "SELECT -id FROM attachments WHERE deleted_at IS NOT NULL")
_FAST_PAGE = (f"SELECT rowid, rank FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid NOT IN "
              f"({_HIDDEN_SQL}) ORDER BY rank LIMIT ? OFFSET ?")
_RECENT_PAGE = (f"SELECT rowid, 0.0 FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid NOT IN "
                f"({_HIDDEN_SQL}) ORDER BY rowid DESC LIMIT ? OFFSET ?")
_CAPPED_COUNT = (f"SELECT count(*) FROM (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? "
                 f"AND rowid NOT IN ({_HIDDEN_SQL}) LIMIT ?)")


class _IncidentRow(NamedTuple):
    id: int
    title: str
    occurred_at: str | None
    occurred_end: str | None
    precision: str
    timezone: str
    category: str
    deleted_at: str | None


class _AttachmentRow(NamedTuple):
    id: int
    incident_id: int | None
    exhibit_mark: str
    original_name: str
    caption: str
    captured_at: str | None
    captured_from: str
    deleted_at: str | None


def _utc(stored: str | None) -> datetime | None:
    """A stored naive-UTC time (as models.UTCDateTime writes it) as an aware datetime."""
    return None if stored is None else datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _timezone(conn: Any) -> str:
    return conn.exec_driver_sql("SELECT timezone FROM case_settings WHERE id = 1").scalar() or (
        "Europe/London")


# --------------------------------------------------------------------------- page details
def _hits(conn: Any, parsed: ParsedQuery, page: list[tuple[int, float]], tz: str,
          ) -> list[SearchHit]:
    """Details and snippets for one page of document ids (in the page's order)."""
    if not page:
        return []
    ids = [d for d, _ in page]
    # One `rowid = ?` lookup per hit: FTS5 seeks each row (`rowid IN (...)` scans).
    raw: Any = conn.connection.driver_connection
    sql = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE rowid = ?"
    texts: dict[int, tuple[str, ...]] = {}
    for doc in ids:
        row = raw.execute(sql, (doc,)).fetchone()
        if row is not None:
            texts[doc] = tuple(row)
    inc_ids = [d for d in ids if d > 0]
    att_ids = [-d for d in ids if d < 0]
    incidents = {r[0]: _IncidentRow(*r) for r in raw.execute(
        "SELECT id, title, occurred_at, occurred_end, precision, timezone, category, deleted_at "
        f"FROM incidents WHERE id IN ({', '.join('?' * len(inc_ids))})", inc_ids)}
    attachments = {r[0]: _AttachmentRow(*r) for r in raw.execute(
        "SELECT id, incident_id, exhibit_mark, original_name, caption, captured_at, "
        "captured_from, deleted_at "
        f"FROM attachments WHERE id IN ({', '.join('?' * len(att_ids))})", att_ids)}
    hits = []
    for doc, score in page:
        cols_text = texts.get(doc, ("",) * len(COLUMNS))
        where, snippet, spans = _snippet(parsed, cols_text)
        if doc > 0 and doc in incidents:
            r = incidents[doc]
            start = _utc(r.occurred_at)
            hit = SearchHit("incident", r.id, r.title or "(untitled incident)",
                            format_when(start, _utc(r.occurred_end), r.precision, r.timezone),
                            snippet, spans, where, incident_id=r.id, occurred_at=start,
                            category=r.category, trashed=r.deleted_at is not None, score=score)
        elif doc < 0 and -doc in attachments:
            a = attachments[-doc]
            captured = _utc(a.captured_at)
            # Worded as the Inbox lists it: a date-only file name shows no midnight.
            when = capture_text(captured, a.captured_from or "", a.original_name, tz,
                                zone=False, unknown="Undated", say_no_time=False)
            hit = SearchHit("attachment", a.id, a.caption or a.original_name, when, snippet,
                            spans, where, incident_id=a.incident_id, attachment_id=a.id,
                            exhibit=a.exhibit_mark, occurred_at=captured,
                            trashed=a.deleted_at is not None, score=score)
        else:
            continue
        hits.append(hit)
    return hits


def _snippet(parsed: ParsedQuery, cols: tuple[str, ...]) -> tuple[str, str, list[Span]]:
    """(column name, snippet, spans): the column with most matches, never the plate
    fragments (the plate is shown where it is written); the opening text otherwise."""
    shown = cols[:-1]
    index, snippet, spans = make_snippet(shown, parsed)
    if index >= 0:
        return COLUMNS[index], snippet, spans
    return "", first_text(shown[1:] + shown[:1]), []


def matching_exhibit(case: Case, incident_id: int, query: str) -> int | None:
    """The first live exhibit of an incident whose caption, file name or recognised text
    the query matches (to open in the viewer when a result is opened), or None."""
    parsed = parse_query(query)
    if parsed.empty:
        return None
    with case.read() as session:
        rows = session.execute(select(
            Attachment.id, Attachment.exhibit_mark, Attachment.original_name,
            Attachment.caption, Attachment.ocr_text).where(
                Attachment.incident_id == incident_id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.exhibit_serial)).all()
    for att_id, mark, name, caption, ocr in rows:
        if any(find_matches(v or "", parsed) for v in (caption, ocr, mark, name)):
            return att_id
    return None
