"""Check a case: database integrity, the audit chain, and every original's hash."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.anchor import HEAD_NAME, read_head
from evidence_app.core.store.audit import verify_chain
from evidence_app.core.store.case import Case, DerivedData
from evidence_app.core.store.database import (
    database_error,
    integrity_problems,
    storage_problem,
    trigger_names,
)
from evidence_app.core.store.models import Attachment, CaseSettings
from evidence_app.core.store.originals import Originals
from evidence_app.core.store.verify_records import (
    check_head,
    check_stated_head,
    compare_records,
)

T = TypeVar("T")
AUDIT_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


@dataclass
class VerifyReport:
    """`problems` mean something is wrong; `notices` are harmless (e.g. orphan files)."""

    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    originals_checked: int = 0
    audit_events: int = 0
    records_checked: int = 0  # rows compared field by field with their full record
    head: dict[str, Any] = field(default_factory=dict)  # the log's head: events, hash
    unreferenced: list[str] = field(default_factory=list)  # stored files no row names
    # When SQLite refused the database and the checks ran on a repaired copy
    # (verify_damaged): what was wrong with its start, and what the copy holds.
    damage: str = ""
    recovered: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "notices": self.notices,
                "originals_checked": self.originals_checked, "audit_events": self.audit_events,
                "records_checked": self.records_checked, "head": self.head,
                "unreferenced": self.unreferenced,
                **({"damage": self.damage, "recovered": self.recovered} if self.damage
                   else {})}


def verify_case(case: Case, cancel: CancelToken | None = None,
                stated_head: tuple[int, str] | None = None, *,
                hashed: Collection[str] = ()) -> Iterator[Progress]:
    """Yield progress while checking; the last event's `item` is the VerifyReport.

    Checks the database's integrity, the audit chain, every row against the full record
    the trail keeps of it (field by field), the log's head against `case.head` (and
    `stated_head`, as a report printed it, when given) and every original's hash.

    `hashed`: originals of a plain (unencrypted) case whose bytes the caller has itself
    just written and SHA-256-hashed to the name they are stored under (a restore, while
    unpacking); they are checked to be there rather than read a second time. Every other
    check runs in full, and every other original is re-hashed."""
    if not isinstance(case.originals, Originals):
        hashed = ()  # an encrypted case's stored bytes are not hashed to their names
    report = VerifyReport()
    # Each check reads in its own session, so damage met by one (a corrupt page SQLite
    # stops at) is reported as damage and the others still run on what can be read.
    rows = _guarded(report, "the list of exhibits", lambda: _exhibit_rows(case))
    total = (len(rows) if rows is not None else 0) + 2
    yield Progress(0, total, "Checking the database")
    _guarded(report, "the database's own check",
             lambda: report.problems.extend(_capped(_read(case, integrity_problems, conn=True))))
    yield Progress(1, total, "Checking the audit trail")
    _guarded(report, "the audit trail", lambda: _check_trail(case, report))
    _guarded(report, "the records against the audit trail",
             lambda: _check_records(case, report))
    _guarded(report, "the log's head", lambda: report.problems.extend(
        _read(case, lambda session: _head_checks(case, session, report, stated_head))))
    _guarded(report, "the search index", lambda: _check_derived(case, report))
    if any(p.startswith((DAMAGE, "database integrity:")) for p in report.problems):
        report.notices.extend(_readable(case))
    if rows is None:
        # The exhibits' rows cannot be read: every stored file is still checked against
        # the hash it is named by.
        rows = [(None, sha, None) for sha in case.originals.all_hashes()]
        total = len(rows) + 2
    known = set()
    # Originals are re-hashed on several threads (hashing and reading release the GIL),
    # so a case's files are checked at the disk's pace rather than one core's; results
    # come back in exhibit order.
    pool = ThreadPoolExecutor(max_workers=hash_workers(), thread_name_prefix="verify")
    try:
        results = pool.map(lambda row: _check_original(case, row[1], hashed), rows)
        for i, ((att_id, sha, mark), problem) in enumerate(zip(rows, results, strict=False),
                                                            start=2):
            if cancel is not None and cancel.cancelled:
                report.problems.append("verification was cancelled before it finished")
                break
            known.add(sha)
            if problem:
                who = (f"exhibit {mark} (attachment {att_id})" if att_id is not None
                       else f"stored file {sha}")
                report.problems.append(f"{who}: {problem}")
            report.originals_checked += 1
            yield Progress(i, total, f"Checking exhibit {mark or sha[:12]}")
    finally:
        # Cancelled, or the caller stopped reading: files not yet begun are not hashed.
        pool.shutdown(wait=True, cancel_futures=True)
    for sha in case.originals.all_hashes():
        if sha not in known:
            # Offered back by the app at open (importers/recovered.py), never deleted.
            report.unreferenced.append(sha)
            report.notices.append(f"stored file {sha} was saved into the case but never "
                                  "added to it (an import was stopped part-way); it was "
                                  "not deleted")
    yield Progress(total, total, "Done", report)


DAMAGE = "database damage:"


def _check_original(case: Case, sha: str, hashed: Collection[str]) -> str | None:
    """None when the original with this hash is intact, else the problem."""
    if sha in hashed:
        return None if case.originals.exists(sha) else "original file is missing"
    return case.originals.verify(sha)


def hash_workers() -> int:
    """How many originals are re-hashed at once: one per core this process may use (at
    most four; a disk gives no more)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _guarded(report: VerifyReport, what: str, check: Callable[[], T]) -> T | None:
    """Run one check; damage SQLite reports stops that check only, named as damage."""
    try:
        return check()
    except Exception as exc:
        cause = database_error(exc)
        if cause is None:
            raise
        report.problems.append(f"{DAMAGE} {what} could not be read to the end ({cause}). "
                               "Keep this folder as it is (copy it somewhere safe) and restore the case from a backup if you have one")
        return None


def damage_words(exc: BaseException) -> str:
    """One sentence for a command stopped by a damaged database ('' for anything else)."""
    cause = database_error(exc)
    if cause is None or storage_problem(cause) is not None:
        return ""
    return (f"the case database is damaged ({cause}); nothing was changed. Run "
            "'evidence-app verify' to see what can still be read, and restore the case from "
            "a backup if you have one.")


def _capped(problems: list[str], most: int = 10) -> list[str]:
    if len(problems) <= most:
        return problems
    return [*problems[:most], f"database integrity: ... and {len(problems) - most} more "
                              "problem(s) of the same kind"]


def _read(case: Case, check: Callable[[Any], T], conn: bool = False) -> T:
    with case.read() as session:
        return check(session.connection() if conn else session)


def _exhibit_rows(case: Case) -> list[tuple[int | None, str, str | None]]:
    with case.read() as session:
        return [(r[0], r[1], r[2]) for r in session.execute(
            select(Attachment.id, Attachment.sha256, Attachment.exhibit_mark)
            .order_by(Attachment.id))]


def _check_trail(case: Case, report: VerifyReport) -> None:
    from evidence_app.core.store.models import AuditEvent

    with case.read() as session:
        report.problems.extend(verify_chain(session))
        report.audit_events = session.scalar(select(func.count(AuditEvent.id))) or 0
        report.problems.extend(_check_triggers(session))


def _check_records(case: Case, report: VerifyReport) -> None:
    with case.read() as session:
        problems, issued = _check_records_against_audit(session)
        report.problems.extend(problems)
        compared = compare_records(session)
        report.problems.extend(compared.problems)
        report.notices.extend(compared.notices)
        report.records_checked = compared.checked
        settings = session.get(CaseSettings, 1)
        top = max(issued, session.scalar(select(func.max(Attachment.exhibit_serial))) or 0)
        if settings is None:
            report.problems.append("case settings are missing")
        elif settings.next_exhibit_serial <= top:
            report.problems.append("the next exhibit number would reuse an issued mark")


def _check_derived(case: Case, report: VerifyReport) -> None:
    with case.read() as session:
        for derived in case.derived:
            report.problems.extend(
                f"{p} (run verify --repair to rebuild the {derived.name}; no evidence is "
                "affected)" for p in derived.differences(session.connection()))


def _readable(case: Case) -> list[str]:
    """After damage: how much of each kind of record can still be read."""
    return [f"despite the damage, {count} {what} can still be read" if error is None else
            f"{count} {what} can be read before the damage; the rest cannot ({error})"
            for what, count, error in _scan(case)]


def _scan(case: Case) -> list[tuple[str, int, object]]:
    """Each kind of record: how many rows can be read, to the first that cannot, and
    what stopped the reading (None when nothing did)."""
    out: list[tuple[str, int, object]] = []
    for what, table in (("incidents", "incidents"), ("notes", "notes"),
                        ("exhibits", "attachments"), ("people", "people"),
                        ("vehicles", "vehicles"), ("audit events", "audit_events")):
        count, error = 0, None
        try:
            with case.connect() as conn:
                # Row by row, so the rows before a damaged page are still counted.
                for _row in conn.exec_driver_sql(f"SELECT * FROM {table} NOT INDEXED"):
                    count += 1
        except Exception as exc:  # noqa: BLE001 - any failure here is more damage to name
            error = database_error(exc) or exc
        out.append((what, count, error))
    return out


def _head_checks(case: Case, session: Session, report: VerifyReport,
                 stated: tuple[int, str] | None) -> list[str]:
    try:
        kept = read_head(case.folder)
    except ValueError as exc:
        kept = None
        problems = [f"{HEAD_NAME}: {exc}"]
    else:
        problems = []
    found, notices, now = check_head(session, kept, "" if case.writable else
                                     " (the case folder cannot be written)")
    problems += found
    report.notices.extend(notices)
    report.head = {"events": now.events, "hash": now.hash, "text": now.text,
                   "kept_since": kept.since if kept is not None and not found else None}
    if stated is not None:
        found, notices = check_stated_head(session, stated)
        problems += found
        report.notices.extend(notices)
    return problems


def _check_triggers(session: Session) -> list[str]:
    """The triggers that make the audit log append-only must still be there."""
    present = trigger_names(session.connection(), "audit_events")
    return [f"the audit trail's protection ({name}) has been removed"
            for name in AUDIT_TRIGGERS if name not in present]


def _check_records_against_audit(session: Session) -> tuple[list[str], int]:
    """Every exhibit, incident, note, person and vehicle must have been recorded in the
    audit trail, and each exhibit's hash and mark must be the ones recorded when it was
    imported. This catches
    a trail cut short (the chain alone cannot) and rows edited behind the app's back.
    Also returns the highest exhibit serial ever issued (deleted exhibits included)."""
    from evidence_app.core.store.models import AuditEvent, Incident, Note, Person, Vehicle

    problems: list[str] = []
    imported: dict[int, dict[str, Any]] = {}
    issued = 0
    for entity_id, details in session.execute(
            select(AuditEvent.entity_id, AuditEvent.details)
            .where(AuditEvent.entity == "attachment", AuditEvent.action == "import")
            .order_by(AuditEvent.id)):  # ids freed by emptying the trash can be reused
        try:
            record = json.loads(details)
            if entity_id is not None:
                imported[entity_id] = record
            issued = max(issued, int(str(record.get("exhibit", "")).rpartition("/")[2]))
        except ValueError:
            continue  # the chain check reports altered events
    for att_id, sha, mark, serial in session.execute(
            select(Attachment.id, Attachment.sha256, Attachment.exhibit_mark,
                   Attachment.exhibit_serial).order_by(Attachment.id)):
        record = imported.get(att_id)
        if record is None:
            problems.append(f"exhibit {mark} (attachment {att_id}) has no import record "
                            "in the audit trail")
            continue
        if record.get("sha256") != sha:
            problems.append(f"exhibit {mark} (attachment {att_id}): its recorded hash differs "
                            "from the one in the audit trail")
        if record.get("exhibit") != mark or not mark.endswith(f"/{serial}"):
            problems.append(f"exhibit {mark} (attachment {att_id}): its mark differs from the "
                            f"one issued ({record.get('exhibit')})")
    for entity, model, label in (("incident", Incident, "incident"), ("person", Person, "person"),
                                 ("vehicle", Vehicle, "vehicle"), ("note", Note, "note")):
        created = set(session.scalars(select(AuditEvent.entity_id).where(
            AuditEvent.entity == entity, AuditEvent.action == "create")))
        rows = session.execute(select(model.id, *(
            [Note.incident_id] if model is Note else [])).order_by(model.id)).all()
        missing = [r[0] for r in rows if r[0] not in created]
        if model is Note and missing:
            # A diary import records each row's note inside its incident's creation: that
            # one note (the incident's first unrecorded one) is accounted for, no more.
            with_note = _diary_incidents_with_notes(session)
            accounted: set[int] = set()
            kept: list[int] = []
            for row in rows:
                note_id, incident_id = row[0], row[1]
                if note_id in created:
                    continue
                if incident_id in with_note and incident_id not in accounted:
                    accounted.add(incident_id)
                    continue
                kept.append(note_id)
            missing = kept
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
            problems.append(f"{len(missing)} {label}(s) have no creation record in the audit "
                            f"trail: {shown}")
    return problems, issued


def _diary_incidents_with_notes(session: Session) -> set[int]:
    from evidence_app.core.store.models import AuditEvent

    found: set[int] = set()
    for entity_id, details in session.execute(select(AuditEvent.entity_id, AuditEvent.details).where(
            AuditEvent.entity == "incident", AuditEvent.action == "create",
            AuditEvent.details.like('%"note":%'))):
        try:
            record = json.loads(details)
        except ValueError:
            continue
        if entity_id is not None and record.get("source") == "diary import" and record.get("note"):
            found.add(entity_id)
    return found


KEEP_AND_RESTORE = (
    "Keep the case folder exactly as it is and add nothing to it: copy the whole folder "
    "somewhere safe first. If you have a backup file (.evidence-backup), restore it into a "
    "new folder (File > Restore a backup, or 'evidence-app restore'); your photos and "
    "screenshots are still in the folder's 'originals' folder either way")


def refused_as_damaged(folder: Path, exc: BaseException) -> bool:
    """Whether `exc`, raised opening the case in `folder`, is SQLite refusing its
    database file as damaged (not the disk failing, not an empty file)."""
    from evidence_app.core.errors import CaseError
    from evidence_app.core.store.folder import DB_NAME

    cause = exc.__cause__
    if not isinstance(exc, CaseError) or cause is None:
        return False
    error = database_error(cause)
    try:
        size = (Path(folder) / DB_NAME).stat().st_size
    except OSError:
        return False
    return error is not None and storage_problem(error) is None and size > 0


def verify_damaged(folder: Path, derived: Sequence[DerivedData],
                   cancel: CancelToken | None = None,
                   stated_head: tuple[int, str] | None = None) -> Iterator[Progress]:
    """The checks of `verify_case` for a plain case whose database SQLite refuses because
    its start (header, list of tables) is damaged: run on a repaired copy made in a
    scratch folder (salvage.py), never on the case's own file. The last event's item is
    the VerifyReport: its first problem says what was damaged and that the checks ran on
    a copy; `recovered` counts what the copy holds."""
    from evidence_app.core.store.folder import DB_NAME
    from evidence_app.core.store.salvage import never_used, salvage

    folder = Path(folder).expanduser().resolve()
    yield Progress(0, 0, "Making a repaired copy of the damaged database")
    with tempfile.TemporaryDirectory(prefix="evidence-check-") as scratch:
        found = salvage(folder / DB_NAME, Path(scratch))
        if found.copy is None:
            yield from _originals_only(folder, found.damage, cancel)
            return
        first = (f"{DAMAGE} the case database ({DB_NAME}) is damaged: "
                 f"{found.damage}. As it is, it cannot be opened. A repaired copy was made "
                 f"aside ({'; '.join(found.repaired)}); {DB_NAME} itself was not changed. "
                 "The other results are from that copy. " + KEEP_AND_RESTORE)
        case = Case.open_copy(folder, found.copy, derived=derived)
        try:
            for event in verify_case(case, cancel, stated_head):
                report = event.item
                if isinstance(report, VerifyReport):
                    unused = [p for p in report.problems if never_used(p)]
                    report.problems = [first, *(p for p in report.problems
                                                if p not in unused)]
                    if unused:
                        report.notices.append(
                            "some pages of the repaired copy hold no records (they held "
                            "the damaged lists or were free space); nothing is lost by that")
                    report.damage = found.damage
                    report.recovered = _counts(case)
                    # The copy is checked, not the case: "cannot be written" is not its state.
                    report.notices = [n.replace(" (the case folder cannot be written)", "")
                                      for n in report.notices
                                      if not n.startswith("despite the damage, ")]
                yield event
        finally:
            case.close()


ONE = {"incidents": "incident", "notes": "note", "exhibits": "exhibit", "people": "person",
       "vehicles": "vehicle", "audit events": "audit event", "stored files": "stored file"}


def recovered_words(recovered: dict[str, int]) -> str:
    """'12 incidents, 1 note, ...' for VerifyReport.recovered."""
    return ", ".join(f"{n} {ONE.get(what, what) if n == 1 else what}"
                     for what, n in recovered.items())


def _counts(case: Case) -> dict[str, int]:
    """How many records of each kind can be read (to the first unreadable one)."""
    return {what: count for what, count, _error in _scan(case)}


def _originals_only(folder: Path, damage: str, cancel: CancelToken | None,
                    ) -> Iterator[Progress]:
    """No repaired copy could be read: only the stored files are checked, each against
    the SHA-256 it is named by."""
    from evidence_app.core.store.folder import DB_NAME, ORIGINALS

    report = VerifyReport(damage=damage)
    report.problems.append(
        f"{DAMAGE} the case database ({DB_NAME}) is damaged: {damage}. No "
        "repaired copy of it could be read, so the incidents, notes and audit trail in it "
        f"cannot be listed. {DB_NAME} itself was not changed. " + KEEP_AND_RESTORE)
    originals = Originals(folder / ORIGINALS)
    shas = list(originals.all_hashes())
    for i, sha in enumerate(shas):
        if cancel is not None and cancel.cancelled:
            report.problems.append("verification was cancelled before it finished")
            break
        problem = originals.verify(sha)
        if problem:
            report.problems.append(f"stored file {sha}: {problem}")
        report.originals_checked += 1
        yield Progress(i, len(shas), f"Checking stored file {sha[:12]}")
    report.recovered = {"stored files": report.originals_checked}
    yield Progress(len(shas), len(shas), "Done", report)


def run_verify(case: Case) -> VerifyReport:
    """Run every check to the end and return the report."""
    last = None
    for event in verify_case(case):
        last = event
    assert last is not None and isinstance(last.item, VerifyReport)
    return last.item
