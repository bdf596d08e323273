"""Backups and restores of the book file, through SQLite's online backup API."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from relance.paths import create_private_file, ensure_private_dir
from relance.private_files import publish, unique_temporary
from relance.store.book_lock import exclusive
from relance.store.errors import DatabaseLocked, StoreError
from relance.store.migrations import APPLICATION_ID, LATEST_VERSION

BACKUP_FOLDER = "backups"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0
# Numbered suffixes tried when two backups land in the same second.
MAX_SAME_SECOND = 100


class BadBackup(StoreError):
    """A file offered for restore is not a relance book this relance can use."""


class TargetExists(StoreError):
    """The chosen output file already exists and is never overwritten."""


@dataclass(frozen=True)
class BookFile:
    """What a checked backup file holds: its schema version and its number of clients."""

    schema: int
    clients: int


def timestamp(moment: datetime) -> str:
    """A moment as it appears in file names: ``20261123T101500``."""
    return moment.strftime("%Y%m%dT%H%M%S")


def default_backup_path(book: Path, moment: datetime) -> Path:
    """A free, timestamped file in the ``backups`` folder beside the book."""
    return _free_name(book.parent / BACKUP_FOLDER, f"{book.stem}-{timestamp(moment)}", ".db")


def backup_book(book: Path, target: Path) -> Path:
    """Copy the book into ``target`` (which must not exist) with SQLite's online backup."""
    if target.exists():
        raise TargetExists(f"{target} already exists; choose another --out")
    ensure_private_dir(target.parent)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        with _connection(book) as source, _connection(partial) as copy:
            # One step (pages=-1) reads the book in a single read transaction: a consistent
            # snapshot even while another connection keeps writing (WAL readers never block).
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode = delete")
        _check_integrity(partial)
        _fsync(partial)
        _publish(partial, target)
    except (sqlite3.Error, OSError) as error:
        # A full disk or a file size limit while copying: say so, in one line.
        raise StoreError(
            f"cannot write the backup {target} ({error}): nothing was written; is the disk "
            "full, or a file size limit set?"
        ) from None
    finally:
        partial.unlink(missing_ok=True)
        _remove_sidecars(partial)
    return target


def check_header(path: Path) -> None:
    """Refuse a missing file, a folder, or a file that is not SQLite, by its first bytes."""
    if not path.exists():
        raise BadBackup(f"{path}: no such file")
    if not path.is_file():
        raise BadBackup(f"{path} is not a file")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise BadBackup(f"{path} is not a relance backup (not a SQLite file)")


def restore_book(backup: Path, book: Path, moment: datetime) -> Path | None:
    """Replace the book with a checked backup; returns where the previous book was kept.

    The book's lock is held alone for the whole restore: no other relance has the book open,
    and none can open it until the new one is in place, so no commit falls between the two.
    """
    check_header(backup)
    ensure_private_dir(book.parent)
    if book.exists():
        # Before the lock, whose files would be left beside another program's database.
        _refuse_foreign(book)
    with exclusive(book):
        return _restore_alone(backup, book, moment)


def _restore_alone(backup: Path, book: Path, moment: datetime) -> Path | None:
    """Stage, check and swap in the backup; the caller holds the book alone."""
    # Checked on our own copy, beside the book: opening the offered file itself could recover
    # a journal in place, and the copy is what os.replace then swaps in atomically.
    staged = _free_name(book.parent, f".{book.stem}.restoring", ".db")
    create_private_file(staged)
    try:
        shutil.copyfile(backup, staged)
        # A copy of a live book may have its last commits in its write-ahead log: bring it
        # along, and the check below folds it into the staged copy when it closes.
        if _sidecar(backup, "-wal").is_file():
            shutil.copyfile(_sidecar(backup, "-wal"), _sidecar(staged, "-wal"))
        inspect_book_file(staged, shown_as=backup)
        _remove_sidecars(staged)
        _fsync(staged)
        kept = _keep_previous(book, moment)
        os.replace(staged, book)
        _fsync_folder(book.parent)
    finally:
        staged.unlink(missing_ok=True)
        _remove_sidecars(staged)
    return kept


def _keep_previous(book: Path, moment: datetime) -> Path | None:
    """Checkpoint and close the current book, then keep a copy of it; None if there is none."""
    if not book.exists():
        return None
    _refuse_foreign(book)
    with contextlib.suppress(sqlite3.Error), _connection(book) as current:
        current.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The last connection to close a WAL book removes its -wal and -shm files (and recovers
    # those a crash left): one still there means another program has the book open.
    if _sidecar(book, "-wal").exists() or _sidecar(book, "-shm").exists():
        raise DatabaseLocked(
            f"{book} is open in another program; close relance there and restore again"
        )
    kept = _free_name(book.parent, f"{book.stem}.before-restore-{timestamp(moment)}", ".db")
    # Copied under a temporary name and renamed when complete, like every file relance writes.
    partial = unique_temporary(kept)
    create_private_file(partial)
    try:
        shutil.copyfile(book, partial)
        _fsync(partial)
        publish(partial, kept)
    finally:
        partial.unlink(missing_ok=True)
    # Nothing may pair the restored file with the old book's write-ahead log or shared memory.
    _remove_sidecars(book)
    return kept


def _refuse_foreign(book: Path) -> None:
    """Never replace another program's database; a damaged book may be replaced."""
    with book.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return
    if header != SQLITE_HEADER:
        raise BadBackup(
            f"{book} is not a relance database (not a SQLite file); it was not replaced"
        )
    try:
        with _connection(book) as current:
            app_id = current.execute("PRAGMA application_id").fetchone()[0]
            tables = current.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error:
        return
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise BadBackup(f"{book} is not a relance database; it was not replaced")


def inspect_book_file(copy: Path, shown_as: Path) -> BookFile:
    """Read the identity, version and integrity of a book file (opened read-write: a copy)."""
    try:
        with _connection(copy) as connection:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID or version < 1:
                raise BadBackup(f"{shown_as} is not a relance book")
            if version > LATEST_VERSION:
                raise BadBackup(
                    f"{shown_as} was written by a newer relance (schema {version}, this one "
                    f"knows {LATEST_VERSION}); upgrade relance to restore it"
                )
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                raise BadBackup(f"{shown_as} is damaged (integrity check: {verdict[0]})")
            clients = connection.execute("SELECT count(*) FROM client").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BadBackup(f"{shown_as} is damaged ({error})") from None
    return BookFile(schema=version, clients=clients)


def _check_integrity(path: Path) -> None:
    """Refuse to publish a backup that SQLite does not find intact."""
    with _connection(path) as connection:
        verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if verdict != ["ok"]:
        raise StoreError(f"the backup failed its integrity check: {verdict[0]}")


@contextlib.contextmanager
def _connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection that is always closed (``with sqlite3.connect`` only commits)."""
    connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    try:
        yield connection
    finally:
        connection.close()


def _publish(partial: Path, target: Path) -> None:
    """Give the finished file its name, never overwriting one that appeared meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise TargetExists(f"{target} already exists; choose another --out") from None
    except OSError:
        # A file system without hard links: the existence check above is all there is.
        os.replace(partial, target)
    _fsync_folder(target.parent)


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or with ``-2``, ``-3``… if that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    for number in range(2, MAX_SAME_SECOND):
        if not candidate.exists():
            return candidate
        candidate = folder / f"{stem}-{number}{suffix}"
    raise TargetExists(f"too many files named {stem}… in {folder}")


def _sidecar(book: Path, suffix: str) -> Path:
    """The -wal or -shm file SQLite keeps beside a database."""
    return book.with_name(book.name + suffix)


def _remove_sidecars(book: Path) -> None:
    """Remove a database's -wal, -shm and -journal files, if any."""
    for suffix in ("-wal", "-shm", "-journal"):
        _sidecar(book, suffix).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Make a file's content durable before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable; some platforms cannot open folders, which is harmless."""
    with contextlib.suppress(OSError):
        _fsync(folder)
