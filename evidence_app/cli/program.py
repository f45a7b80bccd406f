"""The `evidence-app` program: the top-level parser made from the command groups, and
`main`, which runs the command asked for (or the desktop app when none is)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from evidence_app import APP_NAME, __version__
from evidence_app.cli.common import Command, Parser, Subcommands, printable, terminal_safe
from evidence_app.core.errors import UserError
from evidence_app.paths import default_case_dir, last_case_file

if TYPE_CHECKING:
    from types import ModuleType

# Each command and the group (module of evidence_app.cli) whose `add_<command>` adds it,
# its options and what runs it (`set_defaults(run=...)`), in the order `evidence-app
# --help` lists them: from making a case to handing over a report. A group is imported
# only when one of its commands is asked for (or the whole list is): the desktop app and
# `--version` import none of them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("init", "case"), ("case", "case"), ("incident", "incidents"), ("import", "files"),
    ("attachment", "files"), ("conversation", "messages"), ("note", "incidents"),
    ("person", "people"), ("vehicle", "people"), ("verify", "case"), ("report", "report"),
    ("export", "report"), ("search", "search"), ("ocr", "search"), ("backup", "backup"),
    ("restore", "backup"), ("encrypt", "encryption"), ("passphrase", "encryption"),
    ("unlock", "encryption"), ("sample", "sample"),
)


def command_group(module: str) -> ModuleType:
    """The command group `module` (one of COMMANDS' second names), imported now."""
    if module == "case":
        from evidence_app.cli import case
        return case
    if module == "incidents":
        from evidence_app.cli import incidents
        return incidents
    if module == "files":
        from evidence_app.cli import files
        return files
    if module == "messages":
        from evidence_app.cli import messages
        return messages
    if module == "people":
        from evidence_app.cli import people
        return people
    if module == "report":
        from evidence_app.cli import report
        return report
    if module == "search":
        from evidence_app.cli import search
        return search
    if module == "backup":
        from evidence_app.cli import backup
        return backup
    if module == "encryption":
        from evidence_app.cli import encryption
        return encryption
    if module == "sample":
        from evidence_app.cli import sample
        return sample
    raise ValueError(f"no command group {module!r}")


def command_adder(command: str) -> Callable[[Subcommands, Parser], None]:
    """What adds `command` to the parser (`add_<command>` of its group)."""
    module = dict(COMMANDS)[command]
    add: Callable[[Subcommands, Parser], None] = getattr(command_group(module), f"add_{command}")
    return add


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the commands named (default: all of them, and the help's note on
    which case is used: what `--help` shows)."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = Parser(
        prog="evidence-app", formatter_class=fmt,
        description=f"{APP_NAME}: a private, offline log of stalking and harassment evidence. "
                    "With no command, the desktop app opens.",
        epilog=None if commands is not None else _fill(
            "Which case: the folder --case names; without it, the case the desktop app "
            f"last opened (remembered in {last_case_file()}), or else the default case "
            f"({default_case_dir()}). Now that is {_default_now()}. A command says on "
            "stderr which case it used when --case did not name it.",
            "Encrypted cases: every command asks for the passphrase at the terminal, or "
            "reads it from standard input with --passphrase-stdin (placed like --case).",
            "Exit status: 0 when everything worked; 1 when verify found a problem, import "
            "refused a file or ocr could not read an image (or for an unexpected failure, "
            "whose details go to the log file); 2 for a mistake in what was asked, printed "
            "as one line (a wrong passphrase too). Each command has its own --help."))
    _add_options(parser)
    js = Parser(add_help=False)
    js.add_argument("--json", action="store_true", help="print one JSON document")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the desktop app (the default)")
    wanted = set(dict(COMMANDS) if commands is None else commands)
    for command, _group in COMMANDS:
        if command in wanted:
            command_adder(command)(sub, js)
    _describe(parser)
    return parser


def _add_options(parser: argparse.ArgumentParser, peek: bool = False) -> None:
    """The options placed before the command (`peek`: --version only noted)."""
    parser.add_argument("--case", metavar="DIR",
                        help="case folder (default: the case the app last opened, else your "
                             "default case; see below)")
    parser.add_argument("--passphrase-stdin", action="store_true",
                        help="read an encrypted case's passphrase from the first line of "
                             "standard input instead of asking for it (for scripts)")
    parser.add_argument("--demo", action="store_true",
                        help="open a temporary case filled with sample incidents")
    parser.add_argument("--encrypt", action="store_true",
                        help="with --demo: make the sample case an encrypted one")
    if peek:
        parser.add_argument("--version", action="store_true")
    else:
        parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # For smoke tests and the start-up benchmark of a built bundle (packaging/), which has
    # no Python to drive the window with: quit once the window shows the case.
    parser.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)


class _Unclear(Exception):
    pass


class _Peek(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Unclear(message)


def commands_asked_for(argv: list[str]) -> tuple[str, ...] | None:
    """Which commands the parser needs for `argv`: the one it names; none when it names
    none (the desktop app, --version); all (None) for --help and for whatever is unclear,
    so the help lists every command and a mistyped one is answered with the list."""
    peek = _Peek(prog="evidence-app", add_help=False)
    _add_options(peek, peek=True)
    peek.add_argument("-h", "--help", action="store_true")
    peek.add_argument("command", nargs="?")
    peek.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        seen = peek.parse_args(argv)
    except _Unclear:
        return None
    if seen.command is None:
        return None if seen.help else ()
    if seen.command == "gui":
        return ()
    return (seen.command,) if seen.command in dict(COMMANDS) else None


def _fill(*paragraphs: str) -> str:
    return "\n\n".join(textwrap.fill(p, 79, break_long_words=False, break_on_hyphens=False) for p in paragraphs)


def _default_now() -> str:
    """Where a command without --case would look now, and why (for --help)."""
    from evidence_app.cli.common import chosen_case

    folder, how = chosen_case(argparse.Namespace(case=None))
    why = {"last": "the case last opened", "default": "the default case"}[how]
    return f"{why}, {printable(str(folder))}"


def _describe(parser: argparse.ArgumentParser) -> None:
    """Give each command's own --help the one-line summary the command list shows."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                command_parser = action.choices[choice.dest]
                if command_parser.description is None and choice.help:
                    command_parser.description = choice.help[0].upper() + choice.help[1:] + "."
                _describe(command_parser)


def entry() -> int:
    """The process's entry point (`evidence-app`, `python -m evidence_app`): libraries'
    warnings go to the log, then `main`."""
    from evidence_app.logs import keep_library_noise_in_log

    keep_library_noise_in_log()
    return main()


def main(argv: list[str] | None = None) -> int:
    """Entry point for `evidence-app` and `python -m evidence_app`."""
    # Last line of defence: text that cannot be encoded is escaped, never a crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(commands_asked_for(argv))
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        return _run_gui(args)
    run: Command = args.run
    try:
        return run(args)
    except UserError as exc:
        print(terminal_safe(f"error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: keep the details in the log, one line on screen
        from evidence_app.core.store.verify import damage_words
        from evidence_app.logs import log_exception

        where = log_exception(exc)
        damage = damage_words(exc)
        if damage:
            print(terminal_safe(f"error: {damage}"), file=sys.stderr)
            return 1
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
    if args.encrypt and not args.demo:
        print("error: --encrypt before a command is for --demo; to encrypt a case use "
              "`evidence-app init --encrypt` or `evidence-app encrypt`", file=sys.stderr)
        return 2
    extra = {"encrypt": True} if args.encrypt else {}  # the sample case, encrypted
    return run(case=Path(args.case).expanduser() if args.case else None, demo=args.demo,
               exit_when_shown=args.exit_when_shown, **extra)
