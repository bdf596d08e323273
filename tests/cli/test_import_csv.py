"""`relance import` on CSV files of every dialect: all or nothing, every error, no duplicates."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_fixtures import Relance, Run
from locations import TEST_DATA
from relance.store.database import close_database, open_database
from relance.store.models import Client, ContactEvent, Invoice, Payment

DATA = TEST_DATA


@pytest.fixture
def book_path() -> Path:
    """The book the CLI writes to (RELANCE_DB, set by the isolated environment)."""
    return Path(os.environ["RELANCE_DB"])


@pytest.fixture
def book(book_path: Path) -> Callable[[], dict[str, Any]]:
    """A function that reads the whole book back: invoices, payments, clients and events."""

    def read() -> dict[str, Any]:
        if not book_path.exists():
            return {"clients": {}, "invoices": {}, "payments": [], "events": []}
        open_database(book_path)
        try:
            return {
                "clients": {c.name: c.currency for c in Client.select().order_by(Client.id)},
                "invoices": {
                    inv.number: (
                        inv.client.name,
                        str(inv.issued_on),
                        str(inv.due_on),
                        inv.amount,
                        inv.paid,
                        inv.currency,
                    )
                    for inv in Invoice.select()
                },
                "payments": sorted(
                    (p.client.name, p.amount, p.method, p.reference, str(p.received_on))
                    for p in Payment.select()
                ),
                "events": [
                    (e.client.name, e.summary)
                    for e in ContactEvent.select().where(ContactEvent.outcome == "import")
                ],
                "outstanding": {c.name: c.outstanding for c in Client.select()},
            }
        finally:
            close_database()

    return read


@pytest.fixture(autouse=True)
def closed() -> Iterator[None]:
    """Never leave the book bound to the next test."""
    yield
    close_database()


def imported(relance: Relance, name: str, *options: str) -> Run:
    """Import a data file (a name in tests/data, or a full path) and insist it worked."""
    run = relance("import", str(DATA / name), *options)
    assert run.status == 0, run.err
    assert run.err == ""
    return run


def test_comma_utf8_with_thousands_commas_and_iso_dates(relance: Relance, book: Any) -> None:
    run = imported(relance, "invoices_comma.csv")
    assert "new clients: 2 (Acme Ltd, Globex)" in run.out
    assert "new invoices: 3" in run.out
    assert "payments recorded: 2" in run.out
    state = book()
    assert state["invoices"] == {
        "INV-001": ("Acme Ltd", "2026-09-01", "2026-10-01", 123456, 0, "EUR"),
        "INV-002": ("Acme Ltd", "2026-09-15", "2026-10-15", 50000, 30000, "EUR"),
        "INV-003": ("Globex", "2026-10-01", "2026-10-31", 1200000, 1200000, "EUR"),
    }
    # Paid amounts are dated on the due date (the file gives no payment date).
    assert state["payments"] == [
        ("Acme Ltd", 30000, "import", "INV-002", "2026-10-15"),
        ("Globex", 1200000, "import", "INV-003", "2026-10-31"),
    ]
    assert state["outstanding"] == {"Acme Ltd": 143456, "Globex": 0}


def test_semicolon_utf8_bom_french_headers_and_spaces(relance: Relance, book: Any) -> None:
    imported(relance, "invoices_semicolon_bom.csv")
    state = book()
    assert state["invoices"] == {
        "F-2026-001": ("Boulangerie Dupré", "2026-09-01", "2026-10-01", 123456, 0, "EUR"),
        "F-2026-002": ("Boulangerie Dupré", "2026-09-15", "2026-10-15", 200000, 150000, "EUR"),
        "F-2026-003": ("Café Éclair", "2026-10-01", "2026-10-31", 123456, 123456, "EUR"),
    }


def test_tab_cp1252_with_echeance_and_euro_sign(relance: Relance, book: Any) -> None:
    raw = (DATA / "invoices_tab_cp1252.tsv").read_bytes()
    assert b"\x80" in raw and b"\xc9ch" in raw  # really cp1252: "€" and "Échéance"
    imported(relance, "invoices_tab_cp1252.tsv")
    state = book()
    assert state["invoices"] == {
        "A-17": ("Société Générale des Crêpes", "2026-10-05", "2026-11-04", 123456, 0, "EUR"),
        "A-18": ("Société Générale des Crêpes", "2026-10-06", "2026-11-05", 9990, 9990, "EUR"),
    }


def test_every_bad_row_is_reported_and_nothing_is_written(
    relance: Relance, book: Any, book_path: Path
) -> None:
    run = relance("import", str(DATA / "bad_rows.csv"))
    assert run.status == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert lines[0].endswith("bad_rows.csv: 7 errors, nothing imported")
    assert lines[1:] == [
        "  line 3, column Issued: impossible date: '2026-02-30'",
        "  line 4, column Amount: ambiguous amount '1,234': thousands or decimals? "
        "write 1234.00 or 1.234,00 instead",
        "  line 5, column Invoice: Invoice is empty",
        "  line 6, column Customer: Customer is empty",
        "  line 6, column Due date: the due date is before the issue date",
        "  line 6, column Balance: the balance is more than the total",
        "  line 7, column Amount: ambiguous amount '12.345': thousands or decimals? "
        "write 1234.00 or 1.234,00 instead",
    ]
    # The good first row was not written either: all or nothing.
    assert not book_path.exists()
    assert book()["invoices"] == {}


def test_bad_rows_leave_an_existing_book_untouched(relance: Relance, book: Any) -> None:
    imported(relance, "invoices_comma.csv")
    before = book()
    assert relance("import", str(DATA / "bad_rows.csv")).status == 2
    assert book() == before


def test_error_report_as_json(relance: Relance) -> None:
    run = relance("import", str(DATA / "bad_rows.csv"), "--json")
    assert run.status == 2
    record = json.loads(run.out)
    assert record["written"] is False
    assert {"line": 3, "column": "Issued", "reason": "impossible date: '2026-02-30'"} in record[
        "errors"
    ]
    assert len(record["errors"]) == 7


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "line 1, column -: the file is empty"),
        ("header_only.csv", "line 1, column -: the file has a header but no rows"),
        ("huge.csv", "line 2, column Montant TTC: amount is too large"),
    ],
)
def test_empty_header_only_and_huge_files_are_refused(
    relance: Relance, book_path: Path, name: str, reason: str
) -> None:
    run = relance("import", str(DATA / name))
    assert run.status == 2
    assert reason in run.err
    assert not book_path.exists()


def test_reimporting_the_same_file_changes_nothing(relance: Relance, book: Any) -> None:
    imported(relance, "invoices_comma.csv")
    before = book()
    run = imported(relance, "invoices_comma.csv")
    assert "new invoices: 0" in run.out
    assert "unchanged invoices: 3" in run.out
    assert "payments recorded: 0" in run.out
    assert book() == before


def test_an_updated_file_updates_amounts_and_payments_without_duplicates(
    relance: Relance, book: Any
) -> None:
    imported(relance, "update_v1.csv")
    run = imported(relance, "update_v2.csv")
    assert "new invoices: 1" in run.out
    assert "updated invoices: 1" in run.out
    assert "payments recorded: 2" in run.out
    state = book()
    assert state["invoices"] == {
        "U-1": ("Update Co", "2026-09-01", "2026-10-15", 120000, 50000, "EUR"),
        "U-2": ("Update Co", "2026-09-10", "2026-10-10", 30000, 30000, "EUR"),
        "U-3": ("Update Co", "2026-11-01", "2026-12-01", 5000, 0, "EUR"),
    }
    assert [p[1] for p in state["payments"]] == [30000, 50000]
    # One history event per import that changed the client, naming the file.
    assert [summary.split(" (")[0] for _, summary in state["events"]] == [
        "imported 2 invoice(s) from update_v1.csv",
        "imported 2 invoice(s) from update_v2.csv",
    ]
    # And importing the update again changes nothing more.
    imported(relance, "update_v2.csv")
    assert book() == state


def test_dry_run_reports_the_same_changes_and_writes_nothing(relance: Relance, book: Any) -> None:
    imported(relance, "update_v1.csv")
    before = book()
    run = imported(relance, "update_v2.csv", "--dry-run")
    assert run.out.splitlines() == [
        "dry run, nothing written: update_v2.csv (3 rows)",
        "new clients: 0",
        "new invoices: 1",
        "updated invoices: 1",
        "unchanged invoices: 1",
        "payments recorded: 2",
        "credit notes: 0",
    ]
    assert book() == before


def test_dry_run_on_bad_rows_shows_the_same_report(relance: Relance) -> None:
    plain = relance("import", str(DATA / "bad_rows.csv"))
    dry = relance("import", str(DATA / "bad_rows.csv"), "--dry-run")
    assert dry.status == plain.status == 2
    assert dry.err == plain.err


def test_a_mapping_file_names_other_columns(relance: Relance, book: Any) -> None:
    refused = relance("import", str(DATA / "custom_columns.csv"))
    assert refused.status == 2
    assert "no column for number (map one with --mapping FILE)" in refused.err
    imported(relance, "custom_columns.csv", "--mapping", str(DATA / "custom_mapping.toml"))
    assert book()["invoices"] == {
        "X-1": ("Custom Client", "2026-09-01", "2026-10-01", 25000, 20000, "EUR"),
    }


def test_a_mapping_to_an_unknown_field_is_refused(relance: Relance, tmp_path: Path) -> None:
    mapping = tmp_path / "bad.toml"
    mapping.write_text('[columns]\n"Ref" = "colour"\n', encoding="utf-8")
    run = relance("import", str(DATA / "custom_columns.csv"), "--mapping", str(mapping))
    assert run.status == 2
    assert "the field must be one of" in run.err


def test_same_number_twice_in_a_file_is_refused(relance: Relance, tmp_path: Path) -> None:
    source = tmp_path / "twice.csv"
    source.write_text(
        "Invoice,Customer,Issued,Amount\nT-1,A,2026-01-01,10\nT-1,B,2026-01-02,20\n",
        encoding="utf-8",
    )
    run = relance("import", str(source))
    assert run.status == 2
    assert "line 3, column number: T-1 is already on line 2" in run.err


def test_a_number_of_another_client_is_refused(relance: Relance, tmp_path: Path) -> None:
    imported(relance, "update_v1.csv")
    source = tmp_path / "other.csv"
    source.write_text(
        "Invoice,Customer,Issued,Amount\nU-1,Someone Else,2026-01-01,10\n", encoding="utf-8"
    )
    run = relance("import", str(source))
    assert run.status == 2
    assert "line 2, column number: invoice U-1 belongs to Update Co, not Someone Else" in run.err


def test_a_missing_file_is_one_line(relance: Relance, tmp_path: Path) -> None:
    run = relance("import", str(tmp_path / "nope.csv"))
    assert run.status == 2
    assert run.err.startswith("relance: no file to import at ")
    assert len(run.err.splitlines()) == 1


def test_dry_run_without_a_book_previews_a_first_import(relance: Relance, book_path: Path) -> None:
    run = imported(relance, "invoices_comma.csv", "--dry-run")
    assert "new clients: 2 (Acme Ltd, Globex)" in run.out
    assert "new invoices: 3" in run.out
    assert not book_path.exists()


def test_success_as_json(relance: Relance) -> None:
    run = imported(relance, "update_v1.csv", "--json")
    record = json.loads(run.out)
    assert record["written"] is True
    assert record["dry_run"] is False
    assert (record["rows"], record["new_clients"], record["new_invoices"]) == (
        2,
        ["Update Co"],
        2,
    )
    assert record["errors"] == []


def test_progress_is_reported_row_by_row(book: Any, book_path: Path) -> None:
    from datetime import datetime

    from relance.importing.apply import apply_plan
    from relance.importing.csv_source import read_csv

    plan = read_csv(DATA / "invoices_semicolon_bom.csv")
    seen: list[tuple[int, int]] = []
    open_database(book_path)
    outcome = apply_plan(
        plan, datetime(2026, 11, 23, 9, 0), progress=lambda done, total: seen.append((done, total))
    )
    close_database()
    assert outcome.written
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_payment_dates_and_credit_notes_from_csv(
    relance: Relance, book: Any, tmp_path: Path
) -> None:
    source = tmp_path / "ledger.csv"
    source.write_text(
        "Facture;Client;Date;Échéance;Montant TTC;Payé;Date de paiement\n"
        "C-1;Credit Co;01/09/2026;01/10/2026;1 000,00;400,00;20/10/2026\n"
        "C-2;Credit Co;01/10/2026;31/10/2026;500,00;;\n"
        "AV-1;Credit Co;15/10/2026;;-250,00;;\n",
        encoding="utf-8",
    )
    run = imported(relance, str(source))
    assert "credit notes: 1" in run.out
    state = book()
    assert state["payments"] == [
        ("Credit Co", 25000, "credit note", "AV-1", "2026-10-15"),
        ("Credit Co", 40000, "import", "C-1", "2026-10-20"),
    ]
    # The credit goes to the oldest open invoice: 1000 − 400 − 250 + 500 = 850 owed.
    assert state["invoices"]["C-1"][4] == 65000
    assert state["outstanding"] == {"Credit Co": 85000}
    assert "AV-1" not in state["invoices"]
    imported(relance, str(source))
    assert book() == state


def test_a_total_below_what_is_paid_is_refused(relance: Relance, book: Any, tmp_path: Path) -> None:
    imported(relance, "update_v2.csv")
    lower = tmp_path / "lower.csv"
    lower.write_text(
        "Invoice,Customer,Issued,Amount,Balance\nU-2,Update Co,2026-09-10,100.00,0\n",
        encoding="utf-8",
    )
    before = book()
    run = relance("import", str(lower))
    assert run.status == 2
    assert "line 2, column amount: more than this total is already paid on U-2" in run.err
    assert book() == before
