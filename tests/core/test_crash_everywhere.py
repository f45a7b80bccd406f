"""Kill a real process (SIGKILL) while it edits incidents, imports a diary or writes a
report, again and again (the import has its own loop in importers/test_crash_import.py).

After every kill the case must open; the database must pass SQLite's integrity check and
`verify` (the audit chain included); every committed exhibit's file must be there and
hash to its SHA-256; nothing committed may disappear or change; no temporary file may be
left in the case (the start-up sweep removes them) or beside the report; a diary is in
the case whole or not at all; a report file is either absent or complete.
"""

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from fixtures.media_factory import phone_jpeg
from pypdf import PdfReader
from sqlalchemy import func, select

from evidence_app.core.cases import create_case, open_case
from evidence_app.core.importers.files import import_files
from evidence_app.core.store.models import Attachment, AuditEvent, Incident, Note
from evidence_app.core.store.originals import TEMP_PREFIX
from evidence_app.core.store.verify import run_verify

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs POSIX SIGKILL")]

ROUNDS = 10  # per operation: 30 kills here, 20 more in the import's own loop

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from evidence_app.core.cases import open_case

    op, folder, *rest = sys.argv[1:]
    case = open_case(Path(folder))
    print("open", flush=True)
    if op == "edit":
        from evidence_app.core.dates import parse_when
        from evidence_app.core.incidents import (add_note, create_incident, delete_incident,
                                                  set_tags, update_incident)
        tag, steps = rest[0], int(rest[1])
        for i in range(steps):
            when = parse_when(f"{1 + i % 28:02}/03/2025 21:{i % 60:02}", "Europe/London")
            iid = create_incident(case, when=when, title=f"{tag} car outside {i}",
                                  description="Silver Astra again. " * 40)
            update_incident(case, iid, title=f"{tag} car outside the house {i}",
                            location="Elm Road")
            add_note(case, iid, "Rang 101 about it. " * 30)
            set_tags(case, iid, ["car", f"{tag}-{i % 5}"])
            if i % 4 == 3:
                delete_incident(case, iid)
            print("step", flush=True)
    elif op == "diary":
        from evidence_app.core.importers.diary_csv import import_diary, read_diary
        import_diary(case, read_diary(Path(rest[0]), "Europe/London"))
    elif op == "report":
        from evidence_app.core.report.document import build_report
        from evidence_app.core.report.options import ReportOptions
        for event in build_report(case, ReportOptions.for_profile("police"), Path(rest[0])):
            print("page", flush=True)
    case.close()
    print("done", flush=True)
""")


def run_child(*args):
    return subprocess.Popen([sys.executable, "-c", CHILD, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_during(child, rnd, working):
    """Wait until the child has the case open, then kill it at a random moment while it
    works (or at start-up, one round in four). True if it was killed before it ended."""
    try:
        if rnd.random() < 0.25:
            time.sleep(rnd.uniform(0.2, 0.9))  # while it starts, opens, sweeps
        else:
            assert child.stdout.readline().strip() == "open", child.stderr.read()
            time.sleep(rnd.uniform(0, working))
        killed = child.poll() is None
        if killed:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        return killed
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()


def timed(*args):
    """How long one uninterrupted run works after opening the case, on this machine now."""
    child = run_child(*args)
    with child:
        assert child.stdout.readline().strip() == "open", child.stderr.read()
        started = time.monotonic()
        out = child.stdout.read()
        assert out.strip().endswith("done"), child.stderr.read()
    return time.monotonic() - started


def snapshot(folder):
    """Open the case after a kill; check everything that must hold; return what it holds."""
    with open_case(folder) as case:
        assert list((case.folder / "originals").glob(TEMP_PREFIX + "*")) == []
        assert [p for p in (case.folder / "cache").rglob(".tmp-*")] == []
        report = run_verify(case)  # integrity_check, the audit chain, every original
        assert report.ok, report.problems
        with case.read() as session:
            for sha in session.scalars(select(Attachment.sha256)):
                assert hashlib.sha256(case.originals.read_bytes(sha)).hexdigest() == sha
            events = session.execute(select(AuditEvent.id, AuditEvent.hash)
                                     .order_by(AuditEvent.id)).all()
            incidents = dict(session.execute(select(Incident.id, Incident.title)).all())
            notes = session.scalar(select(func.count(Note.id)))
    return {"events": [tuple(e) for e in events], "incidents": incidents, "notes": notes}


def only_grew(before, after, what):
    assert after["events"][:len(before["events"])] == before["events"], (
        f"{what}: committed audit events changed or disappeared")
    for iid, title in before["incidents"].items():
        assert after["incidents"].get(iid) == title or iid in after["incidents"], (
            f"{what}: committed incident {iid} disappeared")
    assert after["notes"] >= before["notes"]


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        photos = [phone_jpeg(tmp_path / f"IMG_{i}.jpg", size=(800, 600), seed=i,
                             when=f"2025:03:0{i + 1} 21:00:00", offset="+00:00")
                  for i in range(3)]
        list(import_files(case, photos))
    return folder


def test_sigkill_while_editing_never_damages_the_case(folder):
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "1301")))
    working = timed("edit", folder, "timing", 12)
    before = snapshot(folder)
    kills = 0
    for round_no in range(ROUNDS):
        kills += kill_during(run_child("edit", folder, f"r{round_no}", 400), rnd, working)
        after = snapshot(folder)
        only_grew(before, after, f"edit round {round_no}")
        before = after
    assert kills >= ROUNDS - 2, "the child finished before it could be killed"


def write_diary(path, tag, rows=400):
    lines = ["Date,Time,Title,Description,Notes,Tags"]
    for i in range(rows):
        lines.append(f"{1 + i % 28:02}/0{1 + i % 9}/2024,{i % 24:02}:15,{tag} row {i},"
                     f"\"He was outside again, {'and waited ' * 20}\",Rang 101,car; {tag}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sigkill_while_importing_a_diary_leaves_it_whole_or_absent(folder, tmp_path):
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "1302")))
    working = timed("diary", folder, write_diary(tmp_path / "timing.csv", "timing"))
    before = snapshot(folder)
    kills = 0
    for round_no in range(ROUNDS):
        tag = f"d{round_no}"
        diary = write_diary(tmp_path / f"{tag}.csv", tag)
        kills += kill_during(run_child("diary", folder, diary), rnd, working)
        after = snapshot(folder)
        only_grew(before, after, f"diary round {round_no}")
        mine = [t for t in after["incidents"].values() if t.startswith(f"{tag} row ")]
        assert len(mine) in (0, 400), f"diary round {round_no}: {len(mine)} of 400 rows"
        with open_case(folder) as case, case.read() as session:
            diary_sha = hashlib.sha256(diary.read_bytes()).hexdigest()
            kept = session.scalar(select(Attachment.id).where(Attachment.sha256 == diary_sha))
        assert (kept is not None) == bool(mine), "the diary's exhibit goes with its rows"
        before = after
    assert kills >= ROUNDS // 2, "the child finished before it could be killed"


def test_sigkill_while_writing_a_report_leaves_no_partial_file(folder, tmp_path):
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "1303")))
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    working = timed("report", folder, out_dir / "timing.pdf")
    (out_dir / "timing.pdf").unlink()
    before = snapshot(folder)
    kills = 0
    for round_no in range(ROUNDS):
        out = out_dir / f"report {round_no}.pdf"
        kills += kill_during(run_child("report", folder, out), rnd, working)
        after = snapshot(folder)
        only_grew(before, after, f"report round {round_no}")
        left = [p.name for p in out_dir.iterdir() if not p.name.startswith("report ")]
        assert left == [], f"report round {round_no}: left beside the report: {left}"
        if out.exists():
            assert len(PdfReader(out).pages) > 0  # complete, or not there at all
        before = after
    assert kills >= ROUNDS // 2, "the child finished before it could be killed"
