"""Command line: `evidence-app [--case DIR] [COMMAND ...]`. No command opens the GUI.

Listing commands take `--json` and print one JSON document. User errors print one line
to stderr and exit with status 2; nothing prints a traceback for them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from evidence_app import APP_NAME, __version__
from evidence_app.core.errors import UserError
from evidence_app.core.names import readable_name
from evidence_app.core.vocab import Category, Precision

log = logging.getLogger("evidence_app")
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
# Each module here defines `add_parsers(subparsers, json_parent)` and registers its
# commands with @command; keeping features in their own files keeps this one small.
EXTRA_COMMAND_MODULES: list[str] = ["evidence_app.cli_report", "evidence_app.cli_search"]


def command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def wrap(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = fn
        return fn
    return wrap


def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> None:
    """Print `data` as JSON with --json, else the human-readable text."""
    if getattr(args, "json", False):
        print(readable_name(json.dumps(data, ensure_ascii=False, indent=2, default=str)))
    else:
        out = text() if callable(text) else text
        if out:
            print(readable_name(out))


def case_dir(args: argparse.Namespace) -> Path:
    from evidence_app.paths import default_case_dir

    return Path(args.case).expanduser() if args.case else default_case_dir()


def open_case(args: argparse.Namespace) -> Any:
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.folder import DB_NAME

    folder = case_dir(args)
    if not (folder / DB_NAME).exists():
        case_option = f"--case {_quote(str(args.case))} " if args.case else ""
        raise UserError(f"There is no case in {folder} yet. Create one with: evidence-app "
                        f'{case_option}init --owner "Your Name" --initials YN')
    return open_case(folder)


MAX_ID = 2**63 - 1  # the largest integer SQLite stores; no record has a larger id


def record_id(text: str) -> int:
    """An id typed on the command line (argparse `type=`): a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (ids are whole numbers)") from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text} is not an id (ids are whole numbers from 1)")
    return value


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def plural(n: int, word: str) -> str:
    """'1 page', '36 pages'."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def printable(text: str) -> str:
    """A file name or path on one line: control characters (newlines, tabs) escaped."""
    text = readable_name(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes print one line (and exit 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def progress_to_stderr(events: Iterator[Any], quiet: bool) -> Iterator[Any]:
    """Pass events through, showing a one-line progress counter on a terminal."""
    tty = sys.stderr.isatty() and not quiet
    for event in events:
        if tty and event.total:
            sys.stderr.write(f"\r{event.done}/{event.total} {str(event.message)[-60:]:<60}")
            sys.stderr.flush()
        yield event
    if tty:
        sys.stderr.write("\n")


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="evidence-app", formatter_class=fmt,
        description=f"{APP_NAME}: a private, offline log of stalking and harassment evidence. "
                    "With no command, the desktop app opens.",
        epilog="Exit status: 0 when everything worked; 1 when verify found a problem, import "
               "refused a file or ocr could not read an image (or for an unexpected failure, "
               "whose details go to the log file); 2 for a mistake in what was asked, printed "
               "as one line. Each command has its own --help.")
    parser.add_argument("--case", metavar="DIR", help="case folder (default: your default case)")
    parser.add_argument("--demo", action="store_true",
                        help="open a temporary case filled with sample incidents")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    js = _Parser(add_help=False)
    js.add_argument("--json", action="store_true", help="print one JSON document")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the desktop app (the default)")
    p = sub.add_parser("init", parents=[js], help="create a new case folder")
    p.add_argument("--owner", required=True, help="full name of the person the case belongs to")
    p.add_argument("--initials", required=True, help="initials for exhibit marks, e.g. JS")
    p.add_argument("--name", default="", help="case name (default: the owner's name)")
    p.add_argument("--timezone", default="Europe/London",
                   help="IANA time zone of the dates you type (default: Europe/London)")

    inc = sub.add_parser("incident", help="add, list, show, delete and import incidents")
    isub = inc.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = isub.add_parser("add", parents=[js], help="record an incident; prints its id")
    p.add_argument("--when", default="", metavar="DATE",
                   help="day first: '12/03/2025 14:30', '12/03/2025 about 9pm', 'March 2025', "
                        "2025-03-12T14:30; years 1900 to 2100 (default: undated)")
    p.add_argument("--until", default="", metavar="DATE", help="end of a 'between' period")
    p.add_argument("--precision", choices=[p.value for p in Precision],
                   help="how exactly the time is known (default: read from --when)")
    p.add_argument("--title", required=True, help="a few words, e.g. 'Car outside the house'")
    p.add_argument("--location", default="", metavar="TEXT", help="where it happened")
    p.add_argument("--description", default="", metavar="TEXT", help="what happened")
    p.add_argument("--category", default="other",
                   help="one of: " + ", ".join(c.value for c in Category) + " (default: other)")
    for name, what in (("suspect-appearance", "what the suspect looked like"),
                       ("suspect-voice", "how the suspect sounded"),
                       ("suspect-clothing", "what the suspect wore"),
                       ("witnesses", "who saw or heard it"),
                       ("impact", "how it affected you"),
                       ("police-reference", "the police or crime reference number"),
                       ("police-officer", "the officer dealing with it")):
        p.add_argument(f"--{name}", default="", metavar="TEXT", help=what)
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="a tag such as 'astra' (repeatable)")
    isub.add_parser("list", parents=[js], help="all incidents, oldest first")
    p = isub.add_parser("show", parents=[js], help="every field of one incident")
    p.add_argument("id", type=record_id, metavar="ID", help="the incident's id (see incident list)")
    p = isub.add_parser("import", parents=[js], help="import a diary kept in a spreadsheet (CSV)")
    p.add_argument("file", type=Path, metavar="FILE.csv", help="the diary saved as CSV")
    p.add_argument("--skip-invalid", action="store_true",
                   help="import the readable rows even if some cannot be read")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="also import rows already in the case (same date, title and "
                        "description); by default they are left out, so importing an "
                        "updated diary again adds only its new rows")
    p = isub.add_parser("delete", parents=[js], help="move an incident to the trash")
    p.add_argument("id", type=record_id, metavar="ID", help="the incident's id")

    p = sub.add_parser("import", parents=[js], help="import photos, screenshots and other files")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="files or folders (folders with everything inside them)")
    p.add_argument("--incident", type=record_id, metavar="ID",
                   help="attach to this incident (default: the inbox)")

    att = sub.add_parser("attachment", help="show, list and extract imported files (exhibits)")
    asub = att.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = asub.add_parser("extract", help="write an original's exact bytes to a file")
    p.add_argument("id", type=record_id, metavar="ID", help="the attachment's id")
    p.add_argument("--out", required=True, metavar="FILE_OR_FOLDER",
                   help="where to write it (outside the case folder); a folder keeps its name")
    p.add_argument("--force", action="store_true",
                   help="replace the file if it already exists (otherwise it is left alone)")
    p = asub.add_parser("show", parents=[js], help="details of one attachment")
    p.add_argument("id", type=record_id, metavar="ID", help="the attachment's id")
    asub.add_parser("inbox", parents=[js], help="imported files not yet in an incident")

    note = sub.add_parser("note", help="add notes to incidents")
    nsub = note.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = nsub.add_parser("add", parents=[js], help="add a timestamped note")
    p.add_argument("incident", type=record_id, metavar="INCIDENT_ID",
                   help="the incident the note is about")
    p.add_argument("--text", required=True, help="what to note, e.g. 'Rang 101'")
    p.add_argument("--private", action="store_true", help="keep out of reports by default")

    p = sub.add_parser("verify", parents=[js], help="check originals, database and audit trail")
    p.add_argument("--repair", action="store_true",
                   help="first rebuild what can be rebuilt (the search index)")
    for module in _command_modules():
        module.add_parsers(sub, js)
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """Give each command's own --help the one-line summary the command list shows."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                command_parser = action.choices[choice.dest]
                if command_parser.description is None and choice.help:
                    command_parser.description = choice.help[0].upper() + choice.help[1:] + "."
                _describe(command_parser)


def _command_modules() -> list[Any]:
    """Feature modules that add their own subcommands (report, search, ...)."""
    import importlib

    return [importlib.import_module(name) for name in EXTRA_COMMAND_MODULES]


def main(argv: list[str] | None = None) -> int:
    """Entry point for `evidence-app` and `python -m evidence_app`."""
    from evidence_app import cli_commands  # noqa: F401 - registers the commands

    # Last line of defence: text that cannot be encoded is escaped, never a crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        return _run_gui(args)
    key = args.command + (f" {args.action}" if getattr(args, "action", None) else "")
    try:
        return COMMANDS[key](args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: keep the details in the log, one line on screen
        from evidence_app.logs import log_exception

        where = log_exception(exc)
        print(f"error: unexpected problem ({type(exc).__name__}: {exc}); details in {where}",
              file=sys.stderr)
        return 1


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from evidence_app.gui.app import run
    except ImportError as exc:
        print(f"error: the desktop app cannot start ({exc}). "
              "The command-line tools still work; see `evidence-app --help`.", file=sys.stderr)
        return 1
    return run(case=Path(args.case).expanduser() if args.case else None, demo=args.demo)
