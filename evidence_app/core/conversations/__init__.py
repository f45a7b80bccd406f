"""Conversations and messages: read them a page at a time, count them by day, make
incidents from them, and say who is who. Every write is one unit of work with its audit
events; the importers (core/importers/whatsapp.py, ...) add the messages.

Messages are read by their place in the conversation (`index`, 1, 2, ...: by time, then
the order of the export they came from), so a view of 100,000 messages reads only the
rows it shows (keyset paging on the unique (conversation, index) key). A later export
holding earlier messages slots them in and moves the indexes after them up (see
importers/chat.py); what a report cites is `MessageView.export_number`, the message's
number in its own export file, which never changes. Times are UTC; days and labels are
in the case's time zone.

The package, by responsibility: `views` (what it hands out, labels), `reading`
(conversations and messages a page at a time), `days` (counts by day and week, Group by
day), `incidents` (incidents made from messages), `participants` (who is who, titles,
trash). Everything public is importable from `evidence_app.core.conversations`.
"""

from __future__ import annotations

from evidence_app.core.conversations.days import (
    day_counts,
    day_start,
    propose_days,
    week_counts,
)
from evidence_app.core.conversations.incidents import (
    add_messages_to_incident,
    incident_from_messages,
    incidents_from_proposals,
    remove_messages_from_incident,
)
from evidence_app.core.conversations.participants import (
    delete_conversation,
    rename_conversation,
    restore_conversation,
    set_participant,
)
from evidence_app.core.conversations.reading import (
    get_conversation,
    get_messages,
    incident_messages,
    index_at,
    list_conversations,
    message_count,
    messages_in_range,
    messages_of_incidents,
    messages_page,
)
from evidence_app.core.conversations.views import (
    CALL_STATUS_LABELS,
    SOURCE_LABELS,
    TIME_BASIS_LABELS,
    ConversationView,
    DayCount,
    DayProposal,
    ExportView,
    MessageAttachment,
    MessageView,
    ParticipantView,
    WeekCount,
    describe_counts,
    index_ranges,
)

__all__ = [
    "CALL_STATUS_LABELS", "SOURCE_LABELS", "TIME_BASIS_LABELS", "ConversationView",
    "DayCount", "DayProposal", "ExportView", "MessageAttachment", "MessageView",
    "ParticipantView", "WeekCount", "add_messages_to_incident", "day_counts", "day_start",
    "delete_conversation", "restore_conversation",
    "describe_counts", "get_conversation", "get_messages", "incident_from_messages",
    "incident_messages", "incidents_from_proposals", "messages_of_incidents", "index_at", "index_ranges",
    "list_conversations", "message_count", "messages_in_range", "messages_page",
    "propose_days", "remove_messages_from_incident", "rename_conversation",
    "set_participant", "week_counts",
]
