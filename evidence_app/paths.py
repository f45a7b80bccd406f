"""Where the default case, settings and logs live (via platformdirs).

`EVIDENCE_APP_HOME` overrides every location at once; tests and the demo use it so they
never touch the person's real data.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from evidence_app import APP_ID


def _override() -> Path | None:
    home = os.environ.get("EVIDENCE_APP_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    """Folder holding the person's cases (by default)."""
    base = _override()
    return base / "data" if base else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def config_dir() -> Path:
    """Folder holding application settings (last case, recent cases, window layout)."""
    base = _override()
    return base / "config" if base else Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def log_dir() -> Path:
    """Folder holding log files."""
    base = _override()
    return base / "logs" if base else Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def default_case_dir() -> Path:
    """The case opened when no other is named."""
    return data_dir() / "cases" / "My case"
