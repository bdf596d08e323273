"""A bounded soak: five streams of commands on one book at once, then an exact reconciliation."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from smtp_server import smtp_server

pytestmark = pytest.mark.soak

# Bounded so that CI runs it by default: about 20 s in all on two shared cores.
WRITE_SECONDS = 12.0
CLIENT = "Soak SARL"
DUE = ("--due", "2026-10-01")


def relance(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """One `relance` process, as a script would start it."""
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_five_streams_at_once_lose_nothing_and_send_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    with smtp_server() as server:
        config = tmp_path / "config.toml"
        config.write_text(
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
        env.update(RELANCE_TODAY="2026-11-23", RELANCE_CONFIG=str(config), RELANCE_DB=str(db))
        for setup in (
            ("init",),
            ("client", "add", CLIENT),
            (
                "invoice",
                "add",
                CLIENT,
                "S-1",
                "100000.00",
                "--issued",
                "2026-09-01",
                "--due",
                "2026-10-01",
            ),
        ):
            assert relance(env, *setup).returncode == 0
        deadline = time.monotonic() + WRITE_SECONDS
        accepted: dict[str, list[str]] = {name: [] for name in STREAMS}
        attempted: Counter[str] = Counter()

        def stream(name: str, command: Callable[[int], tuple[str, ...]]) -> None:
            number = 0
            while time.monotonic() < deadline:
                number += 1
                attempted[name] += 1
                done = relance(env, *command(number))
                if done.returncode == 0:
                    accepted[name].append(str(number))

        def import_command(number: int) -> tuple[str, ...]:
            source = tmp_path / f"import-{number}.csv"
            source.write_text(
                "Invoice,Customer,Issued,Due date,Amount,Currency,Email\n"
                f"IMP-{number},Imported {number},2026-09-01,2026-10-01,250.00,EUR,"
                f"ap{number}@imported.example\n",
                encoding="utf-8",
            )
            return ("import", str(source))

        commands: dict[str, Callable[[int], tuple[str, ...]]] = {
            "payments": lambda n: ("payment", "add", CLIENT, f"{n}.01", "--reference", f"P{n}"),
            "calls": lambda n: ("call", CLIENT, "--outcome", "no-answer", "--note", f"C{n}"),
            "notes": lambda n: ("note", CLIENT, f"N{n}"),
            "imports": import_command,
            "remind": lambda n: ("remind", "--due"),
        }
        threads = [threading.Thread(target=stream, args=(name, commands[name])) for name in STREAMS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        received = list(server.received)

    book = json.loads(relance(env, "export", "--format", "json").stdout)
    payments = [row for row in book["payments"] if row["reference"].startswith("P")]
    references = Counter(row["reference"] for row in payments)
    assert references == Counter(f"P{n}" for n in accepted["payments"])
    total = sum(Decimal(row["amount"]) for row in payments)
    assert total == sum(Decimal(f"{n}.01") for n in accepted["payments"])
    calls = Counter(
        row["body"] or row["summary"] for row in book["history"] if row["kind"] == "call"
    )
    assert sum(calls.values()) == len(accepted["calls"])
    # Imports write notes of their own: the stream's notes are the texts N1, N2, …
    texts = (row["summary"] or row["body"] for row in book["history"] if row["kind"] == "note")
    notes = Counter(text for text in texts if re.fullmatch(r"N\d+", text))
    assert notes == Counter(f"N{n}" for n in accepted["notes"])
    imported = Counter(row["number"] for row in book["invoices"] if row["number"].startswith("I"))
    assert imported == Counter(f"IMP-{n}" for n in accepted["imports"])
    recipients = Counter(rcpt for message in received for rcpt in message.rcpt_tos)
    assert all(count == 1 for count in recipients.values()), recipients
    sent = [row for row in book["history"] if row["kind"] == "email"]
    assert len(sent) == len(received)
    check = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()
    assert check == ("ok",)
    writes = sum(attempted[name] for name in STREAMS if name != "remind")
    kept = sum(len(accepted[name]) for name in STREAMS if name != "remind")
    print(
        f"\nsoak: {writes} writes attempted, {kept} accepted, 0 lost; "
        f"{attempted['remind']} remind --due runs, {len(received)} messages, none twice"
    )


STREAMS = ("payments", "calls", "notes", "imports", "remind")
