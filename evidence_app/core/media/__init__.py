"""Recognising files and reading what they hold, never changing them.

Owns: naming a file from its content (`sniff`), opening pictures safely and making
thumbnails (`imaging`, `analysis`), EXIF/XMP (`photo_meta`), lengths and recording times
of MP4/QuickTime (`mp4`), Matroska/WebM/AVI (`containers`) and sound files (`sound`),
page counts, creation dates and first pages of PDFs (`pdf`).

May import: the standard library, Pillow (with pillow-heif) and `core`'s foundation
modules; PDFium (pypdfium2) runs only in a child process that `pdf` starts. It never
opens the case: callers hand it streams or bytes.
"""
