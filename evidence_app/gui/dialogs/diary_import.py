"""File › Import diary from spreadsheet: a preview of how each row will be read (and which
rows cannot be), then one import of the readable rows."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.dates import format_when
from evidence_app.core.errors import UserError
from evidence_app.core.importers.diary_csv import (
    FIELD_CHOICES,
    DiaryImportResult,
    DiaryPreview,
    DiaryRow,
    import_diary,
    mark_existing,
    read_diary,
)
from evidence_app.core.vocab import category_label
from evidence_app.gui.alive import while_alive
from evidence_app.gui.messages import show_error
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural

Index = QModelIndex | QPersistentModelIndex
# "Row" as the spreadsheet numbers it (the header is row 1): the row the report names.
HEADERS = ["Row", "Will be recorded as", "Title", "Type", "Where", "Notes on this row"]


class PreviewModel(QAbstractTableModel):
    def __init__(self, preview: DiaryPreview) -> None:
        super().__init__()
        self.rows: list[DiaryRow] = preview.rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.BackgroundRole and row.error:
            return QColor(220, 80, 60, 40)
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and row.error:
            return QColor("#b23b3b")
        if role == Qt.ItemDataRole.ForegroundRole and row.existing is not None:
            return QColor(128, 128, 128)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == 0:
            return str(row.row or row.line)
        if row.values is None:
            raw = row.raw
            texts = ["", raw.get("title") or raw.get("description", "")[:60], raw.get("category", ""),
                     raw.get("location", ""), f"Cannot be read: {row.error}"]
            if col == 1:
                return " ".join(p for p in (raw.get("date", ""), raw.get("time", "")) if p)
            return texts[col - 1]
        v = row.values
        if col == 1:
            return format_when(v["occurred_at"], v["occurred_end"], v["precision"], v["timezone"])
        if col == 2:
            return v["title"]
        if col == 3:
            return category_label(v["category"])
        if col == 4:
            return v["location"]
        if row.existing is not None:
            return "Already in the case: left out"
        extras = list(row.warnings)
        if row.tags:
            extras.append("tags: " + ", ".join(row.tags))
        if row.note:
            extras.append("with a note")
        return "; ".join(extras) or "OK"


class DiaryImportDialog(QDialog):
    """How each row will be read, which column goes where (the person may change it),
    then one import of the readable rows."""

    def __init__(self, ops: CaseOps, path: Path, preview: DiaryPreview,
                 parent: QWidget | None = None, *, tz: str = "Europe/London",
                 settings: AppSettings | None = None) -> None:
        super().__init__(parent)
        self.ops, self.path, self.tz, self.settings = ops, path, tz, settings
        self.preview = preview
        self.result_: DiaryImportResult | None = None
        self._importing = False
        self._reading = 0  # the newest re-read asked for; older answers are dropped
        self.setWindowTitle(f"Import diary: {path.name}")
        fit_to_screen(self, 980, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        self.head = QLabel()
        self.head.setWordWrap(True)
        layout.addWidget(self.head)
        layout.addWidget(QLabel("<b>Your columns.</b> Check where each one goes; choose "
                                "another place from its list if it is wrong."))
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column in your file", "Goes to",
                                                "First entry"])
        self.columns.setAccessibleName("Where each column of the diary goes")
        self.columns.verticalHeader().hide()
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        cols = self.columns.horizontalHeader()
        cols.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        cols.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        cols.setStretchLastSection(True)
        self.columns.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the lists take the focus
        layout.addWidget(self.columns)
        self.table = QTableView()
        self.table.setModel(PreviewModel(preview))
        self.table.setAccessibleName("Preview of the diary rows")
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Narrow enough that "Notes on this row" (why a row cannot be read) has room.
        for col, width in enumerate((44, 170, 220, 130, 120)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        self.bad_note = QLabel("Rows that cannot be read are left out. Fix them in the "
                               "spreadsheet and import that file again later if you need them.")
        self.bad_note.setWordWrap(True)
        self.bad_note.setObjectName("muted")
        layout.addWidget(self.bad_note)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        self.import_button = QPushButton()
        self.import_button.setObjectName("primary")
        self.import_button.setAccessibleName("Import")
        self.import_button.clicked.connect(self._import)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self._show_preview(preview)

    # -- what the file holds ---------------------------------------------------------
    def _show_preview(self, preview: DiaryPreview) -> None:
        self.preview = preview
        bad, already = len(preview.invalid), len(preview.already)
        good = len(preview.valid) - already
        self.head.setText(
            f"<b>{plural(len(preview.rows), 'row')} found.</b> "
            f"{plural(good, 'row')} can be imported"
            + (f"; {plural(already, 'row')} {'is' if already == 1 else 'are'} "
               "already in the case (shown in grey) and will be left out" if already else "")
            + (f"; <span style='color:#b23b3b'>{plural(bad, 'row')} cannot be read "
               "(shown in red)</span>." if bad else "."))
        self._show_columns(preview)
        self.table.setModel(PreviewModel(preview))
        self.bad_note.setVisible(bool(bad))
        self.import_button.setText(
            "Nothing new to import" if not good else
            f"Import the {plural(good, 'readable row')}" if bad else
            f"Import {plural(good, 'new incident')}" if already else
            f"Import {plural(good, 'incident')}")
        self.import_button.setEnabled(good > 0)

    def _show_columns(self, preview: DiaryPreview) -> None:
        assignment = preview.assignment()
        self.columns.setRowCount(len(assignment))
        for i, (label, key) in enumerate(assignment.items()):
            name = QTableWidgetItem(label)
            self.columns.setItem(i, 0, name)
            combo = self.columns.cellWidget(i, 1)
            if not isinstance(combo, QComboBox):
                combo = QComboBox()
                combo.addItem("Not used", "")
                for field_key, words in FIELD_CHOICES.items():
                    combo.addItem(words, field_key)
                combo.setAccessibleName(f"Where the column {label} goes")
                combo.currentIndexChanged.connect(self._columns_changed)
                self.columns.setCellWidget(i, 1, combo)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(key)))
            combo.blockSignals(False)
            sample = preview.first_values[i] if i < len(preview.first_values) else ""
            first = QTableWidgetItem(" ".join(sample.split())[:80])
            if not key:
                for item in (name, first):
                    item.setForeground(self.palette().placeholderText())
            self.columns.setItem(i, 2, first)
        # Tall enough for every column up to six; more scroll.
        shown = min(len(assignment), 6)
        self.columns.setFixedHeight(self.columns.horizontalHeader().height() + 2
                                    * self.columns.frameWidth() + sum(
                                        self.columns.rowHeight(r) for r in range(shown)))

    def assignment(self) -> dict[str, str]:
        """What the lists say now: column label -> field ('' for not used)."""
        labels = list(self.preview.assignment())
        chosen = {}
        for i, label in enumerate(labels):
            combo = self.columns.cellWidget(i, 1)
            if isinstance(combo, QComboBox):
                chosen[label] = str(combo.currentData())
        return chosen

    def _columns_changed(self) -> None:
        """Read the file again with the columns where the person put them."""
        assign = self.assignment()
        self._reading += 1
        asked = self._reading
        self.import_button.setEnabled(False)
        self.import_button.setText("Reading the diary again\u2026")
        path, tz = self.path, self.tz

        def shown(preview: DiaryPreview) -> None:
            if asked == self._reading:
                self._show_preview(preview)

        def failed(exc: BaseException) -> None:
            if asked == self._reading:
                show_error(self, "The diary cannot be read that way", exc)
                self._show_preview(self.preview)

        self.ops.read(lambda case: mark_existing(case, read_diary(path, tz, assign)),
                      on_done=while_alive(self, shown), on_error=while_alive(self, failed))

    def reject(self) -> None:
        if not self._importing:  # the import is one transaction; let it finish
            super().reject()

    def _import(self) -> None:
        self._importing = True
        self.import_button.setEnabled(False)
        self.import_button.setText("Importing…")
        self.ops.op(import_diary, self.preview, skip_invalid=True, on_done=self._done,
                    on_error=self._failed)

    def _done(self, result: DiaryImportResult) -> None:
        self._importing = False
        self.result_ = result
        if self.settings is not None and self.preview.headers:
            self.settings.remember_diary_columns(self.preview.header_key,
                                                 self.preview.assignment())
        parent = self.parentWidget()
        status = getattr(parent, "statusBar", None)
        if callable(status):
            kept = (f"; the diary itself is kept as exhibit {result.exhibit}"
                    if result.exhibit else "")
            status().showMessage(f"Imported {plural(result.imported, 'incident')} from "
                                 f"{self.path.name}{kept}.", 10000)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._importing = False
        show_error(self, "The diary was not imported", exc)
        self.import_button.setEnabled(True)
        self.import_button.setText("Import")


def read_as_before(path: Path, tz: str, layouts: dict[str, dict[str, str]]) -> DiaryPreview:
    """Worker side: read the diary, with the columns where the person put them the last
    time a file with the same column names was imported."""
    preview = read_diary(path, tz)
    saved = layouts.get(preview.header_key)
    if saved and saved != preview.assignment():
        # What was remembered may no longer read (no date column): then as named.
        with contextlib.suppress(UserError):
            preview = read_diary(path, tz, saved)
    return preview


def open_diary_preview(ops: CaseOps, path: Path, tz: str, parent: QWidget,
                       settings: AppSettings | None = None) -> None:
    """Read the file on a worker, then show the preview dialog."""
    def show(preview: DiaryPreview) -> None:
        dialog = DiaryImportDialog(ops, path, preview, parent, tz=tz, settings=settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def failed(exc: BaseException) -> None:
        show_error(parent, "The diary cannot be read", exc)

    layouts = settings.diary_layouts() if settings is not None else {}
    ops.read(lambda case: mark_existing(case, read_as_before(path, tz, layouts)), on_done=show,
             on_error=failed)


def choose_and_import_diary(ops: CaseOps, tz: str, parent: QWidget,
                            settings: AppSettings | None = None) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Choose your diary (a spreadsheet saved as CSV)", "",
        "Spreadsheet saved as CSV (*.csv *.txt);;All files (*)")
    if name:
        open_diary_preview(ops, Path(name), tz, parent, settings)
