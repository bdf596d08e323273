"""Spreading a payment over a running plan's instalments and the invoices the plan covers.

A plan covers the client's invoices: money paid under it settles instalments in their order
and, underneath, invoices oldest first. Both walks advance together, so one share of money
may name an instalment and an invoice at once; what neither can take is a credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relance.domain.balances import InvoiceBalance


@dataclass(frozen=True)
class Owed:
    """Something a payment can go to: its id and what is still owed on it."""

    key: int
    outstanding: int


@dataclass(frozen=True)
class Piece:
    """One share of a payment: on an invoice, an instalment, or both at once."""

    invoice_id: int | None
    instalment_id: int | None
    amount: int


def invoice_order(invoices: Sequence[InvoiceBalance], picked: Sequence[int] = ()) -> list[Owed]:
    """Open invoices in the order a payment settles them: those picked by hand, then oldest."""
    open_items = [inv for inv in invoices if inv.outstanding > 0]
    chosen = [inv for key in picked for inv in open_items if inv.invoice_id == key]
    rest = sorted(
        (inv for inv in open_items if inv.invoice_id not in picked),
        key=lambda inv: (inv.due_on, inv.number),
    )
    return [Owed(inv.invoice_id, inv.outstanding) for inv in (*chosen, *rest)]


def spread_payment(
    amount: int, invoices: Sequence[Owed], instalments: Sequence[Owed] = ()
) -> tuple[list[Piece], int]:
    """Walk the instalments and the invoices side by side; returns the pieces and the credit.

    Each piece is as large as the current invoice, the current instalment and the money left
    all allow. When one walk ends (a plan that includes interest, or an invoice added after
    the plan) the other goes on alone; what is left when both end becomes a credit.
    """
    if amount <= 0:
        raise ValueError("a payment must be positive")
    bills = [[item.key, item.outstanding] for item in invoices if item.outstanding > 0]
    shares = [[item.key, item.outstanding] for item in instalments if item.outstanding > 0]
    pieces: list[Piece] = []
    left = amount
    while left > 0 and (bills or shares):
        limits = [left]
        if bills:
            limits.append(bills[0][1])
        if shares:
            limits.append(shares[0][1])
        size = min(limits)
        pieces.append(Piece(bills[0][0] if bills else None, shares[0][0] if shares else None, size))
        left -= size
        for queue in (bills, shares):
            if queue:
                queue[0][1] -= size
                if queue[0][1] == 0:
                    queue.pop(0)
    return pieces, left
