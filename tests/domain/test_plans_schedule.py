"""Plan schedules: exact sums, deposit first, working days, months of every length."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from relance.domain.plans import Frequency, due_date, on_working_days, schedule
from relance.services import clients, invoices
from relance.services.plans import INCLUDED, preview_plan
from relance.services.validation import InvalidInput


@pytest.mark.parametrize(
    ("total", "count", "shares"),
    [
        (10000, 3, [3333, 3333, 3334]),
        (5, 2, [2, 3]),
        (100000001, 12, [8333333] * 11 + [8333338]),
    ],
)
def test_awkward_totals_sum_exactly_with_the_remainder_last(
    total: int, count: int, shares: list[int]
) -> None:
    items = on_working_days(schedule(total, count, date(2027, 1, 20), Frequency.MONTH), "FR")
    assert [item.amount for item in items] == shares
    assert sum(item.amount for item in items) == total
    assert [item.seq for item in items] == list(range(1, count + 1))


def test_the_deposit_comes_first() -> None:
    items = schedule(100000, 2, date(2027, 3, 10), Frequency.MONTH, deposit=30000)
    assert [(i.seq, i.due_on, i.amount, i.is_deposit) for i in items] == [
        (1, date(2027, 3, 10), 30000, True),
        (2, date(2027, 4, 10), 35000, False),
        (3, date(2027, 5, 10), 35000, False),
    ]


def test_weekends_and_public_holidays_move_to_the_next_working_day() -> None:
    # 1 January 2027 is a holiday (a Friday), 1 May 2027 a Saturday and a holiday in France.
    items = schedule(60000, 6, date(2026, 12, 1), Frequency.MONTH)
    shifted = on_working_days(items, "FR")
    assert [i.due_on for i in shifted] == [
        date(2026, 12, 1),
        date(2027, 1, 4),
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 4, 1),
        date(2027, 5, 3),
    ]
    assert [i.amount for i in shifted] == [i.amount for i in items]
    # Easter Monday 2027 (29 March) in France; a Sunday in the UK moves to Monday.
    weekly = on_working_days(schedule(300, 3, date(2027, 3, 22), Frequency.WEEK), "FR")
    assert [i.due_on for i in weekly] == [date(2027, 3, 22), date(2027, 3, 30), date(2027, 4, 5)]


def test_monthly_on_a_day_of_month_across_short_months() -> None:
    items = schedule(50000, 5, date(2027, 1, 15), Frequency.MONTH, day_of_month=31)
    assert [i.due_on for i in items] == [
        date(2027, 1, 15),
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    # A day already passed in the first month: the next month's.
    later = schedule(30000, 3, date(2027, 1, 20), Frequency.MONTH, day_of_month=5)
    assert [i.due_on for i in later] == [date(2027, 1, 20), date(2027, 2, 5), date(2027, 3, 5)]
    assert due_date(date(2028, 1, 31), 1, Frequency.MONTH) == date(2028, 2, 29)


def test_preview_moves_dates_and_can_include_interest(book: object, at: datetime) -> None:
    client_id = clients.add_client("ACME", at).client_id
    invoices.add_invoice(client_id, "F-1", "1000.00", "2026-08-01", "2026-09-01", at)
    waived = preview_plan(client_id, "3", at.date(), first="2026-12-01", day="31")
    assert waived.total == 100000
    assert waived.extras_words == "interest and fees waived"
    # Then the 31st: 31 December, and 31 January 2027, a Sunday, moves to Monday 1 February.
    assert [i.due_on for i in waived.instalments] == [
        date(2026, 12, 1),
        date(2026, 12, 31),
        date(2027, 2, 1),
    ]
    included = preview_plan(client_id, "3", at.date(), extras=INCLUDED)
    assert included.outstanding == 100000
    assert included.fees == 4000
    assert included.interest > 0
    assert included.total == 100000 + included.interest + included.fees
    assert sum(i.amount for i in included.instalments) == included.total
    assert "including interest" in included.extras_words
    for kwargs, field in (({"day": "32"}, "day"), ({"extras": "maybe"}, "extras")):
        with pytest.raises(InvalidInput) as refused:
            preview_plan(client_id, "3", at.date(), **kwargs)
        assert field in refused.value.errors
