"""The letters in a client's history, newest first: what a proof of posting refers to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from relance.store.models import ContactEvent
from relance.store.stored_dates import stored_day

# The history kind of a letter sent, whether written by relance or logged by hand.
LETTER_KIND = "letter"


@dataclass(frozen=True)
class LetterEvent:
    """One letter recorded in the history."""

    event_id: int
    on: date
    summary: str


def letter_events(client_id: int) -> list[LetterEvent]:
    """Every letter recorded for a client, the newest first."""
    query = (
        ContactEvent.select(ContactEvent.id, ContactEvent.happened_at, ContactEvent.summary)
        .where((ContactEvent.client == client_id) & (ContactEvent.kind == LETTER_KIND))
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
    )
    return [
        LetterEvent(int(row.id), stored_day(row.happened_at), str(row.summary)) for row in query
    ]
