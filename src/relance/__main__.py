"""Entry point for `python -m relance`."""

from relance.cli import main

raise SystemExit(main())
