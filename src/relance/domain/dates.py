"""Calendar helpers: parsing user dates, days overdue, month arithmetic."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# The one written form: Python also reads 20261123 and 2026-W48-1, which nobody means here.
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
# Days a book can hold: later ones are typos, and leave room for date arithmetic (a day after).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
# More digits than any day offset inside the range above: refused before int() reads them.
_OFFSET_DIGITS = 7


class DateError(ValueError):
    """A date typed by the user that cannot be read."""


def parse_date(text: str, *, today: date | None = None) -> date:
    """Read an ISO date (``2026-11-23``); with ``today`` also ``today``, ``+3`` or ``-10`` days."""
    cleaned = text.strip()
    if not cleaned:
        raise DateError("no date given (write it as YYYY-MM-DD)")
    if today is not None:
        if cleaned.lower() in {"today", "0"}:
            return today
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        if cleaned[:1] in "+-" and cleaned[1:].isdecimal():
            if len(cleaned) - 1 > _OFFSET_DIGITS:
                raise DateError(f"date out of range: {_shown(cleaned)}")
            try:
                return _within_range(today + timedelta(days=int(cleaned)), cleaned)
            except OverflowError:
                raise DateError(f"date out of range: {cleaned!r}") from None
    match = _ISO_DAY.fullmatch(cleaned)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        day = None
    if day is None:
        raise DateError(f"not a date: {_shown(cleaned)} (write it as YYYY-MM-DD)")
    return _within_range(day, cleaned)


def _shown(text: str) -> str:
    """What the user wrote, quoted, cut short when it is too long to quote in one line."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _within_range(day: date, shown: str) -> date:
    """The day, or a refusal when it lies outside the years a book can hold."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(f"date out of range: {shown!r} (from {FIRST_DAY.year} to {LAST_DAY.year})")
    return day


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
