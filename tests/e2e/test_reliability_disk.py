"""A full disk and a read-only book: one clear line (or a form message), nothing half-written.

The tests run as root, where file modes do not stop writes, so they use what does:
a small tmpfs mounted for the test (a disk that really fills up), ``chattr +i`` (an immutable
file, which even root cannot write) and a read-only bind mount (a read-only disk).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from cli_fixtures import Relance, Run
from relance.services.clients import add_client
from relance.store.database import close_database, open_database
from relance.store.models import Client, ContactEvent, Invoice, Payment
from relance.tui.client_table import ClientTable
from tui_fixtures import make_app, run_async

TABLES = ("client", "contact", "invoice", "payment", "allocation", "contact_event")


def counts(path: Path) -> dict[str, int]:
    """How many rows each table holds, read with a plain connection."""
    raw = sqlite3.connect(path)
    try:
        return {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        raw.close()


def integrity(path: Path) -> str:
    """SQLite's own verdict on the file."""
    raw = sqlite3.connect(path)
    try:
        return str(raw.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        raw.close()


def refused_in_one_line(run: Run, words: str) -> None:
    """Exit 1, one line on stderr saying ``words``, no traceback."""
    assert run.status == 1, run
    assert run.err.startswith("relance: ") and run.err.count("\n") == 1, run.err
    assert words in run.err, run.err
    assert "Traceback" not in run.err + run.out


def seed(relance: Relance, db: Path) -> None:
    """A client owing one invoice."""
    assert relance("--db", str(db), "client", "add", "Durand SARL").status == 0
    invoice = ("invoice", "add", "Durand SARL", "F-1", "500.00")
    dates = ("--issued", "2026-09-01", "--due", "2026-10-01")
    assert relance("--db", str(db), *invoice, *dates).status == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted for the test: a disk that really fills up."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        close_database()
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(folder: Path) -> Path:
    """Write a file until the disk has no room left; return it (remove it to make room)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_refuses_every_write_in_one_line(
    relance: Relance, small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "relance.db"
    seed(relance, db)
    # Another relance (the app) keeps the book open, so its -wal and -shm files stay.
    app_connection = sqlite3.connect(db)
    app_connection.execute("SELECT count(*) FROM client").fetchall()
    source = tmp_path / "more.csv"
    lines = ["Invoice,Customer,Issued,Due date,Amount,Balance"]
    lines += [f"M-{n:04d},Client {n:04d},2026-09-01,2026-10-01,10.00,10.00" for n in range(400)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        before = counts(db)
        filler = fill(small_disk)
        attempts = [
            ("note", "Durand SARL", "x" * 19_000),
            ("import", str(source)),
            ("payment", "add", "Durand SARL", "100.00"),
            ("client", "add", "Somebody New", "--email", "new@example.com"),
        ]
        for argv in attempts:
            refused_in_one_line(relance("--db", str(db), *argv), "is full: nothing was saved")
        filler.unlink()
        assert counts(db) == before
        assert integrity(db) == "ok"
        assert relance("--db", str(db), "note", "Durand SARL", "room again").status == 0
    finally:
        app_connection.close()


def test_a_full_disk_at_opening_says_so(relance: Relance, small_disk: Path) -> None:
    """With no room even for the -shm file, the open fails, and says the disk is full."""
    db = small_disk / "relance.db"
    seed(relance, db)
    before = counts(db)
    filler = fill(small_disk)
    refused_in_one_line(relance("--db", str(db), "today"), "is full")
    refused_in_one_line(relance("--db", str(db), "note", "Durand SARL", "hi"), "is full")
    filler.unlink()
    assert counts(db) == before
    assert integrity(db) == "ok"


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """``chattr +i`` on files, undone after the test (else tmp_path could not be removed)."""
    made: list[Path] = []

    def make(path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        made.append(path)

    try:
        yield make
    finally:
        close_database()
        for path in made:
            subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_book_is_read_but_never_half_written(
    relance: Relance, tmp_path: Path, immutable: Callable[[Path], None]
) -> None:
    db = tmp_path / "book" / "relance.db"
    seed(relance, db)
    before = counts(db)
    immutable(db)
    today = relance("--db", str(db), "today", "--json")
    assert today.status == 0 and "Durand SARL" in today.out
    for argv in (
        ("note", "Durand SARL", "never saved"),
        ("payment", "add", "Durand SARL", "100.00"),
        ("client", "add", "Newcomer"),
    ):
        refused_in_one_line(relance("--db", str(db), *argv), "is read-only: nothing was saved")
    assert counts(db) == before


def test_a_book_on_a_read_only_disk_says_so(relance: Relance, tmp_path: Path) -> None:
    source, mount_point = tmp_path / "source", tmp_path / "readonly"
    mount_point.mkdir()
    seed(relance, source / "relance.db")
    before = counts(source / "relance.db")
    subprocess.run(["mount", "--bind", str(source), str(mount_point)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mount_point)], check=True)
        db = mount_point / "relance.db"
        refused_in_one_line(relance("--db", str(db), "note", "Durand SARL", "no"), "read-only")
        refused_in_one_line(relance("--db", str(db), "today"), "read-only")
    finally:
        close_database()
        subprocess.run(["umount", "-l", str(mount_point)], check=True)
    assert counts(source / "relance.db") == before


@run_async
async def test_the_app_says_a_read_only_book_saved_nothing(
    tmp_path: Path, at: datetime, immutable: Callable[[Path], None]
) -> None:
    """A note typed in the app over an immutable book: the form says why, nothing is saved."""
    db = tmp_path / "book" / "relance.db"
    open_database(db)
    add_client("Durand SARL", at)
    close_database()
    before = counts(db)
    immutable(db)
    app = make_app(db, tmp_path / "config.toml", at.date())
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(ClientTable)
        for _ in range(200):
            await pilot.pause(0.05)
            if table.current is not None:
                break
        await pilot.press("n")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query(TextArea):
                break
        app.screen.query_one(TextArea).insert("never saved")
        await pilot.press("ctrl+s")
        message = ""
        for _ in range(100):
            await pilot.pause(0.05)
            message = str(app.screen.query_one("#form-error", Static).render())
            if message:
                break
        assert "read-only: nothing was saved" in message
    assert counts(db) == before
    open_database(db)
    try:
        assert Client.select().count() == 1 and Invoice.select().count() == 0
        assert Payment.select().count() == 0
        assert "never saved" not in {event.summary for event in ContactEvent.select()}
    finally:
        close_database()


# A relance whose files may not grow past a size (RLIMIT_FSIZE, as a disk quota would do).
LIMITED = """
import resource, signal, sys
from relance.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
sys.exit(main(sys.argv[1:]))
"""


def test_a_file_size_limit_refuses_the_write_in_one_line(relance: Relance, tmp_path: Path) -> None:
    """Writes that fail with EFBIG (not ENOSPC): SQLite's I/O error, told in one line."""
    db = tmp_path / "book" / "relance.db"
    seed(relance, db)
    app_connection = sqlite3.connect(db)
    app_connection.execute("SELECT count(*) FROM client").fetchall()
    try:
        before = counts(db)
        done = subprocess.run(
            [sys.executable, "-c", LIMITED, "--db", str(db), "note", "Durand SARL", "z" * 19_000],
            capture_output=True,
            text=True,
            timeout=120,
        )
        run = Run(done.returncode, done.stdout, done.stderr)
        refused_in_one_line(run, "nothing was saved")
        assert "disk I/O error" in run.err
        assert counts(db) == before
        assert integrity(db) == "ok"
    finally:
        app_connection.close()
