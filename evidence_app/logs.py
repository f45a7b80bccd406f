"""Logging to a file in the user's log directory (never inside a shared location)."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
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
    class PrivateFileHandler(RotatingFileHandler):
        """The log names cases and files: readable by this account only, also each file
        made when the log is rotated."""

        def _open(self):  # type: ignore[no-untyped-def]
            stream = super()._open()
            with contextlib.suppress(OSError):
                os.chmod(self.baseFilename, stat.S_IRUSR | stat.S_IWUSR)
            return stream

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=stat.S_IRWXU)
        handler = PrivateFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
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
