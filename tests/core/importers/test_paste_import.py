"""Pasted pictures (import_bytes): stored as originals although staged in the case."""

from evidence_app.core.attachments import get_attachment
from evidence_app.core.importers.clipboard import import_bytes
from evidence_app.core.store.verify import run_verify
from tests.sample_images import screenshot


def test_pasted_bytes_become_an_exhibit_and_leave_no_staging_files(case, tmp_path):
    data = screenshot(tmp_path / "shot.png").read_bytes()
    result = import_bytes(case, data, "Pasted image 2025-03-02 10.00.00.png")
    assert (result.status, result.exhibit, result.path) == (
        "imported", "JS/1", "Pasted image 2025-03-02 10.00.00.png")
    att = get_attachment(case, result.id)
    assert att.captured_from == "pasted"
    assert case.originals.read_bytes(att.sha256) == data
    assert not list((case.folder / "cache").glob(".tmp-*"))
    again = import_bytes(case, data, "Pasted image 2025-03-02 10.05.00.png")
    assert (again.status, again.exhibit) == ("duplicate", "JS/1")
    assert run_verify(case).ok
