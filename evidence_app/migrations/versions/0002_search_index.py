"""search index (FTS5), its refresh queue and triggers; case_state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00

The index is filled on the first open after this upgrade: every incident and
stand-alone attachment is queued in `search_dirty`, and the case builds their documents
(core/search/index.py) before it is used. The SQL is written out here, not imported, so
this revision stays what it was when later ones change the index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATE = [
    "CREATE VIRTUAL TABLE search_index USING fts5(title, details, notes, people, vehicles, files, ocr, plates, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "INSERT INTO search_index(search_index, rank) VALUES ('rank', 'bm25(10.0, 3.0, 2.0, 5.0, 5.0, 3.0, 1.0, 5.0)')",
    'CREATE TABLE search_dirty (doc INTEGER PRIMARY KEY)',
]

# Each write notes the documents it touches; the app rebuilds them before it commits.
TRIGGERS = [
    ('search_incident_insert',
     'AFTER INSERT ON incidents BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT new.id; END'),
    ('search_incident_update',
     'AFTER UPDATE OF id, title, description, location, category, suspect_appearance, suspect_voice, suspect_clothing, witnesses, impact, police_reference, police_officer ON incidents BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.id; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.id; END'),
    ('search_incident_delete',
     'AFTER DELETE ON incidents BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.id; END'),
    ('search_note_insert',
     'AFTER INSERT ON notes BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_note_update',
     'AFTER UPDATE OF text, deleted_at, incident_id ON notes BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_note_delete',
     'AFTER DELETE ON notes BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; END'),
    ('search_person_update',
     'AFTER UPDATE OF name, deleted_at ON people BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT incident_id FROM incident_people WHERE person_id = new.id; END'),
    ('search_vehicle_update',
     'AFTER UPDATE OF make, model, colour, plate, description, deleted_at ON vehicles BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT incident_id FROM incident_vehicles WHERE vehicle_id = new.id; END'),
    ('search_tag_update',
     'AFTER UPDATE OF name ON tags BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT incident_id FROM incident_tags WHERE tag_id = new.id; END'),
    ('search_attachment_insert',
     'AFTER INSERT ON attachments BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT -new.id; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id WHERE new.incident_id IS NOT NULL; END'),
    ('search_attachment_update',
     'AFTER UPDATE OF id, incident_id, exhibit_mark, original_name, caption, ocr_text, deleted_at ON attachments BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT -old.id; INSERT OR IGNORE INTO search_dirty (doc) SELECT -new.id; INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id WHERE old.incident_id IS NOT NULL; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id WHERE new.incident_id IS NOT NULL; END'),
    ('search_attachment_delete',
     'AFTER DELETE ON attachments BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT -old.id; INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id WHERE old.incident_id IS NOT NULL; END'),
    ('search_incident_people_insert',
     'AFTER INSERT ON incident_people BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_incident_people_update',
     'AFTER UPDATE ON incident_people BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_incident_people_delete',
     'AFTER DELETE ON incident_people BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; END'),
    ('search_incident_vehicles_insert',
     'AFTER INSERT ON incident_vehicles BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_incident_vehicles_update',
     'AFTER UPDATE ON incident_vehicles BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_incident_vehicles_delete',
     'AFTER DELETE ON incident_vehicles BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; END'),
    ('search_incident_tags_insert',
     'AFTER INSERT ON incident_tags BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_incident_tags_update',
     'AFTER UPDATE ON incident_tags BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id; END'),
    ('search_incident_tags_delete',
     'AFTER DELETE ON incident_tags BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id; END'),
]


def upgrade() -> None:
    for sql in CREATE:
        op.execute(sql)
    for name, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO search_dirty (doc) SELECT id FROM incidents")
    op.execute("INSERT INTO search_dirty (doc) SELECT -id FROM attachments "
               "WHERE incident_id IS NULL OR deleted_at IS NOT NULL")
    # Searches leave trashed items out by looking them up: keep that cheap.
    op.create_index("ix_incidents_deleted_at", "incidents", ["deleted_at"])
    op.create_index("ix_attachments_deleted_at", "attachments", ["deleted_at"])
    # Small facts about the case that are not evidence (e.g. text recognition paused).
    op.create_table(
        "case_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_case_state")),
    )


def downgrade() -> None:
    op.drop_table("case_state")
    op.drop_index("ix_attachments_deleted_at", "attachments")
    op.drop_index("ix_incidents_deleted_at", "incidents")
    for name, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_dirty")
    op.execute("DROP TABLE IF EXISTS search_index")
