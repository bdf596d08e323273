"""Writing a client's invoices, and the checks a new one needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from relance.store.models import Client, Invoice
from relance.store.stored_dates import stored_day


def invoice_number_taken(number: str) -> bool:
    """True when an invoice of any client already has this number."""
    return bool(Invoice.select().where(Invoice.number == number).exists())


def has_invoices(client_id: int) -> bool:
    """True when the client has been invoiced at least once."""
    return bool(Invoice.select().where(Invoice.client == client_id).exists())


def set_client_currency(client_id: int, currency: str) -> None:
    """The currency the client is billed in."""
    Client.update(currency=currency).where(Client.id == client_id).execute()


def insert_invoice(
    client_id: int,
    number: str,
    dates: tuple[date, date],
    amount: tuple[int, str],
    source: str,
    at: datetime,
) -> int:
    """Store one invoice (issued and due days; amount in minor units and its currency)."""
    issued_on, due_on = dates
    minor, currency = amount
    invoice = Invoice.create(
        client=client_id,
        number=number,
        issued_on=issued_on,
        due_on=due_on,
        amount=minor,
        currency=currency,
        source=source,
        created_at=at,
    )
    return int(invoice.id)


def overdue_total(client_id: int, today: date) -> int:
    """What a client owes that has fallen due (minor units of its invoices' currency)."""
    return sum(
        int(invoice.amount - invoice.paid)
        for invoice in Invoice.select(Invoice.amount, Invoice.paid).where(
            (Invoice.client == client_id)
            & (Invoice.amount > Invoice.paid)
            & (Invoice.due_on < today)
        )
    )


@dataclass(frozen=True)
class DueInvoice:
    """An invoice fallen due and not paid in full, as a message writes it out."""

    invoice_id: int
    number: str
    issued_on: date
    due_on: date
    amount: int
    paid: int
    currency: str


def overdue_invoices(client_id: int, today: date) -> list[DueInvoice]:
    """The client's invoices fallen due and not paid in full, oldest due first."""
    return [
        DueInvoice(
            int(invoice.id),
            str(invoice.number),
            stored_day(invoice.issued_on),
            stored_day(invoice.due_on),
            int(invoice.amount),
            int(invoice.paid),
            str(invoice.currency),
        )
        for invoice in Invoice.select()
        .where(
            (Invoice.client == client_id)
            & (Invoice.amount > Invoice.paid)
            & (Invoice.due_on < today)
        )
        .order_by(Invoice.due_on, Invoice.number)
    ]
