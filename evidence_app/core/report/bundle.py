"""The export bundle: the report, every included original, and a way to check them.

A folder (or one zip of it) holding:

    evidence-report.pdf
    exhibits/JS-1_IMG_2041.jpg    the exact original bytes, named by exhibit mark
    shareable/JS-1_IMG_2041.jpg   optional copies with metadata (GPS, camera) removed
    manifest.json                 what each file is, in machine-readable form
    README.txt                    what this is and how to check it
    SHA256SUMS                    `sha256sum -c SHA256SUMS` checks every file above

Each original is hashed while it is copied and compared with the hash recorded at
import, so a damaged case never yields a bundle that claims to be intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from evidence_app import APP_NAME, __version__
from evidence_app.core.errors import UserError
from evidence_app.core.media.analysis import stripped_copy
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.report.data import load_incidents
from evidence_app.core.report.document import ReportResult, build_report, generated_time
from evidence_app.core.report.formatting import is_picture, mark_filename
from evidence_app.core.report.options import ReportOptions
from evidence_app.core.store.case import Case
from evidence_app.core.store.originals import sha256_file
from evidence_app.core.views import AttachmentView

REPORT_NAME = "evidence-report.pdf"
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)

README = """\
{title}: {case_name}
Prepared by {owner}. Generated {generated} by {app} {version}.

This folder holds:
  {report}           the evidence report ({pages} pages)
  exhibits/                     each exhibit's original file, exactly as it was imported,
                                named by its exhibit mark (JS/1 becomes JS-1_...)
{shareable}  manifest.json                 a machine-readable list of every file
  SHA256SUMS                    the SHA-256 fingerprint of every file

To check that no file has changed, open a terminal in this folder and run:
  Linux:    sha256sum -c SHA256SUMS
  macOS:    shasum -a 256 -c SHA256SUMS
  Windows:  Get-FileHash -Algorithm SHA256 exhibits\\*   (PowerShell; compare by eye)
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

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "report": self.report.to_json(),
                "exhibits": self.exhibits, "shareable_copies": self.shareable,
                "files": list(self.files)}


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


def _target(out: Path, as_zip: bool) -> Path:
    out = Path(out).expanduser()
    if as_zip:
        target = out if out.suffix.lower() == ".zip" else out.with_name(out.name + ".zip")
        if target.exists():
            raise UserError(f"{target} already exists; choose another name.")
    else:
        target = out
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise UserError(f"{target} already exists and is not an empty folder; choose "
                            "another name.")
    if not target.parent.is_dir():
        raise UserError(f"The folder {target.parent} does not exist.")
    return target


def _write_zip(folder: Path, target: Path, top: str, stamp: tuple[int, ...]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".zip.tmp", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}",
                                       date_time=stamp[:6])  # type: ignore[arg-type]
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with open(path, "rb") as fin, zf.open(info, "w") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_bundle(case: Case, options: ReportOptions, out: Path, *, shareable: bool = False,
                  as_zip: bool = False, cancel: CancelToken | None = None,
                  ) -> Iterator[Progress]:
    """Write the bundle to the folder `out` (or `out`.zip); the last item is a BundleResult."""
    token = cancel or CancelToken()
    target = _target(out, as_zip)
    exhibits = sorted((a for inc in load_incidents(case, options) for a in inc.attachments),
                      key=lambda a: a.exhibit_serial)
    extra = len(exhibits) * (2 if shareable else 1) + 1
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    done = False
    try:
        report: ReportResult | None = None
        base = 0
        for event in build_report(case, options, work / REPORT_NAME, cancel=token):
            base = event.total
            if isinstance(event.item, ReportResult):
                report = event.item
            else:
                yield Progress(event.done, event.total + extra, event.message)
        if report is None or token.cancelled:
            return
        total = base + extra
        step = base
        (work / "exhibits").mkdir()
        entries = []
        for att in exhibits:
            if token.cancelled:
                return
            name = exhibit_filename(att)
            yield Progress(step, total, f"Copying exhibit {att.exhibit_mark}")
            _copy_verified(case, work / "exhibits" / name, att)
            step += 1
            entry: dict[str, Any] = {
                "mark": att.exhibit_mark, "file": f"exhibits/{name}",
                "original_name": att.original_name, "sha256": att.sha256, "size": att.size,
                "media_type": att.media_type, "kind": att.kind,
                "captured_at": att.captured_at.isoformat() if att.captured_at else None,
                "captured_from": att.captured_from,
                "imported_at": att.imported_at.isoformat(),
                "incident_id": att.incident_id, "caption": att.caption,
                "shareable_copy": None,
            }
            if shareable:
                yield Progress(step, total, f"Removing metadata from a copy of {att.exhibit_mark}")
                if is_picture(att):
                    copy = work / "shareable" / _shareable_name(att)
                    reason = stripped_copy(case.originals.verified_opener(att.sha256), copy)
                    if reason is None:
                        entry["shareable_copy"] = f"shareable/{copy.name}"
                    else:
                        entry["shareable_error"] = reason
                step += 1
            entries.append(entry)
        yield Progress(step, total, "Writing the manifest and checksums")
        _write_texts(case, options, work, report, entries, shareable)
        files = tuple(sorted(p.relative_to(work).as_posix() for p in work.rglob("*")
                             if p.is_file()))
        if as_zip:
            stamp = generated_time().timetuple()
            _write_zip(work, target, target.stem, tuple(max(v, 0) for v in stamp[:6]))
        else:
            if target.exists():
                target.rmdir()
            os.replace(work, target)
        done = True
        n_shareable = sum(1 for e in entries if e["shareable_copy"])
        final_report = replace(report, path=(target / REPORT_NAME) if not as_zip else target)
        yield Progress(total, total, "Export finished",
                       item=BundleResult(target, final_report, len(entries), n_shareable, files))
    except OSError as exc:
        raise UserError(f"Cannot write the export to {target}: {exc.strerror or exc}") from exc
    finally:
        if as_zip or not done:
            shutil.rmtree(work, ignore_errors=True)


def _write_texts(case: Case, options: ReportOptions, work: Path, report: ReportResult,
                 entries: list[dict[str, Any]], shareable: bool) -> None:
    settings = case.settings()
    generated = generated_time()
    manifest = {
        "format": "evidence-organiser-export", "format_version": 1,
        "app": f"{APP_NAME} {__version__}", "generated_at": generated.isoformat(),
        "case": {"name": settings.case_name, "owner": settings.owner_name,
                 "uuid": settings.case_uuid, "timezone": settings.timezone},
        "options": options.to_json(),
        "report": {"file": REPORT_NAME, "sha256": report.sha256, "pages": report.pages,
                   "incidents": report.incidents},
        "exhibits": entries,
    }
    (work / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    share_line = ("  shareable/                    copies of the pictures with hidden details "
                  "(GPS location,\n                                camera, times) removed, for "
                  "sharing; not evidence\n") if shareable else ""
    (work / "README.txt").write_text(README.format(
        title=options.title, case_name=settings.case_name, owner=settings.owner_name,
        generated=generated.strftime("%d %b %Y %H:%M UTC"), app=APP_NAME, version=__version__,
        report=REPORT_NAME, pages=report.pages, shareable=share_line), encoding="utf-8")
    lines = []
    for path in sorted(p for p in work.rglob("*") if p.is_file()):
        rel = path.relative_to(work).as_posix()
        lines.append(f"{sha256_file(path)}  {rel}\n")
    (work / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
