"""The fixed compensation per late invoice, by regime and invoice size."""

from __future__ import annotations

import pytest

from relance.domain.compensation import fixed_compensation
from relance.domain.jurisdictions import jurisdiction


@pytest.mark.parametrize(
    ("code", "fee", "currency"), [("fr-b2b", 40_00, "EUR"), ("eu-b2b", 40_00, "EUR")]
)
def test_forty_euros_per_late_invoice(code: str, fee: int, currency: str) -> None:
    # L441-10 and D441-5 Code de commerce; directive 2011/7/EU article 6: 40 EUR whatever the size.
    for amount in (1, 5_000_00, 1_000_000_00):
        found = fixed_compensation(jurisdiction(code), amount, days_late=1)
        assert (found.amount, found.currency) == (fee, currency)


@pytest.mark.parametrize(
    ("amount", "fee"),
    [(999_99, 40_00), (1_000_00, 70_00), (9_999_99, 70_00), (10_000_00, 100_00), (1, 40_00)],
)
def test_uk_fee_by_invoice_size(amount: int, fee: int) -> None:
    # Late Payment Act: 40 GBP under 1 000, 70 GBP 1 000–9 999.99, 100 GBP from 10 000.
    found = fixed_compensation(jurisdiction("uk-b2b"), amount, days_late=10)
    assert (found.amount, found.currency) == (fee, "GBP")


@pytest.mark.parametrize("code", ["fr-b2c", "us"])
def test_no_fixed_fee_for_consumers_or_the_us(code: str) -> None:
    assert fixed_compensation(jurisdiction(code), 5_000_00, days_late=100).amount == 0


@pytest.mark.parametrize("code", ["fr-b2b", "eu-b2b", "uk-b2b"])
def test_no_fee_when_not_late(code: str) -> None:
    assert fixed_compensation(jurisdiction(code), 5_000_00, days_late=0).amount == 0
