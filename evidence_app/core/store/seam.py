"""What the rest of the app may ask of a case's storage: the seam a second storage
implementation (an encrypted case, another database engine) has to fill.

`Case` holds an `OriginalStore` and a `CacheStore` and opens its database through
`database.py`; callers reach bytes only through these methods, never by path (a test,
tests/test_storage_seam.py, walks the source to keep it so). The plain implementations
are `originals.Originals` and `cache.Cache`; mypy checks they match these protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, Protocol


class OriginalStore(Protocol):
    """The exact bytes of every imported file, by SHA-256, never modified."""

    def put(self, source: BinaryIO, cancelled: Callable[[], bool] | None = None,
            limit: int | None = None) -> tuple[str, int, bool]:
        """Store a stream whole or not at all: (sha256, size, newly stored?)."""

    def put_file(self, path: Path, cancelled: Callable[[], bool] | None = None,
                 ) -> tuple[str, int, bool]:
        """Store a file as it was when opened."""

    def put_bytes(self, data: bytes) -> tuple[str, int, bool]:
        """Store bytes."""

    def exists(self, sha256: str) -> bool:
        """Whether the original is stored."""

    def open(self, sha256: str) -> BinaryIO:
        """A seekable stream of the original's bytes (FileNotFoundError if missing)."""

    def read_bytes(self, sha256: str) -> bytes:
        """The original's bytes."""

    def open_verified(self, sha256: str) -> BinaryIO:
        """The bytes only if they still hash to `sha256` (else `OriginalChanged`)."""

    def verified_opener(self, sha256: str) -> Callable[[], BinaryIO]:
        """A function opening the original through `open_verified`."""

    def opener(self, sha256: str) -> Callable[[], BinaryIO]:
        """A function opening the original afresh (a `core.media` source)."""

    def as_file(self, sha256: str) -> AbstractContextManager[Path]:
        """A read-only file with the bytes, for a program that needs a file name."""

    def link_into(self, sha256: str, target: Path) -> None:
        """A read-only copy at `target` (inside the case's cache)."""

    def identity(self, sha256: str) -> str:
        """The stored file's state (changes with any write or replacement)."""

    def verify(self, sha256: str) -> str | None:
        """None when the original is intact, else what is wrong with it."""

    def remove(self, sha256: str) -> None:
        """Delete an original (emptying the trash, undoing an uncommitted import)."""

    def sweep_temp(self) -> int:
        """Remove what an interrupted copy left; how many."""

    def all_hashes(self) -> Iterator[str]:
        """Every stored original's hash."""


class CacheStore(Protocol):
    """What can be rebuilt from the originals, and work files the store lends out."""

    def thumbnail(self, sha256: str) -> bytes | None:
        """The cached thumbnail (JPEG bytes), if there is one."""

    def save_thumbnail(self, sha256: str, data: bytes) -> None:
        """Keep a thumbnail."""

    def remove_thumbnail(self, sha256: str) -> None:
        """Forget a thumbnail (and the original's renditions)."""

    def rendition(self, sha256: str, kind: str,
                  make: Callable[[Callable[[], BinaryIO]], bytes]) -> bytes:
        """A rendition of a verified original, made once by `make` and kept."""

    def clear_renditions(self) -> int:
        """Remove every kept rendition; how many."""

    def scratch(self) -> AbstractContextManager[Path]:
        """A private folder removed when the block ends."""

    def preview_file(self, name: str) -> Path:
        """A place for a preview the app shows, removed at close."""

    def clear_previews(self, partial: bool = False) -> None:
        """Remove the previews (with `partial`, anything else in their folder too)."""

    def viewer_copy(self, sha256: str, name: str, media_type: str) -> Path:
        """A named, read-only copy of an original for the system viewer."""

    def clear_viewer_copies(self) -> int:
        """Remove the viewer copies; how many."""

    def close(self) -> None:
        """The case is closing: remove the work files lent out that must not outlive it."""

    def sweep(self) -> None:
        """Remove what a crash left behind."""
