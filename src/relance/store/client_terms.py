"""Writing and reading a client's payment terms, its deposit invoices and prevention flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import JOIN

from relance.domain.prevention import PREVENTION_KIND
from relance.store.models import Client, ContactEvent, Invoice
from relance.store.stored_dates import stored_day


@dataclass(frozen=True)
class StoredTerms:
    """A client's payment terms as the book holds them."""

    delay_days: int
    end_of_month: bool
    methods: str
    fixed_fee: int | None
    note: str


@dataclass(frozen=True)
class PreventionRow:
    """One prevention flag the user recorded: its day, the flag, the invoice it is about."""

    on: date
    flag: str
    invoice_number: str
    summary: str
    author: str


def stored_terms(client_id: int) -> StoredTerms:
    """The client's payment terms."""
    return terms_of(Client.get_by_id(client_id))


def terms_of(client: Client) -> StoredTerms:
    """The payment terms of a client row already read."""
    return StoredTerms(
        client.payment_terms_days,
        bool(client.terms_end_of_month),
        client.payment_methods,
        client.agreed_fixed_fee,
        client.terms_note,
    )


def save_terms(client_id: int, terms: StoredTerms) -> None:
    """Store the client's payment terms."""
    Client.update(
        payment_terms_days=terms.delay_days,
        terms_end_of_month=terms.end_of_month,
        payment_methods=terms.methods,
        agreed_fixed_fee=terms.fixed_fee,
        terms_note=terms.note,
    ).where(Client.id == client_id).execute()


def client_invoice_id(client_id: int, number: str) -> int | None:
    """The id of the client's invoice with this number, None when it has none."""
    invoice = Invoice.get_or_none((Invoice.client == client_id) & (Invoice.number == number))
    return None if invoice is None else int(invoice.id)


def mark_deposit_invoice(invoice_id: int) -> None:
    """Flag an invoice as one issued for a deposit."""
    Invoice.update(is_deposit=True).where(Invoice.id == invoice_id).execute()


def prevention_rows(client_id: int) -> list[PreventionRow]:
    """The client's prevention flags, oldest first."""
    query = (
        ContactEvent.select(ContactEvent, Invoice.number)
        .join(Invoice, on=(ContactEvent.invoice == Invoice.id), join_type=JOIN.LEFT_OUTER)
        .where((ContactEvent.client == client_id) & (ContactEvent.kind == PREVENTION_KIND))
        .order_by(ContactEvent.happened_at, ContactEvent.id)
        .objects()
    )
    return [
        PreventionRow(
            stored_day(event.happened_at),
            event.outcome,
            getattr(event, "number", None) or "",
            event.summary,
            event.author,
        )
        for event in query
    ]
