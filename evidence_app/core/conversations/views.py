"""What the conversation API hands out: conversations, participants, export files,
messages and the counts of a day or week, as frozen views; their labels; and how a
transcript cites message numbers ("341-355, 360")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

SOURCE_LABELS = {"whatsapp": "WhatsApp", "sms": "Text messages", "email": "Email",
                 "instagram": "Instagram", "messenger": "Facebook Messenger",
                 "telegram": "Telegram"}


TIME_BASIS_LABELS = {
    "exact": "exact time from the export",
    "offset": "local time with its UTC offset, as the export gives it",
    "export_zone": "local time in the zone given for the export",
    "case_zone": "local time, read in the case's time zone (the export gives none)",
}


CALL_STATUS_LABELS = {"answered": "", "missed": "missed", "rejected": "rejected",
                      "voicemail": "voicemail", "blocked": "blocked"}


PAGE = 200


@dataclass(frozen=True)
class ParticipantView:
    id: int
    name: str
    address: str
    person_id: int | None
    person_name: str
    is_owner: bool
    is_suspect: bool

    @property
    def label(self) -> str:
        """The name, with the number or address when it adds something."""
        if self.address and self.name and self.address != self.name:
            return f"{self.name} ({self.address})"
        return self.name or self.address or "Unknown"


@dataclass(frozen=True)
class ExportView:
    """An export file imported into the conversation: the exhibit that holds it."""

    id: int
    attachment_id: int
    exhibit_mark: str
    file_name: str
    sha256: str
    size: int
    importer: str
    imported_at: datetime
    messages_read: int
    messages_added: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ConversationView:
    id: int
    source: str
    title: str
    timezone: str
    message_count: int
    call_count: int
    first_at: datetime | None
    last_at: datetime | None
    participants: tuple[ParticipantView, ...]
    exports: tuple[ExportView, ...]
    deleted: bool = False

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def participant(self, participant_id: int | None) -> ParticipantView | None:
        return next((p for p in self.participants if p.id == participant_id), None)


@dataclass(frozen=True)
class MessageAttachment:
    """A file sent with a message: an exhibit of the case."""

    attachment_id: int
    exhibit_mark: str
    name: str  # as the export named it
    media_type: str
    kind: str  # photo, screenshot, image, file, ...
    sha256: str


@dataclass(frozen=True)
class MessageView:
    id: int
    conversation_id: int
    index: int
    sender_id: int | None
    sender_name: str
    sender_is_owner: bool
    sender_is_suspect: bool
    sent_at: datetime | None
    time_basis: str
    time_note: str
    kind: str  # text, call, system
    text: str
    subject: str
    call_number: str
    call_direction: str
    call_status: str
    call_seconds: int | None
    export_mark: str  # the exhibit mark of the export file it was read from
    source_line: int | None
    incident_id: int | None
    attachments: tuple[MessageAttachment, ...] = ()
    # Its number among the messages of its own export file (None: imported before it
    # was kept). `index` is its place in the conversation, which moves when a later
    # export slots earlier messages in; this never does.
    source_index: int | None = None
    # What the export says beyond the words (migration 0006): forwarded from whom ("" =
    # forwarded, origin not given; None = not forwarded), edited after it was sent (and
    # when, UTC, if said), taken back ("unsent") by its sender. `text` stays exact.
    forwarded_from: str | None = None
    edited: bool = False
    edited_at: datetime | None = None
    unsent: bool = False

    def marks(self, tz: str | None = None) -> list[str]:
        """What a reader is told beside the text: ["Forwarded from Mark", "Edited
        14/03/2025 22:20"], ["Unsent by the sender"]; [] for most messages."""
        out = []
        if self.forwarded_from is not None:
            out.append(f"Forwarded from {self.forwarded_from}" if self.forwarded_from
                       else "Forwarded")
        if self.edited:
            when = ""
            if self.edited_at is not None:
                at = self.edited_at.astimezone(ZoneInfo(tz)) if tz else self.edited_at
                when = " " + at.strftime("%d/%m/%Y %H:%M %Z")
            out.append(f"Edited{when}")
        if self.unsent:
            out.append("Unsent by the sender")
        return out

    @property
    def export_number(self) -> int:
        """The number a report cites for it with its export's mark ("JS/12, messages
        341-355"): its number in its own export file (its place in the conversation
        for messages imported before that was kept, as reports printed then)."""
        return self.source_index if self.source_index is not None else self.index

    @property
    def outgoing(self) -> bool:
        """Sent by the person keeping the case (drawn on the right, as phones do)."""
        return self.sender_is_owner

    def call_summary(self) -> str:
        """"Missed call from +44 7700 900123", "Outgoing call, 2 min 5 s"."""
        if self.kind != "call":
            return ""
        status = CALL_STATUS_LABELS.get(self.call_status, self.call_status)
        if status:
            head = f"{status.capitalize()} call"
        else:
            head = "Outgoing call" if self.call_direction == "outgoing" else "Incoming call"
        who = self.call_number or self.sender_name
        if who:
            head += (" to " if self.call_direction == "outgoing" else " from ") + who
        if self.call_seconds:
            m, s = divmod(self.call_seconds, 60)
            head += f", {m} min {s} s" if m else f", {s} s"
        return head

    def local(self, tz: str) -> datetime | None:
        return None if self.sent_at is None else self.sent_at.astimezone(ZoneInfo(tz))


@dataclass(frozen=True)
class DayCount:
    """Messages and calls on one local day (in the case's zone)."""

    day: date
    messages: int
    calls: int
    missed: int  # missed, rejected or blocked calls (part of `calls`)


@dataclass(frozen=True)
class DayProposal:
    """One incident Group by day suggests: a participant's messages and calls on a day."""

    day: date
    conversation_id: int
    participant_id: int | None
    message_ids: tuple[int, ...]
    messages: int
    calls: int
    missed: int
    first_at: datetime
    last_at: datetime
    first_index: int
    last_index: int
    label: str  # "23 messages and 4 missed calls, 14 March"
    title: str  # the incident title it would get


@dataclass(frozen=True)
class WeekCount:
    """Messages and calls of a week (Monday to Sunday, in the case's zone)."""

    week_start: date
    messages: int
    calls: int
    missed: int


def index_ranges(indexes: Iterable[int]) -> str:
    """"341-355, 360" from message indexes (how a transcript cites them)."""
    nums = sorted(set(indexes))
    parts: list[str] = []
    start = prev = None
    for n in [*nums, None]:
        if start is None:
            start = prev = n
            continue
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(parts)


def _missed(status: str) -> bool:
    return status in ("missed", "rejected", "blocked")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_counts(messages: int, calls: int, missed: int) -> str:
    """"23 messages and 4 missed calls", "1 message, 2 calls and 1 missed call"."""
    parts = []
    if messages:
        parts.append(_plural(messages, "message"))
    if calls - missed:
        parts.append(_plural(calls - missed, "call"))
    if missed:
        parts.append(_plural(missed, "missed call"))
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
