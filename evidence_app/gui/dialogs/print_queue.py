"""What happened to a print job: sent, waiting in a paused queue, refused, printer gone.

Qt reports success for a job the queue refuses, for a printer removed since the print
dialog, and for a paused printer where the job will sit until someone resumes it. So
the printer's queue is looked at before the pages are sent and again afterwards:
`QPrinterInfo` says whether the printer still exists (and, under CUPS, a stopped
printer's state is Error); `lpstat`, where CUPS is installed, says whether the queue is
accepting jobs, whether it is paused and why, and how many jobs wait in it. `lpstat`
is asked only through the local CUPS socket (never a print server on the network), on
the print worker thread, with a time limit.

`outcome` decides from two `QueueState`s and is what the tests drive with fakes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

LPSTAT_TIMEOUT = 5.0  # seconds; a stuck CUPS must not hold up the print result for long
CUPS_SOCKETS = (Path("/run/cups/cups.sock"), Path("/var/run/cups/cups.sock"))


class Outcome(StrEnum):
    """What became of the pages."""

    SENT = "sent"  # the queue took them and is working
    PAUSED = "paused"  # in the queue, but the printer is paused: nothing prints yet
    REFUSED = "refused"  # the queue is not accepting jobs: nothing was printed
    GONE = "gone"  # the printer is no longer installed: nothing was printed
    FILE = "file"  # printed to a file, not a printer


@dataclass(frozen=True)
class QueueState:
    """One look at a printer's queue. Unknown facts keep the hopeful default."""

    installed: bool = True
    accepting: bool = True
    paused: bool = False
    reason: str = ""  # what CUPS says, e.g. "Out of paper"
    jobs: int | None = None  # jobs waiting in the queue, when known


def parse_lpstat(name: str, returncode: int, stdout: str, stderr: str) -> QueueState | None:
    """The state of `name` from `lpstat -p NAME -a NAME -o NAME` (C locale), or None
    when the answer says nothing about it."""
    if returncode != 0 and ("Invalid destination" in stderr or "does not exist" in stderr):
        return QueueState(installed=False)
    if not stdout.strip():
        return None
    paused = False
    accepting = True
    reasons: list[str] = []
    jobs = 0
    seen = False
    for line in stdout.splitlines():
        if line.startswith(("\t", " ")):
            text = line.strip()
            if text and text not in reasons:
                reasons.append(text)
        elif line.startswith(f"printer {name} "):
            seen = True
            paused = " disabled since " in line
        elif line.startswith(f"{name} not accepting requests"):
            seen, accepting = True, False
        elif line.startswith(f"{name} accepting requests"):
            seen = True
        elif line.startswith(f"{name}-") and line[len(name) + 1:].split(" ")[0].isdigit():
            jobs += 1
    if not seen:
        return None
    # CUPS says "Paused" or "Rejecting Jobs" when no one gave a reason: nothing to add.
    reason = "; ".join(r for r in reasons if r not in ("Paused", "Rejecting Jobs"))
    return QueueState(True, accepting, paused, reason, jobs)


Runner = Callable[..., Any]


def cups_state(name: str, run: Runner = subprocess.run) -> QueueState | None:
    """Ask the local CUPS about `name`; None when CUPS is not here or does not answer."""
    lpstat = shutil.which("lpstat")
    socket = next((s for s in CUPS_SOCKETS if s.exists()), None)
    if lpstat is None or socket is None or not name:
        return None
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("CUPS_SERVER", None)
    try:
        done = run([lpstat, "-h", str(socket), "-p", name, "-a", name, "-o", name],
                   capture_output=True, text=True, timeout=LPSTAT_TIMEOUT, env=env,
                   stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_lpstat(name, done.returncode, done.stdout or "", done.stderr or "")


def queue_state(name: str, cups: Callable[[str], QueueState | None] = cups_state,
                ) -> QueueState:
    """What Qt and CUPS say about the printer `name` now."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(name)
    known = cups(name)
    if known is not None:  # CUPS knows the queue best (Qt's list can lag behind it)
        return known
    if info.isNull():
        return QueueState(installed=False)
    # Without lpstat: Qt maps a stopped CUPS printer to Error.
    return QueueState(paused=info.state() == QPrinter.PrinterState.Error)


def refusal(before: QueueState) -> Outcome | None:
    """Whether to send nothing at all: the printer is gone or refuses jobs."""
    if not before.installed:
        return Outcome.GONE
    if not before.accepting:
        return Outcome.REFUSED
    return None


def outcome(before: QueueState, after: QueueState) -> Outcome:
    """What became of pages sent to a queue that was `before` and now is `after`."""
    if not after.installed:
        return Outcome.GONE
    grew = (after.jobs is not None and before.jobs is not None and after.jobs > before.jobs)
    if not after.accepting and not grew:
        return Outcome.REFUSED
    if after.paused:
        return Outcome.PAUSED
    return Outcome.SENT


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def describe(result: Outcome, pages: int, printer: str, job: str = "", reason: str = "",
             scale: float = 1.0) -> str:
    """The plain sentence the person reads after pressing Print."""
    because = f" (the printer says: {reason})" if reason else ""
    named = f" as \u201c{job}\u201d" if job else ""
    where = f"\u201c{printer}\u201d" if printer else "the printer"
    size = ("" if scale >= 0.999 else
            f" The pages were shrunk to {scale:.0%} to fit the printer's paper.")
    if result is Outcome.FILE:
        return f"Printed {_pages(pages)} to the file {printer}.{size}"
    if result is Outcome.GONE:
        return (f"Nothing was printed: the printer {where} is no longer installed on this "
                "computer. Choose another printer and print again.")
    if result is Outcome.REFUSED:
        return (f"Nothing was printed: the printer {where} is not accepting jobs{because}. "
                "Choose another printer, or let it accept jobs again in the system's "
                "printer settings, and print again.")
    if result is Outcome.PAUSED:
        return (f"{_pages(pages).capitalize()} {'is' if pages == 1 else 'are'} waiting in "
                f"the queue of {where}{named}, which is paused{because}. Nothing prints "
                f"until the printer is resumed in the system's printer settings.{size}")
    return f"Sent {_pages(pages)} to {where}{named}.{size}"
