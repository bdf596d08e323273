"""A refused deposit or contract in the payer profile, and the due date payment terms give."""

from __future__ import annotations

from datetime import date

import pytest

from relance.domain.payment_terms import PaymentDelay, UnknownMethod, parse_methods
from relance.domain.profile import PayerFacts, Profile, classify


def test_a_refused_deposit_is_a_reason_for_bad_faith() -> None:
    """Even with a clean record of paid invoices, a refused deposit makes the profile bad faith."""
    result = classify(PayerFacts(paid_invoices=3, refused_deposits=1))
    assert result.profile is Profile.BAD_FAITH
    assert result.reasons == ("refused a deposit once",)
    assert classify(PayerFacts(paid_invoices=3)).profile is Profile.CARELESS


def test_end_of_month_delay() -> None:
    """45 days end of month runs to the last day of the month the 45 days end in."""
    assert PaymentDelay(45, True).due_on(date(2026, 1, 20)) == date(2026, 3, 31)
    assert PaymentDelay(30).due_on(date(2026, 1, 31)) == date(2026, 3, 2)


def test_methods_are_known_words() -> None:
    """Methods come back in the shipped order; an unknown one is refused."""
    assert parse_methods(" Card , transfer,card") == ("transfer", "card")
    with pytest.raises(UnknownMethod):
        parse_methods("transfer,barter")
