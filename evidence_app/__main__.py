from evidence_app.cli import main

raise SystemExit(main())
