"""Where a case gets the time it stamps on records and audit events.

A case takes its clock as a parameter (`system_clock` unless told otherwise). The sample
case, which is written as if kept over months, and tests that need known times pass a
`SetClock` instead; nothing else can backdate a record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""A function giving the current time, aware, in UTC."""


def system_clock() -> datetime:
    """The computer's time, aware, in UTC."""
    return datetime.now(UTC)


class SetClock:
    """A clock that shows whatever time it was last set to (for the demo and tests);
    set to None, it follows the computer's time again."""

    def __init__(self, moment: datetime | None = None) -> None:
        self._now: datetime | None = None
        self.set(moment)

    def set(self, moment: datetime | None) -> None:
        """Show `moment` (an aware datetime) from now on, or the real time with None."""
        if moment is not None and moment.tzinfo is None:
            raise ValueError("an aware datetime is required")
        self._now = None if moment is None else moment.astimezone(UTC)

    def __call__(self) -> datetime:
        return self._now if self._now is not None else system_clock()
