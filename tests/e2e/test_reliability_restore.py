"""`relance restore` while three other processes record payments: none reported saved is lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path

from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.store.database import close_database, open_database
from relance.store.models import Client
from relance.tui.db_thread import in_db_thread

WRITERS = 3
RESTORES = 4
# Each writer records payments through the command line's own entry point, one per run, and
# prints the reference of each run that exited 0.
WRITER = textwrap.dedent(
    """
    import sys, time
    from relance.cli import main

    book, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        number += 1
        reference = f"{name}-{number}"
        argv = ["payment", "add", "1", "1.00", "--reference", reference, "--db", book]
        if main(argv) == 0:
            print("saved", reference, flush=True)
    """
)


def references(book: Path) -> set[str]:
    """The references of every payment in a book file."""
    with sqlite3.connect(book) as connection:
        return {row[0] for row in connection.execute("SELECT reference FROM payment")}


def run_relance(*argv: str) -> subprocess.CompletedProcess[str]:
    """One `relance …` run as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "relance", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_saved_payment_is_in_the_restored_or_the_kept_book(
    tmp_path: Path, at: datetime
) -> None:
    book = tmp_path / "book" / "relance.db"
    open_database(book)
    try:
        client_id = add_client("Durand SARL", at).client_id
        add_invoice(client_id, "F-1", "100000.00", "2026-09-01", "2026-10-01", at)
    finally:
        close_database()
    backups = [tmp_path / "one.db", tmp_path / "two.db"]
    for backup in backups:
        done = run_relance("backup", "--out", str(backup), "--db", str(book))
        assert done.returncode == 0, done.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(book), f"w{number}", "12"],
            env={**os.environ, "RELANCE_DB": str(book)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(WRITERS)
    ]
    time.sleep(2)
    for turn in range(RESTORES):
        started = time.monotonic()
        done = run_relance("restore", str(backups[turn % 2]), "--db", str(book))
        assert done.returncode == 0, done.stderr
        # Bounded: the writers' short commands let a restore through in seconds.
        assert time.monotonic() - started < 30
        time.sleep(0.5)
    saved = set()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        saved |= {line.split()[1] for line in out.splitlines() if line.startswith("saved ")}
    assert saved
    kept = sorted(book.parent.glob("relance.before-restore-*.db"))
    assert len(kept) == RESTORES
    found = references(book).union(*(references(path) for path in kept))
    assert saved - found == set()
    assert not list(book.parent.glob(".relance.restoring*"))


# Says whether the book's lock can be taken alone right now, from another process.
PROBE = textwrap.dedent(
    """
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print("free")
    except BlockingIOError:
        print("held")
    """
)


def lock_state(book: Path) -> str:
    """``held`` while some process has the book open, else ``free``."""
    lock = book.with_name(f".{book.name}.lock")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(lock)], capture_output=True, text=True, timeout=60
    )
    return probe.stdout.strip()


def client_count() -> int:
    """A read on the calling thread's own connection, as the app's workers make."""
    return Client.select().count()


def test_the_apps_workers_closing_their_connections_keep_the_book_held(
    tmp_path: Path,
) -> None:
    book = tmp_path / "book" / "relance.db"
    open_database(book)
    try:
        worker = threading.Thread(target=in_db_thread, args=(client_count,))
        worker.start()
        worker.join()
        assert lock_state(book) == "held"
    finally:
        close_database()
    assert lock_state(book) == "free"
