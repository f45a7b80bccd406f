"""File names as people can read them, whatever bytes the file system holds."""

from __future__ import annotations

import re


def readable_name(text: str, within_json: bool = False) -> str:
    """`text` with bytes that are not UTF-8 shown as visible escapes (`\\xE9`).

    Python decodes such bytes in file names to lone surrogates, which SQLite, JSON and
    the terminal all refuse; stored names and printed paths go through this first. Each
    such byte is shown as a backslash, `x` and its two hex digits (what `ls -b` and
    Python show), so "IMG_\\xE9t\\xE9.jpg" still says which bytes the name held and
    `name_bytes` gives them back. A surrogate that stands for no byte (a Windows name can
    hold half of a UTF-16 pair) becomes U+FFFD. `within_json`: the text is JSON already,
    so the backslash is written as JSON writes one.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        slash = "\\\\" if within_json else "\\"
        out = []
        for ch in text:
            if "\udc80" <= ch <= "\udcff":
                out.append(f"{slash}x{ord(ch) - 0xDC00:02X}")
            elif "\ud800" <= ch <= "\udfff":
                out.append("\ufffd")
            else:
                out.append(ch)
        return "".join(out)
    return text


def undecodable(text: str) -> bool:
    """Whether a name as Python gave it holds bytes that are not UTF-8."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


_ESCAPE = re.compile(r"\\x([0-9A-F]{2})")


def name_bytes(shown: str) -> bytes:
    """The bytes a name shown by `readable_name` stood for (the escapes undone)."""
    out = bytearray()
    last = 0
    for m in _ESCAPE.finditer(shown):
        out += shown[last:m.start()].encode("utf-8")
        out.append(int(m.group(1), 16))
        last = m.end()
    out += shown[last:].encode("utf-8")
    return bytes(out)


# Invisible characters that change how the text around them is shown: direction marks,
# embeddings, overrides and isolates (U+202E makes "photo\u202egpj.exe" read
# "photoexe.jpg"), and the zero-width ones that hide inside a name.
_HIDDEN = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF,
           *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def shown_name(name: str) -> str:
    """A file name as it is printed for others to read: characters that would hide or
    reorder part of it are shown as their code ("[U+202E]"), and line breaks and tabs as
    "\\n" and "\\t", so the name reads as the bytes on disk say, not as it was made to
    look."""
    if name.isprintable() and not any(ord(ch) in _HIDDEN for ch in name):
        return name
    out = []
    for ch in name:
        if ord(ch) in _HIDDEN:
            out.append(f"[U+{ord(ch):04X}]")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)
