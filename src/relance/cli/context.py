"""What every command works with: its options, the day, where to print, and the open book."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from relance import clock
from relance.cli.errors import CommandError, MissingBook
from relance.cli.output import Output
from relance.config import Config
from relance.paths import database_path
from relance.services.lapses import catch_up
from relance.store.database import open_database
from relance.store.errors import DatabaseLocked, DatabaseUnavailable
from relance.store.lookup import find_client_id


@dataclass(frozen=True)
class AppOpener:
    """How the command line opens the app; the executable hands it in, so the two stay apart."""

    # Refuses a config the app cannot run with, before any terminal or book is touched.
    check: Callable[[Config], None]
    # Runs the app on an open book: (book, config, today, notices) -> exit status.
    run: Callable[[Path, Config, date, Sequence[str]], int]


@dataclass
class Context:
    """One run of one command."""

    args: argparse.Namespace
    today: date
    out: Output
    config: Config
    db_path: Path | None = None
    # What the catch-up at opening changed (promises and plans broken since the last run).
    lapses: list[str] = field(default_factory=list)
    app_opener: AppOpener | None = None

    def open_book(self, *, create: bool = False) -> Path:
        """Open the book from ``--db`` or ``RELANCE_DB``; only some commands may create it."""
        path = database_path(self.args.db)
        if not create and not path.exists():
            # A mistyped path must not leave an empty book behind.
            raise MissingBook(f"no relance database at {path} (create one with `relance init`)")
        open_database(path)
        self.db_path = path
        # Dates pass without any write: break the promises and plans they left behind. A book
        # busy in another program (or read-only) is still read; the next command catches up,
        # and meanwhile the readers judge promises with today.
        with contextlib.suppress(DatabaseLocked, DatabaseUnavailable):
            self.lapses = catch_up(self.now())
        return path

    def check_app_config(self, config: Config) -> None:
        """Refuse a config the app cannot run with (a clashing ``[keys]`` remap)."""
        self._app_opener().check(config)

    def run_app(self, path: Path, config: Config, today: date, notices: Sequence[str]) -> int:
        """Open the app on the book at ``path`` through the opener the executable gave."""
        return self._app_opener().run(path, config, today, notices)

    def _app_opener(self) -> AppOpener:
        """The opener the executable gave; the command line alone cannot open the app."""
        if self.app_opener is None:
            raise CommandError("the app opens from the `relance` executable only")
        return self.app_opener

    def client_id(self) -> int:
        """The client named by the CLIENT argument, by id or exact name."""
        return find_client_id(self.args.client)

    def now(self) -> datetime:
        """The moment of the action, on the day the clock gives."""
        return clock.now()
