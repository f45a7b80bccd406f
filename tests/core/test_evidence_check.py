"""Check my evidence: verify's result in words, recorded in the audit trail and shown in
the next report."""

from __future__ import annotations

import os

from fixtures.media_factory import phone_jpeg
from fixtures.on_disk import original_file

from evidence_app.core.evidence_check import check_evidence, explain, last_check
from evidence_app.core.incidents import create_incident
from evidence_app.core.store.audit import verify_chain
from tests.report.test_report_pdf import build, pages_text, squash


def run(case):
    return list(check_evidence(case))[-1].item


def tamper(case, sha: str) -> None:
    path = original_file(case, sha)
    os.chmod(path, 0o600)
    with open(path, "r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00\x01\x02")


def test_an_intact_case_is_said_in_plain_words_and_recorded(case, import_paths, tmp_path):
    import_paths(*(phone_jpeg(tmp_path / f"IMG_{i}.jpg", size=(100, 80), seed=i)
                   for i in range(3)))
    result = run(case)
    assert result.ok and result.findings == []
    assert result.headline == "All 3 exhibits match the fingerprints recorded when they were added."
    check = last_check(case)
    assert check is not None and check.action == "check"
    assert check.details["ok"] is True and check.details["originals_checked"] == 3
    with case.read() as session:
        assert verify_chain(session) == []


def test_a_tampered_exhibit_is_named_with_what_it_means_and_appears_in_the_next_report(
        case, import_paths, tmp_path):
    create_incident(case, title="Car outside")
    results = import_paths(*(phone_jpeg(tmp_path / f"IMG_{i}.jpg", size=(100, 80), seed=i)
                             for i in range(2)))
    tamper(case, results[1].sha256)
    result = run(case)
    assert not result.ok and result.headline == "The check found 1 problem."
    finding = result.findings[0]
    assert finding.title.startswith(f"Exhibit {results[1].exhibit} no longer matches the "
                                    "fingerprint")
    assert "Restore" in finding.action and "other exhibits are not affected" in finding.meaning
    assert last_check(case).details["problem_count"] == 1
    text = squash(" ".join(pages_text(build(case, tmp_path / "r.pdf", include_audit=True).path)))
    assert "The app's own check of the evidence on" in text and "found 1 problem(s)" in text
    assert results[1].exhibit in text.split("found 1 problem(s)")[1][:200]


def test_problems_of_every_kind_get_words():
    assert "missing" in explain("exhibit JS/4 (attachment 4): original file is missing").title
    assert "audit trail" in explain("audit event 7 has been altered (hash mismatch)").title
    assert "damaged" in explain("database integrity: row 3 missing from index").title
    odd = explain("the next exhibit number would reuse an issued mark")
    assert odd.title.startswith("The next exhibit number") and odd.action
