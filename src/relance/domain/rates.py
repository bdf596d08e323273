"""Reference rates by validity period, and the lookup that says when it had to guess."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

_PERCENT = re.compile(r"^\d{1,3}(?:\.\d{1,4})?$", re.ASCII)


class RateOrigin(Enum):
    """Where a rate comes from, which decides whether an output must flag it."""

    STATUTORY = "statutory"
    DERIVED = "derived"
    USER = "user"


class RateError(ValueError):
    """A rate typed by the user that cannot be read as a percentage."""


class MissingRate(LookupError):
    """A series with no period at all: there is nothing to fall back on."""


@dataclass(frozen=True)
class RatePeriod:
    """One rate of one series, valid from one day to another, both included."""

    series: str
    valid_from: date
    valid_to: date
    rate: Decimal
    origin: RateOrigin
    note: str = ""

    def covers(self, day: date) -> bool:
        """Whether the period includes ``day``."""
        return self.valid_from <= day <= self.valid_to

    def overlaps(self, other: RatePeriod) -> bool:
        """Whether two periods of the same series share a day."""
        return (
            self.series == other.series
            and self.valid_from <= other.valid_to
            and other.valid_from <= self.valid_to
        )


@dataclass(frozen=True)
class RateLookup:
    """The rate found for a day, and why it is flagged if it is."""

    series: str
    day: date
    rate: Decimal
    period: RatePeriod
    flagged: bool
    reason: str
    # True when no period covers the day: the rate is the nearest known one, not the day's.
    missing: bool = False


class RateTable:
    """Every known rate; a user period wins over a shipped one on the days it covers."""

    def __init__(self, periods: Iterable[RatePeriod]) -> None:
        self.periods = tuple(sorted(periods, key=lambda p: (p.series, p.valid_from)))

    def of_series(self, series: str) -> tuple[RatePeriod, ...]:
        """The periods of one series, oldest first."""
        return tuple(p for p in self.periods if p.series == series)

    def lookup(self, series: str, day: date) -> RateLookup:
        """The rate of ``series`` on ``day``, flagged when derived or when the table lacks it."""
        periods = self.of_series(series)
        if not periods:
            raise MissingRate(f"no {series} rate known at all (add one with `relance rates add`)")
        covering = [p for p in periods if p.covers(day)]
        if covering:
            # A user's period wins: it is there to correct or extend the shipped table.
            chosen = min(covering, key=lambda p: p.origin != RateOrigin.USER)
            if chosen.origin == RateOrigin.DERIVED:
                reason = (
                    f"{series} {chosen.rate} % of {chosen.valid_from}..{chosen.valid_to} "
                    "is derived from the rule, not read from a source"
                )
                return RateLookup(series, day, chosen.rate, chosen, True, reason)
            return RateLookup(series, day, chosen.rate, chosen, False, "")
        earlier = [p for p in periods if p.valid_to < day]
        # The latest known value; a day before the table takes its first value instead.
        if earlier:
            fallback = max(earlier, key=lambda p: p.valid_to)
            gap = f"after {fallback.valid_to}"
        else:
            fallback = periods[0]
            gap = f"before {fallback.valid_from}"
        # The reason names the gap, not the day, so that one gap is reported once.
        reason = (
            f"no {series} rate {gap}: used {fallback.rate} % of "
            f"{fallback.valid_from}..{fallback.valid_to} (add it with `relance rates add`)"
        )
        return RateLookup(series, day, fallback.rate, fallback, True, reason, missing=True)


def parse_percent(text: str) -> Decimal:
    """Read a percentage such as ``3.15`` exactly, refusing negatives and malformed text."""
    cleaned = text.strip().removesuffix("%").strip()
    if cleaned.startswith("-"):
        raise RateError("rate must not be negative")
    if not _PERCENT.match(cleaned):
        raise RateError(f"not a rate: {text!r} (write a percentage like 3.15)")
    return Decimal(cleaned)


def half_year_of(day: date) -> tuple[date, date]:
    """The first and last day of the half-year that contains ``day``."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)
