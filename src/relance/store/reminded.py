"""Whether a client already got a reminder on a day, read from the history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from relance.store.models import ContactEvent


def reminded_that_day(client_id: int, day: date) -> bool:
    """True when a reminder to this client was logged on this day."""
    start = datetime.combine(day, time.min)
    return (
        ContactEvent.select()
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "email")
            & (ContactEvent.direction == "out")
            & (ContactEvent.happened_at >= start)
            & (ContactEvent.happened_at < start + timedelta(days=1))
        )
        .exists()
    )
