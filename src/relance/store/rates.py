"""The user's own rate periods, kept book-wide in the ``rate`` table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from relance.domain.rates import RateOrigin, RatePeriod
from relance.store.database import transaction
from relance.store.errors import StoreError
from relance.store.models import Rate


class OverlappingRate(StoreError):
    """A new user period shares days with one the user already entered for that series."""


def user_rate_periods() -> tuple[RatePeriod, ...]:
    """Every period the user entered, oldest first."""
    rows = Rate.select().order_by(Rate.series, Rate.valid_from)
    return tuple(
        RatePeriod(
            series=row.series,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            rate=Decimal(row.rate),
            origin=RateOrigin.USER,
            note=row.note,
        )
        for row in rows
    )


def add_user_rate(period: RatePeriod, at: datetime) -> None:
    """Store one user period in one transaction, refusing one that overlaps the user's own."""
    with transaction():
        clash = (
            Rate.select()
            .where(
                (Rate.series == period.series)
                & (Rate.valid_from <= period.valid_to)
                & (Rate.valid_to >= period.valid_from)
            )
            .first()
        )
        if clash is not None:
            raise OverlappingRate(
                f"{period.series} already has your rate {clash.rate} % for "
                f"{_iso(clash.valid_from)}..{_iso(clash.valid_to)}"
            )
        Rate.create(
            series=period.series,
            valid_from=period.valid_from,
            valid_to=period.valid_to,
            rate=str(period.rate),
            note=period.note,
            created_at=at,
        )


def _iso(day: date | str) -> str:
    """A stored date in ISO form."""
    return day.isoformat() if isinstance(day, date) else str(day)
