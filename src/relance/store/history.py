"""Writing to the append-only history log."""

from __future__ import annotations

from datetime import date, datetime

from relance.store.models import ContactEvent


def record_event(
    client_id: int,
    kind: str,
    summary: str,
    at: datetime,
    *,
    direction: str = "out",
    channel: str = "",
    outcome: str = "",
    body: str = "",
    amount: int | None = None,
    invoice_id: int | None = None,
    follow_up_action: str = "",
    follow_up_on: date | None = None,
    author: str = "",
) -> int:
    """Append one event to a client's history and return its id."""
    event = ContactEvent.create(
        client=client_id,
        invoice=invoice_id,
        kind=kind,
        direction=direction,
        channel=channel,
        outcome=outcome,
        summary=summary,
        body=body,
        amount=amount,
        happened_at=at,
        follow_up_action=follow_up_action,
        follow_up_on=follow_up_on,
        author=author,
    )
    return int(event.id)
