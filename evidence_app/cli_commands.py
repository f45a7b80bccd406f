"""The headless subcommands. Each opens the case, does one thing, prints, and closes."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence_app.cli import (
    case_dir,
    command,
    emit,
    open_case,
    plural,
    printable,
    progress_to_stderr,
)
from evidence_app.core.errors import UserError

SHOW_ROWS = 20  # a terminal shows this many row problems; --json lists them all


@command("init")
def cmd_init(args: argparse.Namespace) -> int:
    from evidence_app.core.cases import create_case

    folder = case_dir(args)
    with create_case(folder, owner_name=args.owner, initials=args.initials,
                     case_name=args.name, timezone=args.timezone) as case:
        s = case.settings()
        emit(args, {"case": str(case.folder), "case_name": s.case_name, "owner": s.owner_name,
                    "initials": s.initials, "timezone": s.timezone},
             f"Created case '{s.case_name}' in {case.folder} (exhibits marked {s.initials}/1, "
             f"{s.initials}/2, ...)")
    return 0


@command("incident add")
def cmd_incident_add(args: argparse.Namespace) -> int:
    from evidence_app.core.dates import parse_when
    from evidence_app.core.incidents import create_incident
    from evidence_app.core.vocab import Category, parse_category

    with open_case(args) as case:
        tz = case.settings().timezone
        when = parse_when(args.when, tz, precision=args.precision, end_text=args.until)
        try:
            category = parse_category(args.category)
        except ValueError as exc:
            raise UserError(f"{exc}; choose one of: {', '.join(c.value for c in Category)}") from exc
        new_id = create_incident(
            case, when=when, title=args.title, location=args.location,
            description=args.description, category=category.value,
            suspect_appearance=args.suspect_appearance, suspect_voice=args.suspect_voice,
            suspect_clothing=args.suspect_clothing, witnesses=args.witnesses,
            impact=args.impact, police_reference=args.police_reference,
            police_officer=args.police_officer, tags=args.tag)
    emit(args, {"id": new_id}, str(new_id))
    return 0


@command("incident list")
def cmd_incident_list(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import list_incidents

    with open_case(args) as case:
        rows = list_incidents(case)

    def text() -> str:
        if not rows:
            return "No incidents yet."
        lines = [f"{'ID':>5}  {'WHEN':<32} {'CATEGORY':<28} {'EXH':>3}  TITLE"]
        for r in rows:
            lines.append(f"{r.id:>5}  {r.when_text:<32} {r.category_text[:28]:<28} "
                         f"{r.exhibit_count:>3}  {r.title}")
        return "\n".join(lines)

    emit(args, {"incidents": [dict(r.to_json(), when=r.when_text) for r in rows]}, text)
    return 0


@command("incident show")
def cmd_incident_show(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import get_incident

    with open_case(args) as case:
        d = get_incident(case, args.id)

    def text() -> str:
        out = [f"Incident {d.id}: {d.title}", f"  When:      {d.when_text}",
               f"  Category:  {d.category_text}"]
        for label, value in (("Location", d.location), ("What happened", d.description),
                             ("Suspect", d.suspect_appearance), ("Voice", d.suspect_voice),
                             ("Clothing", d.suspect_clothing), ("Witnesses", d.witnesses),
                             ("Impact", d.impact), ("Police ref", d.police_reference),
                             ("Officer", d.police_officer)):
            if value:
                out.append(f"  {label + ':':<14} {value}")
        out.append(f"  Recorded:  {d.recorded_at:%d %b %Y %H:%M} UTC")
        for a in d.amendments:
            out.append(f"  Amended:   {a.at:%d %b %Y %H:%M} UTC ({', '.join(a.fields)})")
        for n in d.notes:
            out.append(f"  Note {n.created_at:%d %b %Y %H:%M}{' (private)' if n.private else ''}: {n.text}")
        for att in d.attachments:
            out.append(f"  Exhibit {att.exhibit_mark}: {printable(att.original_name)} ({att.sha256[:12]}...)")
        return "\n".join(out)

    data = d.to_json()
    data["when"] = d.when_text
    emit(args, data, text)
    return 0


@command("incident delete")
def cmd_incident_delete(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import delete_incident

    with open_case(args) as case:
        delete_incident(case, args.id)
    emit(args, {"id": args.id, "trashed": True}, f"Incident {args.id} moved to the trash.")
    return 0


@command("incident import")
def cmd_incident_import(args: argparse.Namespace) -> int:
    from evidence_app.core.importers.diary_csv import DiaryRowsInvalid, import_diary, read_diary

    with open_case(args) as case:
        preview = read_diary(args.file, case.settings().timezone)
        try:
            result = import_diary(case, preview, skip_invalid=args.skip_invalid,
                                  allow_duplicates=args.allow_duplicates)
        except DiaryRowsInvalid as exc:
            if args.json:
                emit(args, {"imported": 0, "invalid": [{"line": r.line, "reason": r.error}
                                                       for r in exc.rows]}, "")
            else:
                for r in exc.rows[:SHOW_ROWS]:
                    print(f"line {r.line}: {r.error}", file=sys.stderr)
                if len(exc.rows) > SHOW_ROWS:
                    print(f"... and {len(exc.rows) - SHOW_ROWS} more", file=sys.stderr)
            print(f"error: {len(exc.rows)} row(s) cannot be read; nothing was imported "
                  "(use --skip-invalid to import the readable rows)", file=sys.stderr)
            return 2
    warnings = [{"line": r.line, "warning": w} for r in preview.valid for w in r.warnings]

    def text() -> str:
        lines = [f"Imported {plural(result.imported, 'incident')} from {args.file}."]
        if result.already:
            lines.append(f"Left out {plural(len(result.already), 'row')} already in the case "
                         "(same date, title and description; --allow-duplicates imports "
                         "them anyway).")
        lines += [f"skipped line {r.line}: {r.error}" for r in result.skipped[:SHOW_ROWS]]
        if len(result.skipped) > SHOW_ROWS:
            lines.append(f"... and {len(result.skipped) - SHOW_ROWS} more skipped")
        lines += [f"line {w['line']}: {w['warning']}" for w in warnings[:SHOW_ROWS]]
        if len(warnings) > SHOW_ROWS:
            lines.append(f"... and {len(warnings) - SHOW_ROWS} more warnings")
        return "\n".join(lines)

    emit(args, dict(result.to_json(), warnings=warnings), text)
    return 0


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    from evidence_app.core.importers.files import import_files

    results = []
    with open_case(args) as case:
        tz = case.settings().timezone
        for event in progress_to_stderr(import_files(case, args.paths, args.incident),
                                        quiet=args.json):
            if event.item is not None:
                results.append(event.item)
                if not args.json:
                    r = event.item
                    detail = r.reason or (_captured(r, tz) if r.captured_at else "")
                    print(f"{r.status:<9} {r.exhibit or '-':<8} {printable(r.path)}  "
                          f"{detail}".rstrip())
    if args.json:
        emit(args, [r.to_json() for r in results], "")
    else:
        counts = {s: sum(r.status == s for r in results) for s in ("imported", "duplicate", "rejected")}
        print(f"{counts['imported']} imported, {counts['duplicate']} duplicate(s), "
              f"{counts['rejected']} rejected", file=sys.stderr)
    return 1 if any(r.status == "rejected" for r in results) else 0


def _captured(result: Any, tz: str) -> str:
    """'captured Sun 21 Jan 2024, 04:05:10 GMT, from the camera metadata (EXIF)', as the viewer says."""
    from evidence_app.core.capture_time import capture_source_text, capture_text

    when = capture_text(datetime.fromisoformat(result.captured_at), result.captured_from,
                        Path(result.path).name, tz, weekday=True, seconds=True)
    source = capture_source_text(result.captured_from)
    return f"captured {when}" + (f", from the {source}" if source else "")


@command("attachment extract")
def cmd_attachment_extract(args: argparse.Namespace) -> int:
    from evidence_app.core.attachments import extract

    out = Path(args.out).expanduser()
    if args.out.endswith(("/", os.sep)) and not out.is_dir():
        # Path() drops the slash: without this, a file named like the folder was written.
        raise UserError(f"The folder {out} does not exist. Create it first, or give a file name.")
    with open_case(args) as case:
        try:
            dest = extract(case, args.id, out, replace=args.force)
        except OSError as exc:
            raise UserError(f"Cannot write {args.out}: {exc.strerror or exc}") from exc
    print(dest)
    return 0


@command("attachment show")
def cmd_attachment_show(args: argparse.Namespace) -> int:
    from evidence_app.core.attachments import get_attachment

    with open_case(args) as case:
        att = get_attachment(case, args.id, allow_deleted=True)
        tz = case.settings().timezone
    readable = {"captured_at": att.capture_text(tz, weekday=True, seconds=True)}
    emit(args, att.to_json(), lambda: "\n".join(f"{k}: {readable.get(k, v)}"
                                                 for k, v in att.to_json().items()
                                                 if k != "ocr_text"))
    return 0


@command("attachment inbox")
def cmd_attachment_inbox(args: argparse.Namespace) -> int:
    from evidence_app.core.attachments import list_inbox

    with open_case(args) as case:
        rows = list_inbox(case)
        tz = case.settings().timezone

    def when(a: Any) -> str:  # the Inbox's own short wording
        return a.capture_text(tz, zone=False, unknown="No date", say_no_time=False)

    emit(args, {"attachments": [a.to_json() for a in rows]},
         lambda: "\n".join(f"{a.id:>5} {a.exhibit_mark:<8} {when(a):<22} {printable(a.original_name)}"
                           for a in rows) or "The inbox is empty.")
    return 0


@command("note add")
def cmd_note_add(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import add_note

    with open_case(args) as case:
        note_id = add_note(case, args.incident, args.text, private=args.private)
    emit(args, {"id": note_id}, str(note_id))
    return 0


@command("verify")
def cmd_verify(args: argparse.Namespace) -> int:
    from evidence_app.core.store.verify import VerifyReport, verify_case

    with open_case(args) as case:
        if getattr(args, "repair", False):
            from evidence_app.core.search.index import rebuild_case_index

            rebuilt = rebuild_case_index(case)
            if not args.json:
                print(f"Rebuilt the search index ({rebuilt} record(s)).", file=sys.stderr)
        report = VerifyReport()
        for event in progress_to_stderr(verify_case(case), quiet=args.json):
            if isinstance(event.item, VerifyReport):
                report = event.item

    def text() -> str:
        lines = [f"Checked {report.originals_checked} original(s) and "
                 f"{report.audit_events} audit event(s)."]
        lines += [f"PROBLEM: {p}" for p in report.problems]
        lines += [f"note: {n}" for n in report.notices]
        lines.append("Everything holds." if report.ok else f"{len(report.problems)} problem(s) found.")
        return "\n".join(lines)

    emit(args, report.to_json(), text)
    return 0 if report.ok else 1
