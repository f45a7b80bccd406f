"""What `core.media` reads from: a file on disk, or something that opens a stream.

The case's originals are not handed out as paths (an encrypted store keeps no plain
file), so callers pass `case.originals.opener(sha256)`: a function returning a fresh
seekable binary stream each time it is called. Tests and benchmarks may pass a `Path`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

Source = Path | Callable[[], BinaryIO]


def open_source(source: Source) -> BinaryIO:
    """A new binary stream over the source, positioned at its start; close it after use."""
    if isinstance(source, str | Path):
        return open(source, "rb")
    return source()
