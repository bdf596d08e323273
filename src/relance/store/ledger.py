"""Writing money received: a payment, its shares on invoices, and each invoice's paid total."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from relance.domain.balances import Allocation as Share
from relance.store.models import Allocation, Invoice, Payment


def write_payment(
    client_id: int,
    amount: int,
    received_on: date,
    at: datetime,
    shares: Sequence[Share],
    *,
    method: str = "",
    reference: str = "",
) -> int:
    """Record a payment and apply its shares, keeping ``Invoice.paid`` equal to its allocations."""
    payment = Payment.create(
        client=client_id,
        amount=amount,
        received_on=received_on,
        method=method,
        reference=reference,
        created_at=at,
    )
    for share in shares:
        Allocation.create(payment=payment, invoice=share.invoice_id, amount=share.amount)
        Invoice.update(paid=Invoice.paid + share.amount).where(
            Invoice.id == share.invoice_id
        ).execute()
    return int(payment.id)
