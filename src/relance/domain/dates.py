"""Calendar helpers: parsing user dates, days overdue, month arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


class DateError(ValueError):
    """A date typed by the user that cannot be read."""


def parse_date(text: str, *, today: date | None = None) -> date:
    """Read an ISO date (``2026-11-23``); with ``today`` also ``today``, ``+3`` or ``-10`` days."""
    cleaned = text.strip()
    if today is not None:
        if cleaned.lower() in {"today", "0"}:
            return today
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        if cleaned[:1] in "+-" and cleaned[1:].isdecimal():
            try:
                return today + timedelta(days=int(cleaned))
            except OverflowError:
                raise DateError(f"date out of range: {cleaned!r}") from None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise DateError(f"not a date: {cleaned!r} (write it as YYYY-MM-DD)") from None


def days_overdue(due_on: date, today: date) -> int:
    """Whole days past the due date; zero while the invoice is not yet late."""
    return max(0, (today - due_on).days)


def add_months(day: date, months: int, day_of_month: int | None = None) -> date:
    """The same day of month ``months`` later, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    wanted = day_of_month or day.day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))
