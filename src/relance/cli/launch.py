"""Opening the TUI: on the user's book, or on a throwaway copy of the sample (`demo`)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from relance.cli.context import Context
from relance.cli.errors import BadInput, NoTerminal
from relance.clock import now
from relance.config import Config
from relance.paths import CONFIG_FILENAME, book_file
from relance.policy_config import policy_from_config
from relance.services.lapses import catch_up
from relance.store.database import close_database, open_database
from relance.store.triage_index import set_active_policy

DEMO_FILENAME = "relance-demo.db"


def has_terminal() -> bool:
    """True when both ends of the session are a terminal the app can draw in and read keys from."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def tui(ctx: Context) -> int:
    """`relance`: the app on the book from ``--db`` or ``RELANCE_DB``, created if missing."""
    ctx.check_app_config(ctx.config)
    _require_terminal()
    path = ctx.open_book(create=True)
    return ctx.run_app(path, ctx.config, ctx.today, ctx.lapses)


def demo(ctx: Context) -> int:
    """`relance demo`: the app on a fresh sample book; kept only at an explicit ``--db`` path."""
    # Only --db counts here: RELANCE_DB may be the user's real book.
    kept = book_file(ctx.args.db, "--db") if ctx.args.db else None
    if kept is not None and kept.exists():
        raise BadInput(f"{kept} already exists; demo --db needs a new file")
    _require_terminal()
    folder = Path(tempfile.mkdtemp(prefix="relance-demo-"))
    try:
        config = demo_config(folder)
        ctx.check_app_config(config)
        return _demo_on(ctx, kept or folder / DEMO_FILENAME, config)
    finally:
        close_database()
        shutil.rmtree(folder, ignore_errors=True)


def demo_config(folder: Path) -> Config:
    """The sample's own config (its creditor signs the letters), saved in the demo's folder.

    The user's config is left alone: a theme picked in the demo is not saved into it, and its
    ``[smtp]`` is not used, so no demo reminder is ever sent to the sample's made-up clients.
    """
    from relance.services.sample import sample_config

    return sample_config(folder / CONFIG_FILENAME)


def _demo_on(ctx: Context, path: Path, config: Config) -> int:
    """Create a book at ``path``, fill it with the sample and open the app on it."""
    from relance.services.sample import load_sample

    set_active_policy(policy_from_config(config))
    open_database(path)
    # Replaying the sample through the services takes a couple of seconds: say so.
    print("relance: preparing the sample book…", file=sys.stderr, flush=True)
    load_sample(ctx.today)
    statement = _demo_statement(path, ctx.today)
    print(f"relance: a bank statement to try with B then i: {statement}", file=sys.stderr)
    told = catch_up(datetime.combine(ctx.today, now().time()))
    return ctx.run_app(path, config, ctx.today, told)


def _demo_statement(book: Path, today: date) -> Path:
    """The sample's bank statement, written beside the demo book for the bank screen."""
    from relance.private_files import write_private
    from relance.services.sample_statement import STATEMENT_NAME, sample_statement_text

    target = book.absolute().parent / STATEMENT_NAME
    if not target.exists():
        write_private(target, sample_statement_text(today).encode("utf-8"))
    return target


def _require_terminal() -> None:
    """Refuse to start the app with no terminal rather than hang waiting for keys."""
    if not has_terminal():
        raise NoTerminal(
            "the app needs a terminal; for scripts use `relance today` or `relance show CLIENT`"
        )
