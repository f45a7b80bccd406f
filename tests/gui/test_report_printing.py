"""Printing that tells the truth: real size, a named job, and what became of it.

No CUPS is needed: the printer's queue is read through `print_queue.queue_state`, which
these tests replace with fakes (a queue that is paused, refusing jobs, or gone), while
the pages themselves go to a PDF file that is then measured against the report.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.gui.dialogs import print_queue, report_printing
from evidence_app.gui.dialogs.print_queue import (
    Outcome,
    QueueState,
    cups_state,
    describe,
    outcome,
    parse_lpstat,
    refusal,
)
from tests.gui.helpers import report_dialog
from tests.gui.test_report_dialog import LEFT
from tests.report.casebuilder import fill_case

IDLE = "printer Office is idle.  enabled since Fri Dec  4 23:14:39 2026\n" \
       "Office accepting requests since Fri Dec  4 23:14:39 2026\n"
PAUSED = ("printer Office disabled since Fri Dec  4 23:15:52 2026 -\n\tOut of paper\n"
          "Office accepting requests since Fri Dec  4 23:15:52 2026\n"
          "Office-7           jane              9216   Fri Dec  4 23:15:18 2026\n")
PAUSED_NO_REASON = ("printer Office disabled since Fri Dec  4 23:15:18 2026 -\n\tPaused\n"
                    "Office accepting requests since Fri Dec  4 23:15:18 2026\n")
REJECTING = ("printer Office is idle.  enabled since Fri Dec  4 23:15:21 2026\n"
             "\tRejecting Jobs\n"
             "Office not accepting requests since Fri Dec  4 23:15:21 2026 -\n"
             "\tRejecting Jobs\n")
PRINTING = ("printer Office now printing Office-11.  enabled since Fri Dec  4 23:19:40 2026\n"
            "Office accepting requests since Fri Dec  4 23:19:40 2026\n"
            "Office-11          jane           2207744   Fri Dec  4 23:19:33 2026\n"
            "Office-12          jane           6073344   Fri Dec  4 23:19:40 2026\n")
GONE = 'lpstat: Invalid destination name in list "Office".\n'


# -- reading lpstat ----------------------------------------------------------------
def test_lpstat_answers_are_read():
    assert parse_lpstat("Office", 0, IDLE, "") == QueueState(True, True, False, "", 0)
    assert parse_lpstat("Office", 0, PAUSED, "") == QueueState(True, True, True,
                                                               "Out of paper", 1)
    assert parse_lpstat("Office", 0, PAUSED_NO_REASON, "") == QueueState(True, True, True,
                                                                         "", 0)
    assert parse_lpstat("Office", 0, REJECTING, "") == QueueState(True, False, False, "", 0)
    assert parse_lpstat("Office", 0, PRINTING, "") == QueueState(True, True, False, "", 2)
    assert parse_lpstat("Office", 1, "", GONE) == QueueState(installed=False)
    # Another printer's lines, or nothing at all, say nothing about this one.
    assert parse_lpstat("Office", 0, IDLE.replace("Office", "Home"), "") is None
    assert parse_lpstat("Office", 1, "", "lpstat: Bad file descriptor\n") is None


def test_lpstat_is_asked_locally_with_a_time_limit(monkeypatch, tmp_path):
    calls = []
    socket = tmp_path / "cups.sock"
    socket.touch()
    monkeypatch.setattr(print_queue, "CUPS_SOCKETS", (socket,))
    monkeypatch.setattr(print_queue.shutil, "which", lambda name: "/usr/bin/lpstat")
    monkeypatch.setenv("CUPS_SERVER", "printserver.example.invalid")

    def run(argv, **kwargs):
        calls.append((argv, kwargs))
        return subprocess.CompletedProcess(argv, 0, PAUSED, "")

    assert cups_state("Office", run=run) == QueueState(True, True, True, "Out of paper", 1)
    (argv, kwargs), = calls
    assert argv[1:3] == ["-h", str(socket)]  # the local socket, never a network server
    assert "CUPS_SERVER" not in kwargs["env"] and kwargs["env"]["LC_ALL"] == "C"
    assert kwargs["timeout"] == print_queue.LPSTAT_TIMEOUT

    def stuck(argv, **kwargs):
        raise subprocess.TimeoutExpired(argv, kwargs["timeout"])

    assert cups_state("Office", run=stuck) is None
    monkeypatch.setattr(print_queue, "CUPS_SOCKETS", (tmp_path / "none.sock",))
    assert cups_state("Office", run=run) is None and len(calls) == 1


# -- deciding what happened ------------------------------------------------------------
READY = QueueState(jobs=0)


@pytest.mark.parametrize("before, after, expected", [
    (READY, QueueState(jobs=1), Outcome.SENT),
    (READY, QueueState(jobs=0), Outcome.SENT),  # already printed and gone from the queue
    (READY, QueueState(paused=True, jobs=1), Outcome.PAUSED),
    (QueueState(paused=True, jobs=0), QueueState(paused=True, jobs=1), Outcome.PAUSED),
    (READY, QueueState(installed=False), Outcome.GONE),
    (READY, QueueState(accepting=False, jobs=0), Outcome.REFUSED),
    (READY, QueueState(accepting=False, jobs=1), Outcome.SENT),  # took ours, then closed
])
def test_outcome(before, after, expected):
    assert outcome(before, after) is expected


def test_a_gone_or_refusing_printer_is_not_sent_anything():
    assert refusal(QueueState(installed=False)) is Outcome.GONE
    assert refusal(QueueState(accepting=False)) is Outcome.REFUSED
    assert refusal(QueueState(paused=True)) is None  # it waits in the queue: sent, and said
    assert refusal(READY) is None


def test_messages_say_plainly_what_happened():
    job = "Jane Smith v. harassment - Evidence log (Police)"
    assert describe(Outcome.SENT, 7, "Office", job) == (
        "Sent 7 pages to \u201cOffice\u201d as \u201c" + job + "\u201d.")
    assert describe(Outcome.PAUSED, 7, "Office", job, "Out of paper") == (
        "7 pages are waiting in the queue of \u201cOffice\u201d as \u201c" + job + "\u201d, "
        "which is paused (the printer says: Out of paper). Nothing prints until the printer "
        "is resumed in the system's printer settings.")
    assert describe(Outcome.REFUSED, 0, "Office").startswith(
        "Nothing was printed: the printer \u201cOffice\u201d is not accepting jobs.")
    assert describe(Outcome.GONE, 0, "Office").startswith(
        "Nothing was printed: the printer \u201cOffice\u201d is no longer installed")
    assert describe(Outcome.FILE, 1, "/tmp/x.pdf", scale=0.94) == (
        "Printed 1 page to the file /tmp/x.pdf. The pages were shrunk to 94% to fit the "
        "printer's paper.")


# -- the dialog, with a fake queue -----------------------------------------------------
@pytest.fixture
def dialog(qtbot, case, tmp_path):
    fill_case(case, tmp_path / "files")
    yield from report_dialog(qtbot, case)


def content_box(pdf: Path, out: Path, dpi: int = 144) -> tuple[tuple[int, int], tuple]:
    """Page 1's size in pixels and the box around everything drawn on it."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(out)], check=True)
    image = Image.open(f"{out}.png").convert("L")
    ink = ImageOps.invert(image).point(lambda v: 255 if v > 60 else 0)
    return image.size, ink.getbbox()


def press_print(qtbot, dialog) -> None:
    QTimer.singleShot(300, lambda: QApplication.activeModalWidget().accept())
    qtbot.mouseClick(dialog.print_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60000)


def to_file(dialog, out: Path) -> None:
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(out))


def test_pages_print_at_their_real_size_with_the_job_named(qtbot, dialog, tmp_path):
    out = tmp_path / "printed.pdf"
    to_file(dialog, out)
    press_print(qtbot, dialog)
    assert dialog.printer.docName() == "Jane Smith v. harassment - Evidence log (Police)"
    assert dialog.status.text() == (f"Printed {dialog.document.pageCount()} pages to the "
                                    f"file {out}.")
    report = PdfReader(dialog.preview_path).pages[0].mediabox
    printed = PdfReader(out).pages[0].mediabox
    assert abs(float(printed.width) - float(report.width)) < 1
    assert abs(float(printed.height) - float(report.height)) < 1
    # What is drawn sits where the report has it, at 100% (Qt's default margins used to
    # shrink it to 96.6% and move it 8 pt in).
    size_a, box_a = content_box(dialog.preview_path, tmp_path / "report")
    size_b, box_b = content_box(out, tmp_path / "printed")
    assert abs(size_a[0] - size_b[0]) <= 2 and abs(size_a[1] - size_b[1]) <= 2
    assert all(abs(a - b) <= 3 for a, b in zip(box_a, box_b, strict=True)), (box_a, box_b)


class FakeQueue:
    """A printer queue that answers `queue_state` from a list, one answer per look."""

    def __init__(self, *states: QueueState) -> None:
        self.states = list(states)
        self.looks: list[str] = []

    def __call__(self, name: str) -> QueueState:
        self.looks.append(name)
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]


@pytest.fixture
def office(monkeypatch):
    """The dialog's printer is the queue "Office" (its pages still go to a file)."""
    monkeypatch.setattr(report_printing, "queue_of", lambda printer: "Office")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: warnings.append(text))
    return warnings


@pytest.mark.parametrize("states, said, written", [
    ((READY, QueueState(jobs=1)), "Sent 9 pages to \u201cOffice\u201d as \u201cJane Smith "
     "v. harassment - Evidence log (Police)\u201d.", True),
    ((READY, QueueState(paused=True, reason="Out of paper", jobs=1)),
     "9 pages are waiting in the queue of \u201cOffice\u201d as \u201cJane Smith v. "
     "harassment - Evidence log (Police)\u201d, which is paused (the printer says: Out of "
     "paper). Nothing prints until the printer is resumed in the system's printer "
     "settings.", True),
    ((QueueState(accepting=False, reason="Closed for maintenance"),),
     "Nothing was printed: the printer \u201cOffice\u201d is not accepting jobs (the printer "
     "says: Closed for maintenance). Choose another printer, or let it accept jobs again "
     "in the system's printer settings, and print again.", False),
    ((QueueState(installed=False),),
     "Nothing was printed: the printer \u201cOffice\u201d is no longer installed on this "
     "computer. Choose another printer and print again.", False),
    ((READY, QueueState(installed=False)),  # removed while the pages were going out
     "Nothing was printed: the printer \u201cOffice\u201d is no longer installed on this "
     "computer. Choose another printer and print again.", True),
])
def test_the_dialog_says_what_became_of_the_job(qtbot, dialog, office, monkeypatch,
                                                tmp_path, states, said, written):
    queue = FakeQueue(*states)
    monkeypatch.setattr(print_queue, "queue_state", queue)
    out = tmp_path / "job.pdf"
    to_file(dialog, out)
    press_print(qtbot, dialog)
    pages = dialog.document.pageCount()
    expected = said.replace("9 pages", f"{pages} pages")
    assert dialog.status.text() == expected
    assert queue.looks == ["Office"] * (2 if written else 1)
    assert out.exists() == written  # a refused or vanished queue is sent nothing
    sent_ok = expected.startswith("Sent")
    assert office == ([] if sent_ok else [expected])  # trouble is also said in a box
    assert dialog.print_button.isEnabled()

