"""What a client owes under the law: the claim service, `show --json` and the detail pane."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from relance.cli import main
from relance.services.claims import claim_for_client
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.store.database import close_database
from relance.store.models import Client, ContactEvent
from relance.tui.client_detail import ClientDetailPane
from tui_fixtures import make_app, run_async, screen_text

CLAIM_DAY = date(2025, 8, 20)
AT = datetime(2025, 8, 20, 9, 30)


@pytest.fixture
def durand(book: SqliteDatabase) -> int:
    """A French business with one late invoice part-paid, one paid, one not yet due.

    F-1: 10 000.00 due 2025-05-15, 4 000.00 received 2025-06-30; on 2025-08-20:
      2025-05-16..2025-06-30: 46 days on 10 000 at 13.15 % = 165.7260… → 165.73
      2025-07-01..2025-08-20: 51 days on 6 000 at 12.15 % = 101.8603… → 101.86
      interest 267.59 + fee 40.00 + owed 6 000.00 = 6 307.59
    """
    client_id = add_client("Durand SARL", datetime(2025, 1, 2, 9, 0)).client_id
    add_invoice(client_id, "F-1", "10000.00", "2025-04-15", "2025-05-15", AT)
    add_invoice(client_id, "F-2", "500.00", "2025-04-01", "2025-05-01", AT)
    add_invoice(client_id, "F-3", "700.00", "2025-08-01", "2025-08-31", AT)
    record_payment(client_id, "500.00", AT, received_on="2025-05-20", invoice_number="F-2")
    record_payment(client_id, "4000.00", AT, received_on="2025-06-30", invoice_number="F-1")
    return client_id


def test_claim_per_invoice_and_in_total(durand: int) -> None:
    claim = claim_for_client(durand, CLAIM_DAY)
    assert claim.jurisdiction == "fr-b2b"
    (item,) = claim.invoices
    assert item.number == "F-1"
    assert item.days_late == 97
    assert [(p.base, p.rate, p.interest) for p in item.interest.pieces] == [
        (1_000_000, Decimal("13.15"), 16573),
        (600_000, Decimal("12.15"), 10186),
    ]
    assert (item.interest.interest, item.fixed_fee, item.total) == (26759, 4000, 630759)
    assert item.limitation.on == date(2030, 5, 15)
    assert not item.time_barred
    assert (claim.outstanding, claim.interest, claim.fixed_fees, claim.total) == (
        600_000,
        26759,
        4000,
        630759,
    )
    assert claim.flags  # 2025 ECB rates are derived
    assert claim.route is not None and claim.route.name == "injonction de payer"


def test_uk_client_gets_one_rate_and_the_size_fee(durand: int) -> None:
    # The same invoice under the UK Act: late from 2025-05-16, so the Bank Rate of
    # 31 December 2024 (4.75) + 8 = 12.75 % for the whole delay:
    # 46 days on 10 000 = 160.6849… → 160.68; 51 days on 6 000 = 106.8904… → 106.89;
    # interest 267.57, fee 100 GBP (invoice ≥ 10 000).
    Client.update(jurisdiction="uk-b2b", currency="GBP").where(Client.id == durand).execute()
    claim = claim_for_client(durand, CLAIM_DAY)
    (item,) = claim.invoices
    assert [p.interest for p in item.interest.pieces] == [16068, 10689]
    assert (item.fixed_fee, item.fee_currency) == (10000, "GBP")
    assert item.limitation.on == date(2031, 5, 15)


def test_contract_rate_below_the_floor_warns(durand: int) -> None:
    # 5 % for the whole delay: 46 days on 10 000 = 63.01; 51 days on 6 000 = 41.92.
    Client.update(contract_rate="5").where(Client.id == durand).execute()
    claim = claim_for_client(durand, CLAIM_DAY)
    assert claim.interest == 6301 + 4192
    assert any("below 3 × the legal rate" in warning for warning in claim.warnings)


def test_consumer_interest_from_the_formal_notice_letter(durand: int) -> None:
    # A letter on 2025-07-21 is the formal notice: 30 days on 6 000 at 2.76 % = 13.6109… → 13.61
    Client.update(jurisdiction="fr-b2c").where(Client.id == durand).execute()
    assert claim_for_client(durand, CLAIM_DAY).interest == 0
    ContactEvent.create(
        client=durand, kind="letter", summary="mise en demeure", happened_at=datetime(2025, 7, 21)
    )
    claim = claim_for_client(durand, CLAIM_DAY)
    assert claim.interest == 1361
    assert claim.fixed_fees == 0


def test_unknown_jurisdiction_is_a_warning_not_a_crash(durand: int) -> None:
    Client.update(jurisdiction="mars").where(Client.id == durand).execute()
    claim = claim_for_client(durand, CLAIM_DAY)
    assert claim.invoices == ()
    assert "unknown jurisdiction" in claim.warnings[0]


def test_show_json_carries_the_claim(
    durand: int, book: SqliteDatabase, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    path = Path(book.database)
    close_database()
    monkeypatch.setenv("RELANCE_TODAY", CLAIM_DAY.isoformat())
    capsys.readouterr()
    assert main(["--db", str(path), "show", str(durand), "--json"]) == 0
    claim = json.loads(capsys.readouterr().out)["claim"]
    assert (claim["interest"], claim["fixed_compensation"], claim["total"]) == (
        "267.59",
        "40.00",
        "6307.59",
    )
    (item,) = claim["invoices"]
    assert (item["number"], item["days_late"], item["outstanding"]) == ("F-1", 97, "6000.00")
    assert [(p["from"], p["rate"], p["base"], p["interest"]) for p in item["periods"]] == [
        ("2025-05-16", "13.15", "10000.00", "165.73"),
        ("2025-07-01", "12.15", "6000.00", "101.86"),
    ]
    assert item["limitation_on"] == "2030-05-15"
    assert claim["route"]["name"] == "injonction de payer"
    assert main(["--db", str(path), "show", str(durand)]) == 0
    out = capsys.readouterr().out
    assert "Late interest & fees (fr-b2b)" in out
    assert "€6,307.59" in out


@run_async
async def test_the_detail_pane_shows_late_interest_and_fees(
    durand: int, book: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(Path(book.database), tmp_path / "config.toml", CLAIM_DAY)
    async with app.run_test(size=(200, 60)) as pilot:
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        pane = app.screen.query_one(ClientDetailPane)
        assert pane.client_id == durand
        assert pane.claim is not None and pane.claim.total == 630759
        section = pane.query_one("#detail-claim")
        assert section.display
        text = screen_text(app)
        assert "Late interest & fees · fr-b2b" in text
        assert "€267.59" in text.replace("Claimable", "")
        assert "Claimable €6,307.59" in text
        assert "13.15*" in text
