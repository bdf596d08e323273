"""`relance report aging`: open amounts by bucket, per client and currency, as of any day."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from relance.cli import main
from relance.domain.aging import Bucket
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.store.aging_report import aging_report

NAME = "Durand [bold]SARL[/]"
ZERO = "0.00"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; returns the status, stdout and stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def seeded(book: SqliteDatabase, tmp_path: Path, at: datetime) -> Path:
    """Three clients: late and current invoices in euros, one in dollars, one paid in full."""
    durand = add_client(NAME, at).client_id
    add_invoice(durand, "F-3", "500", "2026-05-01", "2026-06-01", at)
    add_invoice(durand, "F-1", "1200", "2026-09-01", "2026-10-01", at)
    add_invoice(durand, "F-2", "300", "2026-11-15", "2026-12-15", at)
    record_payment(durand, "200", at, received_on="2026-11-20", invoice_number="F-1")
    smith = add_client("Smith LLC", at, language="en").client_id
    add_invoice(smith, "US-1", "99.99", "2026-10-01", "2026-11-10", at, currency="USD")
    paid = add_client("Paid Up SAS", at).client_id
    add_invoice(paid, "P-1", "80", "2026-09-01", "2026-10-01", at)
    record_payment(paid, "80", at, received_on="2026-10-05")
    return tmp_path / "book" / "relance.db"


def report_json(capsys: pytest.CaptureFixture[str], book: Path, *extra: str) -> Any:
    """The aging report as scripts read it."""
    status, out, err = run(capsys, "report", "aging", "--json", "--db", str(book), *extra)
    assert status == 0, err
    assert err == ""
    return json.loads(out)


def buckets(**amounts: str) -> dict[str, str]:
    """Every bucket, zero unless given (1-30 is written d1_30 and so on)."""
    names = {"current": "current", "d1_30": "1-30", "d31_60": "31-60", "d61_90": "61-90"}
    names["d90"] = "90+"
    return {bucket.value: ZERO for bucket in Bucket} | {names[k]: v for k, v in amounts.items()}


def test_aging_today_per_client_and_currency(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_json(capsys, seeded)
    assert report["as_of"] == "2026-11-23"
    assert report["buckets"] == ["current", "1-30", "31-60", "61-90", "90+"]
    lines = report["clients"]
    assert [(line["client"], line["currency"]) for line in lines] == [
        (NAME, "EUR"),
        ("Smith LLC", "USD"),
    ]
    assert {k: v for k, v in lines[0].items() if k not in ("client_id", "client", "currency")} == {
        **buckets(current="300.00", d31_60="1000.00", d90="500.00"),
        "total": "1800.00",
    }
    assert {k: v for k, v in lines[1].items() if k not in ("client_id", "client", "currency")} == {
        **buckets(d1_30="99.99"),
        "total": "99.99",
    }
    assert report["totals"] == [
        {
            "currency": "EUR",
            **buckets(current="300.00", d31_60="1000.00", d90="500.00"),
            "total": "1800.00",
        },
        {"currency": "USD", **buckets(d1_30="99.99"), "total": "99.99"},
    ]


def test_aging_as_of_a_past_date_ignores_later_payments_and_invoices(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_json(capsys, seeded, "--as-of", "2026-10-15")
    assert report["as_of"] == "2026-10-15"
    by_name = {line["client"]: line for line in report["clients"]}
    # F-1's payment came on 2026-11-20: still fully open; F-2 was not issued yet.
    assert by_name[NAME]["1-30"] == "1200.00"
    assert by_name[NAME]["90+"] == "500.00"
    assert by_name[NAME]["current"] == ZERO
    assert by_name[NAME]["total"] == "1700.00"
    # Paid on 2026-10-05, before the day: nothing open.
    assert "Paid Up SAS" not in by_name
    assert by_name["Smith LLC"]["current"] == "99.99"
    # The day before the Paid Up payment, it was still owed.
    earlier = report_json(capsys, seeded, "--as-of", "2026-10-04")
    paid = [line for line in earlier["clients"] if line["client"] == "Paid Up SAS"]
    assert paid and paid[0]["1-30"] == "80.00"
    # The day before F-1's payment, and the day of it.
    day_before = aging_report(date(2026, 11, 19))
    same_day = aging_report(date(2026, 11, 20))
    durand_before = next(line for line in day_before.lines if line.name == NAME)
    durand_same = next(line for line in same_day.lines if line.name == NAME)
    assert durand_before.buckets[Bucket.D31_60] == 120000
    assert durand_same.buckets[Bucket.D31_60] == 100000


def test_aging_before_any_invoice_is_empty(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report_json(capsys, seeded, "--as-of", "2020-01-01") == {
        "as_of": "2020-01-01",
        "buckets": ["current", "1-30", "31-60", "61-90", "90+"],
        "clients": [],
        "totals": [],
    }
    status, out, err = run(capsys, "report", "aging", "--as-of", "2020-01-01", "--db", str(seeded))
    assert status == 0, err
    assert "Nothing was owed on 2020-01-01" in out


def test_aging_table_for_people_shows_names_literally(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "report", "aging", "--db", str(seeded))
    assert status == 0, err
    assert "Aging as of 2026-11-23" in out
    assert NAME in out
    assert "€1,000.00" in out and "€1,800.00" in out
    assert "total EUR" in out and "total USD" in out
    assert "$99.99" in out or "99.99" in out
    assert "Paid Up SAS" not in out


def test_aging_refuses_a_bad_date(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "report", "aging", "--as-of", "2026-13-45", "--db", str(seeded))
    assert status == 2
    assert out == ""
    assert "--as-of" in err
