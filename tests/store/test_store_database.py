"""Opening a book: file and folder modes, pragmas, identity checks, locks, append-only history."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest

from relance.services.clients import add_client, add_note
from relance.store import database as database_module
from relance.store.database import close_database, open_database, transaction
from relance.store.errors import (
    DatabaseLocked,
    DatabaseUnavailable,
    NotARelanceDatabase,
    SchemaTooNew,
    StoreError,
)
from relance.store.migrations import APPLICATION_ID, LATEST_VERSION
from relance.store.models import Client, ContactEvent, database


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def closed_after() -> object:
    """Every test here opens its own books; close whatever is left open."""
    yield
    close_database()


def test_creates_the_file_0600_and_missing_folders_0700(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "book.db"
    open_database(path)
    assert path.is_file()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    # SQLite gives the WAL side files the mode of the book.
    add_client("ACME", datetime(2026, 11, 23, 9, 0))
    wal = path.with_name(path.name + "-wal")
    assert wal.exists()
    assert mode(wal) == 0o600


def test_creates_the_file_0600_whatever_the_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0)
    try:
        path = tmp_path / "open" / "book.db"
        open_database(path)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_pragmas(book: object) -> None:
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_pragmas_hold_on_other_threads(book: object) -> None:
    """Workers get their own connection; it must be set up the same way."""
    import threading

    seen: dict[str, object] = {}

    def probe() -> None:
        seen["fk"] = database.execute_sql("PRAGMA foreign_keys").fetchone()[0]
        seen["busy"] = database.execute_sql("PRAGMA busy_timeout").fetchone()[0]
        seen["journal"] = database.execute_sql("PRAGMA journal_mode").fetchone()[0]
        database.close()

    worker = threading.Thread(target=probe)
    worker.start()
    worker.join()
    assert seen == {"fk": 1, "busy": 5000, "journal": "wal"}


def test_foreign_keys_are_enforced(book: object, at: datetime) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), transaction():
        ContactEvent.create(client=9999, kind="note", summary="x", happened_at=at)


def test_reopening_keeps_the_data(tmp_path: Path, at: datetime) -> None:
    path = tmp_path / "book.db"
    open_database(path)
    add_client("ACME", at)
    close_database()
    open_database(path)
    assert [c.name for c in Client.select()] == ["ACME"]
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list: milk, eggs, a bigger boat\n")
    with pytest.raises(NotARelanceDatabase, match="not a relance database"):
        open_database(path)
    assert path.read_text() == "shopping list: milk, eggs, a bigger boat\n"


def test_a_short_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "tiny"
    path.write_bytes(b"hi")
    with pytest.raises(NotARelanceDatabase):
        open_database(path)


def test_a_corrupt_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(NotARelanceDatabase):
        open_database(path)


def test_another_apps_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE song (id INTEGER PRIMARY KEY, title TEXT)")
    other.execute("INSERT INTO song (title) VALUES ('Gnossienne')")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(NotARelanceDatabase, match="not a relance database"):
        open_database(path)
    assert path.read_bytes() == before
    assert not path.with_name("other.db-wal").exists()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert check.execute("SELECT title FROM song").fetchall() == [("Gnossienne",)]
    check.close()


def test_another_apps_database_with_an_application_id(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("PRAGMA application_id = 1234")
    other.execute("PRAGMA user_version = 1")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(NotARelanceDatabase):
        open_database(path)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_database(path)
    close_database()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(SchemaTooNew, match="newer relance"):
        open_database(path)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="folder"):
        open_database(tmp_path)


def test_an_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        # root reads everything; a file under a plain file as "folder" fails for anyone.
        blocker = tmp_path / "plain"
        blocker.write_text("x")
        with pytest.raises(DatabaseUnavailable):
            open_database(blocker / "book.db")
        return
    path = tmp_path / "locked.db"
    path.write_bytes(b"")
    path.chmod(0)
    with pytest.raises(DatabaseUnavailable, match="permission"):
        open_database(path)


def test_store_errors_share_a_base() -> None:
    for error in (NotARelanceDatabase, DatabaseLocked, DatabaseUnavailable, SchemaTooNew):
        assert issubclass(error, StoreError)


@pytest.fixture
def quick_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the busy timeout short so a lock test fails fast."""
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 150)


def test_a_locked_book_refuses_writes_clearly(
    tmp_path: Path, at: datetime, quick_timeout: None
) -> None:
    path = tmp_path / "book.db"
    open_database(path)
    client_id = add_client("ACME", at).client_id
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 150
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked, match="busy in another program"):
            add_note(client_id, "while locked", at)
        # Reading still works in WAL mode while another program writes.
        assert Client.select().count() == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    add_note(client_id, "after the lock", at)
    assert ContactEvent.select().where(ContactEvent.kind == "note").count() == 2


def test_a_locked_new_book_refuses_to_open_clearly(tmp_path: Path, quick_timeout: None) -> None:
    path = tmp_path / "book.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked, match=r"book\.db is busy"):
            open_database(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    open_database(path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_history_is_append_only(book: object, at: datetime) -> None:
    client_id = add_client("ACME", at).client_id
    event_id = add_note(client_id, "first words", at).event_id
    with pytest.raises(Exception, match="append-only"):
        ContactEvent.update(summary="rewritten").where(ContactEvent.id == event_id).execute()
    with pytest.raises(Exception, match="append-only"):
        ContactEvent.delete().where(ContactEvent.id == event_id).execute()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        database.connection().execute("DELETE FROM contact_event")
    assert ContactEvent.get_by_id(event_id).summary == "first words"
