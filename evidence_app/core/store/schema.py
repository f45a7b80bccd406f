"""The case database's schema version: reading where a case stands, copying it aside,
and upgrading it with the Alembic scripts in evidence_app/migrations."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from evidence_app.core.errors import CaseError
from evidence_app.core.store.database import copy_database, schema_revision, table_names

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config() -> Any:
    from alembic.config import Config  # Alembic loads only when a schema must change

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


_REVISION = re.compile(r"^revision(?:\s*:[^=\n]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=\n]+)?\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


def _script_revisions() -> dict[str, str | None]:
    """Each migration script's revision and the one it follows, read from the files.

    Reading two lines per script is enough to tell whether a case is up to date, so
    opening an up-to-date case never imports Alembic (a fifth of start-up time).
    """
    revisions: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev and down:
            revisions[rev.group(1)] = down.group(1)
    return revisions


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    revisions = _script_revisions()
    heads = set(revisions) - {down for down in revisions.values() if down}
    if len(heads) != 1:
        raise CaseError(f"the app's migrations do not form one line (heads: {sorted(heads)})")
    return heads.pop()


def backup_if_migrating(db: Path, key: bytes | None = None, dry_run: bool = False,
                        ) -> Path | None:
    """Copy the database aside (consistently, WAL included) before a schema upgrade.

    Returns the copy, or None when the case is up to date. SQLite errors (a damaged
    file, a full disk) reach the caller, which words them. `dry_run` copies nothing and
    returns the database itself when an upgrade would be needed.
    """
    current = schema_revision(db, key)
    if current == head_revision():
        return None
    if current is None and "case_settings" in table_names(db, key):
        # A case whose record of its schema version was removed: upgrading it "from
        # nothing" would fail on every attempt, each leaving another full copy behind.
        raise CaseError(f"The case database {db} has lost the record of which version of "
                        "this app wrote it (its alembic_version table), so it cannot be "
                        "safely opened. Nothing was changed; restore the case from a backup.")
    if current is not None and current not in known_revisions():
        raise CaseError(f"The case database {db} was made by a newer version of this app "
                        f"(schema {current}). Please update the app to open it.")
    if dry_run:
        return db
    backups = db.parent / "backups"
    backups.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups / f"case-before-upgrade-{current or 'none'}-{stamp}.db"
    copy_database(db, target, key)
    return target


def known_revisions() -> set[str]:
    """Every schema revision this version of the app has a script for."""
    return set(_script_revisions())


def migrate(engine: Engine) -> None:
    """Upgrade the schema in one real transaction, with foreign keys off meanwhile.

    pysqlite runs DDL outside any transaction unless one is begun explicitly, so without
    BEGIN a failed upgrade would leave half a schema behind. Foreign keys must be off
    while tables are rebuilt (Alembic's batch mode drops and recreates them, and with
    keys on, dropping `incidents` would cascade to its notes); they are checked before
    the commit instead, as SQLite's own ALTER TABLE procedure does.
    """
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only effective outside a transaction
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise CaseError(f"the upgrade would break {len(broken)} link(s) between records")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
