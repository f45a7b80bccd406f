"""Review a "Group by day" proposal for a conversation before any incident is created.

The person chooses whose messages and calls to group (a suspect by default), sees one
proposed incident per day ("23 messages and 4 missed calls, 14 March"), unticks days
they do not want and renames the rest; nothing is written until they press Create.
The same review as "Group by time" for files (dialogs/group_review.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTreeWidgetItem, QWidget

from evidence_app.gui.alive import while_alive
from evidence_app.gui.dialogs.proposal_review import ProposalReview, proposal_item
from evidence_app.gui.look import muted
from evidence_app.gui.tasks import CaseOps


class Proposal(Protocol):
    """What core proposes for one day (core.conversations.DayProposal)."""

    @property
    def day(self) -> Any: ...
    @property
    def message_ids(self) -> tuple[int, ...]: ...
    @property
    def first_at(self) -> datetime: ...
    @property
    def last_at(self) -> datetime: ...
    @property
    def label(self) -> str: ...
    @property
    def title(self) -> str: ...


def _span(p: Proposal, tz: str) -> str:
    zone = ZoneInfo(tz)
    first, last = p.first_at.astimezone(zone), p.last_at.astimezone(zone)
    day = f"{first:%a} {first.day} {first:%B %Y}"
    if (first.hour, first.minute) == (last.hour, last.minute):
        return f"{day}, {first:%H:%M}"
    return f"{day}, {first:%H:%M} to {last:%H:%M}"


class GroupByDayDialog(ProposalReview):
    """Open with `open()`; when accepted, `chosen()` lists the proposals kept, each with
    the title the person gave it.

    `senders` are (participant id or None, label) for the list of whose messages to
    group, the first chosen at the start; `load(case, participant_id)` runs on a reader
    thread and returns the proposals.
    """

    def __init__(self, ops: CaseOps, senders: list[tuple[int | None, str]],
                 load: Callable[[Any, int | None], list[Any]], tz: str, scope: str,
                 parent: QWidget | None = None) -> None:
        super().__init__("Group by day", 760, 540, parent)
        self.ops = ops
        self.load = load
        self.tz = tz
        self.proposals: list[Any] = []
        self._titles: dict[tuple[int | None, Any], str] = {}  # renames survive a reload
        self._ticks: dict[tuple[int | None, Any], bool] = {}
        self._generation = 0

        self.add_heading("Make one incident for each day of messages and calls", scope,
                         wrap=True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Messages and calls from"))
        self.who = QComboBox()
        self.who.setAccessibleName("Whose messages and calls to group")
        for participant_id, label in senders:
            self.who.addItem(label, participant_id)
        row.addWidget(self.who, 1)
        self.body.addLayout(row)
        self.add_tree("Holds").setRootIsDecorated(False)
        self.status = muted(QLabel())
        self.status.setWordWrap(True)
        self.body.addWidget(self.status)
        self.add_buttons("Untick any day you do not want. Nothing is created until you press "
                         "the button below; messages already in an incident are left where "
                         "they are.")

        self.who.currentIndexChanged.connect(lambda _i: self.reload())
        self.tree.itemChanged.connect(self._item_changed)
        self.reload()

    @property
    def participant(self) -> int | None:
        data = self.who.currentData()
        return data if isinstance(data, int) else None

    # -- building the proposal -----------------------------------------------------
    def reload(self) -> None:
        self._generation += 1
        gen = self._generation
        self.tree.clear()
        self.proposals = []
        self.status.setText("Reading the conversation\u2026")
        self._update_button()
        participant = self.participant
        self.ops.read(self.load, participant,
                      on_done=while_alive(self, lambda found: self._loaded(gen, found)),
                      on_error=while_alive(self, lambda exc: self._failed(gen, exc)))

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.status.setText(f"The messages could not be read: {exc}")

    def _loaded(self, gen: int, proposals: list[Any]) -> None:
        if gen != self._generation:
            return
        person = self.participant
        self.proposals = [dataclasses.replace(p, title=self._titles.get((person, p.day), p.title))
                          for p in proposals]
        self.tree.blockSignals(True)
        self.tree.clear()
        for i, p in enumerate(self.proposals):
            item = proposal_item([p.title, _span(p, self.tz), p.label.rsplit(", ", 1)[0]],
                                 self._ticks.get((person, p.day), True),
                                 "Click to rename; untick to leave these messages out")
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        n = len(self.proposals)
        self.status.setText(
            f"{n} day{'s' if n != 1 else ''} with messages or calls not yet in an incident."
            if n else "Every message and call from them is already in an incident, or "
                      "there are none.")
        self._update_button()

    # -- the person's choices ------------------------------------------------------
    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        i = item.data(0, Qt.ItemDataRole.UserRole)
        if not isinstance(i, int) or i >= len(self.proposals):
            return
        p = self.proposals[i]
        key = (self.participant, p.day)
        title = item.text(0).strip()
        if title and title != p.title:
            self.proposals[i] = dataclasses.replace(p, title=title)
            self._titles[key] = title
        self._ticks[key] = item.checkState(0) == Qt.CheckState.Checked
        self._update_button()

    def _ticked(self) -> list[int]:
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [i for i, item in enumerate(items)
                if item is not None and item.checkState(0) == Qt.CheckState.Checked]

    def _update_button(self) -> None:
        self.show_count(len(self._ticked()))

    def chosen(self) -> list[Any]:
        return [self.proposals[i] for i in self._ticked()]
