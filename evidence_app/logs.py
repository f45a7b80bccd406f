"""Logging to a file in the user's log directory (never inside a shared location)."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys
import traceback
from pathlib import Path

from evidence_app.paths import log_dir

LOG_NAME = "evidence-app.log"
# What C libraries (libtiff, libheif, Qt) write straight to the error stream, kept apart
# from the app's own log: it has no timestamps and is started afresh past this size.
LIBRARIES_LOG = "libraries.log"
_LIBRARIES_LOG_LIMIT = 1_000_000


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


def libraries_log() -> Path:
    return log_dir() / LIBRARIES_LOG


def keep_library_noise_in_log() -> None:
    """Warnings from the libraries the app uses go to the log, never to the person's
    terminal ("Image appears to be a malformed MPO file", libtiff's "WEBP compression
    support is not configured" and its like, dozens for one odd folder).

    Python warnings are logged through `logging` (the app's log file). What C libraries
    write straight to the process's error stream goes to `libraries.log` beside it: the
    error stream's descriptor is pointed at that file, and `sys.stderr`, which the app's
    own messages use, keeps the terminal. Call once, when the process starts.
    """
    path = setup_logging()
    logging.captureWarnings(True)
    warned = logging.getLogger("py.warnings")
    warned.propagate = False  # never Python's last-resort handler, which is the terminal
    for handler in logging.getLogger("evidence_app").handlers:
        if handler not in warned.handlers:
            warned.addHandler(handler)
    if os.name != "posix":
        return
    native = path.parent / LIBRARIES_LOG
    try:
        with contextlib.suppress(OSError):
            if native.stat().st_size > _LIBRARIES_LOG_LIMIT:
                native.unlink()
        fd = os.open(native, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        terminal = os.dup(2)
        sys.stderr.flush()
        os.dup2(fd, 2)
    except OSError:
        return
    finally:
        os.close(fd)
    sys.stderr = open(terminal, "w", encoding=getattr(sys.stderr, "encoding", None) or "utf-8",  # noqa: SIM115
                      errors="backslashreplace", buffering=1)


def log_exception(exc: BaseException) -> Path:
    """Write an unexpected error with its traceback to the log; returns the log's path."""
    path = setup_logging()
    logging.getLogger("evidence_app").error(
        "unexpected error:\n%s", "".join(traceback.format_exception(exc)))
    return path
