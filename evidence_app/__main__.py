from evidence_app.cli import entry

raise SystemExit(entry())
