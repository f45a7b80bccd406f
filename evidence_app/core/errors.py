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
