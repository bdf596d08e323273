"""Overlapping `relance remind --due` runs, as real processes, against one real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from cli_fixtures import Relance, ok
from relance.paths import outbox_path
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.store.database import close_database, open_database
from smtp_server import smtp_server

CLIENTS = 20
RUNS = 3


def due_book(path: Path, at: datetime) -> list[str]:
    """A book of clients each owing one overdue invoice; their addresses."""
    open_database(path)
    addresses = []
    try:
        for number in range(CLIENTS):
            address = f"compta{number}@client{number}.fr"
            client_id = add_client(f"Client {number:02d}", at, email=address).client_id
            add_invoice(client_id, f"F-{number}", "500.00", "2026-09-01", "2026-10-01", at)
            addresses.append(address)
    finally:
        close_database()
    return addresses


def test_three_overlapping_batches_send_each_reminder_once(tmp_path: Path, at: datetime) -> None:
    book = tmp_path / "book" / "relance.db"
    addresses = due_book(book, at)
    config = tmp_path / "config.toml"
    with smtp_server() as server:
        config.write_text(
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "RELANCE_DB": str(book), "RELANCE_CONFIG": str(config)}
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "relance", "remind", "--due"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(RUNS)
        ]
        outputs = [run.communicate(timeout=240) for run in runs]
        received = list(server.received)
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    per_recipient = Counter(who for message in received for who in message.rcpt_tos)
    assert per_recipient == Counter(addresses)
    # The runs that lost the race say why they sent nothing for those clients: reminded today,
    # or (caught between another run's queueing and its delivery) waiting in the outbox.
    told = sum(
        out.count("already reminded today") + out.count("its last reminder waits in the outbox")
        for out, _ in outputs
    )
    assert told == CLIENTS * (RUNS - 1)


def test_a_second_reminder_the_same_day_is_refused_and_nothing_is_written(
    relance: Relance,
) -> None:
    ok(relance("init"))
    ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr"))
    dates = ("--issued", "2026-09-01", "--due", "2026-10-01")
    ok(relance("invoice", "add", "Durand SARL", "F-1", "500.00", *dates))
    ok(relance("remind", "Durand SARL"))
    outbox = outbox_path(Path(os.environ["RELANCE_DB"]))
    queued = sorted(p.name for p in (outbox / "new").iterdir())
    again = relance("remind", "Durand SARL")
    assert again.status == 2
    assert again.err.strip().endswith("Durand SARL was already reminded today; nothing was sent")
    assert again.err.count("\n") == 1
    assert sorted(p.name for p in (outbox / "new").iterdir()) == queued
    assert list((outbox / "tmp").iterdir()) == []
