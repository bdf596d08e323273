"""The reminders in the history: who was reminded on a day, and the thread of the last one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import cast

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


def reminded_on(day: date) -> set[int]:
    """The clients who were sent a reminder on a day."""
    start = datetime.combine(day, time.min)
    rows = ContactEvent.select(ContactEvent.client).where(
        (ContactEvent.kind == "email")
        & (ContactEvent.direction == "out")
        & (ContactEvent.happened_at >= start)
        & (ContactEvent.happened_at < start + timedelta(days=1))
    )
    # .tuples() yields plain tuples of ids; the stubs type it as the model.
    return {int(client_id) for (client_id,) in cast("Iterable[tuple[int]]", rows.tuples())}


def last_reminder_text(client_id: int) -> str | None:
    """The full text logged for the client's latest reminder that has a Message-ID."""
    latest = (
        ContactEvent.select(ContactEvent.body)
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "email")
            & ContactEvent.body.contains("\nMessage-ID: ")
        )
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )
    return None if latest is None else str(latest.body)


def message_logged(message_id: str) -> bool:
    """True when a reminder with this Message-ID is in the history."""
    return bool(
        ContactEvent.select()
        .where(
            (ContactEvent.kind == "email")
            & ContactEvent.body.contains(f"\nMessage-ID: {message_id}\n")
        )
        .exists()
    )
