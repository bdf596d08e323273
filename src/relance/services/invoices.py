"""Adding an invoice to a client's book."""

from __future__ import annotations

from datetime import datetime

from relance.domain.money import decimal_string, format_money
from relance.domain.payment_terms import PaymentDelay
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.invoices import (
    has_invoices,
    insert_invoice,
    invoice_number_taken,
    set_client_currency,
)
from relance.store.ledger import apply_open_credit
from relance.store.lookup import get_client
from relance.store.triage_index import refresh_client_summary


def add_invoice(
    client_id: int,
    number: str,
    amount: str,
    issued: str,
    due: str,
    at: datetime,
    *,
    currency: str = "",
    source: str = "manual",
) -> ActionResult:
    """Record an invoice issued to a client; its number must be new.

    Without a due date, the client's payment terms set it from the issue date.
    """
    form = Form()
    clean_number = form.line("number", number, required=True, limit=60)
    minor = form.amount("amount", amount)
    issued_on = form.day("issued", issued, today=at.date())
    # No due date: the client's payment terms give it, once the client is read below.
    due_on = form.day("due", due, today=at.date()) if due.strip() else None
    if issued_on and due_on and due_on < issued_on:
        form.fail("due", "the due date is before the issue date")
    code = form.currency("currency", currency) if currency.strip() else ""
    form.check()
    with transaction():
        client = get_client(client_id)
        if due_on is None and issued_on is not None:
            terms = PaymentDelay(client.payment_terms_days, bool(client.terms_end_of_month))
            due_on = terms.due_on(issued_on)
        if invoice_number_taken(clean_number):
            raise InvalidInput.one("number", f"invoice {clean_number} already exists")
        code = code or client.currency
        if code != client.currency:
            if has_invoices(client_id):
                raise InvalidInput.one(
                    "currency", f"{client.name} is billed in {client.currency}, not {code}"
                )
            set_client_currency(client_id, code)
        assert issued_on is not None and due_on is not None  # form.check() refused otherwise
        invoice_id = insert_invoice(
            client_id, clean_number, (issued_on, due_on), (minor, code), source, at
        )
        summary = f"invoice {clean_number} added: {format_money(minor, code)} due {due_on}"
        # A credit the client holds pays the new invoice at once, before it can fall overdue.
        credited = sum(piece.amount for piece in apply_open_credit(client_id))
        if credited:
            summary += f" (credit {format_money(credited, code)} applied)"
        event_id = record_event(
            client_id,
            "note",
            summary,
            at,
            direction="internal",
            outcome="invoice-added",
            amount=minor,
            invoice_id=invoice_id,
        )
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {
            "invoice_id": invoice_id,
            "number": clean_number,
            "amount": decimal_string(minor),
            "currency": code,
            "issued_on": str(issued_on),
            "due_on": str(due_on),
        },
    )
