"""`kill -9` in the middle of an import, a payment or a reminder: the book stays consistent."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from relance.delivery.mime import recorded_headers
from relance.delivery.outbox import Outbox
from relance.services.outbox import recover_outbox
from relance.store.database import close_database, open_database
from relance.store.models import Allocation, Client, ContactEvent, Invoice, Payment, database
from relance.store.triage_index import refresh_all_summaries
from smtp_server import SmtpServer, smtp_server

# Moments of the kill, as fractions of how long the same work takes when left alone.
KILL_AT = (0.15, 0.35, 0.55, 0.75, 0.95)
# Clients due for a reminder in the kill test: more than a few kills can get through.
CLIENTS = 80
SUMMARY_COLUMNS = (
    "outstanding",
    "open_invoices",
    "oldest_due_on",
    "next_action",
    "next_action_on",
    "ladder_step",
    "next_action_reason",
    "payer_profile",
)


def relance_process(*argv: str, db: Path) -> subprocess.Popen[bytes]:
    """Start `relance ARGS…` as a real process on a book, in its own process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "relance", *argv],
        env={**os.environ, "RELANCE_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def run_to_the_end(*argv: str, db: Path) -> float:
    """Run `relance ARGS…` to completion and say how long it took."""
    started = time.monotonic()
    process = relance_process(*argv, db=db)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    return time.monotonic() - started


def wait_for_a_write(process: subprocess.Popen[bytes], book: Path) -> float | None:
    """Wait until a process holds the book's write lock; when it did, or None if it ended."""
    probe = sqlite3.connect(book, timeout=0, isolation_level=None)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:
                return time.monotonic()  # busy: the process is in the middle of a write
            time.sleep(0.002)
    finally:
        probe.close()
    return None


def kill_inside_a_write(
    process: subprocess.Popen[bytes],
    book: Path,
    delay: float,
    jitter: float = 0.0,
    *,
    from_first_write: bool = True,
) -> bool:
    """SIGKILL a process at a chosen moment of its work on the book.

    The delay counts from its first write (so a slow start does not matter), or from its start;
    the kill then comes ``jitter`` seconds after the next moment it holds the write lock: with
    no jitter, inside that transaction; with some, anywhere in what follows it. Returns True
    when the kill came that way, False when the process ended first (it is killed anyway).
    """
    inside = not from_first_write or wait_for_a_write(process, book) is not None
    if inside:
        time.sleep(delay)
        inside = wait_for_a_write(process, book) is not None
    time.sleep(jitter)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return inside and process.returncode == -signal.SIGKILL


def summary_columns() -> dict[int, tuple[object, ...]]:
    """Every client's triage columns as stored."""
    return {
        client.id: tuple(getattr(client, column) for column in SUMMARY_COLUMNS)
        for client in Client.select().order_by(Client.id)
    }


def assert_book_consistent(path: Path) -> None:
    """The file is sound, the triage index exact and every payment whole."""
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()
    open_database(path)
    try:
        stored = summary_columns()
        with database.atomic() as recomputation:
            refresh_all_summaries()
            fresh = summary_columns()
            recomputation.rollback()
        assert stored == fresh
        for invoice in Invoice.select():
            allocated = sum(
                a.amount for a in Allocation.select().where(Allocation.invoice == invoice.id)
            )
            assert invoice.paid == allocated
        for client in Client.select():
            payments = list(Payment.select().where(Payment.client == client.id))
            events = list(
                ContactEvent.select().where(
                    (ContactEvent.client == client.id) & (ContactEvent.kind == "payment")
                )
            )
            # A payment row exists exactly when its history event does, for the same amount.
            assert sorted(p.amount for p in payments) == sorted(e.amount for e in events)
            for payment in payments:
                shares = [
                    a.amount for a in Allocation.select().where(Allocation.payment == payment.id)
                ]
                assert sum(shares) <= payment.amount and all(share > 0 for share in shares)
    finally:
        close_database()


def write_csv(path: Path, rows: int, clients: int) -> None:
    """An invoice export of ``rows`` lines spread over ``clients`` clients."""
    lines = ["Invoice,Customer,Issued,Due date,Amount,Balance,Email"]
    for number in range(rows):
        who = number % clients
        lines.append(
            f"BIG-{number:06d},Client {who:04d},2026-09-01,2026-10-01,100.00,100.00,"
            f"c{who}@example.com"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def fresh_book(tmp_path: Path, name: str, template: Path) -> Path:
    """A copy of a template book (closed, checkpointed) under a new name."""
    target = tmp_path / name / "relance.db"
    target.parent.mkdir()
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """An empty, checkpointed book to copy for each run."""
    path = tmp_path / "template" / "relance.db"
    open_database(path)
    close_database()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    return path


def test_an_import_killed_at_any_moment_is_all_or_nothing(tmp_path: Path, template: Path) -> None:
    rows = 600
    csv_file = tmp_path / "big.csv"
    write_csv(csv_file, rows, clients=200)
    whole = fresh_book(tmp_path, "whole", template)
    took = run_to_the_end("import", str(csv_file), db=whole)
    assert_book_consistent(whole)
    inside = 0
    for number, fraction in enumerate(KILL_AT):
        path = fresh_book(tmp_path, f"killed-{number}", template)
        process = relance_process("import", str(csv_file), db=path)
        # Scaled down: a run a little faster than the timed one is still caught mid-import.
        delay = took * fraction * 0.7
        inside += kill_inside_a_write(process, path, delay, from_first_write=False)
        assert_book_consistent(path)
        open_database(path)
        try:
            assert Invoice.select().count() in (0, rows)
            assert Client.select().count() in (0, 200)
            assert (Invoice.select().count() == 0) == (Client.select().count() == 0)
        finally:
            close_database()
    assert inside >= 3, "the kills should land inside the import's transaction"
    # The book is usable afterwards: the same import goes through to the end.
    run_to_the_end("import", str(csv_file), db=path)
    open_database(path)
    try:
        assert Invoice.select().count() == rows
    finally:
        close_database()


# Payments recorded one after another through the CLI's own entry point, as fast as it goes.
PAYMENT_LOOP = textwrap.dedent(
    """
    from relance.cli import main
    for number in range(100000):
        main(["payment", "add", "Payer SA", "7.00", "--reference", f"loop-{number}"])
    """
)


def test_payments_killed_at_any_moment_are_whole(tmp_path: Path, template: Path) -> None:
    path = fresh_book(tmp_path, "payments", template)
    run_to_the_end("client", "add", "Payer SA", db=path)
    for number in range(3):
        run_to_the_end(
            "invoice", "add", "Payer SA", f"F-{number}", "250.00",
            "--issued", "2026-09-01", "--due", "2026-10-01",
            db=path,
        )  # fmt: skip
    recorded = 0
    for fraction in KILL_AT:
        loop = subprocess.Popen(
            [sys.executable, "-c", PAYMENT_LOOP],
            env={**os.environ, "RELANCE_DB": str(path)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        # Long enough for the loop to start and record some payments before the kill.
        assert kill_inside_a_write(loop, path, 0.3 + fraction)
        assert_book_consistent(path)
        open_database(path)
        try:
            count = Payment.select().count()
        finally:
            close_database()
        assert count >= recorded
        recorded = count
    assert recorded > 0, "the loop never got to record a payment"


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1, set in the config with a creditor."""
    with smtp_server() as running:
        config = Path(os.environ["RELANCE_CONFIG"])
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {running.port}\nsecurity = "none"\n',
            encoding="utf-8",
        )
        yield running


def seed_overdue_clients(path: Path, count: int) -> None:
    """Clients each owing one overdue invoice and having an e-mail address."""
    lines = ["Invoice,Customer,Issued,Due date,Amount,Balance,Email"]
    for number in range(count):
        lines.append(
            f"R-{number:03d},Debtor {number:03d},2026-09-01,2026-10-01,300.00,300.00,"
            f"debtor{number}@example.com"
        )
    source = path.parent / "debtors.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_to_the_end("import", str(source), db=path)


def logged_message_ids() -> list[str]:
    """The Message-ID of every reminder in the history."""
    events = ContactEvent.select().where(ContactEvent.kind == "email")
    return [recorded_headers(event.body).get("Message-ID", "") for event in events]


def assert_each_reminder_sent_xor_queued(outbox_root: Path, server: SmtpServer) -> None:
    """After recovery: every logged reminder is in the outbox exactly once, sent or queued."""
    outbox = Outbox(outbox_root)
    open_database(outbox_root.parent / "relance.db")
    try:
        with outbox.locked():
            recover_outbox(outbox)
        logged = logged_message_ids()
    finally:
        close_database()
    assert "" not in logged
    assert len(logged) == len(set(logged)), "a reminder was logged twice"
    for leftover in ("tmp", "sending"):
        folder = outbox_root / leftover
        assert not folder.is_dir() or not any(folder.iterdir())
    entries = outbox.entries()
    files = [entry.message_id for entry in entries]
    # Logged ⇔ in the outbox, once: never a message without its history line, nor the reverse.
    assert sorted(files) == sorted(logged)
    received = {message.message["Message-ID"] for message in server.received}
    sent = {entry.message_id for entry in entries if entry.state == "sent"}
    assert received <= set(logged), "a message went out that the history does not show"
    assert sent <= received, "filed as sent but the server never got it"
    for entry in entries:
        if entry.message_id in received and entry.state != "sent":
            # The one window nothing closes (the server took it, the kill came before the
            # rename): still queued, with a reason saying it may have gone already.
            assert "stopped while sending" in entry.reason


def wait_for_messages(server: SmtpServer, count: int, process: subprocess.Popen[bytes]) -> None:
    """Wait until the server has received ``count`` messages in all, or the process ended."""
    deadline = time.monotonic() + 60
    while len(server.received) < count and process.poll() is None:
        assert time.monotonic() < deadline, "the batch sent nothing for a minute"
        time.sleep(0.002)


def test_reminders_killed_at_any_moment_are_sent_or_queued(
    tmp_path: Path, template: Path, mail_server: SmtpServer
) -> None:
    path = fresh_book(tmp_path, "reminders", template)
    seed_overdue_clients(path, CLIENTS)
    outbox_root = path.parent / "relance-outbox"
    inside = 0
    for run, fraction in enumerate(KILL_AT):
        process = relance_process("remind", "--due", db=path)
        # The kill waits for a few more messages to reach the server (a count, not a delay,
        # so a fast machine cannot finish the batch first), then lands in a following write.
        wait_for_messages(mail_server, len(mail_server.received) + 2 + 3 * run, process)
        jitter = random.Random(fraction).uniform(0.0, 0.08)
        inside += kill_inside_a_write(process, path, 0.0, jitter, from_first_write=False)
        assert_book_consistent(path)
        assert_each_reminder_sent_xor_queued(outbox_root, mail_server)
    assert inside >= 3, "the kills should land while reminders are being written"
    assert 0 < len(mail_server.received) < CLIENTS, "the kills should cut the batch short"
    # Afterwards a full run and a retry reach everyone, each exactly once.
    run_to_the_end("remind", "--due", db=path)
    run_to_the_end("outbox", "retry", db=path)
    assert_book_consistent(path)
    assert_each_reminder_sent_xor_queued(outbox_root, mail_server)
    open_database(path)
    try:
        logged = logged_message_ids()
    finally:
        close_database()
    assert len(logged) == CLIENTS
    states = {entry.state for entry in Outbox(outbox_root).entries()}
    assert states == {"sent"}
    assert {message.message["Message-ID"] for message in mail_server.received} == set(logged)


def write_bank_statement(path: Path, rows: int) -> None:
    """A bank's CSV export crediting ``rows`` transfers, each quoting one invoice of write_csv."""
    lines = ["Date;Libellé;Référence;Montant"]
    lines.extend(
        f"20/11/2026;VIR SEPA /MOTIF BIG-{number:06d};VIR{number:06d};100,00"
        for number in range(rows)
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_bank_import_killed_at_any_moment_leaves_the_book_before_or_after_it(
    tmp_path: Path, template: Path
) -> None:
    rows = 300
    invoices = tmp_path / "invoices.csv"
    write_csv(invoices, rows, clients=100)
    bank = tmp_path / "releve.csv"
    write_bank_statement(bank, rows)
    run_to_the_end("import", str(invoices), db=template)
    whole = fresh_book(tmp_path, "whole", template)
    took = run_to_the_end("bank", "import", str(bank), db=whole)
    assert_book_consistent(whole)
    inside = 0
    for number, fraction in enumerate(KILL_AT):
        path = fresh_book(tmp_path, f"bank-killed-{number}", template)
        process = relance_process("bank", "import", str(bank), db=path)
        inside += kill_inside_a_write(process, path, took * fraction * 0.7, from_first_write=False)
        assert_book_consistent(path)
        raw = sqlite3.connect(path)
        try:
            lines = raw.execute("SELECT count(*) FROM bank_line").fetchone()[0]
            payments = raw.execute("SELECT count(*) FROM payment").fetchone()[0]
        finally:
            raw.close()
        assert (lines, payments) in ((0, 0), (rows, rows))
    assert inside >= 3, "the kills should land inside the import's transaction"
    # Afterwards the import goes through, and a second one records nothing more.
    run_to_the_end("bank", "import", str(bank), db=path)
    run_to_the_end("bank", "import", str(bank), db=path)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT count(*) FROM payment").fetchone()[0] == rows
    finally:
        raw.close()
