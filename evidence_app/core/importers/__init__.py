"""Bringing things into a case, one module per source.

Owns: files and folders (`files`), images pasted from the clipboard (`clipboard`), a
diary kept in a spreadsheet (`diary_csv`) and turning inbox files into incidents
(`inbox`). A new source (a chat export, a mail box) is one new module here, built on
the same pieces: the originals store, `attachments`, `incidents` and `Progress`.

May import: everything in `core` below it (store, media, search, domain services).
Nothing else in `core` imports an importer.
"""
