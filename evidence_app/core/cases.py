"""Opening and creating cases with everything derived from them kept in step.

This is where a case is put together: the storage (`core.store.Case`) with the derived
data every write must refresh in its own transaction (the search index). Everything
that opens a case (the GUI, the CLI, the demo, tests, benchmarks) comes through here,
so no caller can open a case whose search index silently falls behind.

Encrypted cases (core/store/encryption.py) open the same way, given a passphrase or the
recovery key; `is_encrypted` says whether a folder needs one before anything is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.search.index import SEARCH_INDEX
from evidence_app.core.search.messages import MESSAGE_INDEX
from evidence_app.core.settings import first_settings
from evidence_app.core.store.case import Case, DerivedData, is_case_folder
from evidence_app.core.store.clock import Clock, system_clock
from evidence_app.core.store.convert import EncryptResult, finish_interrupted
from evidence_app.core.store.encryption import (
    NewKeys,
    change_passphrase,
    is_encrypted,
    reset_passphrase,
    unlock,
)
from evidence_app.core.store.keys import (
    MIN_PASSPHRASE,
    check_new_passphrase,
    format_recovery_key,
    normalise_recovery_key,
)

__all__ = ["MIN_PASSPHRASE", "Case", "EncryptResult", "change_passphrase",
           "check_new_passphrase", "create_case", "encrypt_case", "format_recovery_key",
           "is_case_folder", "is_encrypted", "normalise_recovery_key", "open_case",
           "reset_passphrase"]

DERIVED: tuple[DerivedData, ...] = (SEARCH_INDEX, MESSAGE_INDEX)


def open_case(folder: Path, *, passphrase: str | None = None,
              recovery_key: str | None = None, clock: Clock = system_clock,
              read_only: bool | None = None) -> Case:
    """Open an existing case folder (see `Case.open` for what can go wrong); read-only
    when asked or when it cannot be written.

    An encrypted case needs its passphrase or its recovery key: without either,
    PassphraseNeeded; with one that does not open it, WrongPassphrase or
    WrongRecoveryKey (RecoveryKeyInvalid when mistyped). Either way nothing on disk has
    changed. Both are ignored for a plain case.
    """
    finish_interrupted(folder)  # an encryption a crash cut short: finish it first
    keys = None
    if is_case_folder(folder) and is_encrypted(folder):
        keys = unlock(folder, passphrase, recovery_key)
    return Case.open(folder, derived=DERIVED, clock=clock, keys=keys, read_only=read_only)


def database_refused(folder: Path, exc: BaseException) -> bool:
    """Whether `exc`, raised opening the case in `folder`, is SQLite refusing a plain
    case's damaged database (its start overwritten, cut short): then `check_damaged`
    reads what is left from a repaired copy. An encrypted case's cannot be repaired."""
    from evidence_app.core.store.verify import refused_as_damaged

    return not is_encrypted(folder) and refused_as_damaged(folder, exc)


def check_damaged(folder: Path, cancel: CancelToken | None = None,
                  stated_head: tuple[int, str] | None = None) -> Iterator[Progress]:
    """`verify` for a plain case whose database SQLite refuses (`database_refused`): the
    same checks, on a repaired copy made aside; the case's files are only read. The
    last event's item is the VerifyReport."""
    from evidence_app.core.store.verify import verify_damaged

    return verify_damaged(folder, DERIVED, cancel, stated_head)


def check_damaged_folder(folder: Path, cancel: CancelToken | None = None,
                         ) -> Iterator[Progress]:
    """Check my evidence (evidence_check.py) for a plain case whose database SQLite will
    not open: `check_damaged` told in words; the last event's item is a CheckResult."""
    from evidence_app.core.evidence_check import damaged_check

    return damaged_check(check_damaged(folder, cancel), cancel)


def create_case(folder: Path, *, owner_name: str, initials: str, case_name: str = "",
                timezone: str = "Europe/London", address: str = "", contact: str = "",
                clock: Clock = system_clock, passphrase: str | None = None) -> Case:
    """Make a new case folder (empty or not yet existing) and open it.

    With `passphrase`, the case is encrypted, and its recovery key is in the returned
    case's `recovery_key` (shown to the person once; it is kept nowhere in the clear).
    """
    settings = first_settings(owner_name=owner_name, initials=initials, case_name=case_name,
                              timezone=timezone, address=address, contact=contact)
    new_keys = NewKeys.make(passphrase) if passphrase is not None else None
    case = Case.create(folder, settings=settings, derived=DERIVED, clock=clock,
                       encryption=new_keys)
    if new_keys is not None:
        case.recovery_key = new_keys.recovery_key
    return case


def encrypt_case(folder: Path, passphrase: str, cancel: CancelToken | None = None,
                 ) -> Iterator[Progress]:
    """Convert a plain case into an encrypted one (see `core.store.convert`); the last
    event's item is an `EncryptResult` with the recovery key (show it once) and a message
    for the person.

    The encrypted copy is written beside the case and checked against it, record by
    record and original by original, before it takes the case's place; the case must
    not be open meanwhile (CaseLockedError). Cancelling or a failure before the swap
    leaves the plain case as it was. The plain files are then overwritten and removed:
    on a hard disk that destroys them, but on an SSD or a copy-on-write file system
    (btrfs, APFS, ZFS), and in backups or cloud copies made before, the old bytes may
    survive until the space is reused; only full-disk encryption protects those. The
    returned message says so in plain words.
    """
    from evidence_app.core.store.convert import encrypt_folder

    return encrypt_folder(folder, passphrase, derived=DERIVED, cancel=cancel)
