"""Working days: no weekends and no public holidays of the client's country."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    """One country's public holidays for one year, built once: this runs in every write."""
    # Imported on first use: the package takes ~120 ms to load (every country's module), which
    # the app's start-up (reading the list, never a working day) should not pay.
    import holidays

    return frozenset(holidays.country_holidays(country, years=year))


def prepare_holidays(country: str, year: int) -> None:
    """Build a country's holidays for a year ahead of the first write that needs them."""
    _public_holidays(country, year)


def is_working_day(day: date, country: str) -> bool:
    """True from Monday to Friday, outside the country's public holidays."""
    return day.weekday() < 5 and day not in _public_holidays(country, day.year)


def next_working_day(day: date, country: str) -> date:
    """The day itself if it is a working day, else the first one after it."""
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, country: str) -> date:
    """The day itself if it is a working day, else the last one before it."""
    while not is_working_day(day, country):
        day -= timedelta(days=1)
    return day
