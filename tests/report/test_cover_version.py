"""The report's cover says which app and version made it (one version: evidence_app)."""

from evidence_app import APP_NAME, __version__
from tests.report.test_report_pdf import build, pages_text


def test_the_cover_names_the_app_and_its_version(case, tmp_path):
    result = build(case, tmp_path / "report.pdf")
    cover = " ".join(pages_text(result.path)[0].split())
    assert f"by {APP_NAME} {__version__}" in cover
