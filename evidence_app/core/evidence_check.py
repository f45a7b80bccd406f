"""Check my evidence: the same check as `verify` (store/verify.py), run by the person
from the app, recorded in the audit trail, and told in words they can repeat.

Each run adds a "check" event to the audit trail with its result (how many exhibits were
checked, and each problem found), so the next report can say when the evidence was last
checked and what was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from evidence_app.core.errors import StorageError
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.audit import AuditEntry, entries
from evidence_app.core.store.case import Case
from evidence_app.core.store.folder import DB_NAME
from evidence_app.core.store.models import AuditEvent
from evidence_app.core.store.verify import (
    DAMAGE,
    VerifyReport,
    recovered_words,
    verify_case,
)

CHECK = "check"
_EXHIBIT = re.compile(r"^exhibit (?P<mark>\S+) \(attachment \d+\)[:]? (?P<what>.*)$")


@dataclass(frozen=True)
class Finding:
    """One problem, in words: what failed, what that means, what to do."""

    title: str
    meaning: str
    action: str
    technical: str


@dataclass
class CheckResult:
    """What Check my evidence found."""

    report: VerifyReport
    findings: list[Finding] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.cancelled

    @property
    def headline(self) -> str:
        n = self.report.originals_checked
        if self.cancelled:
            return "The check was stopped before it finished; nothing was changed."
        if self.report.damage:
            if "incidents" in self.report.recovered:  # a repaired copy was read
                return ("The case database is damaged, but a repaired copy of it could be "
                        "read.")
            return "The case database is damaged and none of its records can be read."
        if self.ok:
            if n == 0:
                return ("There are no exhibits yet; the case's records and audit trail are "
                        "intact.")
            return (f"All {n} exhibit{'s' if n != 1 else ''} match the fingerprints recorded "
                    "when they were added.")
        count = len(self.report.problems)
        return f"The check found {count} problem{'s' if count != 1 else ''}."

    @property
    def summary(self) -> str:
        """A second sentence: what else was checked, or the calm word after problems."""
        if self.cancelled:
            return "Run it again when you have a few minutes."
        if self.report.damage and "incidents" not in self.report.recovered:
            n = self.report.recovered.get("stored files", 0)
            bad = sum(p.startswith("stored file ") for p in self.report.problems)
            files = f"{n} stored file{'s' if n != 1 else ''}"
            return (f"Your exhibits themselves ({files}: the photos, screenshots and other "
                    "files you added) are still in the case folder"
                    + (", and every one matches the fingerprint it is stored under. " if not bad
                       else f"; {bad} of them no longer match their fingerprints. ")
                    + "Nothing in your case folder was changed by the check. Below is what "
                    "was found and what to do.")
        if self.report.damage:
            held = recovered_words(self.report.recovered)
            return (f"What can still be read: {held}. Nothing in your case folder was "
                    "changed by the check; the app cannot open the case as it is. Below is "
                    "what was found and what to do.")
        if self.ok:
            return (f"The database is healthy and the audit trail (the record of every "
                    f"change, {self.report.audit_events} entries) is complete and unbroken. "
                    "Nothing has been changed since it was recorded.")
        return ("Nothing was changed or deleted by the check. Below is what each problem "
                "means and what to do; keep your backups, and do not delete anything.")

    @property
    def never_added(self) -> str:
        """Words about stored files no exhibit refers to ('' when there are none)."""
        return never_added(len(self.report.unreferenced)) if self.report.unreferenced else ""


NEVER_ADDED = "Files that were never added"  # the app's title for them, at open


def never_added(n: int) -> str:
    """What the person is told about stored files no exhibit refers to: the same words
    as the app's offer at open (gui/case_session.py), which `verify` repeats."""
    files, it, exhibits = (("1 file was", "it", "a new exhibit") if n == 1
                           else (f"{n} files were", "them", "new exhibits"))
    return (f"{files} saved into this case but never added to it, probably because the app "
            "was closed during an import. Nothing has been deleted. When you open the case "
            f"in the app, it offers {it} back (\u201c{NEVER_ADDED}\u201d): \u201cAdd to the "
            f"Inbox\u201d puts {it} in the Inbox as {exhibits}, where you can look at {it} "
            f"and move {it} to an incident or to the trash.")


def explain(problem: str) -> Finding:
    """A problem from `verify` in the person's words."""
    m = _EXHIBIT.match(problem)
    if m:
        mark, what = m["mark"], m["what"]
        if "missing" in what:
            return Finding(f"Exhibit {mark}: its stored copy is missing.",
                           "The file kept for this exhibit has been deleted or moved out of "
                           "the case folder, so it cannot be shown or checked.",
                           "Restore the case from your latest backup (File › Restore a "
                           "backup…), or import the original again if you still have it.",
                           problem)
        if "changed" in what or "hash" in what:
            return Finding(f"Exhibit {mark} no longer matches the fingerprint recorded when "
                           "it was added.",
                           "The stored copy has been changed or damaged since it was "
                           "imported, so it can no longer be shown to be the file you "
                           "added. Your other exhibits are not affected.",
                           "Restore the case from a backup made before the change (File › "
                           "Restore a backup…), or import the original again from your "
                           "phone or camera if you still have it.", problem)
        return Finding(f"Exhibit {mark}: {what}.",
                       "This exhibit's record does not match what the audit trail says was "
                       "recorded when it was added.",
                       "Restore the case from a backup, and keep this case folder as it is "
                       "so someone can look at it.", problem)
    if problem.startswith(DAMAGE) and "A repaired copy was made aside" in problem:
        return Finding("The start of the case database is damaged.",
                       f"{_damage_words(problem)} The app cannot open the case as it is, so "
                       "it made a repaired copy in a temporary place and checked that; the "
                       "other results come from that copy. Your case folder was not changed.",
                       KEEP_WORDS, problem)
    if problem.startswith(DAMAGE) and "No repaired copy" in problem:
        return Finding("The case database is damaged and cannot be read.",
                       f"{_damage_words(problem)} Not even a repaired copy of it could be "
                       "read, so your incidents and notes cannot be listed here. Your "
                       "exhibits' stored files were checked on their own.",
                       KEEP_WORDS, problem)
    if problem.startswith("audit event") or "audit trail" in problem:
        return Finding("The audit trail (the record of every change) has been altered or "
                       "cut short.",
                       "Someone or something changed the case's records outside the app, "
                       "or the file was damaged.",
                       "Keep this case folder exactly as it is, restore a copy from your "
                       "latest backup into a new folder, and tell whoever is helping you "
                       "with the case (the officer or your advocate).", problem)
    if problem.startswith("database"):
        return Finding("The case database is damaged.",
                       "Part of the file that holds your records cannot be read correctly; "
                       "this usually comes from a failing disk or a copy made while the "
                       "app was writing.",
                       "Restore the case from your latest backup (File › Restore a "
                       "backup…) into a new folder, and keep this one as it is.", problem)
    if "search index" in problem:
        return Finding("The search index is out of step.",
                       "Searching may miss things; no evidence is affected.",
                       "Run `evidence-app verify --repair` to rebuild it.", problem)
    return Finding(problem[:1].upper() + problem[1:] + ".",
                   "The case's records do not all agree with each other.",
                   "Restore the case from your latest backup into a new folder, and keep "
                   "this one as it is so someone can look at it.", problem)


KEEP_WORDS = ("Keep this case folder exactly as it is and do not add anything to it: first "
              "copy the whole folder to a USB stick or another drive. Then restore your "
              "latest backup file into a new folder (File › Restore a backup…). "
              "Your photos and screenshots are still in the folder's “originals” "
              "folder.")


def _damage_words(problem: str) -> str:
    """'The file ...' from 'database damage: the case database (case.db) is damaged: the
    file ...'."""
    what = problem.split(" is damaged: ", 1)[-1].split(". ", 1)[0]
    return f"The file that holds your records ({DB_NAME}) is damaged: {what}."


def damaged_check(events: Iterator[Progress], cancel: CancelToken | None = None,
                  ) -> Iterator[Progress]:
    """Check my evidence for a plain case whose database SQLite will not open: `events`
    are `cases.check_damaged`'s (the checks on a repaired copy made aside). Nothing is
    written to the case (its audit trail cannot be written either). The last event's
    item is a CheckResult."""
    report: VerifyReport | None = None
    for event in events:
        if isinstance(event.item, VerifyReport):
            report = event.item
        else:
            yield event
    cancelled = cancel is not None and cancel.cancelled
    report = report if report is not None else VerifyReport()
    result = CheckResult(report, [explain(p) for p in report.problems], cancelled)
    total = max(report.originals_checked + 2, 1)
    yield Progress(total, total, result.headline, result)


def check_evidence(case: Case, cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Run `verify_case`, record the run and its result in the audit trail, and yield
    progress; the last event's item is a CheckResult."""
    report: VerifyReport | None = None
    for event in verify_case(case, cancel):
        if isinstance(event.item, VerifyReport):
            report = event.item
            yield Progress(event.done, event.total, "Recording the result")
        else:
            yield event
    cancelled = cancel is not None and cancel.cancelled
    report = report if report is not None else VerifyReport()
    result = CheckResult(report, [explain(p) for p in report.problems], cancelled)
    if not cancelled:
        # A case on a read-only drive can be checked but not written: the result still shows.
        try:
            with case.write() as (_session, audit):
                audit.log(CHECK, "case", 1, ok=report.ok,
                          originals_checked=report.originals_checked,
                          audit_events=report.audit_events,
                          problems=report.problems[:50], problem_count=len(report.problems))
        except StorageError:
            pass
    total = max(report.originals_checked + 2, 1)
    yield Progress(total, total, result.headline, result)


def last_check(case: Case) -> AuditEntry | None:
    """The latest Check my evidence run recorded in the audit trail, if any."""
    with case.read() as session:
        last_id = session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == CHECK, AuditEvent.entity == "case")
            .order_by(AuditEvent.id.desc()).limit(1))
        if last_id is None:
            return None
        return next(e for e in entries(session, entity="case", entity_ids=[1])
                    if e.id == last_id)

