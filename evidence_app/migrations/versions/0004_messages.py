"""messages as evidence: conversations, participants, exports, messages, their pictures

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 01:55:00

Chat exports, text-message backups, call logs and mail become conversations of
messages (issue 15). Each message has its own document in `message_index` (FTS5, the
same tokenizer as `search_index`): its text and subject, the sender's name and address,
call numbers, and the plate keys core/search builds. As for the main index, triggers note
every message a write touches in `message_dirty` and the case rebuilds those documents
before it commits. The SQL is written out here, not imported, so this revision stays
what it was when later ones change the index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATE = [
    # No prefix indexes (unlike search_index): they make inserting 100,000 messages half
    # as slow again, and FTS5 answers a prefix query over them quickly without.
    "CREATE VIRTUAL TABLE message_index USING fts5(text, sender, numbers, plates, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO message_index(message_index, rank) VALUES ('rank', 'bm25(5.0, 3.0, 3.0, 5.0)')",
    "CREATE TABLE message_dirty (id INTEGER PRIMARY KEY)",
]

TRIGGERS = [
    ("search_message_insert",
     "AFTER INSERT ON messages BEGIN INSERT OR IGNORE INTO message_dirty (id) SELECT new.id; END"),
    ("search_message_update",
     "AFTER UPDATE OF id, text, subject, participant_id, call_number, kind ON messages BEGIN INSERT OR IGNORE INTO message_dirty (id) SELECT old.id; INSERT OR IGNORE INTO message_dirty (id) SELECT new.id; END"),
    ("search_message_delete",
     "AFTER DELETE ON messages BEGIN INSERT OR IGNORE INTO message_dirty (id) SELECT old.id; END"),
    ("search_participant_update",
     "AFTER UPDATE OF name, address ON participants BEGIN INSERT OR IGNORE INTO message_dirty (id) SELECT id FROM messages WHERE participant_id = new.id; END"),
]


def upgrade() -> None:
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('source_key', sa.String(length=500), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations'))
    )
    op.create_index(op.f('ix_conversations_source_key'), 'conversations', ['source_key'], unique=False)
    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('is_owner', sa.Boolean(), nullable=False),
    sa.Column('is_suspect', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_participants_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_participants_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants'))
    )
    op.create_index(op.f('ix_participants_conversation_id'), 'participants', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_participants_person_id'), 'participants', ['person_id'], unique=False)
    op.create_table('conversation_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('importer', sa.String(length=32), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('messages_read', sa.Integer(), nullable=False),
    sa.Column('messages_added', sa.Integer(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_conversation_exports_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_exports_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_exports'))
    )
    op.create_index(op.f('ix_conversation_exports_attachment_id'), 'conversation_exports', ['attachment_id'], unique=False)
    op.create_index(op.f('ix_conversation_exports_conversation_id'), 'conversation_exports', ['conversation_id'], unique=False)
    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('time_basis', sa.String(length=16), nullable=False),
    sa.Column('time_note', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('call_number', sa.String(length=64), nullable=False),
    sa.Column('call_direction', sa.String(length=8), nullable=False),
    sa.Column('call_status', sa.String(length=16), nullable=False),
    sa.Column('call_seconds', sa.Integer(), nullable=True),
    sa.Column('source_export_id', sa.Integer(), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=64), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_messages_incident_id_incidents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_messages_participant_id_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_export_id'], ['conversation_exports.id'], name=op.f('fk_messages_source_export_id_conversation_exports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    op.create_index('ix_messages_conversation_sent', 'messages', ['conversation_id', 'sent_at'], unique=False)
    op.create_index('ix_messages_incident_id', 'messages', ['incident_id'], unique=False,
                    sqlite_where=sa.text('incident_id IS NOT NULL'))
    op.create_index('ux_messages_conversation_idx', 'messages', ['conversation_id', 'idx'], unique=True)
    op.create_table('message_attachments',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_message_attachments_attachment_id_attachments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_attachments_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', 'attachment_id', name=op.f('pk_message_attachments'))
    )
    op.create_index('ix_message_attachments_attachment_id', 'message_attachments', ['attachment_id'], unique=False)
    for sql in CREATE:
        op.execute(sql)
    for name, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS message_dirty")
    op.execute("DROP TABLE IF EXISTS message_index")
    for table in ("message_attachments", "messages", "conversation_exports", "participants",
                  "conversations"):
        op.drop_table(table)
