"""The frame File › Back up now and File › Restore a backup share: a few sentences of
introduction, rows of a path with a button to choose it, a progress bar that shows only
while the work runs, a line saying the result in words (red when it failed), and the
action button beside Close, which reads Cancel while the work runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.screen_fit import fit_to_screen

RED = "color: #b3261e;"


class TaskDialog(QDialog):
    """Subclasses lay out their rows between `__init__` (title, intro) and
    `add_progress` (bar, result line), then call `add_buttons`; they say whether work is
    running and how to stop it (`running`, `cancel_running`)."""

    def __init__(self, title: str, size: tuple[int, int], intro: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, *size)
        layout = self.body = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)

    def add_path_row(self, edit: QLineEdit, button_text: str,
                     on_click: Callable[[], None]) -> QPushButton:
        """A path field and, beside it, the button that chooses one."""
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        button = QPushButton(button_text)
        button.clicked.connect(on_click)
        row.addWidget(button)
        self.body.addLayout(row)
        return button

    def add_progress(self, name: str) -> None:
        """The progress bar (hidden until the work starts) and the result line."""
        self.bar = QProgressBar()
        self.bar.setAccessibleName(name)
        self.bar.hide()
        self.body.addWidget(self.bar)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.result_label)
        self.body.addStretch(1)

    def add_buttons(self, action_text: str, on_action: Callable[[], None],
                    *others: QPushButton) -> QPushButton:
        """The action button (the default; off until there is something to do), any
        other buttons, and Close."""
        buttons = QDialogButtonBox()
        action = QPushButton(action_text)
        action.setDefault(True)
        action.setEnabled(False)
        action.clicked.connect(on_action)
        buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        for other in others:
            buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.close)
        self.body.addWidget(buttons)
        return action

    def begin(self, text: str) -> None:
        """The work starts: Close becomes Cancel, the bar runs, the result line says so."""
        self.close_button.setText("Cancel")
        self.bar.show()
        self.bar.setRange(0, 0)
        self.result_label.setStyleSheet("")
        self.result_label.setText(text)

    def _progress(self, event: Any) -> None:
        if event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(event.done)
        self.result_label.setText(str(event.message))

    def show_full_bar(self) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(1)

    def show_failure(self, exc: BaseException) -> None:
        """The work failed: why, in words, in red."""
        from evidence_app.gui.messages import describe

        self.bar.hide()
        self.result_label.setText(describe(exc))
        self.result_label.setStyleSheet(RED)

    # -- stopping: Close (and the window's close button) cancels running work first --------
    def running(self) -> bool:
        raise NotImplementedError

    def cancel_running(self) -> None:
        raise NotImplementedError

    def close(self) -> bool:
        if self.running():
            self.cancel_running()
            return False
        return super().close()

    def closing(self) -> None:
        """The window is closing (running work was asked to stop): let go of what it
        holds."""

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if self.running():
            self.cancel_running()
        self.closing()
        super().closeEvent(event)
