"""A bank line's repeat number keeps equal movements of one file apart, and nothing else."""

from __future__ import annotations

import dataclasses
from datetime import date

from relance.domain.bank_lines import BankLine

COFFEE = BankLine(
    account="FR7630006000011234567890189",
    booked_on=date(2026, 11, 5),
    amount_minor=-320,
    currency="EUR",
    remittance="CB BOULANGERIE",
)


def test_the_first_of_equal_lines_keeps_the_fingerprint_it_had_before_repeats() -> None:
    # The values the fingerprint gave before `repeat` existed, written out: a change of its
    # basis would make every line already in a book look new.
    assert COFFEE.fingerprint() == "9caec19c2c72e98e556269b66c589dfa"
    referenced = dataclasses.replace(COFFEE, bank_reference="REF-1")
    assert referenced.fingerprint() == "8e4292bd507f712ebafb0ca99d8cf0e2"


def test_a_repeat_has_its_own_fingerprint_with_or_without_a_bank_reference() -> None:
    second = dataclasses.replace(COFFEE, repeat=1)
    third = dataclasses.replace(COFFEE, repeat=2)
    assert len({COFFEE.fingerprint(), second.fingerprint(), third.fingerprint()}) == 3
    referenced = dataclasses.replace(COFFEE, bank_reference="REF-1")
    assert dataclasses.replace(referenced, repeat=1).fingerprint() != referenced.fingerprint()
