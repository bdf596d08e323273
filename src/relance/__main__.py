"""Entry point for `python -m relance`."""

from relance.startup import main

raise SystemExit(main())
