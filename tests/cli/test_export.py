"""`relance export`: every table of a seeded book, exactly, as JSON, TOML and CSV."""

from __future__ import annotations

import csv
import json
import stat
import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from relance.cli import main
from relance.domain.jurisdictions import SERIES
from relance.domain.rates import RateOrigin, RatePeriod
from relance.services.calls import log_call
from relance.services.clients import add_client, add_note, set_legal_terms
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.plans import propose_plan
from relance.spreadsheet import export_cell
from relance.store.export import TABLES, columns_of, without_nulls
from relance.store.models import Client
from relance.store.rates import add_user_rate

TABLE_NAMES = [
    "clients",
    "contacts",
    "invoices",
    "payments",
    "plans",
    "instalments",
    "allocations",
    "history",
    "promises",
    "rates",
]
NOTE = '[bold]not bold[/] \x1b[31mred\x1b[0m, "quoted", a;b\nsecond line'
NAME = "Durand [bold]SARL[/]"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; returns the status, stdout and stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def seeded(book: SqliteDatabase, tmp_path: Path, at: datetime) -> Path:
    """A book with two clients and one of everything, written through the services."""
    durand = add_client(
        NAME,
        at,
        email="compta@durand.fr",
        phone="+33 1 23 45 67 89",
        contact_name="Mme Durand",
        address="1 rue de la Paix\n75002 Paris",
    ).client_id
    set_legal_terms(durand, at, contract_rate="12.5")
    smith = add_client("Smith LLC", at, language="en", kind="b2b").client_id
    set_legal_terms(smith, at, jurisdiction_code="us", region="CA")
    add_invoice(durand, "F-1", "1200.00", "2026-09-01", "2026-10-01", at)
    add_invoice(durand, "F-2", "300.50", "2026-11-15", "2026-12-15", at)
    add_invoice(smith, "US-1", "99.99", "2026-08-01", "2026-08-31", at, currency="USD")
    record_payment(
        durand,
        "200",
        at,
        received_on="2026-11-20",
        method="virement",
        reference="VIR 1",
        invoice_number="F-1",
    )
    log_call(
        durand,
        "promised",
        at,
        note="next week",
        promised_amount="500",
        promised_on="2026-11-30",
        who="Mme Durand",
    )
    propose_plan(durand, "2", at, every="month", first="2026-12-20")
    add_note(durand, NOTE, at)
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
    return tmp_path / "book" / "relance.db"


def exported(capsys: pytest.CaptureFixture[str], book: Path, kind: str) -> str:
    """The export of a book to standard output."""
    status, out, err = run(capsys, "export", "--format", kind, "--db", str(book))
    assert status == 0, err
    assert err == ""
    return out


def only(rows: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    """The one row whose fields have the given values."""
    found = [row for row in rows if all(row.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, rows)
    return found[0]


def test_json_export_holds_every_table_exactly(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported(capsys, seeded, "json")
    # User text cannot reach the terminal raw, yet parses back exactly.
    assert "\x1b" not in out
    data = json.loads(out)
    assert data["format"] == "relance-export"
    assert data["schema"] == 1
    assert isinstance(data["book_schema"], int)
    assert data["exported_at"].startswith("2026-11-23T")
    assert list(data)[4:] == TABLE_NAMES
    for table in TABLES:
        rows = data[table.name]
        assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
        for row in rows:
            assert list(row) == columns_of(table)

    durand = only(data["clients"], name=NAME)
    assert durand["jurisdiction"] == "fr-b2b"
    assert durand["contract_rate"] == "12.5"
    assert durand["profile_override"] is None
    assert durand["region"] == ""
    assert durand["disputed"] is False
    assert durand["outstanding"] == "1300.50"
    assert durand["created_at"] == "2026-11-23T09:30:00"
    smith = only(data["clients"], name="Smith LLC")
    assert (smith["jurisdiction"], smith["region"], smith["language"]) == ("us", "CA", "en")
    assert smith["contract_rate"] is None

    contact = only(data["contacts"], client_id=durand["id"])
    assert contact["name"] == "Mme Durand"
    assert contact["email"] == "compta@durand.fr"
    assert contact["address"] == "1 rue de la Paix\n75002 Paris"
    assert contact["is_billing"] is True

    f1 = only(data["invoices"], number="F-1")
    assert f1 == {
        **f1,
        "client_id": durand["id"],
        "issued_on": "2026-09-01",
        "due_on": "2026-10-01",
        "amount": "1200.00",
        "amount_excl_tax": None,
        "currency": "EUR",
        "paid": "200.00",
        "source": "manual",
    }
    assert only(data["invoices"], number="F-2")["amount"] == "300.50"
    assert only(data["invoices"], number="US-1")["currency"] == "USD"

    payment = only(data["payments"], client_id=durand["id"])
    assert (payment["amount"], payment["received_on"]) == ("200.00", "2026-11-20")
    assert (payment["method"], payment["reference"]) == ("virement", "VIR 1")
    allocation = only(data["allocations"], payment_id=payment["id"])
    assert allocation["invoice_id"] == f1["id"]
    assert allocation["instalment_id"] is None
    assert allocation["amount"] == "200.00"

    promise = only(data["promises"], client_id=durand["id"])
    assert (promise["amount"], promise["due_on"], promise["made_on"]) == (
        "500.00",
        "2026-11-30",
        "2026-11-23",
    )
    assert promise["made_by"] == "Mme Durand"
    call = only(data["history"], id=promise["event_id"])
    assert call["kind"] == "call" and call["outcome"] == "promised"

    plan = only(data["plans"], client_id=durand["id"])
    assert (plan["status"], plan["total"], plan["frequency"]) == ("proposed", "1300.50", "month")
    instalments = [row for row in data["instalments"] if row["plan_id"] == plan["id"]]
    # 2026-12-20 is a Sunday: the instalment moves to the Monday.
    assert [row["due_on"] for row in instalments] == ["2026-12-21", "2027-01-20"]
    assert sum(Decimal(row["amount"]) for row in instalments) == Decimal("1300.50")

    notes = [row for row in data["history"] if NOTE in (row["summary"], row["body"])]
    assert len(notes) == 1
    assert notes[0]["kind"] == "note"
    assert notes[0]["happened_at"] == "2026-11-23T09:30:00"

    rate = only(data["rates"], series=SERIES[0])
    assert (rate["valid_from"], rate["valid_to"], rate["rate"], rate["note"]) == (
        "2030-01-01",
        "2030-06-30",
        "2.15",
        "from the gazette",
    )
    assert len(data["clients"]) == Client.select().count() == 2


def test_toml_export_parses_back_to_the_json_data_without_nulls(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from_json = json.loads(exported(capsys, seeded, "json"))
    target = tmp_path / "out" / "book.toml"
    status, out, err = run(
        capsys, "export", "--format", "toml", "--out", str(target), "--db", str(seeded)
    )
    assert status == 0, err
    assert out.strip() == str(target.absolute())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    from_toml = tomllib.loads(target.read_text(encoding="utf-8"))
    del from_json["exported_at"], from_toml["exported_at"]
    assert from_toml == without_nulls(from_json)
    durand = only(from_toml["clients"], name=NAME)
    assert "profile_override" not in durand
    assert any(NOTE in (row["summary"], row.get("body")) for row in from_toml["history"])
    # Standard output gives the same document.
    assert tomllib.loads(exported(capsys, seeded, "toml"))["clients"] == from_toml["clients"]


def test_csv_export_writes_one_parsable_file_per_table(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from_json = json.loads(exported(capsys, seeded, "json"))
    folder = tmp_path / "csv"
    status, out, err = run(
        capsys, "export", "--format", "csv", "--out", str(folder), "--db", str(seeded)
    )
    assert status == 0, err
    assert out.strip() == str(folder.absolute())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["manifest.csv", *(f"{name}.csv" for name in TABLE_NAMES)]
    )
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        manifest = dict(csv.reader(handle))
    assert manifest["key"] == "value"
    assert (manifest["format"], manifest["schema"]) == ("relance-export", "1")
    assert manifest["book_schema"] == str(from_json["book_schema"])
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == columns_of(table)
            rows = list(reader)
        assert rows == [
            {key: _as_cell(value) for key, value in row.items()} for row in from_json[table.name]
        ]
    with (folder / "history.csv").open(encoding="utf-8", newline="") as handle:
        notes = [row for row in csv.DictReader(handle) if NOTE in (row["summary"], row["body"])]
    assert len(notes) == 1


def _as_cell(value: Any) -> str:
    """What the CSV export writes for a JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Formula-like text (a phone such as "+33 …") is written with the text mark in front.
    return export_cell(str(value))


def test_export_refusals_write_nothing(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(seeded)]
    status, _, err = run(capsys, "export", "--format", "csv", *db)
    assert status == 2 and "--out" in err
    existing = tmp_path / "taken.json"
    existing.write_text("mine", encoding="utf-8")
    status, _, err = run(capsys, "export", "--format", "json", "--out", str(existing), *db)
    assert status == 2 and "already exists" in err
    assert existing.read_text(encoding="utf-8") == "mine"
    full = tmp_path / "full"
    full.mkdir()
    (full / "clients.csv").write_text("mine", encoding="utf-8")
    status, _, err = run(capsys, "export", "--format", "csv", "--out", str(full), *db)
    assert status == 2 and "not an empty folder" in err
    assert [p.name for p in full.iterdir()] == ["clients.csv"]
    status, _, err = run(capsys, "export", "--format", "xml", *db)
    assert status == 2


def test_export_of_an_empty_book_has_every_table(
    book: SqliteDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(exported(capsys, tmp_path / "book" / "relance.db", "json"))
    assert all(data[name] == [] for name in TABLE_NAMES)
    toml = tomllib.loads(exported(capsys, tmp_path / "book" / "relance.db", "toml"))
    assert all(toml[name] == [] for name in TABLE_NAMES)
