"""The Report dialog warns when the person typed their address into the log, and lets
them withhold it in this copy or print it as written."""

from __future__ import annotations

import re

import pytest

from tests.gui.helpers import report_dialog
from tests.gui.test_report_dialog import LEFT, text_of, tick, wait_built
from tests.report.test_report_personal import TYPED_LOCATION, fill_typed, traces


@pytest.fixture
def dialog(qtbot, case, tmp_path):
    fill_typed(case, tmp_path)
    yield from report_dialog(qtbot, case)


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_typed_address_is_found_withheld_and_can_be_kept(qtbot, dialog, tmp_path):
    panel = dialog.panel
    assert panel.withhold_typed.isChecked() and panel.withhold_typed.isEnabled()
    assert panel.personal_notice.isVisible()
    assert plain(panel.personal_notice.text()) == (
        "Your address appears in 4 incidents: No. 2, 3, 4, 5. Your phone number appears in "
        "2 incidents: No. 2, 3. In this report it is replaced by [address withheld] or "
        "[phone number withheld].")
    assert traces(re.sub(r"\s+", " ", text_of(dialog.preview_path))) == []
    dialog.grab().save("/tmp/print/dlg-withheld.png")

    # The person chooses to print it as written: the notice and the cover say so.
    previous = dialog.preview_path
    tick(qtbot, panel.withhold_typed)
    assert not panel.withhold_typed.isChecked()
    qtbot.mouseClick(dialog.update_button, LEFT)
    wait_built(qtbot, dialog, previous)
    assert "printed as you typed it: do not give this copy" in panel.personal_notice.text()
    text = re.sub(r"\s+", " ", text_of(dialog.preview_path))
    assert TYPED_LOCATION in text and "NOT FOR DISCLOSURE" in text
    assert "the address and contact details of the person keeping this log" not in text
    dialog.grab().save("/tmp/print/dlg-kept.png")

    # Ticked again: withheld again.
    previous = dialog.preview_path
    tick(qtbot, panel.withhold_typed)
    qtbot.mouseClick(dialog.update_button, LEFT)
    wait_built(qtbot, dialog, previous)
    assert "replaced by" in panel.personal_notice.text()
    assert traces(re.sub(r"\s+", " ", text_of(dialog.preview_path))) == []


def test_including_the_address_turns_the_choice_off(qtbot, dialog):
    panel = dialog.panel
    previous = dialog.preview_path
    tick(qtbot, panel.include_address)
    assert not panel.withhold_typed.isEnabled()
    qtbot.mouseClick(dialog.update_button, LEFT)
    wait_built(qtbot, dialog, previous)
    assert not panel.personal_notice.isVisible()  # nothing is claimed as left out
    assert TYPED_LOCATION in re.sub(r"\s+", " ", text_of(dialog.preview_path))
