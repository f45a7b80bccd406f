"""SQLAlchemy 2 typed models: the domain entities stored in `case.db`.

All datetimes are stored as naive UTC text and returned as aware UTC (`UTCDateTime`);
the IANA zone where an incident happened is kept beside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


incident_people = Table(
    "incident_people",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)

incident_vehicles = Table(
    "incident_vehicles",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("vehicle_id", ForeignKey("vehicles.id", ondelete="CASCADE"), primary_key=True),
)

incident_tags = Table(
    "incident_tags",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class CaseSettings(Base):
    """One row: who the case belongs to and how exhibits are marked."""

    __tablename__ = "case_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_uuid: Mapped[str] = mapped_column(String(36))
    case_name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(200))
    initials: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    next_exhibit_serial: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]


class Incident(Base):
    """Something that happened, with when, where, what and its effect."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime | None] = mapped_column(index=True)
    occurred_end: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    precision: Mapped[str] = mapped_column(String(16), default="exact")
    title: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32), default="other")
    suspect_appearance: Mapped[str] = mapped_column(Text, default="")
    suspect_voice: Mapped[str] = mapped_column(Text, default="")
    suspect_clothing: Mapped[str] = mapped_column(Text, default="")
    witnesses: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    police_reference: Mapped[str] = mapped_column(String(100), default="")
    police_officer: Mapped[str] = mapped_column(String(200), default="")
    reported_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    notes: Mapped[list[Note]] = relationship(back_populates="incident", order_by="Note.created_at")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="incident")
    people: Mapped[list[Person]] = relationship(secondary=incident_people, back_populates="incidents")
    vehicles: Mapped[list[Vehicle]] = relationship(
        secondary=incident_vehicles, back_populates="incidents"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=incident_tags, back_populates="incidents")


class Person(Base):
    """A suspect, witness, officer or anyone else linked to incidents."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="other")
    description: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    relation: Mapped[str] = mapped_column(Text, default="")  # to the person: "former partner"
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    incidents: Mapped[list[Incident]] = relationship(
        secondary=incident_people, back_populates="people"
    )


class Vehicle(Base):
    """A vehicle seen in incidents; `plate_key` is the plate without spaces, upper case."""

    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    make: Mapped[str] = mapped_column(String(100), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    colour: Mapped[str] = mapped_column(String(100), default="")
    plate: Mapped[str] = mapped_column(String(32), default="")
    plate_key: Mapped[str] = mapped_column(String(32), default="", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    incidents: Mapped[list[Incident]] = relationship(
        secondary=incident_vehicles, back_populates="vehicles"
    )


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    incidents: Mapped[list[Incident]] = relationship(secondary=incident_tags, back_populates="tags")


class Attachment(Base):
    """One imported original file. The bytes live in the blob store under `sha256`."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    exhibit_serial: Mapped[int] = mapped_column(Integer, unique=True)
    exhibit_mark: Mapped[str] = mapped_column(String(32), unique=True)
    original_name: Mapped[str] = mapped_column(Text)
    original_path: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    kind: Mapped[str] = mapped_column(String(16), default="file")  # photo, screenshot, image, file
    width: Mapped[int | None]
    height: Mapped[int | None]
    orientation: Mapped[int | None]
    captured_at: Mapped[datetime | None] = mapped_column(index=True)
    captured_offset: Mapped[str] = mapped_column(String(8), default="")
    captured_from: Mapped[str] = mapped_column(String(16), default="")
    captured_note: Mapped[str] = mapped_column(Text, default="")
    camera_make: Mapped[str] = mapped_column(String(100), default="")
    camera_model: Mapped[str] = mapped_column(String(100), default="")
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_lon: Mapped[float | None] = mapped_column(Float)
    gps_alt: Mapped[float | None] = mapped_column(Float)
    caption: Mapped[str] = mapped_column(Text, default="")
    preview: Mapped[bool] = mapped_column(Boolean, default=True)
    preview_error: Mapped[str] = mapped_column(Text, default="")
    file_mtime: Mapped[datetime | None]
    imported_at: Mapped[datetime]
    ocr_status: Mapped[str] = mapped_column(String(16), default="")  # "", pending, done, failed
    ocr_text: Mapped[str] = mapped_column(Text, default="")
    ocr_corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None]

    incident: Mapped[Incident | None] = relationship(back_populates="attachments")


class Note(Base):
    """Timestamped text on an incident; private notes stay out of reports by default."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    incident: Mapped[Incident] = relationship(back_populates="notes")


class Impact(Base):
    """One effect on the person (vocab.ImpactKind), on one incident or, with no
    incident, on the case as a whole; at most one live row of a kind per incident."""

    __tablename__ = "impacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    since: Mapped[date | None] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text, default="")
    amount_pence: Mapped[int | None] = mapped_column(Integer)  # money spent, GBP
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only, hash-chained record of every change (triggers refuse UPDATE/DELETE)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None]
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


# --------------------------------------------------------------------------- messages
# Chat exports, text-message backups, call logs and mail (migration 0004).

class Conversation(Base):
    """One conversation imported from exports: a WhatsApp chat, an SMS thread with one
    number, a mailbox's thread, an Instagram/Messenger/Telegram chat."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # whatsapp, sms, email, instagram, ...
    title: Mapped[str] = mapped_column(String(500), default="")
    # What identifies the same conversation in a later, longer export (the chat's name,
    # the other number, the thread id); with `source`, how a re-import finds it.
    source_key: Mapped[str] = mapped_column(String(500), default="", index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    participants: Mapped[list[Participant]] = relationship(
        back_populates="conversation", order_by="Participant.id")
    exports: Mapped[list[ConversationExport]] = relationship(
        back_populates="conversation", order_by="ConversationExport.id")


class Participant(Base):
    """Someone in a conversation as the export names them; `is_owner` marks the person
    keeping the case, `is_suspect` a suspect; `person_id` links them to People."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(String(500), default="")  # number, e-mail, handle
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    is_suspect: Mapped[bool] = mapped_column(Boolean, default=False)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")


class ConversationExport(Base):
    """One export file imported into a conversation (itself an exhibit, with its hash),
    what it added and what could not be read in it."""

    __tablename__ = "conversation_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), index=True)
    importer: Mapped[str] = mapped_column(String(32))
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON: date order, zone, ...
    imported_at: Mapped[datetime]
    messages_read: Mapped[int] = mapped_column(Integer, default=0)
    messages_added: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences

    conversation: Mapped[Conversation] = relationship(back_populates="exports")


class Message(Base):
    """One message, call or system line of a conversation, as the export holds it.

    `idx` is its place in the conversation (1, 2, ...): by time, then the order of the
    export it came from. A later export holding earlier messages slots them in by their
    time and the numbers after them move up (importers/chat.py); what a report cites is
    `source_index`, the message's number in its own export file, which never changes
    (NULL for messages imported before it was kept: the report then cites `idx`, as it
    did when they were imported). `sent_at` is
    UTC and `time_basis` says how the time is known: "exact" (the export gives the
    instant), "offset" (a local time with its UTC offset, as mail does), "export_zone"
    (a local time read in the zone given for the export) or "case_zone" (a local time
    read in the case's zone because the export says none); `time_note` explains a time
    on a clock-change night. `source_line` is the line (or entry number) in the export
    file `source_export_id` where it was read.
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None]
    time_basis: Mapped[str] = mapped_column(String(16), default="case_zone")
    time_note: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(8), default="text")  # text, call, system
    text: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")  # mail
    call_number: Mapped[str] = mapped_column(String(64), default="")
    call_direction: Mapped[str] = mapped_column(String(8), default="")  # incoming, outgoing
    call_status: Mapped[str] = mapped_column(String(16), default="")  # answered, missed,
    # rejected, voicemail, blocked
    call_seconds: Mapped[int | None]
    source_export_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_exports.id", ondelete="SET NULL"))
    source_line: Mapped[int | None]
    source_index: Mapped[int | None]  # 1-based number among the export's messages
    # What the export says beyond the words (migration 0006): forwarded from whom ("" =
    # forwarded, origin not given; None = not said to be forwarded), changed after it
    # was sent (and when, UTC, if said), taken back by its sender. The text stays exact.
    forwarded_from: Mapped[str | None] = mapped_column(Text)
    edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_text("0"))
    edited_at: Mapped[datetime | None]
    unsent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_text("0"))
    # The message's identity: what another export of the same conversation gives again
    # (importers/chat.py `identity`): compared in memory within the importing
    # transaction, so it needs no index.
    dedupe_key: Mapped[str] = mapped_column(String(64))
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ux_messages_conversation_idx", "conversation_id", "idx", unique=True),
        Index("ix_messages_conversation_sent", "conversation_id", "sent_at"),
        # Most messages are in no incident: only those that are take room in the index
        # (and an import of 100,000 adds nothing to it).
        Index("ix_messages_incident_id", "incident_id",
              sqlite_where=sql_text("incident_id IS NOT NULL")),
    )


message_attachments = Table(
    "message_attachments",
    Base.metadata,
    Column("message_id", ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, nullable=False, default=""),  # the name the export gave it
    Index("ix_message_attachments_attachment_id", "attachment_id"),
)
