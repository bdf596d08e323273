"""Balances: what is owed per invoice, and how a payment is spread."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.balances import (
    Allocation,
    InvoiceBalance,
    allocate_payment,
)

TODAY = date(2026, 11, 23)


def invoice(invoice_id: int, due: date, amount: int, paid: int = 0) -> InvoiceBalance:
    """An invoice numbered after its id."""
    return InvoiceBalance(invoice_id, f"F-{invoice_id:03d}", due, amount, paid)


def test_invoice_outstanding_and_days_overdue() -> None:
    partly = invoice(1, date(2026, 11, 13), 10000, 2500)
    assert partly.outstanding == 7500
    assert partly.days_overdue(TODAY) == 10
    paid = invoice(2, date(2026, 1, 1), 10000, 10000)
    assert paid.outstanding == 0
    assert paid.days_overdue(TODAY) == 0
    overpaid = invoice(3, date(2026, 1, 1), 10000, 12000)
    assert overpaid.outstanding == 0


OPEN = [
    invoice(3, date(2026, 10, 31), 30000),
    invoice(1, date(2026, 8, 31), 10000, 4000),
    invoice(2, date(2026, 9, 30), 20000),
    invoice(4, date(2026, 7, 31), 5000, 5000),
]


def test_allocate_oldest_first() -> None:
    allocations, credit = allocate_payment(20000, OPEN)
    assert allocations == [Allocation(1, 6000), Allocation(2, 14000)]
    assert credit == 0


def test_allocate_exact_sum_of_everything() -> None:
    allocations, credit = allocate_payment(56000, OPEN)
    assert allocations == [Allocation(1, 6000), Allocation(2, 20000), Allocation(3, 30000)]
    assert credit == 0


def test_allocate_chosen_invoice_first() -> None:
    allocations, credit = allocate_payment(35000, OPEN, first_invoice_id=3)
    assert allocations == [Allocation(3, 30000), Allocation(1, 5000)]
    assert credit == 0


def test_allocate_chosen_invoice_already_paid_falls_back_to_oldest() -> None:
    allocations, _ = allocate_payment(1000, OPEN, first_invoice_id=4)
    assert allocations == [Allocation(1, 1000)]


def test_allocate_overpayment_leaves_a_credit() -> None:
    allocations, credit = allocate_payment(60000, OPEN)
    assert sum(a.amount for a in allocations) == 56000
    assert credit == 4000
    allocations, credit = allocate_payment(999, [])
    assert allocations == []
    assert credit == 999


def test_allocate_same_due_date_by_number() -> None:
    same_day = [
        InvoiceBalance(7, "F-010", date(2026, 9, 1), 1000, 0),
        InvoiceBalance(8, "F-002", date(2026, 9, 1), 1000, 0),
    ]
    allocations, _ = allocate_payment(1500, same_day)
    assert allocations == [Allocation(8, 1000), Allocation(7, 500)]


@given(
    st.integers(min_value=1, max_value=10**9),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=400), st.integers(1, 10**7), st.integers(0, 10**7)
        ),
        max_size=12,
    ),
)
def test_allocation_never_loses_or_invents_money(
    amount: int, specs: list[tuple[int, int, int]]
) -> None:
    invoices = [
        invoice(i + 1, date.fromordinal(TODAY.toordinal() - days), total, min(paid, total))
        for i, (days, total, paid) in enumerate(specs)
    ]
    allocations, credit = allocate_payment(amount, invoices)
    assert sum(a.amount for a in allocations) + credit == amount
    by_id = {inv.invoice_id: inv for inv in invoices}
    for share in allocations:
        assert 0 < share.amount <= by_id[share.invoice_id].outstanding
    assert credit == max(0, amount - sum(inv.outstanding for inv in invoices))
