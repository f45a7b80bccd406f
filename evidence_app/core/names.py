"""File names as people can read them, whatever bytes the file system holds."""

from __future__ import annotations


def readable_name(text: str) -> str:
    """`text` with bytes that are not UTF-8 shown as U+FFFD instead of lone surrogates.

    Python decodes such bytes in file names to lone surrogates, which SQLite, JSON and
    the terminal all refuse; stored names and printed paths go through this first.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text
