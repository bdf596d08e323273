"""Recording payments: allocation oldest first or to a chosen invoice, credit, promises kept."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from relance.services.calls import log_call
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.validation import InvalidInput
from relance.store.lookup import ClientNotFound
from relance.store.models import Allocation, Client, ContactEvent, Invoice, Payment, Promise


@pytest.fixture
def client_id(book: object, at: datetime) -> int:
    """A client with three open invoices, entered newest first."""
    cid = add_client("ACME", at).client_id
    add_invoice(cid, "F-3", "300.00", "2026-10-01", "2026-10-31", at)
    add_invoice(cid, "F-1", "100.00", "2026-08-01", "2026-08-31", at)
    add_invoice(cid, "F-2", "200.00", "2026-09-01", "2026-09-30", at)
    return cid


def paid() -> dict[str, int]:
    """What each invoice has received."""
    return {inv.number: inv.paid for inv in Invoice.select()}


def allocations() -> list[tuple[str, int]]:
    """Every allocation as (invoice number, amount), in the order written."""
    return [(a.invoice.number, a.amount) for a in Allocation.select().order_by(Allocation.id)]


def test_payment_goes_to_the_oldest_invoices_first(client_id: int, at: datetime) -> None:
    result = record_payment(
        client_id, "250.00", at, received_on="2026-11-20", method="virement", reference="VIR 12"
    )
    assert paid() == {"F-1": 10000, "F-2": 15000, "F-3": 0}
    assert allocations() == [("F-1", 10000), ("F-2", 15000)]
    [payment] = Payment.select()
    assert (payment.amount, payment.received_on, payment.method, payment.reference) == (
        25000,
        date(2026, 11, 20),
        "virement",
        "VIR 12",
    )
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.direction, event.channel, event.amount) == (
        "payment",
        "in",
        "virement",
        25000,
    )
    assert event.summary == "payment received: €250.00 → F-1, F-2"
    assert event.happened_at == datetime(2026, 11, 20, 9, 30)
    assert event.invoice.number == "F-1"
    client = Client.get_by_id(client_id)
    assert (client.outstanding, client.open_invoices, client.oldest_due_on) == (
        35000,
        2,
        date(2026, 9, 30),
    )
    assert result.record == {
        "payment_id": payment.id,
        "amount": "250.00",
        "received_on": "2026-11-20",
        "method": "virement",
        "reference": "VIR 12",
        "allocations": [
            {"invoice": "F-1", "amount": "100.00"},
            {"invoice": "F-2", "amount": "150.00"},
        ],
        "credit": "0.00",
        "settled": ["F-1"],
        "events": [],
    }


def test_payment_to_a_chosen_invoice_first(client_id: int, at: datetime) -> None:
    record_payment(client_id, "350.00", at, invoice_number="F-3")
    assert allocations() == [("F-3", 30000), ("F-1", 5000)]
    assert paid() == {"F-1": 5000, "F-2": 0, "F-3": 30000}
    assert Payment.get().received_on == at.date()


def test_overpayment_becomes_a_credit(client_id: int, at: datetime) -> None:
    result = record_payment(client_id, "650.00", at)
    assert paid() == {"F-1": 10000, "F-2": 20000, "F-3": 30000}
    assert result.record["credit"] == "50.00"
    assert "(credit €50.00)" in ContactEvent.get_by_id(result.event_id).summary
    client = Client.get_by_id(client_id)
    assert (client.outstanding, client.open_invoices, client.oldest_due_on) == (0, 0, None)
    assert (client.next_action, client.next_action_on) == ("", None)
    assert sum(a.amount for a in Allocation.select()) == 60000


def test_exact_payment_clears_the_book(client_id: int, at: datetime) -> None:
    result = record_payment(client_id, "600", at)
    assert result.record["credit"] == "0.00"
    assert Client.get_by_id(client_id).outstanding == 0


def test_payment_with_nothing_owed_is_all_credit(book: object, at: datetime) -> None:
    cid = add_client("Early bird", at).client_id
    result = record_payment(cid, "10", at)
    assert result.record["allocations"] == []
    assert result.record["credit"] == "10.00"
    assert ContactEvent.get_by_id(result.event_id).invoice is None


def test_payment_keeps_a_promise(client_id: int, at: datetime) -> None:
    log_call(
        client_id,
        "promised",
        at - timedelta(days=3),
        promised_amount="150.00",
        promised_on="2026-11-25",
    )
    assert Client.get_by_id(client_id).next_action == "check promise"
    record_payment(client_id, "100.00", at)
    assert Promise.get().status == "open"
    record_payment(client_id, "50.00", at)
    assert Promise.get().status == "kept"
    # The promise is settled: the ladder resumes after the call (its phone step), 5 days on.
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == ("firm email", date(2026, 11, 25))


def test_a_payment_before_the_promise_does_not_keep_it(client_id: int, at: datetime) -> None:
    record_payment(client_id, "100.00", at, received_on="2026-11-01")
    log_call(client_id, "promised", at, promised_amount="50.00", promised_on="+2")
    record_payment(client_id, "20.00", at)
    assert Promise.get().status == "open"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "5.555"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"received_on": "2026-11-24"}, "on"),
        ({"received_on": "2026-02-29"}, "on"),
        ({"method": "x" * 41}, "method"),
        ({"reference": "ref\x1b"}, "reference"),
        ({"invoice_number": "F-404"}, "invoice"),
    ],
)
def test_refusals(client_id: int, at: datetime, kwargs: dict[str, str], field: str) -> None:
    arguments = {"amount": "10.00"} | kwargs
    amount = arguments.pop("amount")
    with pytest.raises(InvalidInput) as refused:
        record_payment(client_id, amount, at, **arguments)
    assert field in refused.value.errors
    assert Payment.select().count() == 0
    assert Allocation.select().count() == 0
    assert sum(paid().values()) == 0
    assert ContactEvent.select().where(ContactEvent.kind == "payment").count() == 0


def test_an_invoice_of_another_client_is_refused(client_id: int, at: datetime) -> None:
    other = add_client("Other", at).client_id
    add_invoice(other, "O-1", "10", "2026-11-01", "2026-11-30", at)
    with pytest.raises(InvalidInput) as refused:
        record_payment(client_id, "10", at, invoice_number="O-1")
    assert "no invoice O-1" in refused.value.errors["invoice"]
    assert Payment.select().count() == 0


def test_unknown_client(book: object, at: datetime) -> None:
    with pytest.raises(ClientNotFound):
        record_payment(77, "10", at)
    assert Payment.select().count() == 0
