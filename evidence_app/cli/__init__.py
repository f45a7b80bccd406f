"""Command line: `evidence-app [--case DIR] [COMMAND ...]`. No command opens the GUI.

Listing commands take `--json` and print one JSON document. User errors print one line
to stderr and exit with status 2; nothing prints a traceback for them.

`program` builds the parser and runs the command; each command group has its own module
(`case`, `incidents`, `files`, `report`, `search`) holding its commands next to their
options; `common` holds what the groups share. Imports run one way, program -> groups ->
common, so no two of these modules import each other (tests/cli/test_cli_package.py).
"""

from evidence_app.cli.program import entry, main

__all__ = ["entry", "main"]
