"""What is still owed: per invoice, per client, and how a payment is spread over invoices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
class ClientBalance:
    """A client's open position, summed over its invoices."""

    outstanding: int
    overdue: int
    open_invoices: int
    oldest_due_on: date | None

    def days_overdue(self, today: date) -> int:
        """Days since the oldest unpaid due date; zero when nothing is late."""
        return days_overdue(self.oldest_due_on, today) if self.oldest_due_on else 0


def client_balance(invoices: Iterable[InvoiceBalance], today: date) -> ClientBalance:
    """Sum a client's invoices into its open position as of ``today``."""
    open_items = [inv for inv in invoices if inv.outstanding > 0]
    return ClientBalance(
        outstanding=sum(inv.outstanding for inv in open_items),
        overdue=sum(inv.outstanding for inv in open_items if inv.due_on < today),
        open_invoices=len(open_items),
        oldest_due_on=min((inv.due_on for inv in open_items), default=None),
    )


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
