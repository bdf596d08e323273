"""Recording a payment and spreading it over the open invoices, oldest first."""

from __future__ import annotations

from datetime import datetime

from relance.domain.balances import InvoiceBalance, allocate_payment
from relance.domain.money import decimal_string, format_money
from relance.services.history import record_event
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.ledger import write_payment
from relance.store.lookup import get_client
from relance.store.models import Invoice, Payment, Promise
from relance.store.summary import refresh_client_summary

METHOD_MAX = 40


def record_payment(
    client_id: int,
    amount: str,
    at: datetime,
    *,
    received_on: str = "",
    method: str = "",
    reference: str = "",
    invoice_number: str = "",
) -> ActionResult:
    """Record money received; it pays a chosen invoice first, then the oldest ones."""
    form = Form()
    minor = form.amount("amount", amount)
    day = form.day("on", received_on, today=at.date()) if received_on.strip() else at.date()
    if day is not None and day > at.date():
        form.fail("on", "a payment cannot be received in the future")
    clean_method = form.line("method", method, limit=METHOD_MAX)
    clean_reference = form.line("reference", reference)
    clean_number = form.line("invoice", invoice_number, limit=60)
    form.check()
    assert day is not None
    with transaction():
        client = get_client(client_id)
        invoices = [
            InvoiceBalance(inv.id, inv.number, inv.due_on, inv.amount, inv.paid)
            for inv in Invoice.select().where(Invoice.client == client_id)
        ]
        first_id = None
        if clean_number:
            chosen = [inv for inv in invoices if inv.number == clean_number]
            if not chosen:
                raise InvalidInput.one("invoice", f"{client.name} has no invoice {clean_number}")
            first_id = chosen[0].invoice_id
        allocations, credit = allocate_payment(minor, invoices, first_id)
        payment_id = write_payment(
            client_id,
            minor,
            day,
            at,
            allocations,
            method=clean_method,
            reference=clean_reference,
        )
        numbers = {inv.invoice_id: inv.number for inv in invoices}
        paid_list = ", ".join(numbers[share.invoice_id] for share in allocations)
        summary = f"payment received: {format_money(minor, client.currency)}"
        if paid_list:
            summary += f" → {paid_list}"
        if credit:
            summary += f" (credit {format_money(credit, client.currency)})"
        event_id = record_event(
            client_id,
            "payment",
            summary,
            datetime.combine(day, at.time()),
            direction="in",
            channel=clean_method,
            amount=minor,
            invoice_id=allocations[0].invoice_id if allocations else None,
        )
        _settle_promises(client_id)
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {
            "payment_id": payment_id,
            "amount": decimal_string(minor),
            "received_on": day.isoformat(),
            "allocations": [
                {"invoice": numbers[s.invoice_id], "amount": decimal_string(s.amount)}
                for s in allocations
            ],
            "credit": decimal_string(credit),
        },
    )


def _settle_promises(client_id: int) -> None:
    """Mark open promises kept once the payments made since each promise cover it."""
    for promise in (
        Promise.select()
        .where((Promise.client == client_id) & (Promise.status == "open"))
        .order_by(Promise.due_on)
    ):
        received = sum(
            p.amount
            for p in Payment.select(Payment.amount).where(
                (Payment.client == client_id) & (Payment.received_on >= promise.made_on)
            )
        )
        if received >= promise.amount:
            promise.status = "kept"
            promise.save()
