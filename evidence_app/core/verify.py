"""Check a case: database integrity, the audit chain, and every original's hash."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text

from evidence_app.core.audit import verify_chain
from evidence_app.core.case import Case
from evidence_app.core.models import Attachment, CaseSettings
from evidence_app.core.progress import CancelToken, Progress


@dataclass
class VerifyReport:
    """`problems` mean something is wrong; `notices` are harmless (e.g. orphan files)."""

    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    originals_checked: int = 0
    audit_events: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "notices": self.notices,
                "originals_checked": self.originals_checked, "audit_events": self.audit_events}


def verify_case(case: Case, cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Yield progress while checking; the last event's `item` is the VerifyReport."""
    report = VerifyReport()
    with case.read() as session:
        rows = list(session.execute(select(Attachment.id, Attachment.sha256,
                                           Attachment.exhibit_mark).order_by(Attachment.id)))
        total = len(rows) + 2
        yield Progress(0, total, "Checking the database")
        for (result,) in session.execute(text("PRAGMA integrity_check")):
            if result != "ok":
                report.problems.append(f"database integrity: {result}")
        for row in session.execute(text("PRAGMA foreign_key_check")):
            report.problems.append(f"database link broken: {tuple(row)}")
        yield Progress(1, total, "Checking the audit trail")
        report.problems.extend(verify_chain(session))
        from evidence_app.core.models import AuditEvent

        report.audit_events = session.scalar(select(func.count(AuditEvent.id))) or 0
        settings = session.get(CaseSettings, 1)
        top = session.scalar(select(func.max(Attachment.exhibit_serial))) or 0
        if settings is None:
            report.problems.append("case settings are missing")
        elif settings.next_exhibit_serial <= top:
            report.problems.append("the next exhibit number would reuse an issued mark")
    known = set()
    for i, (att_id, sha, mark) in enumerate(rows, start=2):
        if cancel is not None and cancel.cancelled:
            report.problems.append("verification was cancelled before it finished")
            break
        known.add(sha)
        problem = case.blobs.verify(sha)
        if problem:
            report.problems.append(f"exhibit {mark} (attachment {att_id}): {problem}")
        report.originals_checked += 1
        yield Progress(i, total, f"Checking exhibit {mark}")
    for sha in case.blobs.all_hashes():
        if sha not in known:
            report.notices.append(f"stored file {sha} belongs to no exhibit (left by an "
                                  "interrupted import; harmless)")
    yield Progress(total, total, "Done", report)


def run_verify(case: Case) -> VerifyReport:
    """Run every check to the end and return the report."""
    last = None
    for event in verify_case(case):
        last = event
    assert last is not None and isinstance(last.item, VerifyReport)
    return last.item
