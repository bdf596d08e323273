"""Payment plans: equal shares that sum exactly, a deposit first, and the due dates."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.plans import (
    Frequency,
    ScheduledInstalment,
    due_date,
    parse_deposit,
    schedule,
    split_evenly,
)


@pytest.mark.parametrize(
    ("total", "parts", "shares"),
    [
        (10000, 3, [3333, 3333, 3334]),
        (5, 2, [2, 3]),
        (100000001, 12, [8333333] * 11 + [8333338]),
        (1200, 4, [300, 300, 300, 300]),
        (1, 1, [1]),
        (99, 1, [99]),
    ],
)
def test_split_evenly_sums_exactly(total: int, parts: int, shares: list[int]) -> None:
    assert split_evenly(total, parts) == shares
    assert sum(shares) == total


def test_split_evenly_needs_a_part() -> None:
    with pytest.raises(ValueError):
        split_evenly(100, 0)


@given(st.integers(min_value=1, max_value=10**15), st.integers(min_value=1, max_value=60))
def test_split_evenly_property(total: int, parts: int) -> None:
    shares = split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    # Equal shares, the remainder of the division on the last one only.
    assert len(set(shares[:-1])) <= 1
    assert 0 <= shares[-1] - shares[0] < parts


def test_monthly_schedule_keeps_the_31st_across_short_months() -> None:
    items = schedule(10000, 4, date(2026, 12, 31), Frequency.MONTH)
    assert [i.due_on for i in items] == [
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]
    assert [i.amount for i in items] == [2500] * 4
    assert [i.seq for i in items] == [1, 2, 3, 4]
    assert not any(i.is_deposit for i in items)


def test_monthly_schedule_in_a_leap_year() -> None:
    items = schedule(300, 3, date(2028, 1, 30), Frequency.MONTH)
    assert [i.due_on for i in items] == [date(2028, 1, 30), date(2028, 2, 29), date(2028, 3, 30)]


def test_weekly_and_fortnightly_schedules() -> None:
    weekly = schedule(10000, 3, date(2026, 12, 28), Frequency.WEEK)
    assert [i.due_on for i in weekly] == [date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 11)]
    assert [i.amount for i in weekly] == [3333, 3333, 3334]
    fortnightly = schedule(10000, 3, date(2026, 12, 20), Frequency.TWO_WEEKS)
    assert [i.due_on for i in fortnightly] == [
        date(2026, 12, 20),
        date(2027, 1, 3),
        date(2027, 1, 17),
    ]


def test_deposit_comes_first_and_shares_follow_one_period_later() -> None:
    items = schedule(100000, 3, date(2026, 12, 20), Frequency.MONTH, deposit=30000)
    assert items == [
        ScheduledInstalment(1, date(2026, 12, 20), 30000, is_deposit=True),
        ScheduledInstalment(2, date(2027, 1, 20), 23333),
        ScheduledInstalment(3, date(2027, 2, 20), 23333),
        ScheduledInstalment(4, date(2027, 3, 20), 23334),
    ]
    assert sum(i.amount for i in items) == 100000


def test_deposit_on_its_own_date_lets_shares_start_on_the_first_date() -> None:
    items = schedule(
        10000, 2, date(2027, 1, 20), Frequency.MONTH, deposit=1000, deposit_on=date(2026, 12, 1)
    )
    assert [(i.due_on, i.amount, i.is_deposit) for i in items] == [
        (date(2026, 12, 1), 1000, True),
        (date(2027, 1, 20), 4500, False),
        (date(2027, 2, 20), 4500, False),
    ]


def test_schedule_refuses_nothing_owed_and_oversized_deposits() -> None:
    with pytest.raises(ValueError, match="nothing"):
        schedule(0, 3, date(2026, 12, 20), Frequency.MONTH)
    with pytest.raises(ValueError, match="deposit"):
        schedule(1000, 3, date(2026, 12, 20), Frequency.MONTH, deposit=1000)
    with pytest.raises(ValueError, match="deposit"):
        schedule(1000, 3, date(2026, 12, 20), Frequency.MONTH, deposit=-1)


def test_schedule_refuses_instalments_of_nothing() -> None:
    # 0.05 cannot be cut into 12 instalments of at least one cent.
    with pytest.raises(ValueError, match="instalments"):
        schedule(5, 12, date(2026, 12, 20), Frequency.MONTH)
    assert [i.amount for i in schedule(5, 5, date(2026, 12, 20), Frequency.MONTH)] == [1] * 5


@given(
    st.integers(min_value=1, max_value=10**13),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=10**13),
    st.sampled_from(list(Frequency)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_schedule_property(
    total: int, count: int, deposit: int, every: Frequency, first: date
) -> None:
    deposit = deposit % total
    if total - deposit < count:
        return
    items = schedule(total, count, first, every, deposit=deposit)
    assert sum(i.amount for i in items) == total
    assert all(i.amount > 0 for i in items)
    assert len(items) == count + (1 if deposit else 0)
    assert [i.seq for i in items] == list(range(1, len(items) + 1))
    assert items[0].due_on == first
    assert all(a.due_on < b.due_on for a, b in itertools.pairwise(items))
    assert items[0].is_deposit == bool(deposit)


def test_due_date() -> None:
    first = date(2026, 1, 31)
    assert due_date(first, 0, Frequency.MONTH) == first
    assert due_date(first, 1, Frequency.MONTH) == date(2026, 2, 28)
    assert due_date(first, 2, Frequency.MONTH) == date(2026, 3, 31)
    assert due_date(first, 2, Frequency.WEEK) == date(2026, 2, 14)
    assert due_date(first, 2, Frequency.TWO_WEEKS) == date(2026, 2, 28)


def test_frequency_values_match_the_cli() -> None:
    assert [f.value for f in Frequency] == ["week", "2weeks", "month"]


def test_parse_deposit() -> None:
    assert parse_deposit("", 100000) == 0
    assert parse_deposit("  ", 100000) == 0
    assert parse_deposit("30%", 100000) == 30000
    assert parse_deposit("33.333%", 10000) == 3333
    assert parse_deposit("12.5 %", 1001) == 125
    assert parse_deposit("500.00", 100000) == 50000
    assert parse_deposit("250", 100000) == 25000


@pytest.mark.parametrize(
    "text", ["0%", "100%", "150%", "-5%", "abc%", "nan%", "snan%", "inf%", "-3", "1.234", "abc"]
)
def test_parse_deposit_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_deposit(text, 100000)
