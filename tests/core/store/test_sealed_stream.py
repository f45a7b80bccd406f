"""Sealed files (chunked AES-256-GCM): what goes in comes out, from wherever one seeks,
and any change, cut or swap of chunks is refused."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.store.sealed import (
    HEADER,
    META_BLOCK,
    TAG,
    SealedDamaged,
    SealedReader,
    SealedWriter,
    open_sealed,
    seal_bytes,
    unseal_bytes,
)

KEY = bytes(range(32))


def _seal(data: bytes, chunk: int, writes: list[int] | None = None) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, KEY, chunk)
    at = 0
    for size in writes or []:
        writer.write(data[at:at + size])
        at += size
    writer.write(data[at:])
    writer.finish(b"m" * 32)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=700), chunk=st.integers(1, 64),
       writes=st.lists(st.integers(0, 90), max_size=8),
       seeks=st.lists(st.tuples(st.integers(0, 800), st.integers(0, 3),
                                st.sampled_from([0, 1, 2])), max_size=10))
def test_round_trip_and_seek_anywhere(data, chunk, writes, seeks):
    sealed = _seal(data, chunk, writes)
    assert unseal_bytes(KEY, sealed) == data
    stream = open_sealed(io.BytesIO(sealed), KEY)
    model = io.BytesIO(data)
    for offset, length, whence in seeks:
        if whence == 1:
            offset -= 400
        elif whence == 2:
            offset -= 800
        if model.seek(0, io.SEEK_CUR) + offset < 0 and whence == 1:
            continue
        if whence == 2 and len(data) + offset < 0:
            continue
        assert stream.seek(offset, whence) == model.seek(offset, whence)
        assert stream.read(length * 37) == model.read(length * 37)
        assert stream.tell() == model.tell()
    stream.seek(0)
    assert stream.read() == data


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=300), chunk=st.integers(1, 40),
       where=st.integers(0, 10_000), bit=st.integers(0, 7))
def test_any_flipped_bit_is_refused(data, chunk, where, bit):
    sealed = bytearray(_seal(data, chunk))
    sealed[where % len(sealed)] ^= 1 << bit
    reader = SealedReader  # a header that no longer parses is refused too
    with pytest.raises(SealedDamaged), reader(io.BytesIO(bytes(sealed)), KEY) as r:
        r.meta()
        r.readall()


def test_cut_short_at_a_chunk_boundary_or_chunks_swapped_is_refused():
    data = os.urandom(100)
    sealed = _seal(data, 10)
    full = 10 + TAG
    body = HEADER + META_BLOCK
    with pytest.raises(SealedDamaged):
        unseal_bytes(KEY, sealed[:body + 3 * full])  # whole chunks dropped from the end
    chunks = [sealed[body + i * full: body + (i + 1) * full] for i in range(10)]
    swapped = sealed[:body] + chunks[1] + chunks[0] + b"".join(chunks[2:]) + sealed[body + 10 * full:]
    with pytest.raises(SealedDamaged):
        unseal_bytes(KEY, swapped)


def test_a_chunk_from_another_file_or_another_key_is_refused():
    one, two = seal_bytes(KEY, b"a" * 50, chunk=10), seal_bytes(KEY, b"a" * 50, chunk=10)
    body = HEADER + META_BLOCK
    mixed = one[:body] + two[body:]
    with pytest.raises(SealedDamaged):
        unseal_bytes(KEY, mixed)
    with pytest.raises(SealedDamaged):
        unseal_bytes(bytes(32), one)
    assert one != two  # each file has its own id, so equal contents seal differently
