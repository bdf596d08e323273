"""Dates as the database hands them back: a `date`, a `datetime` or ISO text."""

from __future__ import annotations

from datetime import date, datetime


def stored_day(value: object) -> date:
    """The day of a stored date or moment, whatever form the driver handed back."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def stored_day_or_none(value: object) -> date | None:
    """The day of a stored date or moment, keeping a missing one as ``None``."""
    return None if value is None else stored_day(value)
