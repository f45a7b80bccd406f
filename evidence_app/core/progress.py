"""Progress events and cancel tokens shared by every long-running core generator.

Long work (import, report, OCR, verify, backup) is a generator yielding `Progress`;
the GUI runs it on a worker thread and the CLI prints it. Cancellation is cooperative.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


class CancelToken:
    """Set from any thread; checked by the worker between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Progress:
    """`done` of `total` steps; `message` names the current step; `item` is a result."""

    done: int
    total: int
    message: str = ""
    item: Any = None
