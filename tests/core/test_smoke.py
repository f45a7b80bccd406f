"""A first pass through the core: a case, an incident, a file, verify."""

from PIL import Image

from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident, get_incident
from evidence_app.core.store.verify import run_verify


def test_incident_with_screenshot_verifies(case, tmp_path):
    shot = tmp_path / "Screenshot_20240312-081530.png"
    Image.new("RGB", (300, 600), "white").save(shot)
    incident = create_incident(case, when=parse_when("12/03/2024 08:20", "Europe/London"),
                               title="Message from him", category="contact_text")
    results = [e.item for e in import_files(case, [shot], incident) if e.item]
    assert [r.status for r in results] == ["imported"]
    assert results[0].exhibit == "JS/1"
    assert results[0].captured_from == "filename"
    detail = get_incident(case, incident)
    assert [a.exhibit_mark for a in detail.attachments] == ["JS/1"]
    assert run_verify(case).ok
