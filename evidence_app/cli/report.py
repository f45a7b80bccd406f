"""`report` and `export`: the evidence report as a PDF, and a checkable export bundle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    day,
    emit,
    open_case,
    plural,
    record_id,
    result_of,
)
from evidence_app.core.errors import UserError

if TYPE_CHECKING:
    from evidence_app.core.cases import Case
    from evidence_app.core.report.options import ReportOptions
    from evidence_app.core.report.personal import Found


def _report_options(p: argparse.ArgumentParser) -> None:
    from evidence_app.core.report.options import ImageLayout, Paper, Profile

    g = p.add_argument_group("what the report contains")
    g.add_argument("--profile", choices=[x.value for x in Profile], default="police",
                   help="who it is for; sets the defaults below (default: police)")
    g.add_argument("--from", dest="date_from", metavar="DATE",
                   help="first day, e.g. 01/01/2025 or 'January 2025'")
    g.add_argument("--to", dest="date_to", metavar="DATE", help="last day (inclusive)")
    g.add_argument("--category", action="append", default=[], metavar="CATEGORY",
                   help="only these categories (repeatable)")
    g.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="only incidents with any of these tags (repeatable)")
    g.add_argument("--incident", action="append", default=[], type=record_id, metavar="ID",
                   help="only these incidents (repeatable)")
    g.add_argument("--no-undated", action="store_true", help="leave out undated incidents")
    for name, what in (("private", "private notes"), ("gps", "photo locations (GPS)"),
                       ("address", "your address and contact details"),
                       ("audit", "the audit trail appendix")):
        flag = g.add_mutually_exclusive_group()
        flag.add_argument(f"--include-{name}", dest=f"include_{name}", action="store_true",
                          default=None, help=f"include {what}")
        flag.add_argument(f"--no-{name}", dest=f"include_{name}", action="store_false",
                          help=f"leave out {what}")
    typed = g.add_mutually_exclusive_group()
    typed.add_argument("--withhold-typed-address", dest="withhold_typed", action="store_true",
                       default=None,
                       help="where you typed your address, postcode or phone number into an "
                       "incident, print [address withheld] instead (the default when the "
                       "address is left out)")
    typed.add_argument("--keep-typed-address", dest="withhold_typed", action="store_false",
                       help="print what you typed into incidents as written, even your "
                       "address (the cover then says this copy includes it)")
    g.add_argument("--layout", choices=[x.value for x in ImageLayout],
                   help="pictures full width or two per row")
    g.add_argument("--paper", choices=[x.value for x in Paper], default="A4")
    g.add_argument("--title", default="Evidence log", help="the report's title")


def options_from(args: argparse.Namespace) -> ReportOptions:
    """ReportOptions from the command line (profile defaults, then explicit flags)."""
    from evidence_app.core.report.options import ReportOptions
    from evidence_app.core.vocab import parse_category

    try:
        categories = tuple(parse_category(c).value for c in args.category)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    return ReportOptions.for_profile(
        args.profile, date_from=day(args.date_from, False), date_to=day(args.date_to, True),
        categories=categories, tags=tuple(args.tag), incident_ids=tuple(args.incident),
        include_undated=not args.no_undated, include_private=args.include_private,
        include_gps=args.include_gps, include_address=args.include_address,
        include_audit=args.include_audit, withhold_typed=args.withhold_typed,
        image_layout=args.layout, paper=args.paper,
        title=args.title)


def _outside(case: Case, out: Path) -> None:
    if case.contains(out):  # it could overwrite case.db or mix into the originals
        raise UserError(f"Choose a place outside the case folder, not {out}.")


def _left_out(options: ReportOptions, personal: Found) -> str:
    """What the copy leaves out, and where the person's own details were typed into it."""
    from evidence_app.core.report.options import ADDRESS_ITEM
    from evidence_app.core.report.personal import statements

    left, _ = statements(options.left_out(), options.kept_in(), personal, ADDRESS_ITEM)
    text = ("Left out: " + "; ".join(left) + ".") if left else "Nothing was left out."
    if not personal:
        return text
    if personal.withheld:
        hint = "Add --keep-typed-address to print them as written."
    else:
        hint = ("This copy is not safe to give to anyone who may show it to the defence. "
                "Leave out --keep-typed-address to withhold them.")
    return f"{text}\nWarning: {personal.message()} {hint}"


def cmd_report(args: argparse.Namespace) -> int:
    from evidence_app.core.report import ReportResult, build_report

    options = options_from(args)
    if args.out.is_dir():
        raise UserError(f"{args.out} is a folder; give a file name, such as "
                        f"{args.out / 'evidence-report.pdf'}")
    out = args.out if args.out.suffix.lower() == ".pdf" else args.out.with_name(args.out.name + ".pdf")
    if out.exists() and not args.force:
        raise UserError(f"{out} already exists and was left as it is. Give another name, or "
                        "add --force to replace it.")
    with open_case(args) as case:
        _outside(case, out)
        result = result_of(build_report(case, options, out), ReportResult, quiet=args.json)
        _plain_by_nature(case.encrypted, "report")
    if result is None:
        raise UserError("The report was not finished.")
    emit(args, dict(result.to_json(), options=options.to_json()),
         f"Wrote {result.path} ({plural(result.pages, 'page')}, "
         f"{plural(result.incidents, 'incident')}, {plural(result.exhibits, 'exhibit')})."
         f"\n{_left_out(options, result.personal)}")
    return 0


def _plain_by_nature(encrypted: bool, what: str) -> None:
    """On an encrypted case, say (on stderr) that what was written is not encrypted."""
    if encrypted:
        print(f"Note: this {what} is not encrypted, unlike the case: anyone who finds the "
              "file can read it. Keep it somewhere safe and delete it once handed over.",
              file=sys.stderr)


def add_report(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("report", parents=[json_parent],
                       help="write the chronological evidence report (PDF)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.add_argument("--force", action="store_true",
                   help="replace the file if it already exists (otherwise it is left alone)")
    _report_options(p)
    p.set_defaults(run=cmd_report)


def cmd_export(args: argparse.Namespace) -> int:
    from evidence_app.core.report.bundle import BundleResult, export_bundle

    options = options_from(args)
    files = "both" if args.stripped and args.files == "original" else args.files
    with open_case(args) as case:
        _outside(case, args.out)
        events = export_bundle(case, options, args.out, originals=files != "shareable",
                               shareable=files != "original", as_zip=args.zip,
                               force=args.force)
        result = result_of(events, BundleResult, quiet=args.json)
        _plain_by_nature(case.encrypted and result is not None, "export")
    if result is None:
        raise UserError("The export was not finished.")
    check = ("unzip it, then run `sha256sum -c SHA256SUMS` inside" if args.zip
             else f"run `sha256sum -c SHA256SUMS` inside {result.path}")
    what = []
    if result.exhibits:
        what.append(plural(result.exhibits, "original exhibit"))
    if result.shareable:
        what.append(f"{result.shareable} shareable "
                    f"cop{'y' if result.shareable == 1 else 'ies'}")
    statements = "\n".join(result.contents.statements())
    emit(args, result.to_json(),
         f"Exported {', '.join(what + ['the report'])} "
         f"({plural(result.report.pages, 'page')}) "
         f"to {result.path}.\n{statements}\nTo check every file, {check}.\n"
         "About the report's pages: "
         f"{_left_out(options.with_changes(export=result.contents), result.report.personal)}")
    return 0


def add_export(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("export", parents=[json_parent],
                       help="export the report, the exhibits and SHA256SUMS")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="a new (or empty) folder; with --zip, the zip file")
    p.add_argument("--zip", action="store_true", help="write one zip file instead of a folder")
    p.add_argument("--files", choices=["original", "shareable", "both"], default="original",
                   help="original: each exhibit's exact file (what the police need; photos "
                        "may record where they were taken, a camera serial number or a "
                        "name); shareable: copies of the pictures with those hidden details "
                        "removed; both (default: original)")
    p.add_argument("--stripped", action="store_true",
                   help="the same as --files both")
    p.add_argument("--force", action="store_true",
                   help="replace an existing zip file, or a folder holding an earlier export")
    _report_options(p)
    p.set_defaults(run=cmd_export)
