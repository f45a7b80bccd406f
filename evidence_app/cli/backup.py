"""`backup` and `restore`: a case into one `.evidence-backup` file (the safe way to keep
or carry a case), and such a file back into a new case folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    ask_passphrase,
    emit,
    open_case,
    printable,
    result_of,
)


def cmd_backup(args: argparse.Namespace) -> int:
    from evidence_app.core.store.backup import (
        BackupResult,
        backup_case,
        human_size,
        plan_backup,
    )

    with open_case(args) as case:
        plan = plan_backup(case, Path(args.out), full=args.full)
        if not args.json:
            print(plan.describe(), file=sys.stderr)
        result = result_of(backup_case(case, Path(args.out), full=args.full, plan=plan),
                           BackupResult, quiet=args.json)
    assert result is not None

    def text() -> str:
        lines = [f"Backed up to {printable(str(result.path))} ({result.files} file(s), "
                 f"{human_size(result.size)}; audit trail at event {result.chain_events}, "
                 f"{result.chain_hash[:16]}...)."]
        if result.encrypted:
            lines.append("It is encrypted like the case: it opens only with the case's "
                         "passphrase (the one it has now) or its recovery key.")
        if result.needs:
            lines.append(f"Incremental: {result.reused} stored file(s) are in the earlier "
                         f"backup(s) {', '.join(map(printable, result.needs))} in the same "
                         "folder; restoring needs them too, so keep them together.")
        return "\n".join(lines)

    emit(args, result.to_json(), text)
    return 0


def add_backup(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser(
        "backup", parents=[json_parent],
        help="write the whole case into one .evidence-backup file (safe while the app is open)",
        epilog="Give a folder (a USB stick, say) and the file is named after the case and "
               "the time; or give a file name ending in .evidence-backup. A later backup to "
               "the same folder copies only what the earlier ones there do not hold; "
               "restoring it then needs those files too (--full makes one that stands "
               "alone). The space needed is printed first; a full drive stops the backup "
               "with nothing left behind.")
    p.add_argument("--out", required=True, metavar="FILE_OR_FOLDER",
                   help="where to write the backup")
    p.add_argument("--full", action="store_true",
                   help="copy everything, even what earlier backups in the folder hold")
    p.set_defaults(run=cmd_backup)


def cmd_restore(args: argparse.Namespace) -> int:
    from evidence_app.core.cases import DERIVED
    from evidence_app.core.errors import UserError
    from evidence_app.core.store.restore import (
        RestoreResult,
        check_target,
        inspect_backup,
        restore_backup,
    )

    target = args.new_case or args.case
    if not target:
        raise UserError("Say where to put the restored case: evidence-app restore FILE "
                        "--case NEW_FOLDER (a folder that does not exist yet).")
    check_target(Path(target).expanduser().absolute())
    info = inspect_backup(Path(args.file))
    if not args.json:
        print(info.describe(), file=sys.stderr)
    passphrase = recovery_key = None
    if info.encrypted:
        # Asked before anything is unpacked; a wrong one stops here with nothing written.
        if args.recovery_key is not None:
            recovery_key = args.recovery_key or _ask_recovery_key()
        else:
            passphrase = ask_passphrase(args, "Passphrase of the backed-up case: ")
    result = result_of(restore_backup(Path(args.file), Path(target), derived=DERIVED,
                                      keep_problems=args.keep_problems,
                                      passphrase=passphrase, recovery_key=recovery_key),
                       RestoreResult, quiet=args.json)
    assert result is not None
    text = (f"Restored the case '{printable(result.case_name)}' to "
            f"{printable(str(result.folder))}: {result.files} file(s) unpacked, every one "
            f"matching its fingerprint; {result.originals_checked} exhibit(s) and the audit "
            f"trail ({result.chain_events} event(s)) checked.")
    if result.encrypted:
        text += (" It is encrypted, and opens with the same passphrase (or the recovery "
                 "key) as the backed-up case.")
    if result.problems:
        text += "\n" + "\n".join(f"PROBLEM (already in the backed-up case): {p}"
                                 for p in result.problems)
    emit(args, result.to_json(), text)
    return 1 if result.problems else 0


def _ask_recovery_key() -> str:
    from evidence_app.core.errors import UserError

    if not sys.stdin.isatty():
        raise UserError("Give the recovery key after --recovery-key, or run this at a "
                        "terminal to be asked for it.")
    import getpass

    return getpass.getpass("Recovery key (any spacing): ")


def add_restore(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser(
        "restore", parents=[json_parent],
        help="make a new case folder from a .evidence-backup file",
        epilog="The backup is unpacked beside the new folder, every file is checked against "
               "the fingerprints the backup recorded and the case is verified; only then "
               "does the new folder appear. An existing folder is never replaced. A file "
               "that is damaged, incomplete or unsafe is refused with nothing unpacked. "
               "The backup of an encrypted case stays encrypted: its passphrase (the one "
               "the case had when the backup was made) is asked for, or read from standard "
               "input with --passphrase-stdin, or give --recovery-key instead.")
    p.add_argument("file", help="the backup file")
    p.add_argument("--case", dest="new_case", metavar="NEWDIR",
                   help="the new case folder (must not exist yet)")
    p.add_argument("--keep-problems", action="store_true",
                   help="restore even when the case in an intact backup fails the check "
                        "(the problems were there when it was backed up; they are listed "
                        "and the exit status is 1)")
    p.add_argument("--recovery-key", metavar="KEY", nargs="?", const="",
                   help="open the backup of an encrypted case with its recovery key instead "
                        "of the passphrase (asked for when no KEY is given)")
    p.set_defaults(run=cmd_restore)
