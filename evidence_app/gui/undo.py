"""Undo commands for changes that already happened when they are pushed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class DoneCommand(QUndoCommand):
    """A change already made; undo/redo queue the reverse/forward operation."""

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._redo, self._undo, self._fresh = redo, undo, True

    def redo(self) -> None:
        if self._fresh:  # QUndoStack.push calls redo(); the change is already done
            self._fresh = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()
