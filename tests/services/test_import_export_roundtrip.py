"""`relance import` of a `relance export` file: the very same book back, or nothing at all."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from peewee import SqliteDatabase

from relance.cli import main
from relance.domain.jurisdictions import SERIES
from relance.domain.rates import RateOrigin, RatePeriod
from relance.services.calls import log_call
from relance.services.clients import (
    add_client,
    add_note,
    set_dispute,
    set_legal_terms,
    snooze_client,
)
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.plans import propose_plan
from relance.services.sample import load_sample
from relance.store.database import close_database
from relance.store.models import Contact
from relance.store.rates import add_user_rate

NOTE = '[bold]not bold[/] \x1b[31mred\x1b[0m, "quoted"\nsecond line'
EXPORTED_AT = re.compile(r'("exported_at": "|exported_at = ")[^"]*"')


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; returns the status, stdout and stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def export_text(capsys: pytest.CaptureFixture[str], db: Path, kind: str) -> str:
    """The export of a book to standard output."""
    status, out, err = run(capsys, "export", "--format", kind, "--db", str(db))
    assert status == 0, err
    return out


def parsed(text: str, kind: str) -> dict[str, Any]:
    """An export's content without the moment it was taken."""
    data: dict[str, Any] = json.loads(text) if kind == "json" else tomllib.loads(text)
    del data["exported_at"]
    return data


def book_rows(db: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """How many rows the book holds over every exported table (0 when it does not exist)."""
    if not db.exists():
        return 0
    data = parsed(export_text(capsys, db, "json"), "json")
    return sum(len(value) for value in data.values() if isinstance(value, list))


@pytest.fixture
def seeded(book: SqliteDatabase, tmp_path: Path, at: datetime) -> Path:
    """A book with a bit of everything, written through the services."""
    durand = add_client(
        "Durand [bold]SARL[/]",
        at,
        email="compta@durand.fr",
        phone="+33 1 23 45 67 89",
        contact_name="Mme Durand",
        address="1 rue de la Paix\n75002 Paris",
    ).client_id
    # No service adds a second contact yet; the sample writes them the same way.
    Contact.create(client=durand, name="M. Martin", role="DAF", email="daf@durand.fr")
    set_legal_terms(durand, at, contract_rate="12.5")
    smith = add_client("Smith LLC", at, language="en", email="ap@smith.example").client_id
    set_legal_terms(smith, at, jurisdiction_code="us", region="CA")
    lent = add_client("Lent [i]SA[/i]", at).client_id
    add_invoice(durand, "F-1", "1200.00", "2026-09-01", "2026-10-01", at)
    add_invoice(durand, "F-2", "300.50", "2026-11-15", "2026-12-15", at)
    add_invoice(smith, "US-1", "99.99", "2026-08-01", "2026-08-31", at, currency="USD")
    add_invoice(lent, "L-1", "450.00", "2026-07-01", "2026-07-31", at)
    add_invoice(lent, "L-2", "50.00", "2026-07-05", "2026-08-04", at)
    record_payment(durand, "200", at, received_on="2026-11-20", invoice_number="F-1")
    record_payment(lent, "120.10", at, received_on="2026-11-02", method="chèque")
    log_call(
        durand,
        "promised",
        at,
        note="next week [red]",
        promised_amount="500",
        promised_on="2026-11-30",
        who="Mme Durand",
    )
    propose_plan(durand, "2", at, every="month", first="2026-12-20")
    set_dispute(smith, True, at, note="says US-1 was never \x1b[31mreceived")
    snooze_client(lent, "2026-12-01", at)
    add_note(durand, NOTE, at)
    add_note(lent, "\x1b[31m[bold]red[/bold]", at)
    add_user_rate(
        RatePeriod(
            SERIES[0],
            date(2030, 1, 1),
            date(2030, 6, 30),
            Decimal("2.15"),
            RateOrigin.USER,
            "from the gazette",
        ),
        at,
    )
    close_database()
    return tmp_path / "book" / "relance.db"


@pytest.mark.parametrize("kind", ["json", "toml"])
def test_export_imported_into_an_empty_book_exports_identically(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    first = export_text(capsys, seeded, kind)
    source = tmp_path / f"book.{kind}"
    source.write_text(first, encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 0, err
    assert out.startswith(f"restored: book.{kind} (")
    assert "clients: 3" in out
    second = export_text(capsys, copy, kind)
    assert parsed(second, kind) == parsed(first, kind)
    assert EXPORTED_AT.sub("", second) == EXPORTED_AT.sub("", first)
    # Nothing was added to the history: the copy is the same book, event for event.
    assert len(parsed(second, kind)["history"]) == len(parsed(first, kind)["history"])


def test_derived_columns_are_recomputed_not_trusted(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = export_text(capsys, seeded, "json")
    data = json.loads(first)
    for client in data["clients"]:
        client.update(outstanding="0.00", next_action="", ladder_step=0, oldest_due_on=None)
    for invoice in data["invoices"]:
        invoice["paid"] = "0.00"
    source = tmp_path / "tampered.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 0, err
    assert parsed(export_text(capsys, copy, "json"), "json") == parsed(first, "json")


def test_dry_run_writes_nothing(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "book.json"
    source.write_text(export_text(capsys, seeded, "json"), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, out, err = run(capsys, "import", str(source), "--dry-run", "--db", str(copy))

    assert status == 0, err
    assert out.startswith("dry run, nothing written: book.json (")
    assert "invoices: 5" in out
    assert not copy.exists()
    status, out, err = run(capsys, "import", str(source), "--dry-run", "--json", "--db", str(copy))
    assert status == 0, err
    record = json.loads(out)
    assert (record["written"], record["tables"]["clients"]) == (False, 3)


@pytest.mark.parametrize("kind", ["json", "toml"])
def test_import_into_a_book_with_clients_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    source = tmp_path / f"book.{kind}"
    source.write_text(export_text(capsys, seeded, kind), encoding="utf-8")
    before = export_text(capsys, seeded, "json")

    status, _out, err = run(capsys, "import", str(source), "--db", str(seeded))

    assert status == 2
    assert "not empty" in err
    assert parsed(export_text(capsys, seeded, "json"), "json") == parsed(before, "json")


def test_corrupted_export_lists_every_error_and_writes_nothing(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    data["invoices"][0]["amount"] = "12,50"
    data["payments"][1]["amount"] = "0.00"
    data["history"][0]["client_id"] = 999
    data["promises"][0]["event_id"] = 12345
    data["clients"][1]["created_at"] = "23/11/2026"
    data["contacts"][0]["is_billing"] = "yes"
    data["rates"][0]["rate"] = "two"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 2
    assert out == ""
    assert "7 errors, nothing imported" in err
    for expected in (
        "invoices row 1, column amount: not an amount",
        "payments row 2, column amount: amount must be greater than zero",
        "history row 1, column client_id: no row 999 in clients",
        "promises row 1, column event_id: no row 12345 in history",
        "clients row 2, column created_at: not an ISO moment",
        "contacts row 1, column is_billing: must be true or false",
        "rates row 1, column rate: not a rate",
    ):
        assert expected in err
    assert "\x1b" not in err
    assert book_rows(copy, capsys) == 0


def test_unknown_schema_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = parsed(export_text(capsys, seeded, "toml"), "toml")
    data["schema"] = 2
    source = tmp_path / "future.toml"
    source.write_text(tomli_w.dumps(data), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(source), "--json", "--db", str(copy))

    assert status == 2
    assert "schema: unknown schema 2 (written by a newer relance)" in err
    assert book_rows(copy, capsys) == 0


def test_duplicate_ids_and_names_are_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    data["clients"].append(dict(data["clients"][0]))
    data["invoices"][1]["due_on"] = "2026-01-01"
    source = tmp_path / "twice.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 2
    assert "clients row 4, column id: id 1 is already used in clients" in err
    assert "clients row 4, column name:" in err
    assert "invoices row 2, column due_on: is before issued_on" in err
    assert book_rows(copy, capsys) == 0


def test_sample_book_round_trips(
    book: SqliteDatabase, tmp_path: Path, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    load_sample(today)
    close_database()
    original = tmp_path / "book" / "relance.db"
    first = export_text(capsys, original, "json")
    source = tmp_path / "sample.json"
    source.write_text(first, encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 0, err
    second = export_text(capsys, copy, "json")
    assert EXPORTED_AT.sub("", second) == EXPORTED_AT.sub("", first)
    assert len(json.loads(second)["clients"]) > 3


def test_broken_json_export_is_reported_not_read_as_csv(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = export_text(capsys, seeded, "json")
    source = tmp_path / "cut.json"
    source.write_text(text[: len(text) // 2], encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 2
    assert "file: not valid JSON" in err
    assert book_rows(copy, capsys) == 0


def test_huge_id_is_refused_before_writing(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    data["rates"][0]["id"] = 2**70
    source = tmp_path / "huge.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 2
    assert "rates row 1, column id: is too large" in err
    assert book_rows(copy, capsys) == 0


def export_csv_folder(capsys: pytest.CaptureFixture[str], db: Path, folder: Path) -> None:
    """The CSV export of a book into a new folder."""
    status, _out, err = run(
        capsys, "export", "--format", "csv", "--out", str(folder), "--db", str(db)
    )
    assert status == 0, err


def csv_files(folder: Path) -> dict[str, str]:
    """Every file of a CSV export by name, the manifest without the moment of the export."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}
    files["manifest.csv"] = re.sub(r"exported_at,.*", "exported_at,", files["manifest.csv"])
    return files


@pytest.mark.parametrize("through", ["folder", "manifest"])
def test_csv_export_imported_into_an_empty_book_exports_identically(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], through: str
) -> None:
    first = tmp_path / "first"
    export_csv_folder(capsys, seeded, first)
    copy = tmp_path / "copy" / "relance.db"
    source = first if through == "folder" else first / "manifest.csv"

    status, out, err = run(capsys, "import", str(source), "--db", str(copy))

    assert status == 0, err
    assert out.startswith("restored: first (")
    assert "clients: 3" in out
    second = tmp_path / "second"
    export_csv_folder(capsys, copy, second)
    assert csv_files(second) == csv_files(first)
    # The hostile note came back byte for byte, newline, markup and escape included.
    assert NOTE.replace('"', '""') in csv_files(second)["history.csv"]
    assert parsed(export_text(capsys, copy, "json"), "json") == parsed(
        export_text(capsys, seeded, "json"), "json"
    )


def test_sample_book_round_trips_through_csv(
    book: SqliteDatabase, tmp_path: Path, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    load_sample(today)
    close_database()
    original = tmp_path / "book" / "relance.db"
    first = tmp_path / "first"
    export_csv_folder(capsys, original, first)
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(first), "--db", str(copy))

    assert status == 0, err
    second = tmp_path / "second"
    export_csv_folder(capsys, copy, second)
    assert csv_files(second) == csv_files(first)


def test_csv_export_dry_run_and_a_book_that_is_not_empty(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    export_csv_folder(capsys, seeded, first)
    copy = tmp_path / "copy" / "relance.db"

    status, out, err = run(capsys, "import", str(first), "--dry-run", "--json", "--db", str(copy))

    assert status == 0, err
    record = json.loads(out)
    assert (record["written"], record["kind"], record["tables"]["invoices"]) == (
        False,
        "relance-export",
        5,
    )
    assert not copy.exists()
    status, _out, err = run(capsys, "import", str(first), "--db", str(seeded))
    assert status == 2
    assert "not empty" in err


def test_a_damaged_csv_export_lists_every_error_and_writes_nothing(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "first"
    export_csv_folder(capsys, seeded, folder)
    clients = (folder / "clients.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = clients[0].rstrip("\n").split(",")
    cells = clients[1].rstrip("\n").split(",")
    cells[header.index("payment_terms_days")] = "thirty"
    cells[header.index("disputed")] = "yes"
    clients[1] = ",".join(cells) + "\n"
    (folder / "clients.csv").write_text("".join(clients), encoding="utf-8")
    rates = (folder / "rates.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "rates.csv").write_text(rates[0] + "1,only two cells\n", encoding="utf-8")
    (folder / "contacts.csv").unlink()
    (folder / "notes.csv").write_text("what,ever\n", encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"

    status, out, err = run(capsys, "import", str(folder), "--db", str(copy))

    assert status == 2
    assert out == ""
    assert "notes.csv: unknown file in the export folder" in err
    assert "rates row 1, column -: has 2 cells, the header 7" in err
    (folder / "notes.csv").unlink()
    (folder / "rates.csv").write_text(rates[0], encoding="utf-8")

    status, out, err = run(capsys, "import", str(folder), "--db", str(copy))

    assert status == 2
    assert "clients row 1, column payment_terms_days: must be a whole number, not 'thirty'" in err
    assert "clients row 1, column disputed: must be true or false, not 'yes'" in err
    assert "contacts: missing array" in err
    assert book_rows(copy, capsys) == 0


def test_a_folder_that_is_not_an_export_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    copy = tmp_path / "copy" / "relance.db"

    status, _out, err = run(capsys, "import", str(folder), "--db", str(copy))

    assert status == 2
    assert "is a folder, not a relance CSV export (it has no manifest.csv)" in err
    assert not copy.exists()


def owner_of(rows: list[dict[str, Any]], row_id: int) -> int:
    """The client a row of the export belongs to."""
    return int(next(row["client_id"] for row in rows if row["id"] == row_id))


def refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: dict[str, Any]
) -> tuple[list[str], Path]:
    """Import a hand-edited export into a new book: it must be refused; the error lines."""
    source = tmp_path / "edited.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"
    status, out, err = run(capsys, "import", str(source), "--db", str(copy))
    assert status == 2
    assert out == ""
    assert book_rows(copy, capsys) == 0
    lines = err.splitlines()
    assert lines[0].endswith("nothing imported")
    return [line.strip() for line in lines[1:]], copy


def test_a_promise_tied_to_another_clients_event_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    promise = data["promises"][0]
    stranger = next(e for e in data["history"] if e["client_id"] != promise["client_id"])
    promise["event_id"] = stranger["id"]

    errors, _copy = refused(capsys, tmp_path, data)

    assert errors == [
        f"promises row 1, column event_id: history row id {stranger['id']} belongs to client "
        f"{stranger['client_id']}, not client {promise['client_id']}"
    ]


def test_an_allocation_across_two_clients_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    allocation = data["allocations"][0]
    payer = owner_of(data["payments"], allocation["payment_id"])
    other = next(i for i in data["invoices"] if i["client_id"] != payer)
    allocation["invoice_id"] = other["id"]

    errors, _copy = refused(capsys, tmp_path, data)

    assert errors == [
        f"allocations row 1, column invoice_id: invoices row id {other['id']} belongs to "
        f"client {other['client_id']}, not client {payer}"
    ]


def test_an_allocation_to_another_clients_instalment_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    instalment = data["instalments"][0]
    planner = owner_of(data["plans"], instalment["plan_id"])
    payment = next(p for p in data["payments"] if p["client_id"] != planner)
    data["allocations"].append(
        {
            "id": max(a["id"] for a in data["allocations"]) + 1,
            "payment_id": payment["id"],
            "invoice_id": None,
            "instalment_id": instalment["id"],
            "amount": "1.00",
        }
    )
    row = len(data["allocations"])

    errors, _copy = refused(capsys, tmp_path, data)

    assert errors == [
        f"allocations row {row}, column instalment_id: instalments row id {instalment['id']} "
        f"belongs to client {planner}, not client {payment['client_id']}"
    ]


def test_a_history_line_about_another_clients_invoice_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    line, event = next(
        (n, e) for n, e in enumerate(data["history"], start=1) if e["invoice_id"] is None
    )
    other = next(i for i in data["invoices"] if i["client_id"] != event["client_id"])
    event["invoice_id"] = other["id"]

    errors, _copy = refused(capsys, tmp_path, data)

    assert errors == [
        f"history row {line}, column invoice_id: invoices row id {other['id']} belongs to "
        f"client {other['client_id']}, not client {event['client_id']}"
    ]


def test_an_allocation_to_nothing_or_beyond_its_payment_is_refused(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(export_text(capsys, seeded, "json"))
    first = data["allocations"][0]
    payment = next(p for p in data["payments"] if p["id"] == first["payment_id"])
    first["amount"] = str(Decimal(payment["amount"]) + Decimal("0.01"))
    data["allocations"].append(
        {
            "id": max(a["id"] for a in data["allocations"]) + 1,
            "payment_id": payment["id"],
            "invoice_id": None,
            "instalment_id": None,
            "amount": "1.00",
        }
    )

    errors, _copy = refused(capsys, tmp_path, data)

    assert errors == [
        f"allocations row {len(data['allocations'])}, column invoice_id: names neither invoice "
        "nor instalment",
        f"allocations row 1, column amount: payments row id {payment['id']} is spread beyond "
        "its amount",
    ]
