"""Promises to pay as the book sees them on a given day: open, kept, or broken.

A promise is stored ``open`` until a payment covers it (``kept``) or the catch-up run at
start (``services.lapses``) finds its date passed (``broken``). Between midnight and that run
the stored word lags, so every reader here judges with ``today``: an open promise whose date
is before today is broken, whatever the row says yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from peewee import ColumnBase, fn

from relance.store.models import Client, ContactEvent, Payment, Promise, database
from relance.store.steps import step_event
from relance.store.stored_dates import stored_day

OPEN = "open"
KEPT = "kept"
BROKEN = "broken"


def broken_marker(today: date) -> ColumnBase:
    """A SQL truth value per client row: a broken promise that still waits for a follow-up.

    The client's latest promise, broken as of today, with no reminder, call, letter or visit
    after its date, while the client still owes: the "broken promise" marker and the first
    sort key of the default order. Correlated on the client row of the outer query.
    """
    latest = Promise.alias("latest_promise")
    promise = Promise.alias("broken_promise")
    newest = (
        latest.select(latest.id)
        .where(latest.client == Client.id)
        .order_by(latest.made_on.desc(), latest.id.desc())
        .limit(1)
    )
    followed = ContactEvent.select(ContactEvent.id).where(
        (ContactEvent.client == Client.id)
        & step_event()
        & (fn.date(ContactEvent.happened_at) > promise.due_on)
    )
    broken = promise.select(promise.id).where(
        (promise.id == newest)
        & ((promise.status == BROKEN) | ((promise.status == OPEN) & (promise.due_on < today)))
        & ~fn.EXISTS(followed)
    )
    return (Client.outstanding > 0) & fn.EXISTS(broken)


@dataclass(frozen=True)
class BrokenPromise:
    """A promise the client did not keep: what, by when, who said it and how."""

    promise_id: int
    amount: int
    due_on: date
    made_on: date
    made_by: str
    words: str
    channel: str
    followed_up: bool


def promise_status(stored: str, due_on: date, today: date) -> str:
    """The status a promise has today: an open one past its date is broken."""
    return BROKEN if stored == OPEN and due_on < today else stored


def broken_promise(client_id: int, today: date) -> BrokenPromise | None:
    """The client's latest promise if it is broken today and money is still owed, else None.

    The one answer to "did this client break a promise?": the marker, the sort, the reason of
    the next action and the reminder that quotes the promise all follow it.
    """
    latest = (
        Promise.select(Promise, ContactEvent.channel)
        .join(ContactEvent, on=(Promise.event == ContactEvent.id))
        .where(Promise.client == client_id)
        .order_by(Promise.made_on.desc(), Promise.id.desc())
        .first()
    )
    if latest is None or promise_status(latest.status, latest.due_on, today) != BROKEN:
        return None
    owed = database.execute_sql(
        "SELECT COALESCE(SUM(amount - paid), 0) FROM invoice WHERE client_id = ? AND amount > paid",
        (client_id,),
    ).fetchone()[0]
    if not owed:
        return None
    followed = (
        ContactEvent.select()
        .where(
            (ContactEvent.client == client_id)
            & step_event()
            & (fn.date(ContactEvent.happened_at) > latest.due_on.isoformat())
        )
        .exists()
    )
    return BrokenPromise(
        promise_id=latest.id,
        amount=latest.amount,
        due_on=latest.due_on,
        made_on=latest.made_on,
        made_by=latest.made_by,
        words=latest.words,
        channel=latest.event.channel,
        followed_up=followed,
    )


def promise_to_follow_up(client_id: int, today: date) -> BrokenPromise | None:
    """The client's broken promise while it is still to be followed up, else None.

    The rule the list marker writes in SQL (``broken_marker``): the detail's banner, ``show``
    and its JSON read it here, so they agree with the marker and ``today --json``.
    """
    promise = broken_promise(client_id, today)
    return promise if promise is not None and not promise.followed_up else None


def received_since(client_id: int, since: date) -> int:
    """Money received from the client on or after a day, reversed payments left out."""
    total = (
        Payment.select(fn.COALESCE(fn.SUM(Payment.amount), 0))
        .where(
            (Payment.client == client_id)
            & (Payment.received_on >= since)
            & Payment.reversed_at.is_null()
        )
        .scalar()
    )
    return int(total or 0)


@dataclass(frozen=True)
class ChangedPromise:
    """A promise whose status a new judgement changed."""

    client_id: int
    amount: int
    made_on: date
    due_on: date
    status: str


def settle_promises(client_id: int, today: date) -> list[ChangedPromise]:
    """Judge the client's open and kept promises again; returns those that changed.

    Kept: the payments received since the promise was made cover it. Otherwise open while its
    date is today or later, broken after. (A kept promise can reopen when a payment is reversed.)
    """
    changed: list[ChangedPromise] = []
    for promise in (
        Promise.select()
        .where((Promise.client == client_id) & Promise.status.in_((OPEN, KEPT)))
        .order_by(Promise.due_on, Promise.id)
    ):
        if received_since(client_id, promise.made_on) >= promise.amount:
            status = KEPT
        else:
            status = promise_status(OPEN, promise.due_on, today)
        if status != promise.status:
            promise.status = status
            promise.save()
            changed.append(
                ChangedPromise(
                    client_id,
                    int(promise.amount),
                    stored_day(promise.made_on),
                    stored_day(promise.due_on),
                    status,
                )
            )
    return changed


def lapsed_promise_clients(today: date) -> list[int]:
    """Clients with an open promise whose date is before today: the catch-up's work."""
    query = (
        Promise.select(Promise.client)
        .where((Promise.status == OPEN) & (Promise.due_on < today))
        .distinct()
        .tuples()
    )
    return sorted(int(client_id) for (client_id,) in cast("list[tuple[int]]", list(query)))


def add_promise(
    client_id: int, event_id: int, promise: tuple[int, date], made_on: date, who: str, words: str
) -> int:
    """Store a promise (amount, date) tied to the history event that carried it; its id."""
    amount, pay_by = promise
    row = Promise.create(
        client=client_id,
        event=event_id,
        amount=amount,
        due_on=pay_by,
        made_on=made_on,
        made_by=who,
        words=words,
    )
    return int(row.id)
