"""What every command works with: its options, the day, where to print, and the open book."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from relance import clock
from relance.cli.errors import MissingBook
from relance.cli.output import Output
from relance.config import Config
from relance.paths import database_path
from relance.store.database import open_database
from relance.store.lookup import find_client_id


@dataclass
class Context:
    """One run of one command."""

    args: argparse.Namespace
    today: date
    out: Output
    config: Config
    db_path: Path | None = None

    def open_book(self, *, create: bool = False) -> Path:
        """Open the book from ``--db`` or ``RELANCE_DB``; only some commands may create it."""
        path = database_path(self.args.db)
        if not create and not path.exists():
            # A mistyped path must not leave an empty book behind.
            raise MissingBook(f"no relance database at {path} (create one with `relance init`)")
        open_database(path)
        self.db_path = path
        return path

    def client_id(self) -> int:
        """The client named by the CLIENT argument, by id or exact name."""
        return find_client_id(self.args.client)

    def now(self) -> datetime:
        """The moment of the action, on the day the clock gives."""
        return clock.now()
