"""The evidence report: a chronological PDF, and an export bundle anyone can check.

Qt-free: the GUI runs `build_report` and `export_bundle` (generators of Progress) on a
worker thread; the CLI runs them directly.

The names below load on first use: the command line's parser reads the option lists
(`options`) on every start of the program, the desktop app's included, and the report
itself (reportlab, the database layer) would add most of a second before the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evidence_app.core.report.document import ReportResult, build_report
    from evidence_app.core.report.options import ImageLayout, Paper, Profile, ReportOptions

__all__ = ["ImageLayout", "Paper", "Profile", "ReportOptions", "ReportResult", "build_report"]


def __getattr__(name: str) -> Any:
    # Import statements (not names in strings), so import-linter and mypy see them.
    if name in ("ReportResult", "build_report"):
        from evidence_app.core.report import document

        return getattr(document, name)
    if name in ("ImageLayout", "Paper", "Profile", "ReportOptions"):
        from evidence_app.core.report import options

        return getattr(options, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
