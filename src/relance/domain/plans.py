"""Payment plan schedules: equal instalments that sum exactly to the total."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum

from relance.domain.dates import add_months
from relance.domain.money import from_decimal, parse_amount
from relance.domain.working_days import next_working_day


class Frequency(Enum):
    """How often instalments fall due."""

    WEEK = "week"
    TWO_WEEKS = "2weeks"
    MONTH = "month"


# The frequencies by the names the user types (`--every`, the plan form).
FREQUENCIES = tuple(f.value for f in Frequency)


@dataclass(frozen=True)
class ScheduledInstalment:
    """One instalment of a proposed plan."""

    seq: int
    due_on: date
    amount: int
    is_deposit: bool = False


def split_evenly(total: int, parts: int) -> list[int]:
    """Equal shares in minor units, the remainder of the division on the last one."""
    if parts < 1:
        raise ValueError("at least one instalment is needed")
    share = total // parts
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def due_date(first: date, index: int, every: Frequency, day_of_month: int | None = None) -> date:
    """The due date of instalment ``index`` (0-based) counting from ``first``.

    The first falls on ``first``; later monthly ones on ``day_of_month`` (default: the first
    date's day), from its next occurrence after ``first``, clamped to the end of shorter
    months: the 31st gives 28 February, then 31 March again.
    """
    if index == 0:
        return first
    if every is Frequency.WEEK:
        return first + timedelta(weeks=index)
    if every is Frequency.TWO_WEEKS:
        return first + timedelta(weeks=2 * index)
    if day_of_month is None:
        return add_months(first, index, first.day)
    # The second instalment falls on the next such day after the first date, then monthly.
    skip = 1 if add_months(first, 0, day_of_month) > first else 0
    return add_months(first, index - skip, day_of_month)


def on_working_days(items: list[ScheduledInstalment], country: str) -> list[ScheduledInstalment]:
    """The same schedule with each date moved to the next working day of the country.

    A date moved onto the next instalment's date stays there: two instalments may share a day,
    but none comes before the one it follows.
    """
    return [replace(item, due_on=next_working_day(item.due_on, country)) for item in items]


def schedule(
    total: int,
    instalments: int,
    first: date,
    every: Frequency,
    deposit: int = 0,
    deposit_on: date | None = None,
    day_of_month: int | None = None,
) -> list[ScheduledInstalment]:
    """A plan's instalments: an optional deposit first, then equal shares of the rest."""
    if total <= 0:
        raise ValueError("there is nothing to spread over a plan")
    if not 0 <= deposit < total:
        raise ValueError("the deposit must be less than the total")
    if total - deposit < instalments:
        # Each instalment must be at least one cent; a zero share is no instalment at all.
        raise ValueError(f"too many instalments for {total - deposit} minor units")
    items: list[ScheduledInstalment] = []
    if deposit:
        items.append(ScheduledInstalment(1, deposit_on or first, deposit, is_deposit=True))
    start = len(items)
    for index, amount in enumerate(split_evenly(total - deposit, instalments)):
        offset = index + (1 if deposit and deposit_on is None else 0)
        day = due_date(first, offset, every, day_of_month)
        items.append(ScheduledInstalment(start + index + 1, day, amount))
    return items


def parse_deposit(text: str, total: int) -> int:
    """A deposit as ``30%`` of the total or as an amount such as ``500.00``."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if cleaned.endswith("%"):
        try:
            percent = Decimal(cleaned[:-1].strip())
        except InvalidOperation:
            raise ValueError(f"not a percentage: {cleaned!r}") from None
        if not percent.is_finite() or not 0 < percent < 100:
            raise ValueError("a deposit percentage must be between 0 and 100")
        return from_decimal(Decimal(total) / 100 * percent / 100)
    return parse_amount(cleaned)
