"""Text inside screenshots and photos, read with Tesseract's command line (OCR).

Every previewable image is queued at import (`Attachment.ocr_status = "pending"`); the
queue lives in the database, so it survives a restart. `run_queue` works through it as a
generator of `Progress` (the GUI runs it with CaseOps.task, the CLI with a progress
line), newest imports first, as many at once as there are cores; it can be paused (a
flag kept in the case) and cancelled between images. Each Tesseract runs as a separate
process with no shell, English, a timeout, and one thread. Originals are only ever read.

Where Tesseract is missing nothing fails: images simply stay queued until it is there.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select

from evidence_app.core.errors import NotFoundError
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Attachment

TIMEOUT_S = 120
# Tesseract reads these straight from the original; anything else goes through Pillow.
DIRECT_TYPES = {"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/gif", "image/webp"}
MAX_PIXELS = 40_000_000  # larger images are scaled down before recognition
PAUSED_KEY = "ocr_paused"
INSTALL_HINT = ("Install Tesseract (on Debian or Ubuntu: the tesseract-ocr package; on "
                "Windows and macOS: from the Tesseract project) and restart the app.")


@dataclass(frozen=True)
class OcrResult:
    """The outcome for one image."""

    attachment_id: int
    exhibit: str
    status: str  # done, failed, skipped
    chars: int = 0
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.attachment_id, "exhibit": self.exhibit, "status": self.status,
                "chars": self.chars, "reason": self.reason}


@dataclass(frozen=True)
class OcrCounts:
    pending: int
    done: int
    failed: int

    def to_json(self) -> dict[str, int]:
        return {"pending": self.pending, "done": self.done, "failed": self.failed}


# --------------------------------------------------------------------------- Tesseract
def tesseract_path() -> str | None:
    """The Tesseract program, or None. EVIDENCE_APP_TESSERACT may name another one
    (an empty value means "behave as if it were not installed")."""
    override = os.environ.get("EVIDENCE_APP_TESSERACT")
    if override is not None:
        return shutil.which(override) if override else None
    return shutil.which("tesseract")


@lru_cache(maxsize=4)
def _version_of(program: str) -> str | None:
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True,
                             timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (out.stdout or out.stderr).strip().splitlines()
    if out.returncode != 0 or not first:
        return None
    return first[0].replace("tesseract", "").strip() or "unknown version"


def tesseract_version() -> str | None:
    """Tesseract's version if it is installed and runs, else None."""
    program = tesseract_path()
    return _version_of(program) if program else None


def availability() -> str:
    """One sentence for Settings: whether screenshots' text can be read, and why not."""
    version = tesseract_version()
    if version is None:
        return ("Text inside screenshots cannot be read on this computer because Tesseract "
                "is not installed. Everything else works; images wait in a queue and are "
                f"read once it is there. {INSTALL_HINT}")
    return f"Text inside screenshots and photos is read with Tesseract {version}, on this computer only."


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # one core: the app and the computer stay responsive
    return env


def recognise_file(case: Case, sha256: str, media_type: str, orientation: int | None,
                   timeout: float = TIMEOUT_S) -> str:
    """Read the text of a stored original. Raises OSError or subprocess errors."""
    program = tesseract_path()
    if program is None:
        raise FileNotFoundError("Tesseract is not installed")
    if not case.originals.exists(sha256):
        raise FileNotFoundError("the original is missing from the case")
    direct = media_type in DIRECT_TYPES and orientation in (None, 1) and media_type != "image/gif"
    if direct and not case.encrypted:
        # Tesseract reads the file itself; the store lends it one for as long as it runs.
        with case.originals.as_file(sha256) as source:
            done = subprocess.run([program, str(source), "stdout", "-l", "eng"],
                                  capture_output=True, timeout=timeout, env=_environment(),
                                  check=False)
    elif direct:
        # An encrypted case lends no plain file: Tesseract reads the bytes from memory.
        done = subprocess.run([program, "stdin", "stdout", "-l", "eng"],
                              input=case.originals.read_bytes(sha256), capture_output=True,
                              timeout=timeout, env=_environment(), check=False)
    else:
        done = subprocess.run([program, "stdin", "stdout", "-l", "eng"],
                              input=_as_png(case.originals.opener(sha256)), capture_output=True,
                              timeout=timeout, env=_environment(), check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OSError(message[-1] if message else f"tesseract exited with {done.returncode}")
    return clean_text(done.stdout.decode("utf-8", "replace"))


def _as_png(source: Any) -> bytes:
    """Upright, flattened PNG bytes for formats or orientations Tesseract cannot take."""
    from evidence_app.core.media.analysis import load_display_image

    img = load_display_image(source)
    if img.width * img.height > MAX_PIXELS:
        scale = (MAX_PIXELS / (img.width * img.height)) ** 0.5
        img = img.resize((int(img.width * scale), int(img.height * scale)))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def clean_text(text: str) -> str:
    """Tidy recognised text: no NULs or form feeds, no trailing spaces, at most one
    blank line in a row."""
    lines = [ln.rstrip() for ln in text.replace("\x00", "").replace("\f", "").splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# --------------------------------------------------------------------------- the queue
def counts(case: Case) -> OcrCounts:
    """How many live images wait, were read, or could not be read."""
    with case.read() as session:
        rows = dict(session.execute(
            select(Attachment.ocr_status, func.count()).where(Attachment.deleted_at.is_(None))
            .group_by(Attachment.ocr_status)).all())
    return OcrCounts(rows.get("pending", 0), rows.get("done", 0), rows.get("failed", 0))


def is_paused(case: Case) -> bool:
    """Whether the person paused text recognition for this case."""
    from evidence_app.core.store.state import get_state

    return get_state(case, PAUSED_KEY) == "1"


def set_paused(case: Case, paused: bool) -> None:
    """Pause or resume text recognition (remembered in the case)."""
    from evidence_app.core.store.state import set_state

    set_state(case, PAUSED_KEY, "1" if paused else "0")


def _next(case: Case, tried: set[int]) -> tuple[int, str, str, str, int | None] | None:
    """The newest image still waiting: what was just imported is what the person is
    about to search for."""
    with case.read() as session:
        query = (select(Attachment.id, Attachment.exhibit_mark, Attachment.sha256,
                        Attachment.media_type, Attachment.orientation)
                 .where(Attachment.ocr_status == "pending", Attachment.deleted_at.is_(None))
                 .order_by(Attachment.id.desc()))
        if tried:
            query = query.where(Attachment.id.not_in(tried))
        row = session.execute(query.limit(1)).first()
    return None if row is None else (row[0], row[1], row[2], row[3], row[4])


def default_workers() -> int:
    """As many recognitions at once as this process may use cores (each Tesseract runs
    on one), so a 2-core laptop reads two pictures at a time."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows
        return max(1, os.cpu_count() or 1)


def _recognise(case: Case, job: tuple[int, str, str, str, int | None],
               timeout: float) -> tuple[str | None, str]:
    """Worker side: (text, '') or (None, why not); never raises."""
    _att_id, _mark, sha, media_type, orientation = job
    try:
        return recognise_file(case, sha, media_type, orientation, timeout), ""
    except subprocess.TimeoutExpired:
        return None, f"took longer than {timeout:.0f} seconds"
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        return None, str(exc) or type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - a damaged image must not stop the queue
        return None, f"the image cannot be read ({type(exc).__name__})"


def _store(case: Case, att_id: int, text: str | None, reason: str, engine: str) -> bool:
    """Record one image's outcome, unless it changed meanwhile (corrected, trashed)."""
    with case.write() as (session, audit):
        att = session.get(Attachment, att_id)
        if att is None or att.ocr_status != "pending" or att.ocr_corrected:
            return False
        if text is None:
            att.ocr_status = "failed"
            audit.log("ocr_failed", "attachment", att_id, exhibit=att.exhibit_mark,
                      reason=reason, engine=engine)
        else:
            att.ocr_text = text
            att.ocr_status = "done"
            audit.log("ocr", "attachment", att_id, exhibit=att.exhibit_mark, chars=len(text),
                      engine=engine)
    return True


def run_queue(case: Case, cancel: CancelToken | None = None, respect_pause: bool = True,
              timeout: float = TIMEOUT_S, workers: int | None = None) -> Iterator[Progress]:
    """Read every queued image, newest first, `workers` at a time (one per core by
    default); yields Progress with an OcrResult each, in the order they finish.

    Stops when the queue is empty, on cancel, or (with `respect_pause`) when paused;
    recognitions already running then finish and are kept. The first event has no item;
    its message says why nothing will happen, if so. Results are written here, on the
    calling thread, one at a time.
    """
    cancel = cancel or CancelToken()
    version = tesseract_version()
    total = counts(case).pending
    if version is None:
        yield Progress(0, total, "Tesseract is not installed")
        return
    if respect_pause and is_paused(case):
        yield Progress(0, total, "Paused")
        return
    yield Progress(0, total, "Reading text in images")
    engine = f"tesseract {version}"
    size = workers or default_workers()
    tried: set[int] = set()
    done = 0
    running: dict[Future[tuple[str | None, str]], tuple[int, str, str, str, int | None]] = {}

    def stopping() -> bool:
        return cancel.cancelled or (respect_pause and is_paused(case))

    with ThreadPoolExecutor(max_workers=size, thread_name_prefix="ocr") as pool:
        while True:
            while len(running) < size and not stopping():
                job = _next(case, tried)
                if job is None:
                    break
                tried.add(job[0])
                running[pool.submit(_recognise, case, job, timeout)] = job
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: -running[f][0]):
                att_id, mark, *_rest = running.pop(future)
                text, reason = future.result()
                stored = _store(case, att_id, text, reason, engine)
                done += 1
                # What is done plus what still waits (running ones included): images
                # imported meanwhile join the total, so it never reads "70 of 70" early.
                total = done + counts(case).pending
                status = "skipped" if not stored else ("failed" if text is None else "done")
                yield Progress(done, total, f"Read exhibit {mark}",
                               OcrResult(att_id, mark, status, len(text or ""), reason))


def retry_failed(case: Case) -> int:
    """Queue again every image that could not be read; returns how many."""
    with case.write() as (session, audit):
        rows = session.scalars(select(Attachment).where(Attachment.ocr_status == "failed",
                                                        Attachment.deleted_at.is_(None))).all()
        for att in rows:
            att.ocr_status = "pending"
            audit.log("ocr_retry", "attachment", att.id, exhibit=att.exhibit_mark)
        return len(rows)


def correct_text(case: Case, attachment_id: int, text: str) -> bool:
    """Replace an image's recognised text by hand (audited with old and new text).
    Returns False when nothing changed."""
    new = clean_text(text)
    with case.write() as (session, audit):
        att = session.get(Attachment, attachment_id)
        if att is None:
            raise NotFoundError(f"There is no attachment {attachment_id}.")
        if att.ocr_text == new and att.ocr_corrected:
            return False
        audit.log("update", "attachment", attachment_id, exhibit=att.exhibit_mark,
                  changes={"ocr_text": {"old": att.ocr_text, "new": new}}, by_hand=True)
        att.ocr_text = new
        att.ocr_status = "done"
        att.ocr_corrected = True
    return True
