"""The bundle's entry point: `evidence-app` as installed (the desktop app, or a command).

In a bundle the program is not Python, so the app's child processes (the PDF reader and
the risky-picture reader) start it again as `evidence-app --internal-child NAME ...`
(evidence_app/core/media/child.py): that is served here, before the command line, Qt or
anything else the child does not need is loaded.
"""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "--internal-child":
    from evidence_app.core.media.child import run_child

    raise SystemExit(run_child(sys.argv))

from evidence_app.cli import main  # noqa: E402

raise SystemExit(main())
