"""Recording a payment and spreading it over a running plan and the open invoices; reversing one.

With a running plan the money settles its instalments in order and, underneath, the invoices
the plan covers, oldest first; without one, invoices oldest first. Invoices picked by hand come
before the others. What nothing can take becomes a credit on the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from relance.domain.allocation import Owed, Piece, invoice_order, spread_payment
from relance.domain.balances import InvoiceBalance
from relance.domain.money import decimal_string, format_money
from relance.services.lapses import judged_result
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.ledger import (
    apply_open_credit,
    instalment_seqs,
    invoice_balances,
    invoice_numbers,
    recorded_payment,
    undo_allocations,
    write_payment_pieces,
)
from relance.store.lookup import get_client
from relance.store.plans import running_instalments

METHOD_MAX = 40
REFERENCE_MAX = 80


def record_payment(
    client_id: int,
    amount: str,
    at: datetime,
    *,
    received_on: str = "",
    method: str = "",
    reference: str = "",
    invoice_number: str = "",
    invoice_numbers: Sequence[str] = (),
    body: str = "",
    author: str = "",
    summary_lead: str = "payment received",
) -> ActionResult:
    """Record money received: a running plan's instalments, then picked invoices, then oldest.

    ``body`` (the bank line it came from), ``author`` and ``summary_lead`` go to the history.
    """
    form = Form()
    minor = form.amount("amount", amount)
    day = form.day("on", received_on, today=at.date()) if received_on.strip() else at.date()
    if day is not None and day > at.date():
        form.fail("on", "a payment cannot be received in the future")
    clean_method = form.line("method", method, limit=METHOD_MAX)
    clean_reference = form.line("reference", reference, limit=REFERENCE_MAX)
    typed = [invoice_number, *invoice_numbers]
    picked_numbers = list(dict.fromkeys(form.line("invoice", n, limit=60) for n in typed if n))
    form.check()
    assert day is not None
    with transaction():
        client = get_client(client_id)
        invoices = invoice_balances(client_id)
        numbers = {inv.invoice_id: inv.number for inv in invoices}
        picked = [_picked_invoice(client.name, invoices, number) for number in picked_numbers]
        instalments = running_instalments(client_id)
        seq_of = {row.id: row.seq for row in instalments}
        pieces, credit = spread_payment(
            minor,
            invoice_order(invoices, picked),
            [Owed(row.id, row.amount - row.paid) for row in instalments],
        )
        payment_id = write_payment_pieces(
            client_id,
            minor,
            day,
            at,
            pieces,
            method=clean_method,
            reference=clean_reference,
        )
        summary = f"{summary_lead}: {format_money(minor, client.currency)}"
        paid_invoices = _unique(numbers[p.invoice_id] for p in pieces if p.invoice_id)
        paid_instalments = _unique(str(seq_of[p.instalment_id]) for p in pieces if p.instalment_id)
        if paid_invoices:
            summary += f" → {', '.join(paid_invoices)}"
        if paid_instalments:
            summary += f" · instalment {', '.join(paid_instalments)}"
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
            invoice_id=next((p.invoice_id for p in pieces if p.invoice_id), None),
            body=body,
            author=author,
        )
        return judged_result(
            (client.id, client.name),
            summary,
            event_id,
            at,
            {
                "payment_id": payment_id,
                "amount": decimal_string(minor),
                "received_on": day.isoformat(),
                "method": clean_method,
                "reference": clean_reference,
                "allocations": [_piece_record(p, numbers, seq_of) for p in pieces],
                "credit": decimal_string(credit),
            },
        )


def reverse_payment(
    client_id: int, payment_id: str, at: datetime, *, reason: str = "", author: str = ""
) -> ActionResult:
    """Reverse a payment (a bounced transfer): shares undone, promises and plans judged again."""
    form = Form()
    clean_reason = form.text("reason", reason)
    wanted = payment_id.strip().removeprefix("#")
    if not wanted:
        form.fail("payment", "pick the payment to reverse")
    elif not wanted.isdecimal() or len(wanted) > 18:
        shown = wanted if len(wanted) <= 40 else wanted[:40] + "…"
        form.fail("payment", f"not a payment number: {shown!r}")
    form.check()
    with transaction():
        client = get_client(client_id)
        payment = recorded_payment(client_id, int(wanted))
        if payment is None:
            raise InvalidInput.one("payment", f"{client.name} has no payment {wanted}")
        if payment.reversed_at is not None:
            raise InvalidInput.one(
                "payment",
                f"payment {wanted} was already reversed on {payment.reversed_at:%Y-%m-%d}",
            )
        numbers = invoice_numbers(client_id)
        seq_of = instalment_seqs(client_id)
        undone = undo_allocations(payment.payment_id, at, clean_reason)
        # What the other payments left as credit now goes to what the reversal reopened.
        reapplied = apply_open_credit(client_id)
        money = format_money(payment.amount, client.currency)
        summary = f"payment reversed: {money} received {payment.received_on.isoformat()}"
        if payment.reference:
            summary += f" ref {payment.reference}"
        if clean_reason:
            summary += f" — {clean_reason}"
        body = "\n".join(
            f"undone: {_target(p, numbers, seq_of)} {format_money(p.amount, client.currency)}"
            for p in undone
        )
        body += "".join(
            f"\ncredit applied: {_target(p, numbers, seq_of)} "
            f"{format_money(p.amount, client.currency)}"
            for p in reapplied
        )
        event_id = record_event(
            client_id,
            "payment",
            summary,
            at,
            direction="internal",
            outcome="reversed",
            channel=payment.method,
            body=body,
            amount=payment.amount,
            author=author,
        )
        return judged_result(
            (client.id, client.name),
            summary,
            event_id,
            at,
            {
                "payment_id": payment.payment_id,
                "reversed": True,
                "reason": clean_reason,
                "undone": [_piece_record(p, numbers, seq_of) for p in undone],
                "credit_applied": [_piece_record(p, numbers, seq_of) for p in reapplied],
            },
        )


def _picked_invoice(client_name: str, invoices: list[InvoiceBalance], number: str) -> int:
    """The id of an invoice the user picked by number; refused if unknown or already paid."""
    for inv in invoices:
        if inv.number == number:
            if not inv.outstanding:
                raise InvalidInput.one("invoice", f"invoice {number} is already paid")
            return inv.invoice_id
    raise InvalidInput.one("invoice", f"{client_name} has no invoice {number}")


def _unique(items: Any) -> list[str]:
    """Items in their first order, each once."""
    return list(dict.fromkeys(items))


def _target(piece: Piece, numbers: dict[int, str], seq_of: dict[int, int]) -> str:
    """What a share went to, in words: "invoice F-1", "instalment 2", or both."""
    parts = []
    if piece.invoice_id is not None:
        parts.append(f"invoice {numbers.get(piece.invoice_id, piece.invoice_id)}")
    if piece.instalment_id is not None:
        parts.append(f"instalment {seq_of.get(piece.instalment_id, piece.instalment_id)}")
    return " · ".join(parts)


def _piece_record(piece: Piece, numbers: dict[int, str], seq_of: dict[int, int]) -> dict[str, Any]:
    """One share for ``--json``: the invoice (or null), the instalment when there is one."""
    record: dict[str, Any] = {
        "invoice": numbers.get(piece.invoice_id) if piece.invoice_id is not None else None,
        "amount": decimal_string(piece.amount),
    }
    if piece.instalment_id is not None:
        record["instalment"] = seq_of.get(piece.instalment_id)
    return record
