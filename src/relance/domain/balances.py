"""What is still owed per invoice, and how a payment is spread over invoices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from relance.domain.dates import days_overdue


@dataclass(frozen=True)
class InvoiceBalance:
    """One invoice's amount and what has been paid on it."""

    invoice_id: int
    number: str
    due_on: date
    amount: int
    paid: int

    @property
    def outstanding(self) -> int:
        """What is still owed on this invoice, never below zero."""
        return max(0, self.amount - self.paid)

    def days_overdue(self, today: date) -> int:
        """Days late if anything is still owed, else zero."""
        return days_overdue(self.due_on, today) if self.outstanding else 0


@dataclass(frozen=True)
class Allocation:
    """A share of a payment applied to one invoice."""

    invoice_id: int
    amount: int


def allocate_payment(
    amount: int, invoices: Sequence[InvoiceBalance], first_invoice_id: int | None = None
) -> tuple[list[Allocation], int]:
    """Spread a payment over open invoices, oldest due first (a chosen one before all).

    Returns the allocations and the unallocated remainder, which becomes a credit.
    """
    ordered = sorted(
        (inv for inv in invoices if inv.outstanding > 0),
        key=lambda inv: (inv.invoice_id != first_invoice_id, inv.due_on, inv.number),
    )
    allocations: list[Allocation] = []
    left = amount
    for inv in ordered:
        if left <= 0:
            break
        share = min(left, inv.outstanding)
        allocations.append(Allocation(inv.invoice_id, share))
        left -= share
    return allocations, left
