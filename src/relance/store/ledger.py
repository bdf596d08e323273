"""Money received: a payment, its shares on invoices and instalments, reversals, open items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from peewee import fn

from relance.domain.allocation import Owed, Piece, spread_payment
from relance.domain.balances import InvoiceBalance
from relance.store.models import Allocation, Instalment, Invoice, Payment, PaymentPlan
from relance.store.plans import running_instalments
from relance.store.stored_dates import stored_day


def write_payment_pieces(
    client_id: int,
    amount: int,
    received_on: date,
    at: datetime,
    pieces: Sequence[Piece],
    *,
    method: str = "",
    reference: str = "",
) -> int:
    """Record a payment spread over invoices and plan instalments, keeping both ``paid`` exact."""
    payment = Payment.create(
        client=client_id,
        amount=amount,
        received_on=received_on,
        method=method,
        reference=reference,
        created_at=at,
    )
    _allocate(int(payment.id), pieces)
    return int(payment.id)


def _allocate(payment_id: int, pieces: Sequence[Piece]) -> None:
    """Write a payment's shares and add them to the invoices' and instalments' ``paid``."""
    for piece in pieces:
        Allocation.create(
            payment=payment_id,
            invoice=piece.invoice_id,
            instalment=piece.instalment_id,
            amount=piece.amount,
        )
        if piece.invoice_id is not None:
            Invoice.update(paid=Invoice.paid + piece.amount).where(
                Invoice.id == piece.invoice_id
            ).execute()
        if piece.instalment_id is not None:
            Instalment.update(paid=Instalment.paid + piece.amount).where(
                Instalment.id == piece.instalment_id
            ).execute()


def apply_open_credit(client_id: int) -> list[Piece]:
    """Spread what the client's payments left unapplied over what is open; the new shares.

    Oldest payment first, onto the running plan's instalments and, underneath, the invoices
    oldest due first, as a payment received now would be: a credit never sits beside a debt.
    """
    applied = Allocation.select(fn.COALESCE(fn.SUM(Allocation.amount), 0)).where(
        Allocation.payment == Payment.id
    )
    query = (
        Payment.select(Payment.id, (Payment.amount - applied).alias("left"))
        .where((Payment.client == client_id) & Payment.reversed_at.is_null())
        .order_by(Payment.received_on, Payment.id)
        .tuples()
    )
    # .tuples() yields plain tuples; the stubs type it as the model.
    waiting = [
        (int(payment_id), int(left))
        for payment_id, left in cast("Iterable[tuple[int, int]]", query)
        if left > 0
    ]
    shares: list[Piece] = []
    for payment_id, left in waiting:
        invoices = [
            Owed(inv.id, inv.amount - inv.paid)
            for inv in Invoice.select()
            .where((Invoice.client == client_id) & (Invoice.amount > Invoice.paid))
            .order_by(Invoice.due_on, Invoice.number)
        ]
        instalments = [
            Owed(due.id, due.amount - due.paid) for due in running_instalments(client_id)
        ]
        if not invoices and not instalments:
            break
        pieces, _still_left = spread_payment(left, invoices, instalments)
        _allocate(payment_id, pieces)
        shares.extend(pieces)
    return shares


def undo_allocations(payment_id: int, at: datetime, reason: str) -> list[Piece]:
    """Mark a payment reversed and take its shares back off invoices and instalments.

    The payment row stays (marked, with the reason) so the history and an export still show
    it; the allocations go, because ``paid`` is by definition the sum of the live ones.
    """
    undone: list[Piece] = []
    for row in Allocation.select().where(Allocation.payment == payment_id).order_by(Allocation.id):
        invoice_id = row.invoice_id
        instalment_id = row.instalment_id
        if invoice_id is not None:
            Invoice.update(paid=Invoice.paid - row.amount).where(Invoice.id == invoice_id).execute()
        if instalment_id is not None:
            Instalment.update(paid=Instalment.paid - row.amount).where(
                Instalment.id == instalment_id
            ).execute()
        undone.append(Piece(invoice_id, instalment_id, row.amount))
    Allocation.delete().where(Allocation.payment == payment_id).execute()
    Payment.update(reversed_at=at, reversal_reason=reason).where(Payment.id == payment_id).execute()
    return undone


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice a payment can still go to, for the payment form's checklist."""

    number: str
    due_on: date
    outstanding: int
    currency: str


@dataclass(frozen=True)
class ReversiblePayment:
    """A payment that has not been reversed, for the reversal form's list."""

    payment_id: int
    amount: int
    received_on: date
    method: str
    reference: str
    currency: str


def open_invoices(client_id: int) -> list[OpenInvoice]:
    """The client's invoices with money still owed, oldest due first."""
    return [
        OpenInvoice(inv.number, inv.due_on, inv.amount - inv.paid, inv.currency)
        for inv in Invoice.select()
        .where((Invoice.client == client_id) & (Invoice.amount > Invoice.paid))
        .order_by(Invoice.due_on, Invoice.number)
    ]


def reversible_payments(client_id: int) -> list[ReversiblePayment]:
    """The client's payments not yet reversed, newest first."""
    return [
        ReversiblePayment(
            pay.id, pay.amount, pay.received_on, pay.method, pay.reference, pay.client.currency
        )
        for pay in Payment.select()
        .where((Payment.client == client_id) & Payment.reversed_at.is_null())
        .order_by(Payment.received_on.desc(), Payment.id.desc())
    ]


@dataclass(frozen=True)
class RecordedPayment:
    """A payment as a reversal needs it."""

    payment_id: int
    amount: int
    received_on: date
    method: str
    reference: str
    reversed_at: datetime | None


def invoice_balances(client_id: int) -> list[InvoiceBalance]:
    """Every invoice of the client with what has been paid on it."""
    return [
        InvoiceBalance(
            int(row.id), str(row.number), stored_day(row.due_on), int(row.amount), int(row.paid)
        )
        for row in Invoice.select().where(Invoice.client == client_id)
    ]


def invoice_numbers(client_id: int) -> dict[int, str]:
    """The number of each invoice of the client, by id."""
    return {
        int(row.id): str(row.number)
        for row in Invoice.select(Invoice.id, Invoice.number).where(Invoice.client == client_id)
    }


def instalment_seqs(client_id: int) -> dict[int, int]:
    """The place in its plan of each instalment of the client's plans, by id."""
    return {
        int(row.id): int(row.seq)
        for row in Instalment.select(Instalment.id, Instalment.seq)
        .join(PaymentPlan)
        .where(PaymentPlan.client == client_id)
    }


def recorded_payment(client_id: int, payment_id: int) -> RecordedPayment | None:
    """One payment of the client, or None when the client has no payment with this id."""
    row = Payment.get_or_none((Payment.id == payment_id) & (Payment.client == client_id))
    return _recorded(row) if row is not None else None


def latest_payment(client_id: int) -> RecordedPayment | None:
    """The client's latest payment not reversed (received last, then recorded last), if any."""
    row = (
        Payment.select()
        .where((Payment.client == client_id) & Payment.reversed_at.is_null())
        .order_by(Payment.received_on.desc(), Payment.id.desc())
        .first()
    )
    return _recorded(row) if row is not None else None


def _recorded(row: Payment) -> RecordedPayment:
    """A payment row as a plain value."""
    return RecordedPayment(
        int(row.id),
        int(row.amount),
        stored_day(row.received_on),
        str(row.method),
        str(row.reference),
        row.reversed_at,
    )
