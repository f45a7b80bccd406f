"""A write that fails during an import (disk full, permission denied, I/O error), injected
at every write, fsync, rename and chmod of the originals store in turn, and at the
database commit: the import stops with one plain message saying what happened and what
is safe, and everything stored before is intact."""

import errno
import hashlib
import os
import sqlite3
import tempfile as real_tempfile

import pytest
from fixtures.media_factory import phone_jpeg
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from evidence_app.core.attachments import list_inbox
from evidence_app.core.cases import create_case
from evidence_app.core.errors import CaseError
from evidence_app.core.importers.files import import_files
from evidence_app.core.store import originals as blobs
from evidence_app.core.store.audit import AuditWriter
from evidence_app.core.store.models import Attachment
from evidence_app.core.store.verify import run_verify

ERRORS = {
    errno.ENOSPC: ("the disk holding the case is full (No space left on device)",
                   "Free some space"),
    errno.EACCES: ("the case folder cannot be written (Permission denied)",
                   "Check that the case folder can be written to"),
    errno.EIO: ("the case folder cannot be written (Input/output error)",
                "The disk may have been disconnected or may be failing"),
}


class Faults:
    """Counts the store's writes, fsyncs, renames and chmods; fails the `at`-th one."""

    def __init__(self, at=None, code=errno.ENOSPC):
        self.at, self.code, self.calls = at, code, []

    def hit(self, what):
        self.calls.append(what)
        if self.at is not None and len(self.calls) - 1 == self.at:
            raise OSError(self.code, os.strerror(self.code))


class _Writer:
    def __init__(self, fh, faults):
        self._fh, self._faults = fh, faults

    def write(self, data):
        self._faults.hit("write")
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._fh.__exit__(*exc)


class _Os:
    """The `os` the originals store sees: the real one, each write-side call counted."""

    def __init__(self, faults):
        self._f = faults

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, mode="r", *args, **kwargs):
        fh = os.fdopen(fd, mode, *args, **kwargs)
        return _Writer(fh, self._f) if "w" in mode else fh

    def fsync(self, fd):
        self._f.hit("fsync")
        return os.fsync(fd)

    def replace(self, src, dst):
        self._f.hit("rename")
        return os.replace(src, dst)

    def chmod(self, path, mode):
        self._f.hit("chmod")
        return os.chmod(path, mode)


class _Tempfile:
    def __init__(self, faults):
        self._f = faults

    def mkstemp(self, *args, **kwargs):
        self._f.hit("create")
        return real_tempfile.mkstemp(*args, **kwargs)


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    return [phone_jpeg(folder / f"IMG_{i}.jpg", size=(400, 300), seed=i,
                       when=f"2025:03:0{i + 1} 20:00:00", offset="+00:00") for i in range(2)]


def new_case(tmp_path, name, earlier):
    case = create_case(tmp_path / name, owner_name="Jane Smith", initials="JS")
    list(import_files(case, [earlier]))  # stored before: must stay intact
    return case


def inject(monkeypatch, faults):
    monkeypatch.setattr(blobs, "os", _Os(faults))
    monkeypatch.setattr(blobs, "tempfile", _Tempfile(faults))


def state(case):
    with case.read() as session:
        rows = set(session.scalars(select(Attachment.sha256)))
    return rows, set(case.originals.all_hashes())


def test_every_store_write_that_fails_stops_the_import_plainly(tmp_path, sources, monkeypatch):
    earlier = phone_jpeg(tmp_path / "earlier.jpg", seed=99)
    # A clean run, counted: every write-side call an import of these files makes.
    counting = Faults()
    probe = new_case(tmp_path, "probe", earlier)
    inject(monkeypatch, counting)
    assert [e.item.status for e in import_files(probe, sources, workers=1) if e.item] == [
        "imported", "imported"]
    monkeypatch.undo()
    probe.close()
    steps = counting.calls
    assert {"create", "write", "fsync", "rename", "chmod"} <= set(steps), steps
    tried = 0
    for at, step in enumerate(steps):
        for code, (said, advice) in ERRORS.items():
            case = new_case(tmp_path, f"case-{at}-{code}", earlier)
            before = state(case)
            faults = Faults(at, code)
            inject(monkeypatch, faults)
            try:
                with pytest.raises(CaseError) as info:
                    list(import_files(case, sources, workers=1))
            finally:
                monkeypatch.undo()
            message = str(info.value)
            where = f"{code} at call {at} ({step})"
            assert message.startswith(f"Files cannot be saved into the case: {said}."), where
            assert "Nothing from this import was added" in message, where
            assert "everything already in the case is safe" in message, where
            assert advice in message, where
            assert "Traceback" not in message and "Errno" not in message, where
            rows, stored = state(case)
            assert rows == before[0], where  # no row added
            # Nothing half-written: at most a complete file renamed in place before its
            # folder's fsync failed, which the next open offers back.
            assert list((case.folder / "originals").glob(blobs.TEMP_PREFIX + "*")) == [], where
            for sha in stored - before[1]:
                assert case.originals.verify(sha) is None, where
            report = run_verify(case)
            assert report.ok, (where, report.problems)
            assert [a.original_name for a in list_inbox(case)] == ["earlier.jpg"], where
            case.close()
            tried += 1
    assert tried == 3 * len(steps)


def test_a_source_file_that_fails_to_read_is_rejected_alone(tmp_path, sources, case,
                                                             monkeypatch):
    real_put = blobs.Originals.put

    class Failing:
        def __init__(self, fh):
            self.fh = fh

        def read(self, n):
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    failing = os.stat(sources[0]).st_ino

    def put(self, source, *args, **kwargs):
        if os.fstat(source.fileno()).st_ino == failing:
            source = Failing(source)
        return real_put(self, source, *args, **kwargs)

    monkeypatch.setattr(blobs.Originals, "put", put)
    results = {r.path: r for r in (e.item for e in import_files(case, sources)) if r}
    bad, good = results[str(sources[0])], results[str(sources[1])]
    assert (bad.status, bad.reason) == ("rejected", "cannot be read: Input/output error")
    assert good.status == "imported"
    assert list((case.folder / "originals").glob(blobs.TEMP_PREFIX + "*")) == []
    assert run_verify(case).ok


@pytest.mark.parametrize(("name", "said"), [
    ("SQLITE_FULL", "the disk holding the case is full"),
    ("SQLITE_IOERR_WRITE", "the disk holding the case could not be written"),
    ("SQLITE_READONLY", "the case folder is read-only"),
])
def test_a_failing_database_write_keeps_the_batches_already_committed(
        tmp_path, case, monkeypatch, name, said):
    files = [phone_jpeg(tmp_path / f"p{i}.jpg", seed=i, when=f"2025:03:0{i + 1} 20:00:00",
                        offset="+00:00") for i in range(5)]
    real_log = AuditWriter.log
    logged = []

    def log(self, action, entity, *args, **kwargs):
        if action == "import":
            logged.append(entity)
            if len(logged) == 3:  # the second batch's first row
                cause = sqlite3.OperationalError("database or disk is full")
                cause.sqlite_errorname = name
                raise OperationalError("INSERT INTO audit_events", {}, cause)
        return real_log(self, action, entity, *args, **kwargs)

    monkeypatch.setattr(AuditWriter, "log", log)
    with pytest.raises(CaseError) as info:
        list(import_files(case, files, batch=2))
    message = str(info.value)
    assert message.startswith(f"The change was not saved: {said}"), message
    assert "2 file(s) of 5 were added before this" in message
    monkeypatch.undo()
    inbox = list_inbox(case)
    assert sorted(a.exhibit_mark for a in inbox) == ["JS/1", "JS/2"]
    rows, stored = state(case)
    # The failed batch's copies were taken out again (the person still has the files and
    # is told to import again); the committed ones are whole.
    assert rows == stored
    for sha in stored:
        assert hashlib.sha256(case.originals.read_bytes(sha)).hexdigest() == sha
    assert run_verify(case).ok


def test_an_original_is_fsynced_before_its_rename_and_its_folder_after(tmp_path, case,
                                                                     monkeypatch):
    """The power-cut promise: the bytes reach the disk before the file takes its name, and
    the name before any row refers to it (a lost page cache can then lose only a temp)."""
    photo = phone_jpeg(tmp_path / "IMG_1.jpg", seed=1)
    faults = Faults()
    inject(monkeypatch, faults)
    case.originals.put_file(photo)
    calls = [c for i, c in enumerate(faults.calls) if c != "write" or faults.calls[i - 1] != "write"]
    # create, the writes, fsync of the file, (a new hash folder: its parent's fsync),
    # read-only, rename, fsync of the folder holding the new name.
    assert calls in (["create", "write", "fsync", "chmod", "rename", "fsync"],
                     ["create", "write", "fsync", "fsync", "chmod", "rename", "fsync"]), calls
    assert faults.calls.index("rename") > faults.calls.index("fsync")
    assert faults.calls[-1] == "fsync"
