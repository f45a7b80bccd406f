"""Make docs/report-messages-*.png: report pages with an incident made from WhatsApp
messages (its transcript) and the summary's messages and calls by week.

    .venv/bin/python docs/make_messages_sample.py

Imports an iPhone WhatsApp export (tests/fixtures/message_exports.py) and a text-message
backup into a new case in a temporary folder, marks Mark as the suspect, makes the
police report and renders its summary and the first incident in full. Needs `pdftoppm`
(poppler-utils).
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
    from evidence_app.core import conversations as api
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.messages import import_messages
    from evidence_app.core.report import ReportOptions, build_report
    from evidence_app.core.store.clock import SetClock
    from tests.fixtures import message_exports as fx

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1742300000")
    written = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC) - timedelta(days=2)
    work = Path(tempfile.mkdtemp(prefix="messages-sample-"))
    try:
        chat = fx.IPHONE + ("[15/03/2025, 07:02:00] Mark: Silver Astra AB12 CDE is mine btw "
                            "😡🚗\n")
        zipped = fx.whatsapp_zip(work / "WhatsApp Chat - Mark.zip", chat, "_chat.txt",
                                 {"00000012-PHOTO-2025-03-14-22-15-40.jpg":
                                  fx.jpeg_bytes("#7a8794", (480, 360))})
        sms = work / "sms-20250316090000.xml"
        sms.write_text(fx.sms_backup_xml(fx.jpeg_bytes("#5b6b7a", (480, 360))),
                       encoding="utf-8")
        with create_case(work / "case", owner_name="Jane Smith", initials="JS",
                         case_name="Jane Smith v. harassment", clock=SetClock(written)) as case:
            for path in (zipped, sms):
                list(import_messages(case, path))
            for conv in api.list_conversations(case):
                for p in conv.participants:
                    if p.name == "Mark":
                        api.set_participant(case, p.id, is_suspect=True)
                api.incidents_from_proposals(case, api.propose_days(case, conv.id))
            out = work / "report.pdf"
            list(build_report(case, ReportOptions.for_profile("police"), out))
        for old in DOCS.glob("report-messages-*.png"):
            old.unlink()
        for first, last in ((2, 2), (4, 4)):
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(first), "-l", str(last),
                            str(out), str(DOCS / "report-messages")], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for page in sorted(DOCS.glob("report-messages-*.png")):
        print(page.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
