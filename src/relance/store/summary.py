"""The triage index: each client's sort keys and next action, recomputed inside every write."""

from __future__ import annotations

from datetime import date, timedelta

from peewee import fn

from relance.domain.next_action import ClientState, default_next_action
from relance.store.models import Client, ContactEvent, Instalment, Invoice, PaymentPlan, Promise

# Kinds of history event that count as having been in touch with the client.
CONTACT_KINDS = ("call", "email", "letter", "sms", "visit", "plan")
# Kinds that are a step of the reminder sequence.
STEP_KINDS = ("call", "email", "letter", "sms", "visit")
OPEN_PLAN_STATUSES = ("accepted", "active")


def open_position(client_id: int) -> tuple[int, int, date | None]:
    """Outstanding amount, number of open invoices and oldest open due date of a client."""
    outstanding, count, oldest = (
        Invoice.select(
            fn.COALESCE(fn.SUM(Invoice.amount - Invoice.paid), 0),
            fn.COUNT(Invoice.id),
            fn.MIN(Invoice.due_on),
        )
        .where((Invoice.client == client_id) & (Invoice.amount > Invoice.paid))
        .scalar(as_tuple=True)
    )
    return outstanding, count, _as_date(oldest)


def client_state(client: Client, outstanding: int, oldest: date | None) -> ClientState:
    """Gather everything the next action depends on from the client's rows and history."""
    events = ContactEvent.select().where(ContactEvent.client == client.id)
    last_contact = (
        events.where(ContactEvent.kind.in_(CONTACT_KINDS))
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )
    disputed_since = None
    if client.disputed:
        dispute = (
            events.where((ContactEvent.kind == "dispute") & (ContactEvent.outcome == "on"))
            .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
            .first()
        )
        disputed_since = dispute.happened_at.date() if dispute else None
    promise_due = (
        Promise.select(fn.MIN(Promise.due_on))
        .where((Promise.client == client.id) & (Promise.status == "open"))
        .scalar()
    )
    plan_next = (
        Instalment.select(fn.MIN(Instalment.due_on))
        .join(PaymentPlan)
        .where(
            (PaymentPlan.client == client.id)
            & (PaymentPlan.status.in_(OPEN_PLAN_STATUSES))
            & (Instalment.paid < Instalment.amount)
        )
        .scalar()
    )
    return ClientState(
        outstanding=outstanding,
        oldest_due_on=oldest,
        disputed_since=disputed_since,
        snoozed_until=client.snoozed_until,
        promise_check_on=_next_day(_as_date(promise_due)),
        plan_next_due_on=_as_date(plan_next),
        steps_done=events.where(
            ContactEvent.kind.in_(STEP_KINDS) & (ContactEvent.direction == "out")
        ).count(),
        follow_up_action=last_contact.follow_up_action if last_contact else None,
        follow_up_on=last_contact.follow_up_on if last_contact else None,
        last_contact_on=last_contact.happened_at.date() if last_contact else None,
    )


def refresh_client_summary(client_id: int) -> None:
    """Recompute one client's triage columns; call it inside the transaction that changed it."""
    client = Client.get_by_id(client_id)
    outstanding, open_count, oldest = open_position(client_id)
    action = default_next_action(client_state(client, outstanding, oldest))
    Client.update(
        outstanding=outstanding,
        open_invoices=open_count,
        oldest_due_on=oldest,
        next_action=action.action,
        next_action_on=action.on,
    ).where(Client.id == client_id).execute()


def refresh_all_summaries() -> None:
    """Recompute every client's triage columns (after a migration)."""
    for (client_id,) in Client.select(Client.id).tuples():
        refresh_client_summary(client_id)


def _as_date(value: object) -> date | None:
    """SQLite aggregates return dates as text; bring them back to ``date``."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _next_day(value: date | None) -> date | None:
    """The day after, keeping ``None``."""
    return value + timedelta(days=1) if value else None

