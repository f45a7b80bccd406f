"""`import` (photos, screenshots and other files) and `attachment` (show, list and extract
the imported files, the exhibits)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    emit,
    open_case,
    printable,
    progress_to_stderr,
    record_id,
)
from evidence_app.cli.messages import add_import_options
from evidence_app.core.errors import UserError

if TYPE_CHECKING:
    from evidence_app.core.importers.files import ImportResult
    from evidence_app.core.views import AttachmentView


def cmd_import(args: argparse.Namespace) -> int:
    from evidence_app.cli.messages import import_exports, message_exports
    from evidence_app.core.importers.files import import_files

    results = []
    exports, paths = ([], args.paths) if args.as_files else message_exports(args.paths)
    if exports and args.incident:
        raise UserError("Message exports go into conversations, not an incident: import them "
                        "without --incident (or with --as-files to keep them as exhibits).")
    conversations = []
    with open_case(args) as case:
        tz = case.settings().timezone
        if exports:
            conversations = import_exports(args, case, exports)
        events = import_files(case, paths, args.incident) if paths else iter(())
        for event in progress_to_stderr(events, quiet=args.json):
            if event.item is not None:
                results.append(event.item)
                if not args.json:
                    r = event.item
                    detail = r.reason or _captured(r, tz)
                    print(f"{r.status:<9} {r.exhibit or '-':<8} {printable(r.path)}  "
                          f"{detail}".rstrip())
    if args.json:
        files = [r.to_json() for r in results]
        emit(args, {"files": files, "conversations": conversations} if exports else files, "")
    elif paths:
        counts = {s: sum(r.status == s for r in results) for s in ("imported", "duplicate", "rejected")}
        print(f"{counts['imported']} imported, {counts['duplicate']} duplicate(s), "
              f"{counts['rejected']} rejected", file=sys.stderr)
    return 1 if any(r.status == "rejected" for r in results) else 0


def _captured(result: ImportResult, tz: str) -> str:
    """'captured Sun 21 Jan 2024, 04:05:10 GMT, from the camera metadata (EXIF)', as the viewer
    says; empty when the file gave no time."""
    from evidence_app.core.capture_time import capture_source_text, capture_text

    if not result.captured_at:
        return ""

    when = capture_text(datetime.fromisoformat(result.captured_at), result.captured_from,
                        Path(result.path).name, tz, weekday=True, seconds=True)
    source = capture_source_text(result.captured_from)
    return f"captured {when}" + (f", from the {source}" if source else "")


def add_import(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("import", parents=[json_parent],
                       help="import photos, screenshots, other files and message exports "
                            "(WhatsApp chats, SMS Backup & Restore, mail, Instagram, "
                            "Messenger, Telegram: recognised by their content)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="files or folders (folders with everything inside them)")
    p.add_argument("--incident", type=record_id, metavar="ID",
                   help="attach to this incident (default: the inbox)")
    add_import_options(p)
    p.set_defaults(run=cmd_import)


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


def cmd_attachment_inbox(args: argparse.Namespace) -> int:
    from evidence_app.core.attachments import list_inbox

    with open_case(args) as case:
        rows = list_inbox(case)
        tz = case.settings().timezone

    def when(a: AttachmentView) -> str:  # the Inbox's own short wording
        return a.capture_text(tz, zone=False, unknown="No date", say_no_time=False)

    emit(args, {"attachments": [a.to_json() for a in rows]},
         lambda: "\n".join(f"{a.id:>5} {a.exhibit_mark:<8} {when(a):<22} {printable(a.original_name)}"
                           for a in rows) or "The inbox is empty.")
    return 0


def add_attachment(sub: Subcommands, json_parent: Parser) -> None:
    att = sub.add_parser("attachment", help="show, list and extract imported files (exhibits)")
    asub = att.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = asub.add_parser("extract", help="write an original's exact bytes to a file")
    p.add_argument("id", type=record_id, metavar="ID", help="the attachment's id")
    p.add_argument("--out", required=True, metavar="FILE_OR_FOLDER",
                   help="where to write it (outside the case folder); a folder keeps its name")
    p.add_argument("--force", action="store_true",
                   help="replace the file if it already exists (otherwise it is left alone)")
    p.set_defaults(run=cmd_attachment_extract)
    p = asub.add_parser("show", parents=[json_parent], help="details of one attachment")
    p.add_argument("id", type=record_id, metavar="ID", help="the attachment's id")
    p.set_defaults(run=cmd_attachment_show)
    p = asub.add_parser("inbox", parents=[json_parent],
                        help="imported files not yet in an incident")
    p.set_defaults(run=cmd_attachment_inbox)
