"""Opening the SQLite book: pragmas, identity checks, migrations, error translation."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from peewee import DatabaseError, OperationalError, SqliteDatabase

from relance.paths import create_private_file
from relance.store.book_lock import hold_shared, release_shared
from relance.store.errors import (
    BookDamaged,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseUnavailable,
    DiskFull,
    NotARelanceDatabase,
    SchemaTooNew,
    StoreError,
)
from relance.store.migrations import (
    APPLICATION_ID,
    LATEST_VERSION,
    MIGRATIONS,
    recomputes_summaries,
)
from relance.store.models import database
from relance.store.triage_index import rebuild_if_policy_changed, refresh_all_summaries

BUSY_TIMEOUT_MS = 5000
# A write waits for another process's lock this many busy timeouts in all (30 s by default),
# retrying with back-off, before the user is told the book is busy.
WRITE_PATIENCE_TIMEOUTS = 6
RETRY_FIRST_PAUSE_SECONDS = 0.05
RETRY_LONGEST_PAUSE_SECONDS = 1.0
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's primary result codes for the failures a user can do something about.
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
# Below this much free space, a failed write is put down to a full disk.
NEARLY_FULL_BYTES = 1 << 20
SQLITE_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED

T = TypeVar("T")


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
    """Open (creating if needed) the book at ``path``, migrate it, and bind the models to it.

    The process takes its share of the book's lock first (waiting while a restore replaces
    the file), so what it commits always lands in the book a restore keeps or puts in place.
    """
    _check_file(path)
    try:
        hold_shared(path, BUSY_TIMEOUT_MS / 1000 * WRITE_PATIENCE_TIMEOUTS)
    except OSError as error:
        # The lock file sits beside the book, like SQLite's -wal and -shm files.
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise DatabaseReadOnly(
                f"the database {path} is on a read-only disk or in a read-only folder: "
                "relance needs to write beside it (its lock, -wal and -shm files)"
            ) from None
        raise DatabaseUnavailable(f"cannot lock the database {path}: {error.strerror}") from None
    # No restore can be under way while a share is held: any staged copy is a crash's leftover.
    remove_restore_leftovers(path)
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
    """Close this thread's connection, if the proxy is bound and open, and give up the lock."""
    if database.obj is not None and not database.is_closed():
        database.close()
        book = _open_book()
        if book is not None:
            release_shared(book, opener_only=True)


def restoring_copies(book: Path) -> list[Path]:
    """The copies a restore stages beside the book (with their SQLite side files)."""
    return sorted(book.parent.glob(f".{book.stem}.restoring*.db*"))


def remove_restore_leftovers(book: Path) -> None:
    """Remove the staged copy an interrupted restore left beside the book."""
    for leftover in restoring_copies(book):
        leftover.unlink(missing_ok=True)


@contextmanager
def transaction() -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE), with SQLite errors turned into store errors.

    The write lock is taken at BEGIN, before the body runs, so only BEGIN is retried when
    another process holds the lock past the busy timeout: the body runs once, under the lock.
    """
    with translate_errors():
        block = patiently(_enter_atomic)
        try:
            yield
        except BaseException:
            if database.connection().in_transaction:
                block.__exit__(*sys.exc_info())
            else:
                # SQLite already rolled back on its own (a full disk, an I/O error): a second
                # rollback would fail and hide why, so peewee is only told the block is over.
                database.pop_transaction()
            raise
        try:
            block.__exit__(None, None, None)
        except (OperationalError, sqlite3.OperationalError) as error:
            # A failed COMMIT that SQLite rolled back itself makes peewee's own rollback fail
            # with "no transaction is active"; the COMMIT's error is the one that explains.
            cause: BaseException | None = error
            while cause is not None and "no transaction is active" in str(cause):
                cause = cause.__context__
            if cause is None or cause is error:
                raise
            raise cause from None


def _enter_atomic() -> Any:
    """Begin a transaction (or a savepoint inside one) through peewee; return the block."""
    block = database.atomic()
    block.__enter__()
    return block


def patiently(acquire: Callable[[], T]) -> T:
    """Run a step that takes the write lock, retrying with back-off while another one writes.

    Each try already waits up to the busy timeout inside SQLite; after
    ``WRITE_PATIENCE_TIMEOUTS`` of them the busy error goes up (and reads "busy").
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000 * WRITE_PATIENCE_TIMEOUTS
    pause = RETRY_FIRST_PAUSE_SECONDS
    while True:
        try:
            return acquire()
        except (OperationalError, sqlite3.OperationalError) as error:
            left = deadline - time.monotonic()
            if _result_code(error) not in SQLITE_BUSY_CODES or left <= 0:
                raise
            time.sleep(min(pause, left))
            pause = min(pause * 2, RETRY_LONGEST_PAUSE_SECONDS)


@contextmanager
def translate_errors(path: Path | None = None) -> Iterator[None]:
    """Turn raw SQLite errors into messages a user can act on."""
    where = f" {path}" if path else ""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as error:
        text = str(error)
        code = _result_code(error)
        if code in SQLITE_BUSY_CODES or "locked" in text or "busy" in text:
            raise DatabaseLocked(
                f"the database{where} is busy in another program (another relance is writing "
                "to it); try again in a moment"
            ) from None
        if code == SQLITE_READONLY or "readonly" in text or "read-only" in text:
            raise DatabaseReadOnly(
                f"the database{where} is read-only: nothing was saved (check the file, its "
                "folder and the disk it is on)"
            ) from None
        folder = (path or _open_book() or Path(".")).parent
        if code == SQLITE_FULL or "full" in text or (code == SQLITE_IOERR and _nearly_full(folder)):
            # The -shm file is made at open: a full disk can fail an open as an I/O error.
            raise DiskFull(
                f"the disk holding the database{where} is full: nothing was saved; free some "
                "space and try again"
            ) from None
        if code == SQLITE_IOERR or "disk" in text:
            raise DatabaseUnavailable(
                f"cannot write the database{where} ({text}): nothing was saved; is the disk "
                "full or failing?"
            ) from None
        if code == SQLITE_CANTOPEN or "unable to open" in text:
            if path is not None and path.exists() and not _writable(path):
                raise DatabaseReadOnly(
                    f"the database{where} is on a read-only disk or in a read-only folder: "
                    "relance needs to write beside it (its -wal and -shm files)"
                ) from None
            raise DatabaseUnavailable(f"cannot use the database{where}: {text}") from None
        raise
    except (DatabaseError, sqlite3.DatabaseError) as error:
        if "malformed" in str(error) or "corrupt" in str(error):
            book = path or _open_book()
            raise BookDamaged(
                f"the book {book or ''} is damaged (SQLite: {error}); nothing was changed:"
                " restore your latest backup with `relance restore PATH`"
            ) from None
        if "not a database" in str(error):
            raise NotARelanceDatabase(f"{path or 'the file'} is not a relance database") from None
        raise


def as_store_error(error: BaseException) -> StoreError | None:
    """The user's sentence for a raw SQLite error raised outside a transaction, if it has one."""
    try:
        with translate_errors(_open_book()):
            raise error
    except StoreError as translated:
        return translated
    except BaseException:
        return None


def _open_book() -> Path | None:
    """The file of the book this thread has bound, if any."""
    name = getattr(database.obj, "database", None)
    return Path(name) if isinstance(name, str) and name else None


def _nearly_full(folder: Path) -> bool:
    """True when the disk holding a folder has (almost) no room left."""
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """True when the book and its folder (where SQLite adds -wal and -shm) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _result_code(error: BaseException) -> int | None:
    """SQLite's primary result code behind an error, when Python kept it.

    Peewee re-raises sqlite3's error as its own, with the original as first argument.
    """
    for candidate in (error, *error.args[:1], error.__context__, error.__cause__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


class BookWatch:
    """Tells whether another connection committed to the book since the last look.

    ``PRAGMA data_version`` only compares within one connection, so the watch keeps its own,
    opened on first use from whatever thread asks, and never writes through it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._lock = threading.Lock()

    def changed(self) -> bool:
        """True when someone else committed since the previous call, and on the first call.

        The first look cannot know what happened before it, so it says "changed": a reader that
        loaded before the watch's first look reloads once rather than miss a commit.
        """
        with self._lock, translate_errors(self.path):
            if self._connection is None:
                # mode=rw: a book removed meanwhile is an error, never a new empty file.
                self._connection = sqlite3.connect(
                    self.path.resolve().as_uri() + "?mode=rw",
                    uri=True,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    check_same_thread=False,
                )
            # fetchall ends the statement, so no read snapshot stays open between looks.
            version = int(self._connection.execute("PRAGMA data_version").fetchall()[0][0])
            changed = version != self._seen
            self._seen = version
            return changed

    def close(self) -> None:
        """Close the watch's connection."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


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
    mode = patiently(lambda: connection.execute("PRAGMA journal_mode = wal").fetchone()[0])
    if mode != "wal":
        raise DatabaseUnavailable(f"{path}: cannot switch the database to WAL journaling")
    if version == LATEST_VERSION:
        return 0
    patiently(lambda: connection.execute("BEGIN IMMEDIATE"))
    try:
        for step in range(version, LATEST_VERSION):
            MIGRATIONS[step](connection)
        if version and recomputes_summaries(version):
            # In the migration's transaction, so an upgraded book never has a stale index.
            refresh_all_summaries()
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return version


__all__ = [
    "BookWatch",
    "StoreError",
    "close_database",
    "open_database",
    "transaction",
    "translate_errors",
]
