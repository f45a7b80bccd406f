"""Errors a person can read: the CLI prints them in one line, the GUI in a dialog."""


class UserError(Exception):
    """A problem caused by input or circumstances, not a bug; the message is for people."""


class CaseError(UserError):
    """The case folder cannot be created or opened."""


class StorageError(CaseError):
    """The disk refused a write to the case (full, read-only or failing); nothing was saved."""


class CaseLockedError(CaseError):
    """Another running program has this case open."""


class NotFoundError(UserError):
    """An id that does not exist (or is in the trash when it must not be)."""


class ValidationError(UserError):
    """A value that cannot be accepted (a date that cannot be read, an empty title, ...)."""


class PassphraseNeeded(CaseError):
    """The case is encrypted and no passphrase (or recovery key) was given to open it."""


class WrongPassphrase(CaseError):
    """The passphrase given does not open this encrypted case; nothing was changed."""


class WrongRecoveryKey(CaseError):
    """A well-formed recovery key that is not this case's; nothing was changed."""


class RecoveryKeyInvalid(WrongRecoveryKey):
    """What was typed cannot be a recovery key (wrong length, a typing mistake)."""


class PlainFileRefused(CaseError):
    """An encrypted case will not write a decrypted copy of its content to a file."""
