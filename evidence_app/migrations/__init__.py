"""Alembic environment; migrations run programmatically when a case opens."""
