"""Opening and creating cases with everything derived from them kept in step.

This is where a case is put together: the storage (`core.store.Case`) with the derived
data every write must refresh in its own transaction (the search index). Everything
that opens a case (the GUI, the CLI, the demo, tests, benchmarks) comes through here,
so no caller can open a case whose search index silently falls behind.
"""

from __future__ import annotations

from pathlib import Path

from evidence_app.core.search.index import SEARCH_INDEX
from evidence_app.core.settings import first_settings
from evidence_app.core.store.case import Case, DerivedData, is_case_folder
from evidence_app.core.store.clock import Clock, system_clock

__all__ = ["Case", "create_case", "is_case_folder", "open_case"]

DERIVED: tuple[DerivedData, ...] = (SEARCH_INDEX,)


def open_case(folder: Path, *, clock: Clock = system_clock,
              read_only: bool | None = None) -> Case:
    """Open an existing case folder (see `Case.open` for what can go wrong); read-only
    when asked or when it cannot be written."""
    return Case.open(folder, derived=DERIVED, clock=clock, read_only=read_only)


def create_case(folder: Path, *, owner_name: str, initials: str, case_name: str = "",
                timezone: str = "Europe/London", address: str = "", contact: str = "",
                clock: Clock = system_clock) -> Case:
    """Make a new case folder (empty or not yet existing) and open it."""
    settings = first_settings(owner_name=owner_name, initials=initials, case_name=case_name,
                              timezone=timezone, address=address, contact=contact)
    return Case.create(folder, settings=settings, derived=DERIVED, clock=clock)
