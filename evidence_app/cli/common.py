"""What every command group shares: the parser class, opening the case, printing results,
reading ids and dates typed on the command line, and the progress line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, TypeVar

from evidence_app.core.errors import UserError, ValidationError
from evidence_app.core.names import readable_name

if TYPE_CHECKING:
    from evidence_app.core.cases import Case
    from evidence_app.core.progress import Progress


class Parser(argparse.ArgumentParser):
    """Usage mistakes print one line (and exit 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# What `add_subparsers` returns: each command group adds its commands to it. A string,
# because argparse's class is generic only to type checkers.
Subcommands: TypeAlias = "argparse._SubParsersAction[Parser]"
# A command: reads its parsed arguments, prints, returns the exit status.
Command: TypeAlias = Callable[[argparse.Namespace], int]


# Characters a terminal acts on rather than shows: C0 and C1 controls (ESC starts the
# codes that recolour, move the cursor, retitle the window or hide what follows) and the
# bidirectional controls that make text read in another order than it is stored.
_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
         *map(chr, range(0x2066, 0x206A))}


def terminal_safe(text: str, keep: str = "\n\t", as_json: bool = False) -> str:
    """Text people typed or files carried, as a terminal shows it without obeying it:
    control and bidirectional characters written as escapes (ESC as \\x1b; as \\u001b
    in JSON text, which stays valid JSON), line breaks and tabs in `keep` left as they are."""
    def shown(ch: str) -> str:
        if ch in keep:
            return ch
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"\\u{code:04x}" if as_json else f"\\x{code:02x}"
        if ch in _BIDI:
            return f"\\u{code:04x}"
        return ch

    if text.isprintable() and not _BIDI.intersection(text):
        return text
    return "".join(shown(ch) for ch in text)


def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> None:
    """Print `data` as JSON with --json, else the human-readable text; either way no
    character in it can act on the terminal (escape codes, bidirectional overrides)."""
    if getattr(args, "json", False):
        print(terminal_safe(readable_name(json.dumps(data, ensure_ascii=False, indent=2,
                                                     default=str), within_json=True),
                            as_json=True))
    else:
        out = text() if callable(text) else text
        if out:
            print(terminal_safe(readable_name(out)))


def chosen_case(args: argparse.Namespace) -> tuple[Path, str]:
    """The case folder a command works on, and how it was chosen: "option" (--case),
    "last" (the case the desktop app last opened) or "default" (the default folder)."""
    from evidence_app.core.store.folder import has_case_database
    from evidence_app.paths import default_case_dir, last_opened_case

    if args.case:
        return Path(args.case).expanduser(), "option"
    last = last_opened_case()
    if last is not None and has_case_database(last):
        return last, "last"
    return default_case_dir(), "default"


def open_case(args: argparse.Namespace) -> Case:
    """Open the case the command is about; saying how to make one if there is none yet,
    and on stderr which case it is when --case did not name it."""
    from evidence_app.core.cases import open_case
    from evidence_app.core.store.folder import has_case_database
    from evidence_app.paths import last_case_remembered_by, last_opened_case

    folder, how = chosen_case(args)
    if not has_case_database(folder):
        case_option = f"--case {_quote(str(args.case))} " if args.case else ""
        gone = last_opened_case() if how == "default" else None
        before = (f"The case the app last opened ({gone}) is not there any more, and "
                  "there is " if gone is not None else "There is ")
        raise UserError(f"{before}no case in {folder} yet. Create one with: evidence-app "
                        f'{case_option}init --owner "Your Name" --initials YN')
    from evidence_app.core.cases import is_encrypted

    passphrase = None
    if is_encrypted(folder):
        passphrase = ask_passphrase(args, f"Passphrase for the case in {printable(str(folder))}: ")
    case = open_case(folder, passphrase=passphrase)
    from evidence_app.core.store.places import risky_place

    risk = risky_place(case.folder)
    if risk is not None:
        print(f"warning: {risk.message('evidence-app backup --out FOLDER')}", file=sys.stderr)
    if how != "option":
        name = printable(case.settings().case_name)
        gone = last_opened_case() if how == "default" else None
        why = (("the one the app last opened" if last_case_remembered_by() == "app"
                else "the default case made with init, which the app opens too")
               if how == "last"
               else "the default case; the app has not opened another" if gone is None
               else f"the default case; the one the app last opened ({printable(str(gone))}) "
                    "is not there any more")
        print(f"Using the case '{name}' at {printable(str(folder))}, {why} "
              "(choose another with --case DIR).", file=sys.stderr)
    return case


def ask_passphrase(args: argparse.Namespace, prompt: str, *, new: bool = False) -> str:
    """A passphrase: the next line of standard input with --passphrase-stdin, else typed
    at the terminal without being shown (twice when `new`). Never echoed or logged."""
    if getattr(args, "passphrase_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise UserError("--passphrase-stdin was given but standard input ended before "
                            "a passphrase was read.")
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UserError("This needs a passphrase: run it at a terminal to be asked for it, "
                        "or give it on standard input with --passphrase-stdin.")
    import getpass

    first = getpass.getpass(prompt)
    if new:
        from evidence_app.core.cases import check_new_passphrase

        check_new_passphrase(first)
        if getpass.getpass("The same passphrase again: ") != first:
            raise UserError("The two passphrases were not the same; nothing was changed.")
    return first


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


def day(text: str | None, end: bool) -> date | None:
    """A day typed for --from or --to ('01/03/2025', 'March 2025'); None if not given.

    With `end`, a month means its last day, so `--to "March 2025"` takes in all of March.
    """
    from evidence_app.core.dates import month_end, parse_date_text
    from evidence_app.core.vocab import Precision

    if not text:
        return None
    try:
        found, precision, rest = parse_date_text(text)
    except ValidationError as exc:
        reason = str(exc)
        raise UserError(reason[:1].upper() + reason[1:]) from exc
    if rest.strip():
        raise UserError(f"Cannot read the date {text!r}; give a day or a month, not a time")
    return month_end(found) if end and precision is Precision.MONTH else found


def one_line(text: str, option: str) -> str:
    """A value that must fit on one line (a name, a plate), stripped; a line break, tab or
    other control character in it is refused with one clear line."""
    import unicodedata

    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text):
        raise UserError(f"{option} must be one line of text, without line breaks, tabs or "
                        "other control characters.")
    return " ".join(text.split())


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


def progress_to_stderr(events: Iterator[Progress], quiet: bool) -> Iterator[Progress]:
    """Pass events through, showing a one-line progress counter on a terminal."""
    tty = sys.stderr.isatty() and not quiet
    for event in events:
        if tty and event.total:
            sys.stderr.write(f"\r{event.done}/{event.total} {str(event.message)[-60:]:<60}")
            sys.stderr.flush()
        yield event
    if tty:
        sys.stderr.write("\n")


Result = TypeVar("Result")


def result_of(events: Iterator[Progress], kind: type[Result], quiet: bool) -> Result | None:
    """Run long work (a core generator), showing its progress on a terminal; what it
    yields last of `kind` (its result), or None if it stopped before yielding one."""
    result = None
    for event in progress_to_stderr(events, quiet):
        if isinstance(event.item, kind):
            result = event.item
    return result
