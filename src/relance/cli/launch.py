"""Opening the TUI: on the user's book, or on a throwaway copy of the sample (`demo`)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from relance.cli.context import Context
from relance.cli.errors import BadInput, NoTerminal
from relance.clock import now
from relance.config import Config
from relance.paths import book_file, outbox_path
from relance.services.lapses import catch_up
from relance.store.database import close_database, open_database

DEMO_FILENAME = "relance-demo.db"


def has_terminal() -> bool:
    """True when both ends of the session are a terminal the app can draw in and read keys from."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def tui(ctx: Context) -> int:
    """`relance`: the app on the book from ``--db`` or ``RELANCE_DB``, created if missing."""
    _require_terminal()
    path = ctx.open_book(create=True)
    return run_app(path, ctx.config, ctx.today, ctx.lapses)


def demo(ctx: Context) -> int:
    """`relance demo`: the app on a fresh sample book; kept only at an explicit ``--db`` path."""
    config = ctx.config
    # Only --db counts here: RELANCE_DB may be the user's real book.
    if ctx.args.db:
        path = book_file(ctx.args.db, "--db")
        if path.exists():
            raise BadInput(f"{path} already exists; demo --db needs a new file")
        _require_terminal()
        return _demo_on(path, config, ctx.today)
    _require_terminal()
    folder = Path(tempfile.mkdtemp(prefix="relance-demo-"))
    try:
        return _demo_on(folder / DEMO_FILENAME, config, ctx.today)
    finally:
        close_database()
        shutil.rmtree(folder, ignore_errors=True)


def _demo_on(path: Path, config: Config, today: date) -> int:
    """Create a book at ``path``, fill it with the sample and open the app on it."""
    from relance.services.sample import load_sample

    open_database(path)
    # Replaying the sample through the services takes a couple of seconds: say so.
    print("relance: preparing the sample book…", file=sys.stderr, flush=True)
    load_sample(today)
    told = catch_up(datetime.combine(today, now().time()))
    return run_app(path, config, today, told)


def run_app(db_path: Path, config: Config, today: date, notices: Sequence[str] = ()) -> int:
    """Run the TUI until the user quits; its return code is the exit status."""
    from relance.tui.list_reads import FirstRead

    # Before Textual is imported: the list is read now, the totals while the app loads.
    first_read = FirstRead(db_path, today).start()
    from relance.tui.app import RelanceApp

    outbox = outbox_path(db_path)
    app = RelanceApp(db_path, config, today, outbox, notices=notices, first_read=first_read)
    app.run()
    return app.return_code or 0


def _require_terminal() -> None:
    """Refuse to start the app with no terminal rather than hang waiting for keys."""
    if not has_terminal():
        raise NoTerminal(
            "the app needs a terminal; for scripts use `relance today` or `relance show CLIENT`"
        )
