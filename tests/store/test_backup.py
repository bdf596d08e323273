"""`relance backup` and `relance restore`: online copies, checked restores, files kept private."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import threading
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from relance.cli import main
from relance.services.clients import add_client
from relance.store.database import close_database, open_database
from relance.store.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from relance.store.models import BookSetting, Client

BOOK_NAME = "relance.db"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; returns the status, stdout and stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def book_path(tmp_path: Path) -> Path:
    """Where the `book` fixture keeps its file."""
    return tmp_path / "book" / BOOK_NAME


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def client_names(path: Path) -> list[str]:
    """The client names in a book file, read with a plain connection."""
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM client ORDER BY id")]
    finally:
        connection.close()


def release(book: SqliteDatabase) -> None:
    """Close every connection this test holds: the fixture's own and the CLI's latest."""
    close_database()
    book.close()


def backup_of(capsys: pytest.CaptureFixture[str], tmp_path: Path, *extra: str) -> Path:
    """Take a backup of the `book` fixture through the CLI; returns the printed path."""
    status, out, err = run(capsys, "backup", "--db", str(book_path(tmp_path)), *extra)
    assert status == 0, err
    assert err == ""
    return Path(out.strip())


def test_backup_default_path_is_dated_and_private(
    book: SqliteDatabase, tmp_path: Path, at: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    add_client("Durand SARL", at)
    target = backup_of(capsys, tmp_path)
    folder = book_path(tmp_path).parent / "backups"
    assert target.parent == folder
    assert target.name.startswith("relance-20261123T") and target.suffix == ".db"
    assert mode(folder) == 0o700
    assert mode(target) == 0o600
    assert client_names(target) == ["Durand SARL"]
    # A second backup in the same second gets a new name, never overwriting the first.
    second = backup_of(capsys, tmp_path)
    assert second != target and second.exists() and target.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted([target.name, second.name])


def test_backup_out_refuses_an_existing_file(
    book: SqliteDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "mine.db"
    existing.write_bytes(b"precious")
    status, out, err = run(
        capsys, "backup", "--db", str(book_path(tmp_path)), "--out", str(existing)
    )
    assert status == 2
    assert out == ""
    assert "already exists" in err and len(err.strip().splitlines()) == 1
    assert existing.read_bytes() == b"precious"


def test_backup_of_a_missing_book_fails_without_creating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "relance.db"
    status, _, err = run(capsys, "backup", "--db", str(missing))
    assert status == 1
    assert "no relance database" in err
    assert not missing.exists()


def test_backup_while_another_connection_writes(
    book: SqliteDatabase, tmp_path: Path, at: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book_path(tmp_path)
    # Enough pages that the copy takes a while, so the writer really runs during it.
    with book.atomic():
        for number in range(3000):
            BookSetting.create(key=f"filler-{number}", value="x" * 200)
    close_database()
    stop = threading.Event()
    started = threading.Event()
    written: list[int] = []

    def writer() -> None:
        """Insert clients, one transaction each, until told to stop."""
        connection = sqlite3.connect(path, timeout=5)
        try:
            number = 0
            while not stop.is_set():
                connection.execute(
                    "INSERT INTO client (name, created_at) VALUES (?, ?)",
                    (f"Writer {number}", "2026-11-23 09:30:00"),
                )
                connection.commit()
                written.append(number)
                number += 1
                if number == 20:
                    started.set()
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(10)
        targets = [
            backup_of(capsys, tmp_path, "--out", str(tmp_path / f"b{i}.db")) for i in range(3)
        ]
    finally:
        stop.set()
        thread.join(10)
    assert len(written) > 20
    for target in targets:
        connection = sqlite3.connect(target)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            assert connection.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        finally:
            connection.close()
        names = client_names(target)
        # A consistent snapshot: writer rows form an unbroken prefix of what was written.
        assert names == [f"Writer {n}" for n in range(len(names))]
        assert 20 <= len(names) <= len(written)
        # It also opens as a relance book (no stray -wal needed).
        assert not Path(f"{target}-wal").exists()
        copy = tmp_path / f"open-{target.name}"
        shutil.copyfile(target, copy)
        open_database(copy)
        assert Client.select().count() == len(names)
        close_database()


def make_foreign_sqlite(path: Path) -> None:
    """A SQLite database of some other program."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("INSERT INTO note (text) VALUES ('not yours')")
    connection.commit()
    connection.close()


def make_newer_schema(good: Path, path: Path) -> None:
    """A relance book from the future."""
    shutil.copyfile(good, path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.commit()
    connection.close()


def make_corrupt(good: Path, path: Path) -> None:
    """A relance book with garbage written over its later pages."""
    data = bytearray(good.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(2 * page_size, len(data) - 100, page_size):
        data[offset + 8 : offset + 100] = b"\xa5" * 92
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("text", "not a SQLite file"),
        ("foreign", "not a relance book"),
        ("newer", "newer relance"),
        ("corrupt", "damaged"),
        ("missing", "no such file"),
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    book: SqliteDatabase,
    tmp_path: Path,
    at: datetime,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    expected: str,
) -> None:
    with book.atomic():
        for number in range(200):
            add_client(f"Client {number}", at)
    good = backup_of(capsys, tmp_path, "--out", str(tmp_path / "good.db"))
    release(book)
    offered = tmp_path / f"offered-{kind}.db"
    if kind == "text":
        offered.write_text("name,amount\nDurand,12\n", encoding="utf-8")
    elif kind == "foreign":
        make_foreign_sqlite(offered)
    elif kind == "newer":
        make_newer_schema(good, offered)
    elif kind == "corrupt":
        make_corrupt(good, offered)
    path = book_path(tmp_path)
    before = path.read_bytes()
    listing = sorted(p.name for p in path.parent.iterdir())
    status, out, err = run(capsys, "restore", str(offered), "--db", str(path))
    assert status == 2
    assert out == ""
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == listing


def test_restore_brings_back_the_backup_and_keeps_the_previous_book(
    book: SqliteDatabase, tmp_path: Path, at: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    add_client("Before SARL", at)
    good = backup_of(capsys, tmp_path)
    add_client("After SAS", at)
    release(book)
    path = book_path(tmp_path)
    status, out, err = run(capsys, "restore", str(good), "--db", str(path))
    assert status == 0, err
    assert err == ""
    assert client_names(path) == ["Before SARL"]
    kept = [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1
    assert kept[0].name.startswith("relance.before-restore-20261123T")
    assert kept[0].suffix == ".db"
    assert client_names(kept[0]) == ["Before SARL", "After SAS"]
    assert str(kept[0].absolute()) in out
    assert mode(path) == 0o600 and mode(kept[0]) == 0o600
    # No stale write-ahead log of the replaced book, and no staging file left behind; only the
    # book's lock files, which outlive any one process by design.
    leftovers = {p.name for p in path.parent.iterdir()} - {"backups", path.name, kept[0].name}
    assert leftovers == {".relance.db.lock", ".relance.db.gate"}
    # The restored book opens and works with the app.
    status, out, err = run(capsys, "today", "--json", "--db", str(path))
    assert status == 0, err
    assert [row["client"] for row in json.loads(out)] == ["Before SARL"]
    # The backup itself is left as it was.
    assert client_names(good) == ["Before SARL"]


def test_restore_into_a_missing_book_creates_it(
    book: SqliteDatabase, tmp_path: Path, at: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    add_client("Durand SARL", at)
    good = backup_of(capsys, tmp_path)
    fresh = tmp_path / "fresh" / "relance.db"
    status, out, err = run(capsys, "restore", str(good), "--db", str(fresh))
    assert status == 0, err
    assert "kept" not in out
    assert client_names(fresh) == ["Durand SARL"]
    assert mode(fresh) == 0o600


@pytest.mark.parametrize("other", ["sqlite", "text"])
def test_restore_refuses_to_replace_another_programs_file(
    tmp_path: Path, at: datetime, capsys: pytest.CaptureFixture[str], other: str
) -> None:
    open_database(book_path(tmp_path))
    add_client("Durand SARL", at)
    good = backup_of(capsys, tmp_path)
    close_database()
    foreign = tmp_path / "other" / "app.db"
    foreign.parent.mkdir()
    if other == "sqlite":
        make_foreign_sqlite(foreign)
    else:
        foreign.write_text("my notes\n", encoding="utf-8")
    before = foreign.read_bytes()
    status, _, err = run(capsys, "restore", str(good), "--db", str(foreign))
    assert status == 2
    assert "not a relance database" in err
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in foreign.parent.iterdir()) == ["app.db"]


@pytest.mark.parametrize("reading", [True, False])
def test_restore_refuses_while_the_book_is_open_elsewhere(
    book: SqliteDatabase,
    tmp_path: Path,
    at: datetime,
    capsys: pytest.CaptureFixture[str],
    reading: bool,
) -> None:
    add_client("Durand SARL", at)
    good = backup_of(capsys, tmp_path)
    path = book_path(tmp_path)
    release(book)
    # Another program holding the book with an uncheckpointed write-ahead log.
    other = sqlite3.connect(path)
    try:
        other.execute("PRAGMA wal_autocheckpoint = 0")
        other.execute("INSERT INTO client (name, created_at) VALUES ('Late', '2026-11-23')")
        other.commit()
        if reading:
            other.execute("BEGIN")
            other.execute("SELECT count(*) FROM client").fetchone()
        status, _, err = run(capsys, "restore", str(good), "--db", str(path))
    finally:
        other.close()
    assert status == 1
    assert "open in another program" in err
    assert client_names(path) == ["Durand SARL", "Late"]


def test_restore_of_a_live_copy_brings_its_write_ahead_log_along(
    book: SqliteDatabase, tmp_path: Path, at: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    add_client("Durand SARL", at)
    release(book)
    source = tmp_path / "live" / "relance.db"
    source.parent.mkdir()
    shutil.copyfile(book_path(tmp_path), source)
    writer = sqlite3.connect(source)
    try:
        writer.execute("PRAGMA journal_mode = wal")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO client (name, created_at) VALUES ('In the log', '2026-11-23')")
        writer.commit()
        # Copied as a file manager would while the program still runs.
        copy = tmp_path / "copied.db"
        shutil.copyfile(source, copy)
        shutil.copyfile(Path(f"{source}-wal"), Path(f"{copy}-wal"))
    finally:
        writer.close()
    path = book_path(tmp_path)
    status, _, err = run(capsys, "restore", str(copy), "--db", str(path))
    assert status == 0, err
    assert client_names(path) == ["Durand SARL", "In the log"]


def test_restore_of_an_older_schema_is_migrated_on_next_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.db"
    connection = sqlite3.connect(old)
    for migration in MIGRATIONS[:3]:
        migration(connection)
    connection.execute("INSERT INTO client (name, created_at) VALUES ('Ancien', '2025-01-02')")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 3")
    connection.commit()
    connection.close()
    path = tmp_path / "book" / "relance.db"
    status, _, err = run(capsys, "restore", str(old), "--db", str(path))
    assert status == 0, err
    status, out, err = run(capsys, "today", "--json", "--db", str(path))
    assert status == 0, err
    assert [row["client"] for row in json.loads(out)] == ["Ancien"]
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        connection.close()
