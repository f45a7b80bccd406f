"""Incidents from a diary say so in the report, with the diary file kept as an exhibit:
its exact bytes among the originals with their SHA-256, the spreadsheet row each incident
came from, and when it was imported; importing the diary again adds no second copy."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime

import pytest

from evidence_app.core.attachments import list_inbox
from evidence_app.core.cases import create_case
from evidence_app.core.importers.diary_csv import import_diary, mark_existing, read_diary
from evidence_app.core.incidents import get_incident
from evidence_app.core.report.bundle import export_bundle
from evidence_app.core.report.options import ReportOptions
from evidence_app.core.store.audit import verify_chain
from evidence_app.core.store.clock import SetClock
from evidence_app.core.store.models import Attachment
from evidence_app.core.store.verify import run_verify
from tests.report.test_report_pdf import build, pages_text, squash

TZ = "Europe/London"
# A title line above the header, and a cell written over two lines: the spreadsheet rows
# (what the person sees) are not the lines of the file.
DIARY = ('Diary of what happened\n'
         'Date,Time,What happened,How it made me feel\n'
         '12/03/2025,21:40,"He waited outside work.\nHe stared at me.",Scared to walk home\n'
         '\n'
         '15/03/2025,08:10,Followed me to the bus stop,Shaking all day\n')
LATER = DIARY + "20/03/2025,19:00,Flowers left on the doorstep,Could not sleep\n"


@pytest.fixture
def dated_case(tmp_path):
    c = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS",
                    case_name="Jane Smith v. harassment",
                    clock=SetClock(datetime(2026, 12, 4, 18, 29, tzinfo=UTC)))
    yield c
    c.close()


def diary_file(tmp_path, text=DIARY, name="my diary.csv"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def diary_exhibits(case):
    with case.read() as session:
        return [(a.exhibit_mark, a.sha256, a.incident_id, a.original_name)
                for a in session.query(Attachment).where(Attachment.original_name.like("%.csv"))]


def test_the_diary_is_an_exhibit_and_each_incident_names_its_row(dated_case, tmp_path):
    case = dated_case
    path = diary_file(tmp_path)
    preview = read_diary(path, TZ)
    assert [(r.line, r.row) for r in preview.rows] == [(3, 3), (6, 5)]
    result = import_diary(case, preview)
    assert result.imported == 2 and result.exhibit == "JS/1"
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    first, second = result.incident_ids
    assert diary_exhibits(case) == [("JS/1", sha, first, "my diary.csv")]
    assert case.originals.read_bytes(sha) == path.read_bytes()
    assert list_inbox(case) == []  # filed with the incidents, not waiting to be sorted
    rows = [get_incident(case, i).diary for i in (first, second)]
    assert [(d.exhibit, d.row, d.line) for d in rows] == [("JS/1", 3, 3), ("JS/1", 5, 6)]
    assert verify_chain_ok(case) and run_verify(case).ok

    report = build(case, tmp_path / "r.pdf")
    text = squash("\n".join(pages_text(report.path)))
    assert ("From a diary kept at the time (exhibit JS/1, row 3), imported on 4 Dec 2026."
            in text)
    assert ("From a diary kept at the time (exhibit JS/1, row 5), imported on 4 Dec 2026."
            in text)
    exhibit_list = text[text.index("Exhibit list"):]
    assert "my diary.csv" in exhibit_list and sha in exhibit_list.replace(" ", "")

    out = tmp_path / "export"
    list(export_bundle(case, ReportOptions(), out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(e["mark"] == "JS/1" and e["sha256"] == sha for e in manifest["exhibits"])
    subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out, check=True)


def verify_chain_ok(case) -> bool:
    with case.read() as session:
        return verify_chain(session) == []


def test_importing_again_keeps_one_copy_and_a_longer_diary_is_a_new_exhibit(dated_case,
                                                                            tmp_path):
    case = dated_case
    path = diary_file(tmp_path)
    import_diary(case, read_diary(path, TZ))
    [(mark, sha, holder, _name)] = diary_exhibits(case)
    # The very same file again: nothing new, no second exhibit, no stray original.
    again = import_diary(case, mark_existing(case, read_diary(path, TZ)))
    assert again.imported == 0 and len(again.already) == 2
    assert diary_exhibits(case) == [(mark, sha, holder, "my diary.csv")]
    assert sorted(case.originals.all_hashes()) == [sha]
    # The same bytes with their rows imported once more on purpose: the exhibit is reused.
    twice = import_diary(case, read_diary(path, TZ), allow_duplicates=True)
    assert twice.exhibit == mark and len(diary_exhibits(case)) == 1
    assert get_incident(case, twice.incident_ids[1]).diary.exhibit == mark
    # The diary with a row added since: only the new row, from the diary as it is now.
    later = diary_file(tmp_path, LATER)
    more = import_diary(case, mark_existing(case, read_diary(later, TZ)))
    assert more.imported == 1 and more.exhibit == "JS/2"
    source = get_incident(case, more.incident_ids[0]).diary
    assert (source.exhibit, source.row) == ("JS/2", 6)
    assert len(diary_exhibits(case)) == 2 and run_verify(case).ok


def test_an_older_import_without_an_exhibit_still_says_it_came_from_a_diary(dated_case,
                                                                             tmp_path):
    """Incidents imported before the diary was kept recorded only the file's line."""
    case = dated_case
    preview = read_diary(diary_file(tmp_path), TZ)
    preview.data = b""  # as an import made before this change: no exhibit, no row
    for row in preview.rows:
        row.row = 0
    result = import_diary(case, preview)
    assert diary_exhibits(case) == []
    text = squash("\n".join(pages_text(build(case, tmp_path / "r.pdf").path)))
    assert "From a diary kept at the time (line 6 of the file), imported on 4 Dec 2026." in text
    assert get_incident(case, result.incident_ids[0]).diary.exhibit == ""


def test_a_cancelled_import_keeps_neither_incidents_nor_the_diary(dated_case, tmp_path):
    from evidence_app.core.errors import UserError
    from evidence_app.core.incidents import count_incidents
    from evidence_app.core.progress import CancelToken

    case = dated_case
    token = CancelToken()
    token.cancel()
    with pytest.raises(UserError, match="cancelled"):
        import_diary(case, read_diary(diary_file(tmp_path), TZ), cancel=token)
    assert count_incidents(case) == 0 and diary_exhibits(case) == []
    assert list(case.originals.all_hashes()) == []  # the stored bytes were removed again
