"""Files stored in a case that no exhibit refers to, offered back to the person.

An import stores each file's bytes before it writes the file's row; an app killed in
between (a power cut, a crash, a forced quit) leaves complete originals that belong to
no exhibit. They may be the only copy of something the person meant to keep, so they
are never deleted behind the person's back: `unreferenced_originals` lists them, and
`add_unreferenced` adds the ones the person chooses to the inbox as new exhibits, like
an import (marks, audit events, thumbnails, capture times read from the bytes).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from evidence_app.core.importers.files import ImportResult, _commit, _existing, _Stored
from evidence_app.core.media.analysis import analyse
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.case import Case
from evidence_app.core.store.models import Attachment

_EXTENSIONS = {"image/jpeg": ".jpg", "image/heic": ".heic", "image/png": ".png",
               "video/mp4": ".mp4", "video/quicktime": ".mov", "text/plain": ".txt",
               "text/csv": ".csv", "audio/mpeg": ".mp3", "audio/mp4": ".m4a"}


@dataclass(frozen=True)
class Unreferenced:
    """A complete stored file that no exhibit refers to."""

    sha256: str
    size: int
    media_type: str
    name: str  # the name it is given if added ("recovered file 3f2a9c1b.jpg")


def unreferenced_originals(case: Case) -> list[Unreferenced]:
    """Stored files that no exhibit (in the inbox, an incident or the trash) refers to,
    with what they hold; the list the person is offered at open."""
    with case.read() as session:
        used = set(session.scalars(select(Attachment.sha256)))
    found = []
    for sha in sorted(set(case.originals.all_hashes()) - used):
        try:
            with case.originals.open(sha) as fh:
                size = fh.seek(0, 2)
        except OSError:
            continue  # removed meanwhile (an import cancelled), or unreadable
        media_type = analyse(case.originals.opener(sha), "").media_type
        ext = _EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type) or ""
        found.append(Unreferenced(sha, size, media_type, f"recovered file {sha[:8]}{ext}"))
    return found


def add_unreferenced(case: Case, shas: Iterable[str] | None = None,
                     cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Add stored files no exhibit refers to (all of them, or those in `shas`) to the
    inbox as new exhibits; yields Progress with an ImportResult per file, like an import.
    A file an exhibit has meanwhile come to refer to is answered as a duplicate."""
    cancel = cancel or CancelToken()
    wanted = None if shas is None else set(shas)
    todo = [u for u in unreferenced_originals(case) if wanted is None or u.sha256 in wanted]
    total = len(todo)
    yield Progress(0, total, "Preparing")
    tz = case.settings().timezone
    stored: list[_Stored] = []
    for done, item in enumerate(todo, start=1):
        if cancel.cancelled:
            return
        info = analyse(case.originals.opener(item.sha256), item.name, thumbnail=True)
        if info.thumbnail is not None:
            try:
                case.cache.save_thumbnail(item.sha256, info.thumbnail)
            except OSError as exc:
                info.preview, info.preview_error = False, f"the preview could not be saved ({exc})"
            info.thumbnail = None
        stored.append(_Stored(Path(item.name), item.name, item.sha256, item.size, False,
                              None, info))
        yield Progress(done, total, item.name)
    if cancel.cancelled or not stored:
        return
    results: list[ImportResult] = _commit(case, stored, _existing(case), None, tz, None)
    for result in results:
        yield Progress(total, total, result.path, result)
