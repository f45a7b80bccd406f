"""An import and a backup that meet a REAL full filesystem (a tmpfs of a few megabytes,
mounted in a private mount namespace: tests/fixtures/small_disk.py), beside the tests that
inject ENOSPC and EIO at every write: a plain message, nothing stored touched, no
half-written file left, and the case still verifies (and opens again on the full disk).

Where the machine cannot mount one (no root and no user namespaces, or a container that
forbids mount), these tests skip and say why; that is a limit of the machine, not a
missing tool that CI could install, so they are not marked needs_tool."""

import pytest
from fixtures.media_factory import phone_jpeg
from fixtures.small_disk import mount_small_disk, small_disk_unavailable

from evidence_app.core.cases import create_case
from evidence_app.core.importers.files import import_files


@pytest.fixture
def work(tmp_path):
    if small_disk_unavailable():
        pytest.skip(small_disk_unavailable())
    photos = tmp_path / "work" / "photos"
    photos.mkdir(parents=True)
    for i in range(30):
        phone_jpeg(photos / f"IMG_{i:02}.jpg", size=(800, 600), seed=i)
    return tmp_path / "work"


def test_an_import_that_fills_a_real_disk_stops_plainly_and_keeps_the_case(work, tmp_path):
    found = mount_small_disk("import", "1m", tmp_path / "disk", work)
    assert found["first"] == ["imported"]  # stored before the disk filled: must stay
    assert found["message"].startswith(
        "Files cannot be saved into the case: the disk holding the case is full")
    assert "everything already in the case is safe" in found["message"]
    assert "Free some space" in found["message"]
    assert "Traceback" not in found["message"] and "Errno" not in found["message"]
    for state in (found, found["reopened"]):
        assert state["rows"] == ["IMG_00.jpg"]
        assert state["temp_files"] == []  # nothing half-written left in the store
        assert state["stored_intact"]
        assert state["verify_ok"], state["problems"]
        assert state["originals_checked"] == 1


def test_a_backup_onto_a_drive_that_filled_up_leaves_nothing_and_changes_nothing(
        work, tmp_path):
    with create_case(work / "case", owner_name="Jane Smith", initials="JS") as case:
        list(import_files(case, sorted((work / "photos").iterdir())))
    found = mount_small_disk("backup", "4m", tmp_path / "disk", work)
    assert found["fits_when_planned"]  # the space was there when it was shown
    assert found["message"] == ("The backup was not made: the backup drive is full. Your "
                                "case was not changed, and no backup file was left there.")
    assert found["left_on_disk"] == ["someone-elses-file.bin"]  # no partial backup
    assert found["head_unchanged"]
    assert len(found["rows"]) == 30 and found["temp_files"] == []
    assert found["verify_ok"], found["problems"]
    assert found["stored_intact"]
    # Too little space from the start: refused with the real figures, nothing written.
    assert found["refused"].startswith("There is not enough space for the backup in ")
    assert "is free. Free some space or choose another drive; nothing was written." in \
        found["refused"]
    assert found["left_after_refusal"] == ["someone-elses-file.bin"]
