"""The import progress dialog and the summary shown when an import ends."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.importers.files import ImportResult
from evidence_app.gui.look import heading, muted
from evidence_app.gui.screen_fit import fit_to_screen


class _WrappingRows(QStyledItemDelegate):
    """Rows tall enough for their reason to wrap within the column's current width; a
    name stays on one line, shortened in the middle if it must be."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() == 0:
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText  # type: ignore[assignment]

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        if index.column() == 0:  # names are elided in the middle, never wrapped
            return base
        width = self.tree.columnWidth(index.column()) - 12
        text = str(index.data() or "")
        box = option.fontMetrics.boundingRect(QRect(0, 0, max(width, 40), 10_000),
                                              Qt.TextFlag.TextWordWrap, text)
        return QSize(base.width(), max(base.height(), box.height() + 6))


class ImportProgressDialog(QDialog):
    """A bar, 'n of m', the current file's name and Cancel; never blocks the window."""

    cancel_requested = Signal()

    def __init__(self, destination: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importing files")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.setContentsMargins(20, 18, 20, 16)
        self.heading = heading(QLabel(f"Adding files to {destination}"))
        self.counts = QLabel("Looking at the files\u2026")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Import progress")
        self.current = QLabel(" ")
        self.current.setTextFormat(Qt.TextFormat.PlainText)
        muted(self.current)
        note = QLabel("Your originals are copied into the case and never changed. "
                      "Stopping keeps the files already added.")
        note.setWordWrap(True)
        muted(note)
        self.cancel_button = QPushButton("Stop importing")
        self.cancel_button.setAccessibleName("Cancel import")
        self.cancel_button.clicked.connect(self._cancel)
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        for w in (self.heading, self.counts, self.bar, self.current, note):
            layout.addWidget(w)
        layout.addWidget(buttons)

    def show_progress(self, done: int, total: int, current: str) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.counts.setText(f"{done:,} of {total:,} files")
        name = PurePath(current).name if current else " "
        metrics = self.current.fontMetrics()
        self.current.setText(metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, 420))

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping\u2026")
        self.cancel_requested.emit()

    def reject(self) -> None:  # Escape or the window's close button mean Cancel
        if self.cancel_button.isEnabled():
            self._cancel()


def summary_headline(results: list[ImportResult], cancelled: bool, destination: str) -> str:
    imported = sum(r.status == "imported" for r in results)
    files = "file" if imported == 1 else "files"
    head = f"{imported:,} {files} added to {destination}"
    return ("Import stopped. " + head + "; the rest were not imported.") if cancelled else head + "."


def exports_headline(found: Sequence[Any], cancelled: bool) -> str:
    """'2 conversations: 1,234 new messages.'"""
    added = sum(c.messages_added for c in found)
    n = len(found)
    head = (f"{n:,} conversation{'s' if n != 1 else ''}: {added:,} new "
            f"message{'s' if added != 1 else ''}." if found else "No messages were imported.")
    return ("Import stopped. " + head) if cancelled else head


def conversation_result(c: Any, label: str) -> str:
    """'WhatsApp chat export, new conversation: 1,234 messages (12 calls), 3 files; the
    export is exhibit JS/14' or '... 40 new of 1,274 read (the rest were already here)'."""
    if c.messages_added == c.messages_read:
        what = f"{c.messages_added:,} message{'s' if c.messages_added != 1 else ''}"
    else:
        what = (f"{c.messages_added:,} new of {c.messages_read:,} read (the others were "
                "already in the case)")
    if c.calls:
        what += f", {c.calls:,} call{'s' if c.calls != 1 else ''}"
    if c.files:
        what += f", {c.files:,} file{'s' if c.files != 1 else ''} sent with them"
    given = getattr(c, "files_added", 0)
    if given:  # messages already here whose pictures an earlier export left out
        what += (f", pictures or files added to {given:,} message{'s' if given != 1 else ''} "
                 "already imported without them")
    marked = getattr(c, "marks_added", 0)
    if marked:  # messages already here that a later export shows forwarded/edited/unsent
        what += (f", {marked:,} message{'s' if marked != 1 else ''} already here now marked "
                 "forwarded, edited or unsent as this export shows (words unchanged)")
    where = "new conversation" if c.new_conversation else "added to the conversation"
    problems = (f"; see the {'note' if len(c.problems) == 1 else f'{len(c.problems):,} notes'}"
                " below" if c.problems else "")
    source = (f"the export is exhibit {c.export_exhibit}" if len(getattr(c, "parts", ())) < 2
              else f"read from {len(c.parts)} parts of the download, exhibits "
                   f"{c.export_exhibit}")
    return f"{label}, {where}: {what}; {source}{problems}"


class ImportSummaryDialog(QDialog):
    """What happened to every file: imported, already in the case, or not imported (why)."""

    def __init__(self, results: list[ImportResult], cancelled: bool, destination: str,
                 parent: QWidget | None = None, exports: Sequence[Any] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not cancelled else "Import stopped")
        fit_to_screen(self, 760, 460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        found = [c for e in exports for c in e.conversations]
        headline = summary_headline(results, cancelled, destination)
        if exports and not results:
            headline = exports_headline(found, cancelled)
        elif found:
            headline += " " + exports_headline(found, cancelled)
        self.headline = heading(QLabel(headline))
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)

        imported = [r for r in results if r.status == "imported"]
        duplicates = [r for r in results if r.status == "duplicate"]
        rejected = [r for r in results if r.status == "rejected"]
        details = []
        if duplicates:
            details.append(f"{len(duplicates):,} already in the case, so not added twice")
        if rejected:
            details.append(f"{len(rejected):,} could not be imported (reasons below)")
        self.detail = QLabel("; ".join(details).capitalize() + "." if details else
                             "Every file was added. Their exhibit numbers are listed below."
                             if results else "What was found is listed below. The "
                             "conversations are under View \u203a Conversations.")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["File", "Result"])
        self.tree.setRootIsDecorated(True)
        # Reasons are sentences: let them wrap rather than hide behind an ellipsis.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        # A long name keeps its start and its end ("Screenshot_2025…2219.png"); the
        # whole path is in its tooltip.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 230)
        self._name_width_set = False
        self.tree.setItemDelegate(_WrappingRows(self.tree))
        self.tree.header().sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        self.sections: dict[str, QTreeWidgetItem] = {}
        self._exports(exports)
        self._section("imported", f"Added ({len(imported):,})", imported,
                      lambda r: f"Exhibit {r.exhibit}" + (f" \u2014 {r.reason}" if r.reason else ""),
                      expand=len(imported) <= 50)
        self._section("duplicate", f"Already in the case ({len(duplicates):,})", duplicates,
                      lambda r: r.reason, expand=True)
        self._section("rejected", f"Not imported ({len(rejected):,})", rejected,
                      lambda r: r.reason, expand=True)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(buttons)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._name_width_set:
            self._name_width_set = True
            self.tree.setColumnWidth(0, self.name_column_width())
        # Row heights depend on column widths, known only once the dialog is laid out.
        self.tree.doItemsLayout()

    def name_column_width(self) -> int:
        """Room for the longest name (or a section's title), but at most half the list,
        so the Result column keeps room for its sentences."""
        widest = 0
        pending = [(self.tree.topLevelItem(i), 0) for i in range(self.tree.topLevelItemCount())]
        while pending:
            item, depth = pending.pop()
            if item is None:
                continue
            if not item.isFirstColumnSpanned():
                text = QFontMetrics(item.font(0)).horizontalAdvance(item.text(0))
                widest = max(widest, text + self.tree.indentation() * (depth + 1))
            pending += [(item.child(i), depth + 1) for i in range(item.childCount())]
        room = self.tree.viewport().width()
        return max(160, min(widest + 24, room // 2))

    def _exports(self, exports: Sequence[Any]) -> None:
        """Each export: the conversations it added to (what was new, what was read, the
        lines that could not be read), or why it was not imported."""
        for e in exports:
            name = PurePath(e.path).name
            if e.problem:
                top = QTreeWidgetItem([name, f"Not imported: {e.problem}"])
                top.setToolTip(0, e.path)
                top.setToolTip(1, e.problem)
                self.tree.addTopLevelItem(top)
                self.sections.setdefault("export_failed", top)
                continue
            for c in e.conversations:
                top = QTreeWidgetItem([c.title or name, conversation_result(c, e.label)])
                top.setToolTip(0, e.path)
                top.setToolTip(1, top.text(1))
                font = top.font(0)
                font.setBold(True)
                top.setFont(0, font)
                self.tree.addTopLevelItem(top)
                for problem in c.problems:
                    child = QTreeWidgetItem(["Note", problem])
                    child.setToolTip(1, problem)
                    top.addChild(child)
                top.setExpanded(len(c.problems) <= 20)
                self.sections.setdefault("conversations", top)

    def _section(self, key: str, title: str, rows: list[ImportResult], result_text: object,
                 expand: bool) -> None:
        if not rows:
            return
        top = QTreeWidgetItem([title, ""])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.tree.addTopLevelItem(top)
        top.setFirstColumnSpanned(True)
        for r in rows:
            text = str(result_text(r))  # type: ignore[operator]
            item = QTreeWidgetItem([PurePath(r.path).name, text[:1].upper() + text[1:]])
            item.setToolTip(0, r.path)
            item.setToolTip(1, item.text(1))
            top.addChild(item)
        top.setExpanded(expand)
        self.sections[key] = top
