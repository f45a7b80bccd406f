"""`evidence-app sample FOLDER`: write the sample case (a made-up story with pictures) into
a folder, to try the app and its commands on, follow the user guide with, or smoke-test a
bundle (packaging/smoke_test.sh). The desktop app's `--demo` makes the same case in a
temporary folder instead."""

from __future__ import annotations

import argparse
from pathlib import Path

from evidence_app.cli.common import Parser, Subcommands, emit
from evidence_app.core.errors import UserError


def cmd_sample(args: argparse.Namespace) -> int:
    folder = Path(args.folder).expanduser()
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"{folder} is not empty: give a new folder for the sample case")
    try:
        from evidence_app.demo.case import create_demo_case
    except ImportError as exc:
        if (exc.name or "").startswith("evidence_app.demo"):
            raise UserError("this copy of the app was built without the sample case") from exc
        raise
    with create_demo_case(folder) as case:
        s = case.settings()
        emit(args, {"case": str(case.folder), "case_name": s.case_name,
                    "owner": s.owner_name, "initials": s.initials},
             f"Made the sample case '{s.case_name}' in {case.folder}. Every person, place "
             "and event in it is made up. Open it with: evidence-app --case "
             f"'{case.folder}'")
    return 0


def add_sample(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("sample", parents=[json_parent],
                       help="make the sample case (a made-up story) in a new folder")
    p.add_argument("folder", metavar="FOLDER", help="a new or empty folder")
    p.set_defaults(run=cmd_sample)
