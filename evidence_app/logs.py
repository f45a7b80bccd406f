"""Logging to a file in the user's log directory (never inside a shared location)."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from evidence_app.paths import log_dir

LOG_NAME = "evidence-app.log"


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file; returns its path."""
    from logging.handlers import RotatingFileHandler  # imported here: it pulls in sockets

    path = log_file()
    root = logging.getLogger("evidence_app")
    for old in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        if Path(old.baseFilename) == path.absolute():
            return path
        # the log folder moved (EVIDENCE_APP_HOME changed): log where we say we do
        root.removeHandler(old)
        old.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return path
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path


def log_exception(exc: BaseException) -> Path:
    """Write an unexpected error with its traceback to the log; returns the log's path."""
    path = setup_logging()
    logging.getLogger("evidence_app").error(
        "unexpected error:\n%s", "".join(traceback.format_exception(exc)))
    return path
