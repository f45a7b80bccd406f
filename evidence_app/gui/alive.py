"""Callbacks that arrive after their widget has gone are dropped, not crashed on.

A reader or writer thread may answer after the person closed the window that asked;
wrapping the callback with `while_alive(widget, fn)` makes that answer a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


def while_alive(owner: QObject, fn: Callable[..., Any]) -> Callable[..., None]:
    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            fn(*args)
    return call
