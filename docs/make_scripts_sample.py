"""Make docs/report-scripts-*.png: report pages quoting Arabic, Urdu, Hebrew and Indic text.

    .venv/bin/python docs/make_scripts_sample.py

Builds a small case (tests/report/scripts_case.py) in a temporary folder, makes its
personal-copy report and renders the pages with the incidents in full. Needs
`pdftoppm` (poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs"


def main() -> int:
    from evidence_app.core.cases import create_case
    from evidence_app.core.report import ReportOptions, build_report
    from evidence_app.core.store.clock import SetClock
    from tests.report.scripts_case import fill_scripts_case

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1742000000")
    # Recorded a few days before the fixed "Generated" date, never after it.
    written = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC) - timedelta(days=3)
    work = Path(tempfile.mkdtemp(prefix="scripts-sample-"))
    try:
        with create_case(work / "case", owner_name="Jane Smith", initials="JS",
                         case_name="Jane Smith v. harassment", clock=SetClock(written)) as case:
            fill_scripts_case(case)
            out = work / "report.pdf"
            list(build_report(case, ReportOptions.for_profile("personal"), out))
        for old in DOCS.glob("report-scripts-*.png"):
            old.unlink()
        # Pages 4 and 5 hold the incidents in full.
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "4", "-l", "5", str(out),
                        str(DOCS / "report-scripts")], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for page in sorted(DOCS.glob("report-scripts-*.png")):
        print(page.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
