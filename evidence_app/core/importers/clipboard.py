"""Pictures pasted from the clipboard, imported like any other file."""

from __future__ import annotations

from evidence_app.core.importers.files import ImportResult, import_files
from evidence_app.core.store.case import Case
from evidence_app.core.vocab import CaptureSource


def import_bytes(case: Case, data: bytes, name: str, incident_id: int | None = None,
                 ) -> ImportResult:
    """Import bytes (an image pasted from the clipboard) as an original named `name`."""
    # Staged in the case's own cache (never a shared temp folder), removed afterwards.
    with case.cache.scratch() as tmp:
        path = tmp / name
        path.write_bytes(data)
        results = [p.item for p in import_files(case, [path], incident_id,
                                                source=CaptureSource.PASTED) if p.item]
    result = results[0]
    result.path = name
    return result
