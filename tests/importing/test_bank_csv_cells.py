"""Property tests: amounts and dates written as French banks write them read back exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from relance.importing.bank.csv_statement import read_bank_amount, read_bank_date

# Up to a billion, in cents: every amount a freelancer's account sees.
cents = st.integers(min_value=-100_000_000_000, max_value=100_000_000_000)
group_marks = st.sampled_from([" ", "\u00a0", "\u202f", "."])


def french(amount: Decimal, group: str, *, plus: bool) -> str:
    """The amount as "-1 234 567,89": grouped by three, a decimal comma, a sign in front."""
    whole, decimals = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if amount < 0 else ("+" if plus else "")
    return f"{sign}{group.join(groups)},{decimals}"


@given(cents, group_marks, st.booleans())
def test_a_grouped_amount_with_a_decimal_comma_reads_back_exactly(
    minor: int, group: str, plus: bool
) -> None:
    amount = Decimal(minor) / 100
    assert read_bank_amount(french(amount, group, plus=plus)) == minor


@given(cents)
def test_an_ungrouped_amount_with_a_decimal_comma_or_point_reads_back_exactly(minor: int) -> None:
    written = f"{Decimal(minor) / 100:.2f}"
    assert read_bank_amount(written) == minor
    assert read_bank_amount(written.replace(".", ",")) == minor


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2099, 12, 31)))
def test_a_day_first_date_reads_back_in_every_form_banks_write(day: date) -> None:
    assert read_bank_date(day.strftime("%d/%m/%Y")) == day
    assert read_bank_date(f"{day.day}/{day.month}/{day.year}") == day
    assert read_bank_date(day.strftime("%d.%m.%Y")) == day
    assert read_bank_date(day.strftime("%d-%m-%Y")) == day
    assert read_bank_date(day.isoformat()) == day
