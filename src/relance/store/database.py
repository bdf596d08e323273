"""Opening the SQLite book: pragmas, identity checks, migrations, error translation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

from relance.paths import create_private_file
from relance.store.errors import (
    DatabaseLocked,
    DatabaseUnavailable,
    NotARelanceDatabase,
    SchemaTooNew,
    StoreError,
)
from relance.store.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from relance.store.models import database
from relance.store.summary import rebuild_if_policy_changed, refresh_all_summaries

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


def connection_pragmas() -> dict[str, object]:
    """Per-connection settings; WAL is set once, after the file is known to be a book.

    Setting ``journal_mode`` here would rewrite the header of a stranger's database
    before ``_migrate`` could refuse it.
    """
    return {
        "foreign_keys": 1,
        "busy_timeout": BUSY_TIMEOUT_MS,
        # FULL: a committed payment survives a power cut, not only a crash of the app.
        "synchronous": "full",
    }


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if needed) the book at ``path``, migrate it, and bind the models to it."""
    _check_file(path)
    db = SqliteDatabase(
        str(path),
        pragmas=connection_pragmas(),
        timeout=BUSY_TIMEOUT_MS / 1000,
        lock_type="IMMEDIATE",
    )
    db.register_function(casefold, "casefold", 1, deterministic=True)
    database.initialize(db)
    try:
        with translate_errors(path):
            db.connect(reuse_if_open=True)
            _migrate(db.connection(), path)
            rebuild_if_policy_changed()
    except BaseException:
        db.close()
        raise
    return db


def casefold(value: object) -> object:
    """Unicode case folding for SQL (``fn.casefold``): SQLite's LOWER folds ASCII only."""
    return value.casefold() if isinstance(value, str) else value


def close_database() -> None:
    """Close this thread's connection, if the proxy is bound and open."""
    if database.obj is not None and not database.is_closed():
        database.close()


@contextmanager
def transaction() -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE), with SQLite errors turned into store errors."""
    with translate_errors(), database.atomic():
        yield


@contextmanager
def translate_errors(path: Path | None = None) -> Iterator[None]:
    """Turn raw SQLite errors into messages a user can act on."""
    where = f" {path}" if path else ""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as error:
        text = str(error)
        if "locked" in text or "busy" in text:
            raise DatabaseLocked(
                f"the database{where} is busy in another program; try again in a moment"
            ) from None
        if "readonly" in text or "read-only" in text:
            raise DatabaseUnavailable(f"the database{where} is read-only: {text}") from None
        if "disk" in text or "full" in text or "unable to open" in text:
            raise DatabaseUnavailable(f"cannot use the database{where}: {text}") from None
        raise
    except (DatabaseError, sqlite3.DatabaseError) as error:
        if "not a database" in str(error) or "malformed" in str(error):
            raise NotARelanceDatabase(f"{path or 'the file'} is not a relance database") from None
        raise


def _check_file(path: Path) -> None:
    """Create a missing book with mode 0600; refuse a file that is not SQLite at all."""
    try:
        if not path.exists():
            create_private_file(path)
            return
        if path.is_dir():
            raise DatabaseUnavailable(f"{path} is a folder, not a database file")
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise DatabaseUnavailable(f"permission denied: cannot open the database {path}") from None
    except OSError as error:
        raise DatabaseUnavailable(f"cannot open the database {path}: {error.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise NotARelanceDatabase(f"{path} is not a relance database (not a SQLite file)")


def _migrate(connection: sqlite3.Connection, path: Path) -> int:
    """Bring the schema up to date; returns the version upgraded from (0 if none or new)."""
    app_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != 0 or version != 0 or tables:
            raise NotARelanceDatabase(f"{path} is not a relance database")
    if version > LATEST_VERSION:
        raise SchemaTooNew(
            f"{path} was written by a newer relance (schema {version}, this one knows "
            f"{LATEST_VERSION}); upgrade relance"
        )
    if connection.execute("PRAGMA journal_mode = wal").fetchone()[0] != "wal":
        raise DatabaseUnavailable(f"{path}: cannot switch the database to WAL journaling")
    if version == LATEST_VERSION:
        return 0
    connection.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, LATEST_VERSION):
            MIGRATIONS[step](connection)
        if version:
            # In the migration's transaction, so an upgraded book never has a stale index.
            refresh_all_summaries()
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return version


__all__ = ["StoreError", "close_database", "open_database", "transaction", "translate_errors"]
