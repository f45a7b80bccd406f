"""messages: what the export says about a message beyond its words: forwarded (from
whom), edited (and when), unsent

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 05:15:00

A forwarded message is not the sender's own words, and an edited one was changed after
it was sent: both matter as evidence. `messages.forwarded_from` is the name the export
gives for where a forwarded message came from ("" when it says the message was
forwarded but not from whom; NULL when it does not say it was forwarded).
`messages.edited` is 1 when the export says the message was changed after it was sent,
`messages.edited_at` (UTC) when, if it says; `messages.unsent` is 1 when the export
says the sender took the message back (Instagram and Messenger's "unsent"). The text is
never changed: WhatsApp's own "<This message was edited>" stays in it as written.
Messages imported before this revision keep NULL / 0: nothing is guessed for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLEs: the table (and its search triggers) stays as it is.
    op.add_column("messages", sa.Column("forwarded_from", sa.Text(), nullable=True))
    op.add_column("messages", sa.Column("edited", sa.Boolean(), nullable=False,
                                        server_default=sa.text("0")))
    op.add_column("messages", sa.Column("edited_at", sa.DateTime(), nullable=True))
    op.add_column("messages", sa.Column("unsent", sa.Boolean(), nullable=False,
                                        server_default=sa.text("0")))


def downgrade() -> None:
    for column in ("unsent", "edited_at", "edited", "forwarded_from"):
        op.execute(f"ALTER TABLE messages DROP COLUMN {column}")
