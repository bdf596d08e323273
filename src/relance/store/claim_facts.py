"""What a claim is computed from: a client's invoices, their allocations and its formal notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from relance.store.models import Allocation, ContactEvent, Invoice, Payment
from relance.store.stored_dates import stored_day


@dataclass(frozen=True)
class ClaimInvoice:
    """One invoice of the client, with the dated payments allocated to it."""

    invoice_id: int
    number: str
    currency: str
    due_on: date
    amount: int
    paid: int
    # Each allocation to the invoice, dated by the payment it came from.
    payments: tuple[tuple[date, int], ...]


def event_days(client_id: int, kind: str) -> list[date]:
    """The days of the client's history events of one kind, oldest first."""
    query = ContactEvent.select(ContactEvent.happened_at).where(
        (ContactEvent.client == client_id) & (ContactEvent.kind == kind)
    )
    return sorted(stored_day(event.happened_at) for event in query)


def claim_invoices(client_id: int) -> list[ClaimInvoice]:
    """The client's invoices by due date, each with its dated allocations."""
    invoices = list(
        Invoice.select().where(Invoice.client == client_id).order_by(Invoice.due_on, Invoice.id)
    )
    paid_on: dict[int, list[tuple[date, int]]] = {invoice.id: [] for invoice in invoices}
    # Typed here: Peewee's tuples are untyped and mypy's guess depended on file order.
    rows = cast(
        "list[tuple[int, int, date | str]]",
        list(
            Allocation.select(Allocation.invoice, Allocation.amount, Payment.received_on)
            .join(Payment)
            .join_from(Allocation, Invoice)
            .where(Invoice.client == client_id)
            .order_by(Allocation.id)
            .tuples()
        ),
    )
    for invoice_id, amount, received_on in rows:
        paid_on[int(invoice_id)].append((stored_day(received_on), int(amount)))
    return [
        ClaimInvoice(
            int(invoice.id),
            str(invoice.number),
            str(invoice.currency),
            stored_day(invoice.due_on),
            int(invoice.amount),
            int(invoice.paid),
            tuple(paid_on[invoice.id]),
        )
        for invoice in invoices
    ]
