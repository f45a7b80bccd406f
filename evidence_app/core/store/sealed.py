"""Sealed files: bytes encrypted with AES-256-GCM in chunks, read back as a seekable
stream that decrypts only the chunk it is in.

Layout (all integers big-endian)::

    header  "EVS1" | file id (16 random bytes) | chunk size (4)         24 bytes
    meta    AES-GCM(32 bytes the store chooses, e.g. the plain SHA-256)  48 bytes
    chunk 0 AES-GCM(chunk size bytes) | tag                              ...
    ...
    chunk n AES-GCM(the rest, possibly nothing) | tag                    last

Each file has its own key, derived from the store's key and its random file id (HKDF),
so no nonce is ever used twice under one key. A chunk's nonce is its index (8 bytes)
and a flag (4 bytes: 0 for a chunk, 1 for the last one, 2 for the meta block), and the
header is the associated data of every block. So a chunk cannot be moved, repeated,
dropped or taken from another file, and a file cut short (even at a chunk boundary)
fails: its new last chunk was not sealed as the last. One flipped bit anywhere fails the
check of the block it is in (`SealedDamaged`).

The plain size follows from the file size (every chunk but the last is full), so a
reader can seek anywhere without reading what comes before.
"""

from __future__ import annotations

import errno
import io
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"EVS1"
HEADER = 24
META = 32
META_BLOCK = META + 16
TAG = 16
CHUNK = 64 * 1024
_LAST, _META = 1, 2


class SealedDamaged(OSError):
    """A sealed file fails its check: changed, cut short, or not sealed with this key."""

    def __init__(self, what: str) -> None:
        super().__init__(errno.EIO, what)


def _file_aead(key: bytes, file_id: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"evidence-app/v1/sealed-file/" + file_id).derive(key))


def _nonce(index: int, flag: int) -> bytes:
    return index.to_bytes(8, "big") + flag.to_bytes(4, "big")


class SealedWriter:
    """Seals what is written to `out` (a new, seekable file positioned at 0).

    Call `finish(meta)` once at the end: it seals the last chunk and writes the meta
    block (32 bytes known only at the end, such as the SHA-256 of what was written).
    """

    def __init__(self, out: BinaryIO, key: bytes, chunk: int = CHUNK) -> None:
        self._out = out
        file_id = os.urandom(16)
        self._header = MAGIC + file_id + chunk.to_bytes(4, "big")
        self._aead = _file_aead(key, file_id)
        self._chunk = chunk
        self._buffer = bytearray()
        self._index = 0
        out.write(self._header + bytes(META_BLOCK))  # meta filled in by finish()

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed as the last.
        if len(self._buffer) > self._chunk:
            view = memoryview(self._buffer)
            at = 0
            while len(self._buffer) - at > self._chunk:
                self._seal(view[at:at + self._chunk], last=False)
                at += self._chunk
            view.release()
            del self._buffer[:at]
        return len(data)

    def _seal(self, plain: bytes | memoryview, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._index, _LAST if last else 0), plain,
                                           self._header))
        self._index += 1

    def finish(self, meta: bytes = bytes(META)) -> None:
        if len(meta) != META:
            raise ValueError("meta must be 32 bytes")
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._out.seek(HEADER)
        self._out.write(self._aead.encrypt(_nonce(2**64 - 1, _META), meta,
                                           self._header + b"meta"))
        self._out.seek(0, io.SEEK_END)


def seal_bytes(key: bytes, data: bytes, meta: bytes = bytes(META), chunk: int = CHUNK) -> bytes:
    """`data` sealed, as bytes (thumbnails and other small files)."""
    out = io.BytesIO()
    writer = SealedWriter(out, key, chunk)
    writer.write(data)
    writer.finish(meta)
    return out.getvalue()


class SealedReader(io.RawIOBase):
    """The plain bytes of a sealed file, seekable; decrypts one chunk at a time."""

    def __init__(self, raw: BinaryIO, key: bytes, name: str = "") -> None:
        super().__init__()
        self._raw = raw
        self._name = name
        header = raw.read(HEADER)
        if len(header) != HEADER or header[:4] != MAGIC:
            raise SealedDamaged(f"{name or 'the file'} is not a sealed file (damaged header)")
        self._header = header
        self._aead = _file_aead(key, header[4:20])
        self._chunk = int.from_bytes(header[20:24], "big")
        size = _length(raw)
        body = size - HEADER - META_BLOCK
        full = self._chunk + TAG
        if self._chunk <= 0 or body < TAG:
            raise SealedDamaged(f"{name or 'the file'} is cut short")
        self._chunks = -(-body // full)
        if body - (self._chunks - 1) * full < TAG:
            raise SealedDamaged(f"{name or 'the file'} is cut short")
        self.size = body - self._chunks * TAG
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def meta(self) -> bytes:
        """The 32 bytes sealed in the meta block (SealedDamaged if they fail the check)."""
        self._raw.seek(HEADER)
        block = self._raw.read(META_BLOCK)
        try:
            return self._aead.decrypt(_nonce(2**64 - 1, _META), block, self._header + b"meta")
        except InvalidTag:
            raise SealedDamaged(f"{self._name or 'the file'} fails its check (its header "
                                "was changed, or it was sealed with another key)") from None

    def _plain_chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        full = self._chunk + TAG
        self._raw.seek(HEADER + META_BLOCK + index * full)
        block = self._raw.read(full)
        last = index == self._chunks - 1
        try:
            plain = self._aead.decrypt(_nonce(index, _LAST if last else 0), block, self._header)
        except InvalidTag:
            raise SealedDamaged(f"{self._name or 'the file'} fails its check at chunk "
                                f"{index + 1} of {self._chunks} (changed, or cut short)"
                                ) from None
        self._cached = (index, plain)
        return plain

    # -- io.RawIOBase ----------------------------------------------------------------
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if pos < 0:
            raise OSError(errno.EINVAL, "negative seek position")
        self._pos = pos
        return pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self.size:
            index, offset = divmod(self._pos, self._chunk)
            plain = self._plain_chunk(index)
            n = min(len(plain) - offset, len(view) - done)
            view[done:done + n] = plain[offset:offset + n]
            done += n
            self._pos += n
        return done

    def readall(self) -> bytes:
        parts = []
        while self._pos < self.size:
            index, offset = divmod(self._pos, self._chunk)
            plain = self._plain_chunk(index)
            parts.append(plain[offset:])
            self._pos += len(plain) - offset
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
            self._cached = None
        super().close()


def _length(raw: BinaryIO) -> int:
    here = raw.tell()  # a file or bytes in memory alike
    end = raw.seek(0, io.SEEK_END)
    raw.seek(here)
    return end


def open_sealed(raw: BinaryIO, key: bytes, name: str = "") -> io.BufferedReader:
    """A buffered, seekable stream of a sealed file's plain bytes (closes `raw` with it)."""
    return io.BufferedReader(SealedReader(raw, key, name), buffer_size=CHUNK)


def unseal_bytes(key: bytes, data: bytes) -> bytes:
    """The plain bytes of a sealed file held in memory (SealedDamaged if it fails)."""
    with SealedReader(io.BytesIO(data), key) as reader:
        return reader.readall()
