"""Risky picture formats read in child processes with memory and time limits.

TIFF (libtiff), JPEG 2000 (OpenJPEG) and HEIF/AVIF (libheif) are large C decoders with
long histories of crashes and runaway allocations on crafted files. A file in one of
those formats is examined (`analysis.analyse`: metadata and thumbnail) by a child Python
process that may use at most `MEMORY_LIMIT` and `TIME_LIMIT` per file, as PDFs are drawn
by `media.pdf`; a crash, a kill or a timeout there becomes "no preview: ..." for that one
file, and the import goes on. The children are kept for the next file (a Python start
per file would cost a phone's worth of HEIC photos minutes), at most `WORKERS` of them.

Only bytes and JSON cross between the processes (never pickles): the parent trusts
nothing the child says beyond the fields of a `MediaInfo`, checked by type.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import selectors
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from evidence_app.core.media.child import child_command

WORKERS = 1
TIME_LIMIT = 30.0
MEMORY_LIMIT = 1536 * 1024 * 1024
# Larger files are not handed to a child (nor decoded at all).
MAX_BYTES = 256 * 1024 * 1024
# A child left holding more than this after a big picture is retired (memory freed by
# Python and the decoders is seldom given back), so idle children stay small.
RETIRE_RSS = 160 * 1024 * 1024
_REQUEST = struct.Struct(">IIB")  # name length, data length, thumbnail wanted
_REPLY = struct.Struct(">II")  # JSON length, thumbnail length
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
                b"mif1", b"msf1", b"avif", b"avis"}

# Set in a child: it reads every format itself.
IN_CHILD = False


def risky(head: bytes) -> bool:
    """Whether a file starting with these bytes is read in a child process."""
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # TIFF, BigTIFF
        return True
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):  # JPEG 2000
        return True
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


class ChildFailed(Exception):
    """The child stopped (crashed, ran out of its memory, took too long) on one file."""


def _limits() -> None:  # pragma: no cover - runs in the child before it starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# What the child runs (`python -c`, or the bundle's --internal-child: media.child).
_CHILD = "from evidence_app.core.media.isolated import serve; serve()"


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            child_command("picture", _CHILD), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=None, preexec_fn=_limits if os.name == "posix" else None)  # noqa: PLW1509

    def ask(self, data: bytes, name: str, thumbnail: bool,
            time_limit: float) -> tuple[dict[str, Any], bytes]:
        raw_name = name.encode("utf-8", "surrogateescape")
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(_REQUEST.pack(len(raw_name), len(data), thumbnail)
                                  + raw_name + data)
            self.proc.stdin.flush()
        except OSError as exc:
            raise ChildFailed("the reader stopped") from exc
        deadline = time.monotonic() + time_limit
        head = _read_exactly(self.proc.stdout, _REPLY.size, deadline)
        json_len, thumb_len = _REPLY.unpack(head)
        if json_len > 1 << 20 or thumb_len > 64 << 20:
            raise ChildFailed("the reader's answer made no sense")
        body = _read_exactly(self.proc.stdout, json_len + thumb_len, deadline)
        try:
            facts = json.loads(body[:json_len])
        except ValueError as exc:
            raise ChildFailed("the reader's answer made no sense") from exc
        if not isinstance(facts, dict):
            raise ChildFailed("the reader's answer made no sense")
        return facts, body[json_len:]

    def resident(self) -> int:
        """The child's resident memory in bytes (0 where /proc cannot say)."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text("ascii").splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _read_exactly(stream: IO[bytes], n: int, deadline: float) -> bytes:
    """`n` bytes from a child's output, or ChildFailed when it ends or the time is up."""
    out = bytearray()
    fd = stream.fileno()
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while len(out) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise ChildFailed("reading the picture took too long, so it was stopped "
                                  "(the file may be damaged or made to be slow to open)")
            chunk = os.read(fd, min(n - len(out), 1 << 20))
            if not chunk:
                raise ChildFailed("the picture reader stopped on this file (it may be "
                                  "damaged, or need more memory than is allowed)")
            out += chunk
    return bytes(out)


class _Pool:
    """At most WORKERS children; each serves one file at a time. A caller waits for a
    free slot, then takes an idle child or starts one (so a child that died never
    leaves another caller waiting for it)."""

    def __init__(self) -> None:
        self._slots = threading.BoundedSemaphore(WORKERS)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = _Worker()
                with self._lock:
                    self._all.add(worker)
                return worker
            if worker.proc.poll() is None:
                return worker
            self._forget(worker)  # ended while idle (killed from outside)

    def _forget(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def run(self, data: bytes, name: str, thumbnail: bool,
            time_limit: float) -> tuple[dict[str, Any], bytes]:
        with self._slots:
            worker = self._take()
            try:
                answer = worker.ask(data, name, thumbnail, time_limit)
            except BaseException:
                self._forget(worker)
                raise
            if worker.resident() > RETIRE_RSS:
                self._forget(worker)
            else:
                self._idle.put(worker)
            return answer

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        self._idle = queue.SimpleQueue()


_pool = _Pool()
atexit.register(_pool.close)


def analyse_isolated(read: Callable[[], bytes], name: str, thumbnail: bool,
                     info: Any) -> None:
    """Fill `info` (a MediaInfo) from a child process's reading of the file's bytes."""
    try:
        data = read()
    except OSError as exc:
        info.preview_error = f"the file could not be read ({exc.strerror or 'unknown error'})"
        return
    if len(data) > MAX_BYTES:
        info.kind = "image"
        info.preview_error = (f"the picture is too large to read here "
                              f"({len(data) // (1024 * 1024)} MB); open the original file")
        return
    try:
        facts, thumb = _pool.run(data, name, thumbnail, TIME_LIMIT)
    except (ChildFailed, OSError) as exc:
        from evidence_app.core.media.sniff import sniff

        info.media_type = sniff(data[:64]) or info.media_type
        info.kind = "image"
        info.preview = False
        info.preview_error = str(exc) if isinstance(exc, ChildFailed) else (
            f"the picture reader could not be started ({exc.strerror or exc})")
        return
    for field in fields(info):
        if field.name == "thumbnail" or field.name not in facts:
            continue
        value = facts[field.name]
        if field.name == "exif_time":
            try:
                value = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                value = None
        elif not _plausible(getattr(info, field.name), value):
            continue
        setattr(info, field.name, value)
    info.thumbnail = thumb if thumbnail and thumb and info.preview else None


def _plausible(default: Any, value: Any) -> bool:
    if value is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str) and len(value) < 4096
    return isinstance(value, int | float) and not isinstance(value, bool)


def serve() -> None:  # pragma: no cover - runs in the child
    """The child's loop: read a request, examine the bytes, answer; until stdin ends."""
    import functools
    import io

    global IN_CHILD
    IN_CHILD = True
    from evidence_app.core.media.analysis import analyse

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(_REQUEST.size)
        if len(head) < _REQUEST.size:
            return
        name_len, data_len, thumbnail = _REQUEST.unpack(head)
        name = stdin.read(name_len).decode("utf-8", "surrogateescape")
        data = stdin.read(data_len)

        info = analyse(functools.partial(io.BytesIO, data), name, bool(thumbnail))
        thumb = info.thumbnail or b""
        facts = {f.name: getattr(info, f.name) for f in fields(info) if f.name != "thumbnail"}
        if info.exif_time is not None:
            facts["exif_time"] = info.exif_time.isoformat()
        body = json.dumps(facts, default=str).encode()
        stdout.write(_REPLY.pack(len(body), len(thumb)) + body + thumb)
        stdout.flush()
