"""The evidence report: a chronological PDF, and an export bundle anyone can check.

Qt-free: the GUI runs `build_report` and `export_bundle` (generators of Progress) on a
worker thread; the CLI runs them directly.
"""

from evidence_app.core.report.document import ReportResult, build_report
from evidence_app.core.report.options import ImageLayout, Paper, Profile, ReportOptions

__all__ = ["ImageLayout", "Paper", "Profile", "ReportOptions", "ReportResult", "build_report"]
