"""A file that grows while it is being imported: the stored copy is one consistent
snapshot whose bytes hash to the recorded SHA-256, and the import always finishes."""

import hashlib
import threading
import time

from fixtures.corpus_checks import readable

from evidence_app.core.attachments import get_attachment
from evidence_app.core.store.verify import run_verify


def test_a_file_appended_to_during_import_is_stored_as_one_consistent_snapshot(
        case, import_paths, tmp_path):
    path = tmp_path / "growing recording.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(8 * 1024 * 1024))
    started = threading.Event()
    stop = threading.Event()
    appended = [0]

    def append() -> None:
        with open(path, "ab") as fh:
            started.set()
            while not stop.is_set() and appended[0] < 4000:
                fh.write(b"\x5a" * 65536)
                fh.flush()
                appended[0] += 1
                time.sleep(0.0005)

    writer = threading.Thread(target=append, daemon=True)
    writer.start()
    started.wait()
    try:
        deadline = time.monotonic() + 60
        [result] = import_paths(path)
        assert time.monotonic() < deadline
    finally:
        stop.set()
        writer.join()

    assert appended[0] > 0  # the file really changed during the import
    assert result.status == "imported", result.reason
    stored = case.originals.read_bytes(result.sha256)
    assert hashlib.sha256(stored).hexdigest() == result.sha256
    att = get_attachment(case, result.id)
    assert att.size == len(stored)
    assert path.read_bytes().startswith(stored)  # a prefix of the file: nothing invented
    assert not att.preview and readable(att.preview_error)
    report = run_verify(case)
    assert report.ok, report.problems
