"""File › Import diary from spreadsheet: a preview of how each row will be read (and which
rows cannot be), then one import of the readable rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.dates import format_when
from evidence_app.core.importers.diary_csv import (
    DiaryImportResult,
    DiaryPreview,
    DiaryRow,
    import_diary,
    mark_existing,
    read_diary,
)
from evidence_app.core.vocab import category_label
from evidence_app.gui.messages import show_error
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.text import plural

Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Line", "Will be recorded as", "Title", "Type", "Where", "Notes on this row"]


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
            return str(row.line)
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
    def __init__(self, ops: CaseOps, path: Path, preview: DiaryPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.path, self.preview = ops, path, preview
        self.result_: DiaryImportResult | None = None
        self._importing = False
        self.setWindowTitle(f"Import diary: {path.name}")
        fit_to_screen(self, 980, 600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        bad, already = len(preview.invalid), len(preview.already)
        good = len(preview.valid) - already
        head = QLabel(f"<b>{plural(len(preview.rows), 'row')} found.</b> "
                      f"{plural(good, 'row')} can be imported"
                      + (f"; {plural(already, 'row')} {'is' if already == 1 else 'are'} "
                         "already in the case (shown in grey) and will be left out"
                         if already else "")
                      + (f"; <span style='color:#b23b3b'>{plural(bad, 'row')} cannot be read "
                         "(shown in red)</span>." if bad else "."))
        head.setWordWrap(True)
        layout.addWidget(head)
        columns = ", ".join(f"“{k}” as {v.replace('_', ' ')}" for k, v in preview.columns.items())
        info = QLabel(f"Columns used: {columns}."
                      + (f" Not used: {', '.join(preview.ignored)}." if preview.ignored else ""))
        info.setObjectName("muted")
        info.setWordWrap(True)
        layout.addWidget(info)
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
        if bad:
            note = QLabel("Rows that cannot be read are left out. Fix them in the spreadsheet "
                          "and import that file again later if you need them.")
            note.setWordWrap(True)
            note.setObjectName("muted")
            layout.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        text = ("Nothing new to import" if not good else
                f"Import the {plural(good, 'readable row')}" if bad else
                f"Import {plural(good, 'new incident')}" if already else
                f"Import {plural(good, 'incident')}")
        self.import_button = QPushButton(text)
        self.import_button.setObjectName("primary")
        self.import_button.setAccessibleName("Import")
        self.import_button.setEnabled(good > 0)
        self.import_button.clicked.connect(self._import)
        row.addWidget(self.import_button)
        layout.addLayout(row)

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
        parent = self.parentWidget()
        status = getattr(parent, "statusBar", None)
        if callable(status):
            status().showMessage(f"Imported {plural(result.imported, 'incident')} from "
                                 f"{self.path.name}.", 10000)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._importing = False
        show_error(self, "The diary was not imported", exc)
        self.import_button.setEnabled(True)
        self.import_button.setText("Import")


def open_diary_preview(ops: CaseOps, path: Path, tz: str, parent: QWidget) -> None:
    """Read the file on a worker, then show the preview dialog."""
    def show(preview: DiaryPreview) -> None:
        dialog = DiaryImportDialog(ops, path, preview, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def failed(exc: BaseException) -> None:
        show_error(parent, "The diary cannot be read", exc)

    ops.read(lambda case: mark_existing(case, read_diary(path, tz)), on_done=show,
             on_error=failed)


def choose_and_import_diary(ops: CaseOps, tz: str, parent: QWidget) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Choose your diary (a spreadsheet saved as CSV)", "",
        "Spreadsheet saved as CSV (*.csv *.txt);;All files (*)")
    if name:
        open_diary_preview(ops, Path(name), tz, parent)
