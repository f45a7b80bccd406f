"""Make docs/sample-report.pdf and docs/report-page-*.png from the app's demo case.

    .venv/bin/python docs/make_sample_report.py

Builds the demo case (evidence_app.demo.case, as `evidence-app --demo` shows it) in a
temporary folder and makes its police report. SOURCE_DATE_EPOCH fixes the "Generated"
date, and the demo story is told as if that day were today, so nothing in the sample
is recorded after the report was made. Needs `pdftoppm` (poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs"
EPOCH = "1743465600"  # 1 Apr 2025: a stable sample


def _first(texts: list[str], test: Callable[[str], bool]) -> int:
    return next(n for n, text in enumerate(texts) if test(text))


def pages_to_show(pdf: Path) -> list[int]:
    """The README's pages (0-based): cover, summary, chronology, the first incidents,
    a photo, a page continuing an incident, a sound recording, the exhibit list."""
    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    exhibits = _first(texts, lambda t: "Every exhibit in this report, by mark" in t)
    body = texts[:exhibits]
    chosen = [0, 1, 2,
              _first(body, lambda t: "Incidents in full" in t),
              _first(body, lambda t: "from the camera metadata (EXIF)" in t),
              _first(body, lambda t: "(continued)" in t),
              _first(body, lambda t: "cannot be shown on paper" in t),
              exhibits]
    return sorted(set(chosen))


def main() -> int:
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    from evidence_app.core.report import ReportOptions, build_report
    from evidence_app.demo.case import create_demo_case

    today = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC).date()
    work = Path(tempfile.mkdtemp(prefix="sample-report-"))
    try:
        out = DOCS / "sample-report.pdf"
        with create_demo_case(work / "case", today=today) as case:
            for _ in build_report(case, ReportOptions.for_profile("police"), out):
                pass
        for old in DOCS.glob("report-page-*.png"):
            old.unlink()
        for n, page in enumerate(pages_to_show(out), 1):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page + 1),
                            "-l", str(page + 1), str(out), str(DOCS / f"report-page-{n:02d}")],
                           check=True)
        print(f"wrote {out} and {len(list(DOCS.glob('report-page-*.png')))} page images")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
