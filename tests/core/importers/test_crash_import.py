"""Kill an importing process (SIGKILL) at random points, again and again.

After every kill the case must open, `verify` must pass, every committed exhibit's bytes
must hash to its recorded SHA-256, and nothing committed may ever disappear.
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
from fixtures.media_factory import phone_jpeg, screenshot_png
from sqlalchemy import select

from evidence_app.core.cases import create_case, open_case
from evidence_app.core.store.models import Attachment, CaseSettings
from evidence_app.core.store.originals import TEMP_PREFIX
from evidence_app.core.store.verify import run_verify

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs POSIX SIGKILL")]

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from evidence_app.core.cases import Case, create_case, open_case
    from evidence_app.core.importers.files import import_files

    case = open_case(Path(sys.argv[1]))
    print("open", flush=True)
    for event in import_files(case, [Path(p) for p in sys.argv[2:]], workers=2):
        if event.item is not None:
            print(event.item.status, flush=True)
    case.close()
    print("done", flush=True)
""")

ROUNDS = 20


def make_batch(folder, round_no, rnd):
    """New files for one round: real photos and screenshots, and some bigger files whose
    copy takes long enough to be interrupted half way."""
    folder.mkdir(parents=True)
    files = []
    for i in range(4):
        files.append(phone_jpeg(folder / f"IMG_{round_no:02}{i}.jpg", size=(480, 360),
                                seed=round_no * 100 + i, when="2024:05:01 10:00:00",
                                offset="+01:00", make="Apple", model="iPhone 13"))
    files.append(screenshot_png(folder / f"Screenshot_202405{round_no % 28 + 1:02}-101010.png",
                                size=(240, 520), seed=round_no))
    for i in range(4):
        path = folder / f"video_{round_no:02}{i}.mp4"
        path.write_bytes(rnd.randbytes(rnd.randint(200_000, 3_000_000)))
        files.append(path)
    return files


def snapshot(folder):
    """Open the case after a crash and check everything that must hold."""
    with open_case(folder) as case:
        assert list((case.folder / "originals").glob(TEMP_PREFIX + "*")) == []  # swept at open
        report = run_verify(case)
        assert report.ok, report.problems
        with case.read() as session:
            rows = session.execute(select(Attachment.id, Attachment.sha256,
                                          Attachment.exhibit_serial)).all()
            next_serial = session.get(CaseSettings, 1).next_exhibit_serial
        for _id, sha, _serial in rows:
            assert hashlib.sha256(case.originals.read_bytes(sha)).hexdigest() == sha
        serials = sorted(r.exhibit_serial for r in rows)
        assert len(set(serials)) == len(serials)
        assert not serials or next_serial > serials[-1]
        return {r.id: r.sha256 for r in rows}


def time_a_whole_run(tmp_path, rnd) -> tuple[float, float]:
    """How long a child takes, on this machine now, to open a case and to finish one
    round's import: kill moments are drawn within that, so they land while it works
    on a fast machine and on a slow one alike."""
    folder = tmp_path / "timing"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    batch = make_batch(tmp_path / "timing-batch", 99, rnd)
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), *map(str, batch)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with child:
        assert child.stdout.readline().strip() == "open", child.stderr.read()
        opened = time.monotonic() - started
        assert child.stdout.read().strip().endswith("done"), child.stderr.read()
    return opened, time.monotonic() - started


def test_sigkill_during_import_never_damages_the_case(tmp_path):
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "20240312")))
    opened, finished = time_a_whole_run(tmp_path, rnd)
    working = finished - opened
    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    committed: dict[int, str] = {}
    sources = []
    kills = 0
    for round_no in range(ROUNDS):
        batch = make_batch(tmp_path / f"batch{round_no:02}", round_no, rnd)
        sources += batch
        # Each round brings new files and some already imported (duplicates), in a new order.
        paths = batch + rnd.sample(sources, min(len(sources), 4))
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), *map(str, paths)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            strategy = round_no % 3
            if strategy == 0:
                # Any moment from start-up on: while opening, sweeping or importing.
                time.sleep(rnd.uniform(0.3, 0.95) * finished)
            else:
                assert child.stdout.readline().strip() == "open", child.stderr.read()
            if strategy == 1:
                # After a random number of files, a moment later (mid-commit, mid-copy).
                for _ in range(rnd.randint(0, 6)):
                    if not child.stdout.readline():
                        break
                time.sleep(rnd.uniform(0, 0.03))
            elif strategy == 2:
                time.sleep(rnd.uniform(0, 0.8) * working)
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
                kills += 1
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
            child.stderr.close()
        now = snapshot(folder)
        for att_id, sha in committed.items():
            assert now.get(att_id) == sha, f"round {round_no}: committed exhibit {att_id} changed"
        committed = now
    assert kills >= ROUNDS // 2, "the child finished before it could be killed too often"
    # A last, uninterrupted run brings in everything that was missed.
    proc = subprocess.run([sys.executable, "-c", CHILD, str(folder), *map(str, sources)],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().endswith("done"), proc.stderr
    final = snapshot(folder)
    assert set(final.values()) == {hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
