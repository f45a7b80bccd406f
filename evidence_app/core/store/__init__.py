"""How a case is kept on disk, and nothing else.

Owns: opening the database (engine, sessions, the single writer, WAL, the folder lock),
the schema and the migrations runner (with a copy made before each upgrade), the
originals store (exact bytes, read back only as streams or bytes), the rebuildable
cache, the hash-chained audit trail and `verify`.

May import: the standard library, SQLAlchemy, Alembic and `core`'s foundation modules
(errors, vocab, dates, names, progress). Nothing above it: search, media, importers,
report and the domain services plug into it (see `docs/ARCHITECTURE.md`).
"""
