"""Files are complete under their final name or absent: file size limits, kill -9, restores."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.store.database import close_database, open_database
from relance.store.models import ContactEvent

# Above what opening a book writes (its -shm file), below its exports and its backup.
FILE_LIMIT_BYTES = 40_000


def filled_book(book: Path, at: datetime, clients: int = 150) -> None:
    """A book whose export and backup are well over FILE_LIMIT_BYTES."""
    open_database(book)
    try:
        for number in range(clients):
            client_id = add_client(f"Client {number:03d} " + "x" * 180, at).client_id
            add_invoice(client_id, f"F-{number}", "1200.00", "2026-09-01", "2026-10-01", at)
    finally:
        close_database()


def limited_run(*argv: str, book: Path) -> subprocess.CompletedProcess[str]:
    """`relance ARGS…` as a real process whose files may not grow past FILE_LIMIT_BYTES."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT_BYTES, FILE_LIMIT_BYTES))

    return subprocess.run(
        [sys.executable, "-m", "relance", *argv, "--db", str(book)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )


def one_line_refusal(run: subprocess.CompletedProcess[str], words: str) -> None:
    """Exit 1 with one line on stderr that says ``words``, never "unexpected error"."""
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert words in run.stderr, run.stderr
    assert "unexpected" not in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("kind", ["json", "toml"])
def test_an_export_past_the_file_size_limit_leaves_no_file(
    tmp_path: Path, at: datetime, kind: str
) -> None:
    book = tmp_path / "book" / "relance.db"
    filled_book(book, at)
    out = tmp_path / "out" / f"book.{kind}"
    out.parent.mkdir()
    run = limited_run("export", "--format", kind, "--out", str(out), book=book)
    one_line_refusal(run, f"{out}: File too large; nothing was written")
    assert list(out.parent.iterdir()) == []


def test_a_csv_export_past_the_limit_leaves_no_manifest_nor_table(
    tmp_path: Path, at: datetime
) -> None:
    book = tmp_path / "book" / "relance.db"
    filled_book(book, at)
    out = tmp_path / "csv"
    run = limited_run("export", "--format", "csv", "--out", str(out), book=book)
    one_line_refusal(run, "File too large; nothing was written")
    assert list(tmp_path.iterdir()) == [tmp_path / "book"]


def test_a_backup_past_the_limit_says_so_and_leaves_no_file(tmp_path: Path, at: datetime) -> None:
    book = tmp_path / "book" / "relance.db"
    filled_book(book, at)
    out = tmp_path / "saved" / "copy.db"
    run = limited_run("backup", "--out", str(out), book=book)
    one_line_refusal(run, f"cannot write the backup {out}")
    assert list(out.parent.iterdir()) == []


# Stops itself with SIGKILL at the moment the history event is about to be committed.
KILLED_LETTER = textwrap.dedent(
    """
    import os, signal, sys
    from relance.cli import main
    from relance.services import letters

    real_record = letters._record

    def record_then_die(*args, **kwargs):
        event_id = real_record(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return event_id

    letters._record = record_then_die
    sys.exit(main(["letter", "1", "--kind", "statement", "--db", sys.argv[1]]))
    """
)


def test_a_letter_killed_before_its_commit_leaves_no_pdf(tmp_path: Path, at: datetime) -> None:
    book = tmp_path / "book" / "relance.db"
    filled_book(book, at, clients=1)
    Path(os.environ["RELANCE_CONFIG"]).parent.mkdir(parents=True, exist_ok=True)
    Path(os.environ["RELANCE_CONFIG"]).write_text(
        '[creditor]\nname = "Claire Dev"\naddress = "1 rue de la Paix\\n75002 Paris"\n',
        encoding="utf-8",
    )
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_LETTER, str(book)], capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    letters = tmp_path / "book" / "relance-letters"
    assert not list(letters.glob("*.pdf"))
    open_database(book)
    try:
        assert not ContactEvent.select().where(ContactEvent.summary.contains("statement")).exists()
    finally:
        close_database()


def test_an_interrupted_restore_leaves_no_staged_copy_after_the_next_open(
    tmp_path: Path, at: datetime
) -> None:
    book = tmp_path / "book" / "relance.db"
    filled_book(book, at, clients=1)
    # What a restore killed while checking its copy leaves beside the book.
    staged = book.parent / ".relance.restoring.db"
    sqlite3.connect(staged).close()
    os.chmod(staged, 0o600)
    (book.parent / ".relance.restoring.db-wal").write_bytes(b"")
    open_database(book)
    close_database()
    assert not list(book.parent.glob(".relance.restoring*"))
