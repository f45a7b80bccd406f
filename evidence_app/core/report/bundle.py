"""The export bundle: the report, every included original, and a way to check them.

A folder (or one zip of it) holding:

    evidence-report.pdf
    exhibits/JS-1_IMG_2041.jpg    the exact original bytes, named by exhibit mark
    shareable/JS-1_IMG_2041.jpg   copies of pictures with hidden details removed
    manifest.json                 what each file is, in machine-readable form
    README.txt                    what this is, what the files reveal, how to check them
    SHA256SUMS                    `sha256sum -c SHA256SUMS` checks every file above

The person chooses originals, shareable copies or both. Each original is hashed while
it is copied and compared with the hash recorded at import, so a damaged case never
yields a bundle that claims to be intact; then the copied bytes are read for what they
reveal (a place, a serial number, a name), and the README, the report's cover and the
caller say exactly that. Every shareable copy is read back too and dropped if anything
identifying remained.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from evidence_app import APP_NAME, __version__
from evidence_app.core.errors import UserError
from evidence_app.core.media.analysis import Identifying, identifying, stripped_copy
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.report.data import check_selection, load_incidents
from evidence_app.core.report.document import ReportResult, build_report, generated_time
from evidence_app.core.report.formatting import is_picture, mark_filename
from evidence_app.core.report.options import ExportContents, ReportOptions
from evidence_app.core.store.case import Case
from evidence_app.core.store.originals import fsync_folder, sha256_file
from evidence_app.core.views import AttachmentView

REPORT_NAME = "evidence-report.pdf"
MANIFEST_FORMAT = "evidence-organiser-export"
_PARTIAL = ".evidence-export-partial-"  # beside the destination, only across file systems
_MARKER = "EXPORT-IN-PROGRESS"
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)

README = """\
{title}: {case_name}
Prepared by {owner}. Generated {generated} by {app} {version}.

This folder holds:
  {report}           the evidence report ({pages} pages)
{exhibits}{shareable}  manifest.json                 a machine-readable list of every file
  SHA256SUMS                    the SHA-256 fingerprint of every file

What the files reveal:
{statements}

To check that no file has changed, open a terminal in this folder and run:
  Linux:    sha256sum -c SHA256SUMS
  macOS:    shasum -a 256 -c SHA256SUMS
  Windows:  Get-FileHash -Algorithm SHA256 {folder}\\*   (PowerShell; compare by eye)
Every line should end in "OK". The fingerprints of the exhibits are also printed in
the report's exhibit list.
"""


@dataclass(frozen=True)
class BundleResult:
    """A finished export."""

    path: Path
    report: ReportResult
    exhibits: int
    shareable: int
    files: tuple[str, ...]
    contents: ExportContents

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "report": self.report.to_json(),
                "exhibits": self.exhibits, "shareable_copies": self.shareable,
                "files": list(self.files), "contents": asdict(self.contents),
                "statements": self.contents.statements()}


def exhibit_filename(att: AttachmentView) -> str:
    """'JS/12' + 'IMG 2041.JPG' -> 'JS-12_IMG_2041.JPG' (safe on every system)."""
    name = _UNSAFE.sub("_", Path(att.original_name).name).strip("._") or "file"
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:110] + dot + suffix[:9]) if dot and len(suffix) < 10 else name[:120]
    return f"{mark_filename(att.exhibit_mark)}_{name}"


def _shareable_name(att: AttachmentView) -> str:
    stem = exhibit_filename(att).rsplit(".", 1)[0]
    return stem + (".png" if att.media_type == "image/png" else ".jpg")


def _copy_verified(case: Case, dest: Path, att: AttachmentView) -> None:
    try:
        fin = case.originals.open(att.sha256)
    except FileNotFoundError:
        raise UserError(f"The original of exhibit {att.exhibit_mark} is missing from the case "
                        "folder; run `verify` to see what is wrong.") from None
    digest = hashlib.sha256()
    with fin, open(dest, "wb") as fout:
        for block in iter(lambda: fin.read(1 << 20), b""):
            digest.update(block)
            fout.write(block)
        fout.flush()
        os.fsync(fout.fileno())
    if digest.hexdigest() != att.sha256:
        raise UserError(f"The original of exhibit {att.exhibit_mark} no longer matches the "
                        "SHA-256 recorded when it was imported; nothing was exported. Run "
                        "`verify` to see what is wrong.")


def _earlier_export(folder: Path) -> bool:
    """True for a folder this app exported before (the only kind --force replaces)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == MANIFEST_FORMAT


def _target(out: Path, as_zip: bool, force: bool) -> Path:
    out = Path(out).expanduser()
    target = out
    if as_zip and out.suffix.lower() != ".zip":
        target = out.with_name(out.name + ".zip")
    if not target.parent.is_dir():
        raise UserError(f"The folder {target.parent} does not exist.")
    if not os.access(target.parent, os.W_OK):
        raise UserError(f"The export cannot be saved in {target.parent}: this folder cannot "
                        "be written to. Choose another place.")
    if as_zip and target.is_dir():
        raise UserError(f"{target} is a folder; give the name of the zip file to make.")
    if as_zip and target.exists() and not force:
        raise UserError(f"{target} already exists and was left as it is. Give another name, "
                        "or add --force to replace it.")
    if not as_zip and target.exists():
        if not target.is_dir():
            raise UserError(f"{target} already exists and is a file; give the name of a new "
                            "folder.")
        if any(target.iterdir()):
            if not force:
                raise UserError(f"{target} already exists and is not empty; it was left as it "
                                "is. Give the name of a new folder, or add --force to replace "
                                "an earlier export.")
            if not _earlier_export(target):
                raise UserError(f"{target} is not an export made by this app, so it is never "
                                "replaced; give the name of a new folder.")
    return target


def scan_exports(case: Case, options: ReportOptions, cancel: CancelToken | None = None,
                 ) -> Iterator[Progress]:
    """Before an export: how many of the originals the options include record a place,
    a serial number or a name. The last event's item is an ExportContents (with
    `originals` and `shareable` as if both were exported; only pictures get copies)."""
    token = cancel or CancelToken()
    exhibits = _exhibits(case, options)[1]
    found: list[Identifying] = []
    for n, att in enumerate(exhibits):
        if token.cancelled:
            return
        yield Progress(n, len(exhibits), f"Checking exhibit {att.exhibit_mark}")
        try:
            found.append(identifying(case.originals.opener(att.sha256)))
        except OSError:
            found.append(Identifying())
    pictures = sum(1 for a in exhibits if is_picture(a))
    yield Progress(len(exhibits), len(exhibits), "Checked",
                   item=_contents(found, originals=True, shareable=pictures, left_out=0))


def _contents(found: list[Identifying], originals: bool, shareable: int, left_out: int,
              ) -> ExportContents:
    if not originals:
        return ExportContents(shareable=shareable, left_out=left_out)
    return ExportContents(
        originals=len(found), with_location=sum(f.location for f in found),
        with_serial=sum(f.serial for f in found), with_name=sum(f.name for f in found),
        unchecked=sum(not f.checked for f in found),
        with_maker_notes=sum(f.unread_maker_notes for f in found), shareable=shareable,
        left_out=left_out)


def _exhibits(case: Case, options: ReportOptions,
              ) -> tuple[dict[int, int], list[AttachmentView]]:
    """The report's incident numbers (1..N in report order) by database id, and the
    exhibits in exhibit order."""
    incidents = list(load_incidents(case, options))
    numbers = {inc.id: n for n, inc in enumerate(incidents, 1)}
    exhibits = sorted((a for inc in incidents for a in inc.attachments),
                      key=lambda a: a.exhibit_serial)
    return numbers, exhibits


def export_bundle(case: Case, options: ReportOptions, out: Path, *, originals: bool = True,
                  shareable: bool = False, as_zip: bool = False, force: bool = False,
                  cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Write the bundle to the folder `out` (or `out`.zip); the last item is a BundleResult.

    `originals` puts each exhibit's exact bytes in exhibits/, `shareable` copies of the
    pictures with hidden details removed in shareable/ (one or both). The bundle is made
    in the case's cache and only the finished, fsynced folder or zip is put at `out`:
    cancelling, a failure or the app being killed leaves nothing there. An existing
    destination is replaced only with `force`, and a folder only if it is an earlier
    export.
    """
    if not originals and not shareable:
        raise UserError("Choose what to export: the original files, shareable copies "
                        "without hidden details, or both.")
    token = cancel or CancelToken()
    target = _target(out, as_zip, force)
    _sweep_partials(target.parent)
    check_selection(case, options)
    numbers, exhibits = _exhibits(case, options)
    with case.cache.scratch() as scratch:
        work = scratch / "bundle"
        work.mkdir()
        entries: list[dict[str, Any]] = []
        found: list[Identifying] = []
        n_copies = left_out = 0
        total = len(exhibits)
        for step, att in enumerate(exhibits):
            if token.cancelled:
                return
            entry = _entry(att, numbers)
            if originals:
                yield Progress(step, total, f"Copying exhibit {att.exhibit_mark}")
                name = exhibit_filename(att)
                copied = work / "exhibits" / name
                copied.parent.mkdir(exist_ok=True)
                _copy_verified(case, copied, att)
                entry["file"] = f"exhibits/{name}"
                seen = _identifying(copied)
                found.append(seen)
                entry["records"] = {"location": seen.location, "serial_number": seen.serial,
                                    "name": seen.name, "checked": seen.checked,
                                    "unread_maker_notes": seen.unread_maker_notes}
            if shareable:
                yield Progress(step, total, f"Making a shareable copy of {att.exhibit_mark}")
                copy, reason = _shareable(case, work, att)
                entry["shareable_copy"] = copy
                if copy:
                    n_copies += 1
                else:
                    entry["shareable_error"] = reason
                    left_out += 0 if originals else 1
            if originals or entry["shareable_copy"]:
                entries.append(entry)
        contents = _contents(found, originals, n_copies, left_out)
        report: ReportResult | None = None
        for event in build_report(case, options.with_changes(export=contents),
                                  work / REPORT_NAME, cancel=token):
            if isinstance(event.item, ReportResult):
                report = event.item
            else:
                yield event
        if report is None or token.cancelled:
            return
        yield Progress(total, total, "Writing the manifest and checksums")
        _write_texts(case, options, work, report, entries, contents)
        files = tuple(sorted(p.relative_to(work).as_posix() for p in work.rglob("*")
                             if p.is_file()))
        yield Progress(total, total, "Putting the bundle in place")
        try:
            if as_zip:
                made = scratch / "bundle.zip"
                stamp = generated_time().timetuple()
                _write_zip(work, made, target.stem, tuple(max(v, 0) for v in stamp[:6]))
                _place_file(made, target)
            else:
                _sync_tree(work)
                _place_folder(work, target)
        except OSError as exc:
            raise UserError(f"Cannot write the export to {target}: {exc.strerror or exc}. "
                            "Nothing was left there.") from exc
    final_report = replace(report, path=(target / REPORT_NAME) if not as_zip else target)
    yield Progress(total, total, "Export finished",
                   item=BundleResult(target, final_report, sum(1 for e in entries if e["file"]),
                                     n_copies, files, contents))


def _entry(att: AttachmentView, numbers: dict[int, int]) -> dict[str, Any]:
    return {
        "mark": att.exhibit_mark, "file": None,
        "original_name": att.original_name, "sha256": att.sha256, "size": att.size,
        "media_type": att.media_type, "kind": att.kind,
        "captured_at": att.captured_at.isoformat() if att.captured_at else None,
        "captured_from": att.captured_from,
        "imported_at": att.imported_at.isoformat(),
        "incident_number": numbers.get(att.incident_id) if att.incident_id else None,
        "incident_id": att.incident_id, "caption": att.caption,
        "shareable_copy": None,
    }


def _identifying(path: Path) -> Identifying:
    try:
        return identifying(path)
    except OSError:
        return Identifying()


def _shareable(case: Case, work: Path, att: AttachmentView) -> tuple[str | None, str]:
    """A copy of a picture with every hidden detail removed, checked once written."""
    if not is_picture(att):
        return None, "not a picture: only pictures can be copied without hidden details"
    copy = work / "shareable" / _shareable_name(att)
    reason = stripped_copy(case.originals.verified_opener(att.sha256), copy)
    if reason is not None:
        return None, reason
    if _identifying(copy).any:  # never hand out a "shareable" file that is not
        copy.unlink()
        return None, "hidden details remained in the copy, so it was left out"
    return f"shareable/{copy.name}", ""


def _write_zip(folder: Path, made: Path, top: str, stamp: tuple[int, ...]) -> None:
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}",
                                   date_time=stamp[:6])  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(path, "rb") as fin, zf.open(info, "w") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
    with open(made, "rb") as fh:
        os.fsync(fh.fileno())


def _sync_tree(root: Path) -> None:
    """fsync every file, then every folder (deepest first), under `root`."""
    folders = [root]
    for path in sorted(root.rglob("*")):
        if path.is_dir():
            folders.append(path)
        else:
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        fsync_folder(folder)


def _partial_name(parent: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=_PARTIAL, dir=parent))


def _sweep_partials(parent: Path) -> None:
    """Remove what an export killed while copying across file systems left: only our own
    hidden folders, recognised by the marker put in them first."""
    try:
        candidates = list(parent.glob(_PARTIAL + "*"))
    except OSError:
        return
    for folder in candidates:
        if folder.is_dir() and (folder / _MARKER).is_file():
            shutil.rmtree(folder, ignore_errors=True)


def _place_file(made: Path, target: Path) -> None:
    """Name the finished, fsynced zip `target` in one step; across file systems, copy it
    into a hidden folder beside `target` first."""
    try:
        os.replace(made, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        partial = _partial_name(target.parent)
        try:
            (partial / _MARKER).write_bytes(b"")
            moved = partial / "bundle.zip"
            with open(made, "rb") as src, open(moved, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(moved, target)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    fsync_folder(target.parent)


def _place_folder(work: Path, target: Path) -> None:
    """Name the finished, fsynced folder `target`: renamed in one step; across file
    systems, copied (and fsynced) into a hidden folder beside `target`, then renamed.
    An earlier export at `target` (allowed by `_target`) is set aside and removed only
    once the new one is in place."""
    source = work
    partial: Path | None = None
    old: Path | None = None
    emptied = False
    try:
        if target.exists() and any(target.iterdir()):
            # No marker: if putting it back failed, it must never be swept away.
            old = _partial_name(target.parent)
            os.replace(target, old / "earlier")
        elif target.exists():
            target.rmdir()  # the empty folder the person chose: made again on failure
            emptied = True
        try:
            os.replace(source, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            partial = _partial_name(target.parent)
            (partial / _MARKER).write_bytes(b"")
            shutil.copytree(work, partial / "bundle")
            _sync_tree(partial / "bundle")
            os.replace(partial / "bundle", target)
    except BaseException:
        if old is not None and not target.exists():
            os.replace(old / "earlier", target)  # the earlier export back where it was
            old.rmdir()
        elif emptied and not target.exists():
            target.mkdir()
        raise
    finally:
        if partial is not None:
            shutil.rmtree(partial, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    fsync_folder(target.parent)


def _wrapped(sentences: list[str]) -> str:
    return "\n".join(textwrap.fill(x, 86, initial_indent="  - ", subsequent_indent="    ")
                     for x in sentences)


def _write_texts(case: Case, options: ReportOptions, work: Path, report: ReportResult,
                 entries: list[dict[str, Any]], contents: ExportContents) -> None:
    settings = case.settings()
    generated = generated_time()
    manifest = {
        "format": MANIFEST_FORMAT, "format_version": 2,
        "app": f"{APP_NAME} {__version__}", "generated_at": generated.isoformat(),
        "case": {"name": settings.case_name, "owner": settings.owner_name,
                 "uuid": settings.case_uuid, "timezone": settings.timezone},
        "options": options.to_json(),
        "report": {"file": REPORT_NAME, "sha256": report.sha256, "pages": report.pages,
                   "incidents": report.incidents},
        "contents": asdict(contents),
        "statements": contents.statements(),
        "exhibits": entries,
    }
    (work / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    exhibits_line = ("  exhibits/                     each exhibit's original file, exactly as "
                     "it was imported,\n                                named by its exhibit "
                     "mark (JS/1 becomes JS-1_...)\n") if contents.originals else ""
    share_line = ("  shareable/                    copies of the pictures with hidden details "
                  "(where they\n                                were taken, camera, serial "
                  "numbers, names, times)\n                                removed, for "
                  "sharing; not the evidence itself\n") if contents.shareable else ""
    (work / "README.txt").write_text(README.format(
        title=options.title, case_name=settings.case_name, owner=settings.owner_name,
        generated=generated.strftime("%d %b %Y %H:%M UTC"), app=APP_NAME, version=__version__,
        report=REPORT_NAME, pages=report.pages, exhibits=exhibits_line, shareable=share_line,
        statements=_wrapped(contents.statements()),
        folder="exhibits" if contents.originals else "shareable"), encoding="utf-8")
    lines = []
    for path in sorted(p for p in work.rglob("*") if p.is_file()):
        rel = path.relative_to(work).as_posix()
        lines.append(f"{sha256_file(path)}  {rel}\n")
    (work / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
