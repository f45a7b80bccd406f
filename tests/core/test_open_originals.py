"""Originals handed to the system viewer: named like the file, read-only, cleared later."""

import os
import stat

from evidence_app.core.attachments import clear_viewer_copies, viewer_copy
from evidence_app.core.importers.clipboard import import_bytes
from evidence_app.core.importers.files import import_files
from evidence_app.core.store.verify import run_verify
from tests.sample_images import screenshot


def test_the_viewer_gets_a_read_only_file_with_the_original_name(case, tmp_path):
    shot = screenshot(tmp_path / "Screenshot_20250312-081900.png")
    [result] = [e.item for e in import_files(case, [shot]) if e.item]
    path = viewer_copy(case, result.id)
    assert path.name == shot.name
    assert path.is_relative_to(case.folder)  # nothing readable outside the case folder
    assert path.read_bytes() == shot.read_bytes()
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert viewer_copy(case, result.id) == path  # asking again reuses it


def test_awkward_names_get_a_safe_name_with_an_extension(case, tmp_path):
    data = screenshot(tmp_path / "x.png").read_bytes()
    result = import_bytes(case, data, 'what: "is" this?')
    path = viewer_copy(case, result.id)
    assert path.name == "what_ _is_ this_.png"


def test_clearing_removes_the_links_and_leaves_the_originals(case, tmp_path):
    shot = screenshot(tmp_path / "a.png")
    [result] = [e.item for e in import_files(case, [shot]) if e.item]
    path = viewer_copy(case, result.id)
    assert clear_viewer_copies(case) == 1
    assert not path.exists()
    assert case.originals.read_bytes(result.sha256) == shot.read_bytes()
    report = run_verify(case)
    assert report.ok and not report.notices
