"""Claim checks: limitation dates, court routes by amount, and the worth-it line."""

from __future__ import annotations

from datetime import date

import pytest

from relance.domain.claims import is_time_barred, limitation, route_for, worth_it
from relance.domain.jurisdictions import UnknownJurisdiction, jurisdiction


@pytest.mark.parametrize(
    ("code", "due", "barred_on"),
    [
        ("fr-b2b", date(2025, 5, 15), date(2030, 5, 15)),  # 5 years, Code de commerce
        ("fr-b2c", date(2025, 5, 15), date(2027, 5, 15)),  # 2 years, L218-2 consommation
        ("uk-b2b", date(2024, 2, 29), date(2030, 2, 28)),  # 6 years; 29 Feb clamps
        ("eu-b2b", date(2025, 1, 31), date(2030, 1, 31)),  # the French default, said so
    ],
)
def test_limitation_dates(code: str, due: date, barred_on: date) -> None:
    assert limitation(jurisdiction(code), due).on == barred_on


def test_eu_limitation_says_it_is_the_french_default() -> None:
    assert "French default" in limitation(jurisdiction("eu-b2b"), date(2025, 1, 1)).note


def test_us_limitation_is_unknown_and_says_so() -> None:
    found = limitation(jurisdiction("us"), date(2025, 1, 1))
    assert found.on is None
    assert "unknown" in found.note
    assert not is_time_barred(jurisdiction("us"), date(1990, 1, 1), date(2026, 1, 1))


def test_time_barred_from_the_limitation_date() -> None:
    regime = jurisdiction("fr-b2c")
    assert not is_time_barred(regime, date(2024, 5, 15), date(2026, 5, 14))
    assert is_time_barred(regime, date(2024, 5, 15), date(2026, 5, 15))


def test_france_small_claims_up_to_5000_then_injonction() -> None:
    regime = jurisdiction("fr-b2b")
    assert route_for(regime, 5_000_00).name == "petites créances"
    big = route_for(regime, 5_000_01)
    assert (big.name, big.limit, big.fits) == ("injonction de payer", None, True)


def test_uk_small_claims_up_to_10000() -> None:
    regime = jurisdiction("uk-b2b")
    assert route_for(regime, 10_000_00).fits
    assert not route_for(regime, 10_000_01).fits


@pytest.mark.parametrize(
    ("state", "individual", "claim", "fits"),
    [
        ("CA", True, 12_500_00, True),
        ("CA", True, 12_500_01, False),
        ("CA", False, 6_250_00, True),
        ("ca", False, 6_250_01, False),
        ("NY", False, 10_000_00, True),
        ("NY", False, 10_000_01, False),
        ("TX", False, 20_000_00, True),
        ("TX", True, 20_000_01, False),
        ("WA", False, 1_00, False),
    ],
)
def test_us_state_table(state: str, individual: bool, claim: int, fits: bool) -> None:
    assert route_for(jurisdiction("us"), claim, state=state, individual=individual).fits is fits


def test_worth_it_compares_the_claim_with_the_typical_cost() -> None:
    route = route_for(jurisdiction("fr-b2b"), 3_000_00)
    costs = {"petites créances": 500_00}
    assert worth_it(400_00, route, costs, "EUR").startswith("not worth it")
    assert worth_it(1_000_00, route, costs, "EUR").startswith("doubtful")
    assert worth_it(3_000_00, route, costs, "EUR").startswith("worth it")
    assert "no typical cost" in worth_it(3_000_00, route, {}, "EUR")


def test_unknown_jurisdiction() -> None:
    with pytest.raises(UnknownJurisdiction, match="known: fr-b2b"):
        jurisdiction("mars")
