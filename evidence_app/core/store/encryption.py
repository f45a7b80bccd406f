"""Encrypted cases: telling one from a plain case, unlocking it, changing its passphrase.

What is encrypted and how is in keys.py (the keys), sealed.py (files) and database.py
(SQLCipher). Unlocking reads only the key file: a wrong passphrase is found out before
anything in the folder is opened, so it changes nothing on disk (no lock file, no
write-ahead log).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence_app.core.errors import CaseError, PassphraseNeeded
from evidence_app.core.store.folder import has_key_file
from evidence_app.core.store.keys import (
    CaseKeys,
    KeyFile,
    read_key_file,
    write_key_file,
)

__all__ = ["NewKeys", "change_passphrase", "is_encrypted", "reset_passphrase", "unlock",
           "unlock_key_file"]


@dataclass(repr=False)
class NewKeys:
    """The keys of a case being made encrypted, and its recovery key (shown once)."""

    key_file: KeyFile
    keys: CaseKeys
    recovery_key: str

    @classmethod
    def make(cls, passphrase: str, kdf: dict[str, object] | None = None) -> NewKeys:
        made, data_key, recovery = KeyFile.new(passphrase, kdf)
        return cls(made, CaseKeys.from_data_key(data_key), recovery)

    def write(self, folder: Path) -> None:
        """Write the key file into the (new) case folder."""
        write_key_file(folder, self.key_file)

    def __repr__(self) -> str:
        return "NewKeys(<hidden>)"


def is_encrypted(folder: Path) -> bool:
    """Whether the folder holds an encrypted case (it has a key file, `case.key`)."""
    return has_key_file(Path(folder).expanduser())


def unlock(folder: Path, passphrase: str | None = None, recovery_key: str | None = None,
           ) -> CaseKeys:
    """The keys of an encrypted case, from its passphrase or its recovery key.

    PassphraseNeeded when neither is given; WrongPassphrase or WrongRecoveryKey (and
    RecoveryKeyInvalid for a mistyped one) when it does not open the case. Reads only
    the key file; nothing on disk changes.
    """
    folder = Path(folder).expanduser()
    if passphrase is None and recovery_key is None:
        raise PassphraseNeeded("This case is encrypted. Enter its passphrase to open it.")
    return unlock_key_file(read_key_file(folder), passphrase, recovery_key)


def unlock_key_file(key_file: KeyFile, passphrase: str | None = None,
                    recovery_key: str | None = None) -> CaseKeys:
    """The keys a key file holds (one read from a backup, say), with the same errors as
    `unlock`."""
    if passphrase is None and recovery_key is None:
        raise PassphraseNeeded("This case is encrypted. Enter its passphrase to open it.")
    data_key = (key_file.unlock_with_recovery(recovery_key) if recovery_key is not None
                else key_file.unlock(str(passphrase)))
    return CaseKeys.from_data_key(data_key)


def _rewrap(folder: Path, new_passphrase: str, *, old: str | None = None,
            recovery_key: str | None = None) -> None:
    folder = Path(folder).expanduser().resolve()
    if not is_encrypted(folder):
        raise CaseError(f"The case in {folder} is not encrypted; it has no passphrase.")
    key_file = read_key_file(folder)
    data_key = (key_file.unlock_with_recovery(recovery_key) if recovery_key is not None
                else key_file.unlock(str(old)))
    # The data key stays the same, so this may run while the case is open (in the app,
    # or here): what is open keeps working, and the next unlock takes the new passphrase.
    write_key_file(folder, key_file.rewrap(data_key, new_passphrase))


def change_passphrase(folder: Path, old: str, new: str) -> None:
    """Set a new passphrase (the old one must open the case). Only the key file changes:
    the data key is wrapped again; the database and files stay as they are. A copy of the
    case folder made before still opens with the old passphrase."""
    _rewrap(folder, new, old=old)


def reset_passphrase(folder: Path, recovery_key: str, new: str) -> None:
    """Set a new passphrase with the recovery key (the passphrase was forgotten)."""
    _rewrap(folder, new, recovery_key=recovery_key)
