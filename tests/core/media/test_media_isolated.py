"""Risky picture formats (TIFF, JPEG 2000, HEIF) are read in a child process: a decoder
that crashes, hangs or runs out of memory on one file costs that file its preview, never
the import or the app."""

import io
import os
import textwrap

import pytest
from PIL import Image

from evidence_app.core.attachments import get_attachment
from evidence_app.core.importers.files import import_files
from evidence_app.core.media import isolated
from evidence_app.core.media.analysis import analyse


@pytest.fixture(autouse=True)
def fresh_pool():
    isolated._pool.close()
    yield
    isolated._pool.close()


def tiff(path, size=(300, 200), colour=(0, 90, 200)):
    Image.new("RGB", size, colour).save(path, "TIFF")
    return path


def heic(path):
    Image.new("RGB", (120, 80), (200, 30, 30)).save(path, "HEIF", quality=60)
    return path


def jpeg(path):
    Image.new("RGB", (120, 80), (30, 200, 30)).save(path, "JPEG")
    return path


def children():
    return {w.proc.pid for w in isolated._pool._all}


def test_risky_formats_are_read_in_a_child_with_the_same_answer(tmp_path):
    info = analyse(tiff(tmp_path / "scan.tif"), "scan.tif", thumbnail=True)
    assert (info.media_type, info.width, info.height, info.preview) == (
        "image/tiff", 300, 200, True)
    assert Image.open(io.BytesIO(info.thumbnail)).size == (256, 171)
    pids = children()
    assert pids and os.getpid() not in pids
    info = analyse(heic(tmp_path / "IMG_0001.heic"), "IMG_0001.heic", thumbnail=True)
    assert (info.media_type, info.width, info.preview) == ("image/heic", 120, True)
    assert children() == pids or len(children()) <= isolated.WORKERS  # children are reused
    # A JPEG is read in the app's own process, at full speed.
    before = children()
    assert analyse(jpeg(tmp_path / "a.jpg"), "a.jpg", thumbnail=True).preview
    assert children() == before


# The child as it is, but its reader stops on one file the way a decoder bug would make
# it stop: a segmentation fault, an endless loop, an allocation past its memory limit.
FAILING_CHILD = textwrap.dedent("""
    import os, signal, time
    from evidence_app.core.media import analysis, isolated
    real = analysis.analyse
    def analyse(source, name, thumbnail=False):
        if "{what}" in name:
            {action}
        return real(source, name, thumbnail)
    analysis.analyse = analyse
    isolated.serve()
""")


@pytest.mark.parametrize(("what", "action", "said"), [
    ("crash", "os.kill(os.getpid(), signal.SIGSEGV)", "the picture reader stopped"),
    ("hang", "time.sleep(60)", "took too long, so it was stopped"),
    ("memory", "x = bytearray(4 * 1024 ** 3)", "the picture reader stopped"),
])
def test_a_decoder_that_crashes_hangs_or_runs_away_costs_one_preview(
        tmp_path, case, monkeypatch, what, action, said):
    monkeypatch.setattr(isolated, "_CHILD", FAILING_CHILD.format(what=what, action=action))
    monkeypatch.setattr(isolated, "TIME_LIMIT", 3.0)
    monkeypatch.setattr(isolated, "MEMORY_LIMIT", 1024 ** 3)
    files = [tiff(tmp_path / f"{what}.tif"), jpeg(tmp_path / "photo.jpg")]
    results = {os.path.basename(r.path): r for r in
               (e.item for e in import_files(case, files, workers=1)) if r}
    bad = get_attachment(case, results[f"{what}.tif"].id)
    assert results[f"{what}.tif"].status == "imported"  # kept as evidence, unpreviewed
    assert not bad.preview and said in bad.preview_error, bad.preview_error
    assert bad.media_type == "image/tiff"
    assert get_attachment(case, results["photo.jpg"].id).preview
    assert all(w.proc.poll() is None for w in isolated._pool._all)


def test_a_picture_whose_reader_stopped_is_never_decoded_in_the_app(tmp_path, case,
                                                                    monkeypatch):
    from evidence_app.core.attachments import display_image

    monkeypatch.setattr(isolated, "_CHILD", FAILING_CHILD.format(
        what="crash", action="os.kill(os.getpid(), signal.SIGSEGV)"))
    [result] = [e.item for e in import_files(case, [tiff(tmp_path / "crash.tif")]) if e.item]
    att = get_attachment(case, result.id)
    assert not att.preview
    import evidence_app.core.media.analysis as analysis

    monkeypatch.setattr(analysis, "load_display_image", lambda *a, **k: pytest.fail(
        "decoded in the app's own process"))
    with pytest.raises(OSError, match="the picture reader stopped"):
        display_image(case, att)


def test_files_waiting_for_the_reader_are_read_after_it_crashes(tmp_path, case, monkeypatch):
    """Four import threads, one reader: the threads waiting while the reader crashes on
    one file get a fresh reader, not a wait for ever."""
    monkeypatch.setattr(isolated, "_CHILD", FAILING_CHILD.format(
        what="crash", action="os.kill(os.getpid(), signal.SIGSEGV)"))
    # All four handed out at once (no later file would start a reader by chance).
    files = [tiff(tmp_path / "crash.tif"), *(tiff(tmp_path / f"scan {i}.tif", colour=(i, 0, 0))
                                           for i in range(3))]
    import threading

    results = []
    worker = threading.Thread(target=lambda: results.extend(
        e.item for e in import_files(case, files, workers=4) if e.item), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the import waited for a reader that had died"
    previews = {os.path.basename(r.path): r.preview for r in results}
    assert previews == {"crash.tif": False, **{f"scan {i}.tif": True for i in range(3)}}
