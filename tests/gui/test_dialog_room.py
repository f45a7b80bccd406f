"""Dialogs a newcomer found untidy: names cut short beside an empty column, a band of
nothing in Back up now, uneven gaps in About."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem

from evidence_app.core.importers.files import ImportResult
from evidence_app.gui.dialogs.import_dialog import ImportSummaryDialog
from evidence_app.gui.tasks import CaseOps

NAMES = ["IMG_20250314_221500.jpg", "Screenshot_20250314-221932_WhatsApp.png",
         "Screenshot_20250315-081244_Messages.png"]


@pytest.fixture
def ops(case):
    ops = CaseOps(case)
    yield ops
    ops.wait_idle()


def _file_rows(dialog):
    added = dialog.sections["imported"]
    return [added.child(i) for i in range(added.childCount())]


def _shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _drawn(tree, item, column):
    """The text a person sees in a cell (elided as the view elides it)."""
    rect = tree.visualItemRect(item)
    width = tree.header().sectionSize(column) - (rect.x() if column == 0 else 0) - 8
    return QFontMetrics(tree.font()).elidedText(item.text(column), tree.textElideMode(),
                                                width)


def test_import_summary_shows_whole_file_names_when_there_is_room(qtbot):
    results = [ImportResult(f"/home/jane/Pictures/{n}", "imported", exhibit=f"JS/{i}")
               for i, n in enumerate(NAMES, 1)]
    dialog = _shown(qtbot, ImportSummaryDialog(results, False, "the Inbox"))
    tree = dialog.tree
    for row in _file_rows(dialog):
        assert _drawn(tree, row, 0) == row.text(0)  # not "Screenshot_20250314-2219…"
        assert row.toolTip(0).startswith("/home/jane/Pictures/")
    # The Result column keeps most of its room for sentences.
    assert tree.header().sectionSize(1) >= tree.viewport().width() // 2


def test_a_very_long_name_is_cut_in_the_middle_and_the_result_keeps_room(qtbot):
    long = "Screenshot_" + "x" * 150 + "_WhatsApp.png"
    results = [ImportResult(f"/home/jane/{long}", "imported", exhibit="JS/1")]
    dialog = _shown(qtbot, ImportSummaryDialog(results, False, "the Inbox"))
    tree = dialog.tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    seen = _drawn(tree, _file_rows(dialog)[0], 0)
    assert seen.startswith("Screenshot_") and seen.endswith("_WhatsApp.png") and "\u2026" in seen
    assert tree.header().sectionSize(1) >= tree.viewport().width() // 2 - 2
    assert _file_rows(dialog)[0].toolTip(0) == f"/home/jane/{long}"
    # on one line, not broken over several
    row = tree.visualItemRect(_file_rows(dialog)[0])
    assert row.height() < 2 * QFontMetrics(tree.font()).height()


def test_a_long_name_with_hyphens_stays_on_one_line(qtbot):
    name = "messages-export-from-old-phone-2024-11-02-full-backup-of-everything.zip"
    results = [ImportResult(f"/home/jane/{name}", "imported", exhibit="JS/1")]
    dialog = _shown(qtbot, ImportSummaryDialog(results, False, "the Inbox"))
    tree = dialog.tree
    item = _file_rows(dialog)[0]
    wraps = []
    assert tree.wordWrap()
    for column in (0, 1):  # how each cell is drawn
        option = QStyleOptionViewItem()  # as the view gives it: word wrap on
        option.features = QStyleOptionViewItem.ViewItemFeature.WrapText
        tree.itemDelegate().initStyleOption(option, tree.indexFromItem(item, column))
        wraps.append(bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText))
    assert wraps == [False, True]  # the name is shortened, the result's sentence wraps


def test_chat_summary_of_a_download_in_parts_is_read_in_full(qtbot):
    chat = SimpleNamespace(
        title="Mark Jones", messages_added=1274, messages_read=1274, calls=12, files=31,
        new_conversation=True, export_exhibit="JS/7\u2013JS/9", parts=[1, 2, 3],
        problems=["Part 2 of the download holds no messages for this conversation."])
    export = SimpleNamespace(path="/home/jane/facebook-jane-2025-03-15-part1.zip",
                             label="Facebook Messenger download (Meta)", problem="",
                             conversations=[chat])
    dialog = _shown(qtbot, ImportSummaryDialog([], False, "the case", exports=[export]))
    tree = dialog.tree
    top = dialog.sections["conversations"]
    assert "read from 3 parts of the download, exhibits JS/7\u2013JS/9" in top.text(1)
    assert _drawn(tree, top, 0) == "Mark Jones"
    # The sentence wraps within its row: the row is tall enough for all its lines.
    rect = tree.visualItemRect(top)
    width = tree.header().sectionSize(1) - 12
    lines = QFontMetrics(tree.font()).boundingRect(
        0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, top.text(1)).height()
    assert lines > QFontMetrics(tree.font()).height()  # more than one line at this width
    assert rect.height() >= lines
    assert top.child(0).text(0) == "Note" and top.isExpanded()


def _gap(upper, lower):
    return lower.mapTo(lower.window(), lower.rect().topLeft()).y() - \
        upper.mapTo(upper.window(), upper.rect().bottomLeft()).y()


def test_back_up_now_has_no_empty_band_and_grows_for_what_it_says(qtbot, ops, tmp_path):
    from evidence_app.gui.dialogs.backup_dialog import BackupDialog
    from evidence_app.gui.settings import AppSettings

    dialog = _shown(qtbot, BackupDialog(ops, AppSettings()))
    assert _gap(dialog.full_box, dialog.remind_days) < 30
    assert _gap(dialog.remind_days, dialog.backup_button) < 30
    dialog.set_folder(tmp_path)
    qtbot.waitUntil(lambda: "needs about" in dialog.plan_label.text())
    qtbot.waitUntil(lambda: dialog.plan_label.isVisible())
    assert dialog.plan_label.height() >= dialog.plan_label.heightForWidth(
        dialog.plan_label.width()) - 2
    assert dialog.full_box.geometry().bottom() < dialog.plan_label.geometry().top() \
        < dialog.remind_days.geometry().top()
    button = dialog.backup_button.mapTo(dialog, dialog.backup_button.rect().bottomLeft())
    assert button.y() <= dialog.height()


def test_restore_keeps_its_layout(qtbot):
    from evidence_app.gui.dialogs.restore_dialog import RestoreDialog

    dialog = _shown(qtbot, RestoreDialog())
    assert dialog.result_label.isVisibleTo(dialog)  # its result line is always there
    assert dialog.height() == min(400, dialog.screen().availableGeometry().height() - 48)


def test_about_paragraphs_are_evenly_spaced(qtbot):
    from evidence_app.gui.dialogs.about import AboutDialog

    dialog = _shown(qtbot, AboutDialog(Path("/home/jane/cases/Harassment 2025")))
    blurb, licence, paths = (dialog.findChild(QLabel, name)
                             for name in ("aboutBlurb", "aboutLicence", "aboutPaths"))
    gaps = [_gap(blurb, licence), _gap(licence, paths)]
    assert max(gaps) - min(gaps) <= 4 and max(gaps) <= 16, gaps
    for label in (blurb, licence, paths):  # and none is cut short
        assert label.height() >= label.heightForWidth(label.width()) - 2


def test_change_passphrase_fields_line_up_under_one_column_of_labels(qtbot, tmp_path):
    from evidence_app.gui.dialogs.protect import ChangePassphraseDialog

    dialog = _shown(qtbot, ChangePassphraseDialog(tmp_path / "case"))
    fields = (dialog.current, dialog.new.first, dialog.new.second)
    lefts = {field.mapTo(dialog, field.rect().topLeft()).x() for field in fields}
    assert len(lefts) == 1, lefts
    inner = dialog.new.layout()
    assert inner.labelForField(dialog.new.first).text() == "New passphrase"
