"""Alembic environment. The case opens a connection and hands it in via attributes."""

from alembic import context

from evidence_app.core.store.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # only for `alembic revision --autogenerate` during development
    from evidence_app.core.store.database import scratch_engine

    engine = scratch_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
