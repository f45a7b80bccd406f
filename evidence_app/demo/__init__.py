"""The sample case: five months of an invented story, written through `core` like any
other caller. Not part of core; the app offers it from the welcome screen and `--demo`.

May import: `core`. Nothing in `core` imports it.
"""
