"""Text inside screenshots: the queue, Tesseract, pause, corrections, and its absence."""


import pytest
from fixtures.screens import chat_screenshot
from PIL import Image

from evidence_app.core import incidents as inc
from evidence_app.core import ocr
from evidence_app.core.attachments import get_attachment
from evidence_app.core.cases import create_case, open_case
from evidence_app.core.importers.files import import_files
from evidence_app.core.search.find import search
from evidence_app.core.store.audit import entries
from tests.fixtures.on_disk import original_file

needs_tesseract = pytest.mark.needs_tool("tesseract")


def imported(case, *paths, incident=None):
    """The new exhibits' ids, in the order of `paths` (results come in mark order)."""
    ids = {e.item.path: e.item.id for e in import_files(case, list(paths), incident) if e.item}
    return [ids[str(p)] for p in paths]


@needs_tesseract
def test_a_screenshot_is_read_and_its_words_found(case, tmp_path):
    incident = inc.create_incident(case, title="Messages on Friday")
    [att] = imported(case, chat_screenshot(tmp_path / "Screenshot_20250310-231000.png"),
                     incident=incident)
    assert get_attachment(case, att).ocr_status == "pending"
    events = list(ocr.run_queue(case))
    results = [e.item for e in events if e.item is not None]
    assert [(r.attachment_id, r.status) for r in results] == [(att, "done")]
    assert events[-1].done == events[-1].total == 1
    text = get_attachment(case, att).ocr_text
    assert "hide from me forever" in text and "Tesco" in text
    [hit] = search(case, "tesco tonight").hits
    assert (hit.id, hit.field) == (incident, "ocr")
    assert "[Tesco]" in hit.marked_snippet() and "[tonight]" in hit.marked_snippet()
    assert ocr.counts(case).pending == 0
    with case.read() as session:
        [event] = [e for e in entries(session, "attachment", [att]) if e.action == "ocr"]
    assert event.details["engine"].startswith("tesseract")


@needs_tesseract
def test_dark_mode_and_rotated_photos_are_read(case, tmp_path):
    dark = chat_screenshot(tmp_path / "dark.png", ("Answer your phone",), dark=True)
    rotated = tmp_path / "IMG_20250310_231000.jpg"
    with Image.open(chat_screenshot(tmp_path / "r.png", ("Parked outside again",))) as img:
        exif = Image.Exif()
        exif[0x0112] = 6  # stored on its side; the camera says "rotate 90"
        img.convert("RGB").transpose(Image.Transpose.ROTATE_90).save(rotated, exif=exif)
    a, b = imported(case, dark, rotated)
    list(ocr.run_queue(case))
    assert "Answer your phone" in get_attachment(case, a).ocr_text
    assert "Parked outside again" in get_attachment(case, b).ocr_text


@needs_tesseract
def test_the_queue_survives_a_restart_and_can_pause(tmp_path):
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        ids = imported(case, *(chat_screenshot(tmp_path / f"s{i}.png", (f"message {i}",))
                               for i in range(3)))
        ocr.set_paused(case, True)
        events = list(ocr.run_queue(case))
        assert [e.message for e in events] == ["Paused"] and ocr.counts(case).pending == 3
        ocr.set_paused(case, False)
        gen = ocr.run_queue(case)
        first = [next(gen), next(gen)]  # the start, then one image read
        gen.close()  # the app closes mid-queue
        # The newest imports are read first (two at once: whichever finished first).
        done = first[1].item.attachment_id
        assert first[1].item.status == "done" and done in ids[1:]
    with open_case(folder) as case:
        assert ocr.counts(case).pending == 2 and not ocr.is_paused(case)
        results = [e.item for e in ocr.run_queue(case) if e.item]
        assert sorted(r.attachment_id for r in results) == [i for i in ids if i != done]
        assert ocr.counts(case) == ocr.OcrCounts(pending=0, done=3, failed=0)


def test_recognitions_run_side_by_side_newest_first(case, tmp_path, monkeypatch):
    import threading
    import time

    ids = imported(case, *(chat_screenshot(tmp_path / f"s{i}.png", (f"message {i}",))
                           for i in range(6)))
    at_once, most, started = [0], [0], []
    lock = threading.Lock()

    def recognise(_case, sha256, *_args, **_kwargs):
        with lock:
            at_once[0] += 1
            most[0] = max(most[0], at_once[0])
            started.append(sha256)
        time.sleep(0.2)  # long enough for the other worker to start too
        with lock:
            at_once[0] -= 1
        return "text"

    monkeypatch.setattr(ocr, "tesseract_version", lambda: "5.0")
    monkeypatch.setattr(ocr, "recognise_file", recognise)
    events = list(ocr.run_queue(case, workers=2))
    assert most[0] == 2  # two pictures were being read at the same moment
    by_sha = {get_attachment(case, i).sha256: i for i in ids}
    assert [by_sha[s] for s in started[:2]] == [ids[5], ids[4]]  # newest first
    # The count never runs ahead of the work: "n of 6" throughout, 6 of 6 at the end.
    assert [(e.done, e.total) for e in events[1:]] == [(n, 6) for n in range(1, 7)]
    assert ocr.counts(case).done == 6


def test_without_tesseract_images_wait_and_nothing_fails(case, tmp_path, monkeypatch):
    monkeypatch.setenv("EVIDENCE_APP_TESSERACT", "")
    [att] = imported(case, chat_screenshot(tmp_path / "s.png"))
    assert ocr.tesseract_version() is None
    assert "not installed" in ocr.availability()
    events = list(ocr.run_queue(case))
    assert [e.message for e in events] == ["Tesseract is not installed"]
    assert get_attachment(case, att).ocr_status == "pending"


@needs_tesseract
def test_a_damaged_image_fails_alone_and_can_be_retried(case, tmp_path):
    good = chat_screenshot(tmp_path / "good.png", ("Still here",))
    bad = tmp_path / "bad.png"
    Image.new("RGB", (30, 30), "white").save(bad)
    a, b = imported(case, bad, good)
    original = original_file(case, get_attachment(case, a).sha256)
    saved = original.read_bytes()
    original.chmod(0o644)
    original.write_bytes(b"not an image at all")  # damaged on disk after import
    results = {r.attachment_id: r for r in (e.item for e in ocr.run_queue(case)) if r}
    assert results[a].status == "failed" and results[a].reason
    assert results[b].status == "done"
    original.write_bytes(saved)
    assert ocr.retry_failed(case) == 1
    list(ocr.run_queue(case))
    assert get_attachment(case, a).ocr_status == "done"


def test_corrections_are_audited_and_never_overwritten(case, tmp_path):
    [att] = imported(case, chat_screenshot(tmp_path / "s.png"))
    assert ocr.correct_text(case, att, "Meet me at the bus station\x00") is True
    assert ocr.correct_text(case, att, "Meet me at the bus station") is False  # unchanged
    view = get_attachment(case, att)
    assert (view.ocr_text, view.ocr_status) == ("Meet me at the bus station", "done")
    with case.read() as session:
        [event] = [e for e in entries(session, "attachment", [att]) if e.action == "update"]
    assert event.details["changes"]["ocr_text"]["new"] == "Meet me at the bus station"
    assert event.details["by_hand"] is True
    assert search(case, "bus station").hits[0].kind == "attachment"


def test_a_reading_finished_after_a_correction_never_overwrites_it(case, tmp_path, monkeypatch):
    [att] = imported(case, chat_screenshot(tmp_path / "s.png"))

    def read_while_the_person_corrects(*_args, **_kwargs):
        # The person corrects the text while Tesseract is still reading the image.
        ocr.correct_text(case, att, "Meet me at the bus station")
        return "machine text"

    monkeypatch.setattr(ocr, "tesseract_version", lambda: "5.0")
    monkeypatch.setattr(ocr, "recognise_file", read_while_the_person_corrects)
    [result] = [e.item for e in ocr.run_queue(case) if e.item is not None]
    assert result.status == "skipped"
    view = get_attachment(case, att)
    assert (view.ocr_text, view.ocr_status, view.ocr_corrected) == (
        "Meet me at the bus station", "done", True)


def test_clean_text():
    assert ocr.clean_text("a  \n\n\n\nb\f\n") == "a\n\nb"
