"""Finding incidents and exhibits: the full-text index, the query language, snippets.

Owns: the SQLite FTS5 index kept in step with every write (`index`), the query
language (`query`, `text`), running a search with its filters and facets (`find`,
`types`) and the snippets and highlights shown with results (`snippets`).

May import: `core.store`, `core.media`, the domain services (incidents, views) and the
foundation modules. This package and nothing else holds SQLite-specific search SQL.
"""
