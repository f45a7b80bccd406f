"""`init` and `verify`: making a case folder, and checking that nothing in it has changed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    emit,
    open_case,
    result_of,
)


def cmd_init(args: argparse.Namespace) -> int:
    from evidence_app import paths
    from evidence_app.core.cases import create_case

    folder = Path(args.case).expanduser() if args.case else paths.default_case_dir()
    with create_case(folder, owner_name=args.owner, initials=args.initials,
                     case_name=args.name, timezone=args.timezone) as case:
        s = case.settings()
        # The default case made here is the one the app opens too, unless the app has
        # opened another (that one stays the default) or the person asked it not to
        # remember cases. A case made with --case is never remembered.
        if (not args.case and paths.last_opened_case() is None
                and paths.cases_remembered() is not False):
            paths.remember_last_case(case.folder, by="init")
        emit(args, {"case": str(case.folder), "case_name": s.case_name, "owner": s.owner_name,
                    "initials": s.initials, "timezone": s.timezone},
             f"Created case '{s.case_name}' in {case.folder} (exhibits marked {s.initials}/1, "
             f"{s.initials}/2, ...)")
    return 0


def add_init(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("init", parents=[json_parent], help="create a new case folder")
    p.add_argument("--owner", required=True, help="full name of the person the case belongs to")
    p.add_argument("--initials", required=True, help="initials for exhibit marks, e.g. JS")
    p.add_argument("--name", default="", help="case name (default: the owner's name)")
    p.add_argument("--timezone", default="Europe/London",
                   help="IANA time zone of the dates you type (default: Europe/London)")
    p.set_defaults(run=cmd_init)


def cmd_verify(args: argparse.Namespace) -> int:
    from evidence_app.core.store.verify import VerifyReport, verify_case

    with open_case(args) as case:
        if getattr(args, "repair", False):
            from evidence_app.core.search.index import rebuild_case_index

            rebuilt = rebuild_case_index(case)
            if not args.json:
                print(f"Rebuilt the search index ({rebuilt} record(s)).", file=sys.stderr)
        found = result_of(verify_case(case), VerifyReport, quiet=args.json)
    report = found if found is not None else VerifyReport()

    def text() -> str:
        lines = [f"Checked {report.originals_checked} original(s) and "
                 f"{report.audit_events} audit event(s)."]
        lines += [f"PROBLEM: {p}" for p in report.problems]
        lines += [f"note: {n}" for n in report.notices]
        lines.append("Everything holds." if report.ok else f"{len(report.problems)} problem(s) found.")
        return "\n".join(lines)

    emit(args, report.to_json(), text)
    return 0 if report.ok else 1


def add_verify(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("verify", parents=[json_parent],
                       help="check originals, database and audit trail")
    p.add_argument("--repair", action="store_true",
                   help="first rebuild what can be rebuilt (the search index)")
    p.set_defaults(run=cmd_verify)
