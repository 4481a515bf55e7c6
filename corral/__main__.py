"""``python -m corral`` runs the ``corral`` command."""

from corral.cli.main import main

raise SystemExit(main())
