"""What the two reviews of proposed incidents share ("Group by time" for files,
dialogs/group_review.py; "Group by day" for messages, dialogs/group_by_day.py): a heading
over the scope, a list of proposed incidents that can be unticked and renamed in place,
a note that nothing is made until the button is pressed, and that button ("Create 3
incidents"). Enter while renaming finishes the rename; it never presses Create.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.look import heading, muted
from evidence_app.gui.screen_fit import fit_to_screen


class ProposalReview(QDialog):
    """The frame: subclasses add their own controls between `add_heading` and
    `add_tree`, and end with `add_buttons`."""

    def __init__(self, title: str, width: int, height: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, width, height)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 18, 20, 14)
        self.body.setSpacing(10)

    def add_heading(self, text: str, scope: str, wrap: bool = False) -> None:
        self.body.addWidget(heading(QLabel(text), 1.15))
        scope_label = muted(QLabel(scope))
        scope_label.setWordWrap(wrap)
        self.body.addWidget(scope_label)

    def add_tree(self, last_column: str) -> QTreeWidget:
        """The proposed incidents: title (editable), when, and what each holds."""
        tree = self.tree = QTreeWidget()
        tree.setColumnCount(3)
        tree.setHeaderLabels(["New incident (click a title to rename it)", "When",
                              last_column])
        tree.setAlternatingRowColors(True)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.SelectedClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        tree.setAccessibleName("Proposed incidents")
        self.body.addWidget(tree, 1)
        return tree

    def add_buttons(self, note: str) -> None:
        """The note that nothing is made yet, then Create and Cancel."""
        self.body.addWidget(muted(QLabel(note)))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body.addWidget(self.buttons)

    def show_count(self, n: int) -> None:
        self.create_button.setText(f"Create {n} incident{'s' if n != 1 else ''}")
        self.create_button.setEnabled(n > 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter after renaming finishes the rename; it must not also press "Create" (the
        # dialog's default button) behind the person's back.
        focus = self.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and focus is not None and (
                focus is self.tree or self.tree.isAncestorOf(focus)):
            event.accept()
            return
        super().keyPressEvent(event)


def proposal_item(texts: list[str], ticked: bool, tip: str) -> QTreeWidgetItem:
    """One proposed incident: renamed in place, unticked to leave it out."""
    item = QTreeWidgetItem(texts)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
    item.setToolTip(0, tip)
    return item
