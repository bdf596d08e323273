"""Imports work in sets: the statements they run do not grow with the rows of the file.

Nothing here is timed (the machine may be busy); what is counted is how many statements
Python hands to SQLite, which is what made an import slow when it asked a few per row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from relance.importing.apply import PROGRESS_STEPS, apply_plan
from relance.importing.csv_source import read_csv
from relance.services.importing import apply_import, preview_import
from relance.store.database import transaction
from relance.store.models import Client, Contact, Invoice, Payment, database
from relance.store.triage_index import refresh_all_summaries

HEADER = "Facture;Client;Date;Échéance;Montant TTC;Payé\n"
# However many rows, they go to these few clients: the triage refresh runs once per client.
CLIENTS = ("Alpha SARL", "Beta SAS", "Gamma & Fils", "Delta")
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


class CountingCursor:
    """A cursor that notes every statement run through it (``executemany`` counts once)."""

    def __init__(self, cursor: sqlite3.Cursor, seen: list[str]) -> None:
        self.cursor = cursor
        self.seen = seen

    def execute(self, sql: str, params: Any = ()) -> CountingCursor:
        self.seen.append(sql)
        self.cursor.execute(sql, params)
        return self

    def executemany(self, sql: str, rows: Any) -> CountingCursor:
        self.seen.append(sql)
        self.cursor.executemany(sql, rows)
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(self.cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement the open book runs inside the block."""
    seen: list[str] = []
    bound = database.obj
    original = bound.cursor
    with monkeypatch.context() as patch:
        patch.setattr(bound, "cursor", lambda *a, **k: CountingCursor(original(*a, **k), seen))
        yield seen


def money(minor: int) -> str:
    """An amount as a French spreadsheet writes it."""
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 100)
    return f"{sign}{units},{cents:02d}"


def first_ledger(path: Path, rows: int) -> Path:
    """``rows`` invoices over the four clients, every third one partly paid."""
    lines = []
    for index in range(rows):
        issued = date(2026, 1 + index % 9, 1 + index % 28)
        paid = money(5000) if index % 3 == 0 else ""
        lines.append(
            f"F-{index:06d};{CLIENTS[index % 4]};{issued:%d/%m/%Y};;{money(10000 + index)};{paid}"
        )
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def second_ledger(path: Path, rows: int) -> Path:
    """The same invoices a month later: new amounts, more paid, new invoices, credit notes."""
    lines = []
    for index in range(rows):
        issued = date(2026, 1 + index % 9, 1 + index % 28)
        amount = 10000 + index + (700 if index % 5 == 0 else 0)
        paid = money(8000) if index % 2 == 0 else ""
        lines.append(
            f"F-{index:06d};{CLIENTS[index % 4]};{issued:%d/%m/%Y};;{money(amount)};{paid}"
        )
    for index in range(rows // 10):
        lines.append(f"N-{index:06d};{CLIENTS[index % 4]};01/10/2026;;{money(2500)};")
    for index in range(rows // 20):
        lines.append(f"AV-{index:06d};{CLIENTS[index % 4]};15/10/2026;;{money(-1200)};")
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def statements(tmp_path: Path, rows: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Statements run by a first import of ``rows`` invoices, then by an update of them all."""
    from relance.store.database import close_database, open_database

    folder = tmp_path / f"rows-{rows}"
    folder.mkdir()
    at = datetime(2026, 11, 23, 9, 30)
    open_database(folder / "relance.db")
    try:
        first = first_ledger(folder / "first.csv", rows)
        with counted(monkeypatch) as seen:
            report = apply_import(str(first), "", at)
        assert report.outcome.written and not report.errors
        on_first = len(seen)
        second = second_ledger(folder / "second.csv", rows)
        with counted(monkeypatch) as seen:
            report = apply_import(str(second), "", at)
        record = report.outcome.record()
        assert record["written"], record["errors"]
        # The update really does every kind of write: changed amounts, payments, credit notes.
        assert record["updated_invoices"] == rows // 5
        assert record["new_invoices"] == rows // 10
        assert record["payments"] > 0
        assert record["credit_notes"] == rows // 20
        return on_first, len(seen)
    finally:
        close_database()


def test_the_statements_an_import_runs_do_not_grow_with_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = statements(tmp_path, 200, monkeypatch)
    large = statements(tmp_path, 2000, monkeypatch)
    # Ten times the rows, (almost) the same statements: a handful to load, one per table to
    # write, and the triage refresh of each of the four clients.
    for few, many in zip(small, large, strict=True):
        assert many <= few + 4, (few, many)
        assert many < 120, many


def test_a_dry_run_runs_as_few_statements_and_writes_nothing(
    tmp_path: Path, book: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = first_ledger(tmp_path / "first.csv", 2000)
    at = datetime(2026, 11, 23, 9, 30)
    with counted(monkeypatch) as seen:
        report = preview_import(str(source), "", at)
    assert report.outcome.record()["new_invoices"] == 2000
    assert len(seen) < 40
    assert Invoice.select().count() == 0
    assert Client.select().count() == 0


def test_progress_is_reported_in_a_bounded_number_of_steps(
    tmp_path: Path, book: SqliteDatabase
) -> None:
    plan = read_csv(first_ledger(tmp_path / "first.csv", 5000))
    seen: list[tuple[int, int]] = []
    outcome = apply_plan(
        plan, datetime(2026, 11, 23, 9, 30), progress=lambda done, total: seen.append((done, total))
    )
    assert outcome.written
    assert len(seen) <= PROGRESS_STEPS + 1
    assert seen[-1] == (5000, 5000)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})


def test_the_triage_index_is_exact_after_an_import_in_sets(
    tmp_path: Path, book: SqliteDatabase
) -> None:
    at = datetime(2026, 11, 23, 9, 30)
    for ledger in (first_ledger(tmp_path / "a.csv", 300), second_ledger(tmp_path / "b.csv", 300)):
        assert apply_import(str(ledger), "", at).outcome.written
    columns = [getattr(Client, name) for name in SUMMARY_COLUMNS]
    imported = list(Client.select(Client.id, *columns).order_by(Client.id).tuples())
    with transaction():
        refresh_all_summaries()
    assert list(Client.select(Client.id, *columns).order_by(Client.id).tuples()) == imported
    # And paid is, as everywhere, the sum of what was allocated to each invoice.
    for invoice in Invoice.select():
        assert invoice.paid == sum(share.amount for share in invoice.allocations)


def test_rows_written_in_sets_read_back_as_the_models_write_them(
    tmp_path: Path, book: SqliteDatabase
) -> None:
    source = tmp_path / "one.csv"
    source.write_text(
        "Facture;Client;Date;Échéance;Montant TTC;Payé;Email\n"
        "F-1;Epsilon;01/09/2026;01/10/2026;1 000,00;400,00;compta@epsilon.example\n",
        encoding="utf-8",
    )
    at = datetime(2026, 11, 23, 9, 30)
    assert apply_import(str(source), "", at).outcome.written
    # Stored as Peewee stores them: dates and moments as ISO text.
    raw = book.execute_sql(
        "SELECT i.issued_on, i.due_on, i.created_at, c.created_at, p.received_on, p.created_at "
        "FROM invoice i JOIN client c ON c.id = i.client_id JOIN payment p ON p.client_id = c.id"
    ).fetchone()
    assert raw == (
        "2026-09-01",
        "2026-10-01",
        "2026-11-23 09:30:00",
        "2026-11-23 09:30:00",
        "2026-10-01",
        "2026-11-23 09:30:00",
    )
    client = Client.get(Client.name == "Epsilon")
    assert (client.created_at, client.kind, client.language, client.currency) == (
        at,
        "b2b",
        "fr",
        "EUR",
    )
    # Columns the import does not name hold the models' defaults, as Model.create gives them.
    unset = {"payment_terms_days": 30, "disputed": False, "notes": "", "region": ""}
    assert {name: getattr(client, name) for name in unset} == unset
    contact = Contact.get(Contact.client == client.id)
    assert (contact.email, contact.is_billing, contact.name, contact.phone) == (
        "compta@epsilon.example",
        True,
        "",
        "",
    )
    payment = Payment.get(Payment.client == client.id)
    assert (payment.amount, payment.method, payment.reference, payment.reversal_reason) == (
        40000,
        "import",
        "F-1",
        "",
    )
    assert payment.reversed_at is None
    assert Invoice.get(Invoice.number == "F-1").issued_on == date(2026, 9, 1)
