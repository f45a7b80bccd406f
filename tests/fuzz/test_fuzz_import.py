"""Fuzzing the import pipeline: random and mutated picture, video, sound, PDF and diary
CSV bytes, seeded from the test corpora, go through `import_files` and the diary import
exactly as a person's files would.

Whatever arrives, an import answers every file (imported, duplicate or rejected with a
reason), never raises, stores exactly the bytes it was given, and leaves a case that
verifies; a diary is read or refused with a message, never a crash.

A short run is part of `make test` (FUZZ_EXAMPLES, 15 per target by default); `make fuzz`
runs thousands. Anything a run ever finds goes in FOUND below (the bytes, as a seed name
and the mutation, or literally) so it is tried on every run from then on.
"""

import hashlib
import io
import os
from datetime import UTC, datetime

import pytest
from fixtures.corpus_av import iphone_mov, mp3_cbr, opus_note, voice, wav_bytes
from fixtures.corpus_containers import avi, matroska
from fixtures.marked import upright_scene
from fixtures.media_factory import make_exif, minimal_pdf
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evidence_app.core.errors import UserError
from evidence_app.core.importers.diary_csv import import_diary, read_diary
from evidence_app.core.importers.files import import_files
from evidence_app.core.names import readable_name
from evidence_app.core.store.originals import TEMP_PREFIX
from evidence_app.core.store.verify import run_verify

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
WHEN = datetime(2024, 3, 12, 8, 15, 30, tzinfo=UTC)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


def _picture(fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    upright_scene((64, 48)).save(buf, fmt, **params)
    return buf.getvalue()


MEDIA = {
    "jpg": _picture("JPEG", exif=make_exif(when="2024:03:12 08:15:30", make="Apple",
                                           gps=(51.5, -0.12), orientation=6).tobytes()),
    "png": _picture("PNG"),
    "gif": _picture("GIF"),
    "webp": _picture("WEBP"),
    "heic": _picture("HEIF", quality=50),
    "tif": _picture("TIFF"),
    "mov": iphone_mov(WHEN, "2024-03-12T08:15:30+0000", 12.0),
    "m4a": voice(b"M4A ", WHEN, 9.0),
    "mp3": mp3_cbr(2.0),
    "opus": opus_note(3.0),
    "wav": wav_bytes(0.5),
    "webm": matroska(6.0),
    "avi": avi(2.0, 10),
    "pdf": minimal_pdf(),
}

DIARY = (
    "Date,Time,Title,Description,Where,Category,Impact,Tags,Notes\r\n"
    "12/03/2025,14:30,Car outside,\"Silver Astra, engine running\",Elm Road,sighting,"
    "Could not sleep – £20 taken,car; night,Rang 101 (café)\r\n"
    "13 March 2025,,Texts,\"He wrote \"\"I'll be back\"\"\",,messages,Afraid,texts,\r\n"
    "between 01/03/2025 and 05/03/2025,,Flowers left,On the doorstep,Home,gifts,,,\r\n"
    "26/10/2025,01:30,Clocks went back,Ambiguous hour,,other,,,\r\n"
).encode()


@st.composite
def mutated(draw, seeds):
    """A seed's bytes, changed as real damage changes files: bytes flipped, cut short,
    junk spliced in, lengths set to their maximum; or, now and then, random bytes."""
    kind = draw(st.sampled_from(sorted(seeds)))
    if draw(st.integers(0, 9)) == 0:
        return kind, draw(st.binary(max_size=2048))
    data = bytearray(seeds[kind])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "splice", "max", "repeat"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "splice":
            data[at:at] = draw(st.binary(max_size=64))
        elif action == "max":
            data[at:at + 4] = b"\xff\xff\xff\xff"
        elif action == "repeat":
            data[at:at] = bytes(data[at:at + 256]) * draw(st.integers(1, 8))
    return kind, bytes(data)


# What fuzzing found, kept as regression examples: (file extension, bytes).
FOUND_MEDIA: list[tuple[str, bytes]] = [
    ("jpg", b""),  # nothing at all: rejected as empty, not a crash
    ("png", b"\x89PNG\r\n\x1a\n" + b"\xff" * 64),
]
FOUND_DIARY: list[bytes] = [
    b"Date,Title\r\n\"",  # a quote that never closes, at the very end
    b"Date,Title\r\n01/01/2025,\x00\x00\r\n",
    b"\xef\xbb\xbfDate;Title\n01/02/2025;caf\xe9\n",
]


def _answers_every_file(case, tmp_path, files):
    paths = []
    for i, (kind, data) in enumerate(files):
        path = tmp_path / f"fuzzed {i}.{kind}"
        path.write_bytes(data)
        paths.append(path)
    results = [e.item for e in import_files(case, paths) if e.item is not None]
    assert sorted(r.path for r in results) == sorted(str(p) for p in paths)
    for result in results:
        assert result.status in ("imported", "duplicate", "rejected"), result
        data = next(d for p, (_k, d) in zip(paths, files, strict=True)
                    if str(p) == result.path)
        if result.status == "rejected":
            assert result.reason and readable_name(result.reason) == result.reason
            assert not data  # only an empty file is refused among regular files
            continue
        assert result.sha256 == hashlib.sha256(data).hexdigest()
        assert case.originals.read_bytes(result.sha256) == data
        if result.status == "imported" and not result.preview:
            assert result.reason.startswith("no preview: ") and len(result.reason) > 12
    assert list((case.folder / "originals").glob(TEMP_PREFIX + "*")) == []


def test_fuzzed_media_through_the_import(tmp_path, case):
    counter = iter(range(10**9))

    @FUZZ
    @given(st.lists(mutated(MEDIA), min_size=1, max_size=4))
    @example([(kind, data) for kind, data in FOUND_MEDIA])
    def run(files):
        folder = tmp_path / f"round {next(counter)}"
        folder.mkdir()
        _answers_every_file(case, folder, files)

    run()
    report = run_verify(case)
    assert report.ok, report.problems


def test_fuzzed_diaries_are_read_or_refused_with_a_message(tmp_path, case):
    counter = iter(range(10**9))

    @FUZZ
    @given(mutated({"csv": DIARY}))
    def run(sample):
        _kind, data = sample
        _diary(case, tmp_path / f"diary {next(counter)}.csv", data)

    run()
    for i, data in enumerate(FOUND_DIARY):
        _diary(case, tmp_path / f"found {i}.csv", data)
    report = run_verify(case)
    assert report.ok, report.problems


def _diary(case, path, data):
    path.write_bytes(data)
    try:
        preview = read_diary(path, "Europe/London")
    except UserError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    for row in preview.rows:
        assert row.line >= 1
        assert bool(row.error) == (row.values is None)
        for text in (row.values or {}).values():
            assert "\x00" not in str(text)
        assert "\x00" not in row.note and all("\x00" not in t for t in row.tags)
    try:
        result = import_diary(case, preview, skip_invalid=True)
    except UserError as exc:  # e.g. every row already imported, or none readable
        assert str(exc)
        return
    assert result.imported + len(result.skipped) + len(result.already) == len(preview.rows)
