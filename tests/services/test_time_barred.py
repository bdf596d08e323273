"""Limitation before worth: a time-barred invoice is listed apart and never claimed or weighed."""

from __future__ import annotations

import io
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from cli_fixtures import Relance, ok
from letter_fixtures import CREDITOR
from relance.domain.money import format_money
from relance.services.claims import claim_for_client
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.store.database import close_database, open_database
from tui_fixtures import make_app, run_async, screen_text, settle

# French business law: 5 years from the due date, so F-OLD was barred on 2025-03-31.
OLD_DUE = "2020-03-31"
COSTS = {"petites créances": 150_00}


@pytest.fixture
def barred_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The command line's book: one client owing a time-barred and a live invoice."""
    open_database(Path(os.environ["RELANCE_DB"]))
    try:
        at = datetime(2026, 9, 2, 9, 0)
        client_id = add_client(
            "Durand SARL", at, email="compta@durand.fr", address="3 place du Marché\n69001 Lyon"
        ).client_id
        add_invoice(client_id, "F-OLD", "250.00", "2020-03-01", OLD_DUE, at)
        add_invoice(client_id, "F-LIVE", "1200.00", "2026-08-01", "2026-09-01", at)
    finally:
        close_database()
    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[creditor]\nname = "{CREDITOR.name}"\naddress = "{CREDITOR.address}"\n\n'
        '[law.court_costs]\n"petites créances" = "150.00"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return client_id


@pytest.fixture
def claim_figures(barred_book: int, today: date) -> tuple[int, int]:
    """The live invoice's total claimable and the time-barred one's outstanding amount."""
    open_database(Path(os.environ["RELANCE_DB"]))
    try:
        claim = claim_for_client(barred_book, today, court_costs=COSTS)
    finally:
        close_database()
    live = {item.number: item for item in claim.invoices}["F-LIVE"]
    return live.total, 250_00


def test_the_totals_and_the_verdict_leave_the_barred_invoice_out(
    barred_book: int, today: date
) -> None:
    open_database(Path(os.environ["RELANCE_DB"]))
    try:
        claim = claim_for_client(barred_book, today, court_costs=COSTS)
    finally:
        close_database()
    by_number = {item.number: item for item in claim.invoices}
    old, live = by_number["F-OLD"], by_number["F-LIVE"]
    assert old.time_barred and old.limitation.on == date(2025, 3, 31)
    assert not live.time_barred
    assert claim.time_barred == (old,)
    assert claim.claimable == (live,)
    # F-LIVE: 1 200.00 late 83 days at 12.15 % (derived) → 33.15, plus the 40.00 fee.
    assert (claim.outstanding, claim.fixed_fees) == (1200_00, 40_00)
    assert claim.total == live.total == 1200_00 + live.interest.interest + 40_00
    assert claim.route is not None and claim.route.name == "petites créances"
    # 150.00 ≤ the claim < 3 × 150.00 would be "doubtful"; the claim is well above: worth it
    # on the live invoice's figure alone, never on a figure holding F-OLD.
    assert claim.verdict == (
        f"worth it: the claim {format_money(live.total, 'EUR')} is well above "
        f"the typical cost {format_money(150_00, 'EUR')}"
    )


def test_show_json_lists_the_barred_invoice_apart(
    barred_book: int, claim_figures: tuple[int, int], relance: Relance
) -> None:
    live_total, _ = claim_figures
    claim = ok(relance("show", str(barred_book), "--json")).json()["claim"]
    assert [item["number"] for item in claim["invoices"]] == ["F-LIVE"]
    assert claim["time_barred"] == [
        {
            "number": "F-OLD",
            "currency": "EUR",
            "due_on": OLD_DUE,
            "days_late": (date(2026, 11, 23) - date(2020, 3, 31)).days,
            "outstanding": "250.00",
            "limitation_on": "2025-03-31",
            "limitation_note": "5 years from the due date (France, between businesses)",
        }
    ]
    assert claim["total"] == f"{live_total / 100:.2f}"
    assert claim["outstanding"] == "1200.00"
    assert format_money(live_total, "EUR") in claim["verdict"]


def test_the_letter_claims_the_live_invoice_and_names_the_barred_one_apart(
    barred_book: int, claim_figures: tuple[int, int], relance: Relance, tmp_path: Path
) -> None:
    live_total, _ = claim_figures
    ok(relance("letter", str(barred_book), "--out", str(tmp_path / "notice.pdf")))
    reader = PdfReader(io.BytesIO((tmp_path / "notice.pdf").read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")
    text = " ".join(text.split())
    claimed = format_money(live_total, "EUR", "fr").replace("\u00a0", " ")
    assert f"Total réclamé {claimed}" in text
    assert "Principal restant dû 1 200,00 €" in text
    assert (
        "Les factures suivantes, prescrites, ne sont pas réclamées par la présente : "
        "F-OLD (250,00 €)." in text
    )
    # F-OLD is not a row of the invoice table: its only mention is the sentence above.
    assert text.count("F-OLD") == 1


def test_the_dossier_lists_the_barred_invoice_apart(
    barred_book: int, claim_figures: tuple[int, int], relance: Relance, tmp_path: Path
) -> None:
    live_total, _ = claim_figures
    ok(relance("dossier", str(barred_book), "--out", str(tmp_path / "dossier")))
    readme = (tmp_path / "dossier" / "README.txt").read_text(encoding="utf-8")
    assert f"  total claimable       {live_total / 100:>14.2f} EUR" in readme
    assert (
        "TIME-BARRED, NOT CLAIMED (left out of the totals and the verdict)\n"
        "  F-OLD: 250.00 EUR owed, due 2020-03-31, barred on 2025-03-31\n" in readme
    )
    interest = (tmp_path / "dossier" / "interest.txt").read_text(encoding="utf-8")
    assert "  time-barred on 2025-03-31: not in the total claimable" in interest
    assert f"total claimable {live_total / 100:.2f} EUR" in interest


@run_async
async def test_the_detail_lists_the_barred_invoice_under_the_claimable_total(
    barred_book: int, claim_figures: tuple[int, int], tmp_path: Path, today: date
) -> None:
    live_total, _ = claim_figures
    app = make_app(Path(os.environ["RELANCE_DB"]), tmp_path / "config.toml", today)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    table, barred = text.split("Time-barred, not claimed:")
    assert "F-LIVE" in table and "F-OLD" not in table.split("Late interest & fees")[1]
    assert f"Claimable {format_money(live_total, 'EUR')} = owed €1,200.00" in table
    assert "F-OLD €250.00 since 2025-03-31" in barred
