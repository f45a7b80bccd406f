"""`encrypt`, `passphrase` and `unlock`: turning a case into an encrypted one, changing
its passphrase, and setting a new one with the recovery key.

Passphrases are typed at the terminal without being shown (new ones twice), or read
one per line from standard input with the global --passphrase-stdin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    ask_passphrase,
    chosen_case,
    emit,
    printable,
    result_of,
)
from evidence_app.core.errors import UserError

RECOVERY_ADVICE = ("Write it down or print it, and keep it somewhere safe away from this "
                   "computer. It is shown only now. With it you can open the case and set a "
                   "new passphrase if you forget yours; without the passphrase or this key "
                   "nobody, not even you, can open the case.")


def recovery_text(key: str) -> str:
    """The recovery key as a person should see it: the groups, then what to do."""
    return f"Recovery key:\n\n    {key}\n\n{RECOVERY_ADVICE}"


def _existing(args: argparse.Namespace) -> Path:
    from evidence_app.core.store.folder import has_case_database

    folder, _how = chosen_case(args)
    if not has_case_database(folder):
        raise UserError(f"There is no case in {printable(str(folder))}.")
    return folder


def cmd_encrypt(args: argparse.Namespace) -> int:
    from evidence_app.core.cases import EncryptResult, encrypt_case, is_encrypted

    folder = _existing(args)
    if is_encrypted(folder):
        raise UserError(f"The case in {printable(str(folder))} is already encrypted.")
    passphrase = ask_passphrase(args, "New passphrase for the case: ", new=True)
    result = result_of(encrypt_case(folder, passphrase), EncryptResult, quiet=args.json)
    if result is None:
        raise UserError("The case was not encrypted; nothing was changed.")
    emit(args, {"case": str(result.folder), "encrypted": True,
                "recovery_key": result.recovery_key, "originals_checked": result.originals,
                "records_checked": result.records, "message": result.message,
                "left_alone": list(result.left_alone)},
         f"{result.message}\n\n{recovery_text(result.recovery_key)}")
    return 0


def add_encrypt(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser(
        "encrypt", parents=[json_parent],
        help="turn a case into an encrypted one (asks for a new passphrase)",
        epilog="An encrypted copy is made beside the case and checked record by record and "
               "file by file before it takes the case's place; only then are the plain "
               "files overwritten and removed. Close the case in the app first. Prints the "
               "recovery key (shown only once).")
    p.set_defaults(run=cmd_encrypt)


def cmd_passphrase(args: argparse.Namespace) -> int:
    from evidence_app.core.cases import change_passphrase, is_encrypted

    folder = _existing(args)
    if not is_encrypted(folder):
        raise UserError(f"The case in {printable(str(folder))} is not encrypted, so it has "
                        "no passphrase. Encrypt it with: evidence-app encrypt")
    old = ask_passphrase(args, "Current passphrase: ")
    new = ask_passphrase(args, "New passphrase: ", new=True)
    change_passphrase(folder, old, new)
    emit(args, {"case": str(folder), "changed": True},
         "Passphrase changed. The recovery key stays the same. A copy of the case made "
         "before now still opens with the old passphrase.")
    return 0


def add_passphrase(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser(
        "passphrase", parents=[json_parent], help="change an encrypted case's passphrase",
        epilog="Asks for the current passphrase, then the new one twice (with "
               "--passphrase-stdin: the current one on the first line, the new one on the "
               "second). Only the key file changes.")
    p.set_defaults(run=cmd_passphrase)


def cmd_unlock(args: argparse.Namespace) -> int:
    from evidence_app.core.cases import is_encrypted, normalise_recovery_key, reset_passphrase

    folder = _existing(args)
    if not is_encrypted(folder):
        raise UserError(f"The case in {printable(str(folder))} is not encrypted.")
    key = args.recovery_key
    if not key:
        if not sys.stdin.isatty():
            raise UserError("Give the recovery key after --recovery-key, or run this at a "
                            "terminal to be asked for it.")
        import getpass

        key = getpass.getpass("Recovery key (any spacing): ")
    normalise_recovery_key(key)  # a typing mistake is reported before a new passphrase is asked
    new = ask_passphrase(args, "New passphrase: ", new=True)
    reset_passphrase(folder, key, new)
    emit(args, {"case": str(folder), "changed": True},
         "A new passphrase is set; open the case with it from now on. The recovery key "
         "stays the same: keep it safe.")
    return 0


def add_unlock(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser(
        "unlock", parents=[json_parent],
        help="forgot the passphrase? set a new one with the recovery key",
        epilog="The recovery key may be typed with any spacing, dashes or case. Without a "
               "value after --recovery-key you are asked for it (so it stays out of your "
               "shell's history). The new passphrase is asked for twice, or read from "
               "standard input with --passphrase-stdin.")
    p.add_argument("--recovery-key", metavar="KEY", nargs="?", const="", required=True,
                   help="the recovery key shown when the case was made encrypted")
    p.set_defaults(run=cmd_unlock)
