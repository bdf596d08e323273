"""Dates: reading what the user typed, days overdue, month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from relance.domain.dates import DateError, add_months, days_overdue, parse_date
from relance.domain.reasons import reason_today
from relance.domain.written_dates import short_day


def test_parse_iso_date() -> None:
    assert parse_date("2026-11-23") == date(2026, 11, 23)
    assert parse_date("  2024-02-29 ") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-11-32"]
)
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    with pytest.raises(DateError, match="not a date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "tomorrow", "23/11/2026", "2026-1-5x", "+3", "today"])
def test_parse_date_refuses_malformed_or_relative_without_today(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


def test_parse_relative_dates_with_today(today: date) -> None:
    assert parse_date("today", today=today) == today
    assert parse_date(" TODAY ", today=today) == today
    assert parse_date("0", today=today) == today
    assert parse_date("+3", today=today) == date(2026, 11, 26)
    assert parse_date("+10", today=today) == date(2026, 12, 3)
    assert parse_date("-23", today=today) == date(2026, 10, 31)
    assert parse_date("2027-01-05", today=today) == date(2027, 1, 5)


@pytest.mark.parametrize("text", ["+", "-", "+3d", "+ 3", "+²", "+99999999", "-99999999"])
def test_parse_relative_dates_refuses_nonsense(text: str, today: date) -> None:
    with pytest.raises(DateError):
        parse_date(text, today=today)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_days_overdue(today: date) -> None:
    assert days_overdue(date(2026, 11, 23), today) == 0
    assert days_overdue(date(2026, 11, 30), today) == 0
    assert days_overdue(date(2026, 11, 22), today) == 1
    assert days_overdue(date(2025, 11, 23), today) == 365
    assert days_overdue(date(2024, 2, 28), date(2024, 3, 1)) == 2


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 23), 2, date(2027, 1, 23)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
        (date(2026, 5, 10), 25, date(2028, 6, 10)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_keeps_the_wanted_day_after_a_short_month() -> None:
    february = add_months(date(2026, 1, 31), 1)
    assert february == date(2026, 2, 28)
    # Chaining from the clamped date loses the 31st; the wanted day restores it.
    assert add_months(february, 1, day_of_month=31) == date(2026, 3, 31)
    assert add_months(date(2026, 1, 31), 3, day_of_month=31) == date(2026, 4, 30)


@pytest.mark.parametrize(
    ("day", "today", "written"),
    [
        (date(2026, 11, 30), date(2026, 12, 28), "30 Nov"),
        (date(2027, 1, 27), date(2026, 12, 28), "27 Jan 2027"),
        (date(2026, 12, 31), date(2027, 1, 2), "31 Dec 2026"),
        (date(2027, 1, 1), date(2027, 1, 2), "1 Jan"),
    ],
)
def test_a_short_day_carries_its_year_outside_today_s_year(
    day: date, today: date, written: str
) -> None:
    assert short_day(day, today) == written


def test_a_reason_due_next_year_says_which_year() -> None:
    stored = "courteous email — 3 days late, no reminder yet, step 1 of 6"
    on_new_year_eve = reason_today(stored, date(2027, 1, 4), date(2026, 12, 31))
    assert on_new_year_eve.endswith("; due on 4 Jan 2027")
    in_january = reason_today(stored, date(2026, 12, 30), date(2027, 1, 2))
    assert in_january.endswith("; due since 30 Dec 2026")
