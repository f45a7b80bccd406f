"""File names as people can read them, whatever bytes the file system holds."""

from __future__ import annotations


def readable_name(text: str) -> str:
    """`text` with bytes that are not UTF-8 shown as U+FFFD instead of lone surrogates.

    Python decodes such bytes in file names to lone surrogates, which SQLite, JSON and
    the terminal all refuse; stored names and printed paths go through this first.
    A surrogate that stands for no byte (a Windows name can hold half of a UTF-16 pair)
    becomes U+FFFD too.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = bytearray()
        for ch in text:
            if "\udc80" <= ch <= "\udcff":
                raw += ch.encode("utf-8", "surrogateescape")
            elif "\ud800" <= ch <= "\udfff":
                raw += "\ufffd".encode()
            else:
                raw += ch.encode()
        return raw.decode("utf-8", "replace")
    return text
