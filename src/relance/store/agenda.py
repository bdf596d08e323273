"""Book-wide reads for the week ahead: each one query on an index, never a loop over clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from relance.store.models import Client, ContactEvent, Instalment, PaymentPlan, Promise
from relance.store.plans import RUNNING_PLAN_STATUSES
from relance.store.promises import OPEN
from relance.store.stored_dates import stored_day


@dataclass(frozen=True)
class DatedRow:
    """A client's row due on a day: a promise, an instalment, a next action or a letter sent."""

    on: date
    client_id: int
    client_name: str
    label: str
    amount: int | None = None
    currency: str = ""
    jurisdiction: str = ""
    kind: str = ""


def promises_due(first: date, last: date) -> list[DatedRow]:
    """Open promises to pay whose day falls between ``first`` and ``last``."""
    query = (
        Promise.select(Promise.due_on, Promise.amount, Client.id, Client.name, Client.currency)
        .join(Client)
        .where((Promise.status == OPEN) & Promise.due_on.between(first, last))
    )
    return [
        DatedRow(
            stored_day(row.due_on),
            row.client.id,
            row.client.name,
            "",
            row.amount,
            row.client.currency,
        )
        for row in query
    ]


def instalments_due(first: date, last: date) -> list[DatedRow]:
    """Unpaid instalments of running plans due between ``first`` and ``last``."""
    query = (
        Instalment.select(
            Instalment.due_on,
            Instalment.amount,
            Instalment.paid,
            Instalment.seq,
            Client.id,
            Client.name,
            Client.currency,
        )
        .join(PaymentPlan)
        .join(Client)
        .where(
            (Instalment.paid < Instalment.amount)
            & Instalment.due_on.between(first, last)
            & PaymentPlan.status.in_(RUNNING_PLAN_STATUSES)
        )
    )
    return [
        DatedRow(
            stored_day(row.due_on),
            row.plan.client.id,
            row.plan.client.name,
            str(row.seq),
            row.amount - row.paid,
            row.plan.client.currency,
        )
        for row in query
    ]


def next_actions_planned(first: date, last: date) -> list[DatedRow]:
    """Clients still owing whose next action is planned between ``first`` and ``last``."""
    query = Client.select(Client.id, Client.name, Client.next_action, Client.next_action_on).where(
        Client.next_action_on.between(first, last) & (Client.outstanding > 0)
    )
    return [
        DatedRow(stored_day(row.next_action_on), row.id, row.name, str(row.next_action))
        for row in query
    ]


def writings_sent(kinds: tuple[str, ...], first: date, last: date) -> list[DatedRow]:
    """Events of these kinds (letters, mediation proposals) made between two days, for clients
    still owing; the label is the event's outcome."""
    query = (
        ContactEvent.select(
            ContactEvent.happened_at,
            ContactEvent.kind,
            ContactEvent.outcome,
            Client.id,
            Client.name,
            Client.jurisdiction,
            Client.kind,
        )
        .join(Client)
        .where(
            ContactEvent.kind.in_(kinds)
            & (ContactEvent.happened_at >= datetime.combine(first, time.min))
            & (ContactEvent.happened_at < datetime.combine(last + timedelta(days=1), time.min))
            & (Client.outstanding > 0)
        )
    )
    return [
        DatedRow(
            stored_day(row.happened_at),
            row.client.id,
            row.client.name,
            f"{row.kind}:{row.outcome}",
            jurisdiction=row.client.jurisdiction,
            kind=row.client.kind,
        )
        for row in query
    ]
