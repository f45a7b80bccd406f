"""The bundle's entry point: `evidence-app` as installed (the desktop app, or a command)."""

from evidence_app.cli import main

raise SystemExit(main())
