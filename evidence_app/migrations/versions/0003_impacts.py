"""structured impact on the person (impacts); a person's relationship to them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 23:15:00

`impacts` holds the effects the person ticks (fear of violence, alarm or distress,
changed routine, moved home, time off, costs, ...) on an incident or, with no
incident, for the whole case. An incident's impacts are part of its search document,
so the triggers note the incident when one changes. The SQL is written out here, not
imported, so this revision stays what it was when later ones change the index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = [
    ('search_impact_insert',
     'AFTER INSERT ON impacts BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id WHERE new.incident_id IS NOT NULL; END'),
    ('search_impact_update',
     'AFTER UPDATE ON impacts BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id WHERE old.incident_id IS NOT NULL; INSERT OR IGNORE INTO search_dirty (doc) SELECT new.incident_id WHERE new.incident_id IS NOT NULL; END'),
    ('search_impact_delete',
     'AFTER DELETE ON impacts BEGIN INSERT OR IGNORE INTO search_dirty (doc) SELECT old.incident_id WHERE old.incident_id IS NOT NULL; END'),
]


def upgrade() -> None:
    op.create_table(
        "impacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_impacts_incident_id_incidents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impacts")),
    )
    with op.batch_alter_table("impacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_impacts_incident_id"), ["incident_id"],
                              unique=False)
    # A plain ADD COLUMN: batch mode would rebuild `people` and drop its search trigger.
    op.add_column("people", sa.Column("relation", sa.Text(), nullable=False,
                                      server_default=""))
    for name, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("relation")
    with op.batch_alter_table("impacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impacts_incident_id"))
    op.drop_table("impacts")
