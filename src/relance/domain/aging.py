"""Aging buckets and days sales outstanding."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from relance.domain.dates import days_overdue


class Bucket(Enum):
    """Where an open amount stands by days overdue."""

    CURRENT = "current"
    D1_30 = "1-30"
    D31_60 = "31-60"
    D61_90 = "61-90"
    D90_PLUS = "90+"


def bucket_for(days_late: int) -> Bucket:
    """The aging bucket for a number of days overdue."""
    if days_late <= 0:
        return Bucket.CURRENT
    if days_late <= 30:
        return Bucket.D1_30
    if days_late <= 60:
        return Bucket.D31_60
    if days_late <= 90:
        return Bucket.D61_90
    return Bucket.D90_PLUS


@dataclass(frozen=True)
class OpenAmount:
    """An open amount with its due date, as aging needs it."""

    due_on: date
    outstanding: int


def aging(amounts: Iterable[OpenAmount], today: date) -> dict[Bucket, int]:
    """Sum open amounts into buckets; every bucket is present, possibly zero."""
    totals = dict.fromkeys(Bucket, 0)
    for item in amounts:
        if item.outstanding > 0:
            totals[bucket_for(days_overdue(item.due_on, today))] += item.outstanding
    return totals


def dso(receivable: int, invoiced_in_period: int, period_days: int = 90) -> Decimal | None:
    """Days sales outstanding: receivables over sales of the period, times its days."""
    if invoiced_in_period <= 0:
        return None
    value = Decimal(receivable) / Decimal(invoiced_in_period) * period_days
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
