"""Adding invoices: the row, its history line, the triage columns, and every refusal."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.validation import InvalidInput
from relance.store.lookup import ClientNotFound
from relance.store.models import Client, ContactEvent, Invoice


@pytest.fixture
def client_id(book: object, at: datetime) -> int:
    """A client with no invoice yet."""
    return add_client("ACME", at).client_id


def test_add_invoice(client_id: int, at: datetime) -> None:
    result = add_invoice(client_id, " F-2026-001 ", "1234.50", "2026-10-01", "2026-10-31", at)
    invoice = Invoice.get(Invoice.number == "F-2026-001")
    assert (invoice.client_id, invoice.amount, invoice.paid, invoice.currency) == (
        client_id,
        123450,
        0,
        "EUR",
    )
    assert (invoice.issued_on, invoice.due_on) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (invoice.source, invoice.created_at) == ("manual", at)
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.direction, event.outcome) == ("note", "internal", "invoice-added")
    assert event.summary == "invoice F-2026-001 added: €1,234.50 due 2026-10-31"
    assert (event.amount, event.invoice_id) == (123450, invoice.id)
    client = Client.get_by_id(client_id)
    assert (client.outstanding, client.open_invoices, client.oldest_due_on) == (
        123450,
        1,
        date(2026, 10, 31),
    )
    assert (client.next_action, client.next_action_on) == ("courteous email", date(2026, 11, 9))
    assert result.record == {
        "invoice_id": invoice.id,
        "number": "F-2026-001",
        "amount": "1234.50",
        "currency": "EUR",
        "issued_on": "2026-10-01",
        "due_on": "2026-10-31",
    }


def test_relative_dates_and_due_on_the_issue_day(client_id: int, at: datetime) -> None:
    add_invoice(client_id, "F-1", "10", "today", "+30", at)
    add_invoice(client_id, "F-2", "10", "2026-11-01", "2026-11-01", at)
    first = Invoice.get(Invoice.number == "F-1")
    assert (first.issued_on, first.due_on) == (date(2026, 11, 23), date(2026, 12, 23))


def test_the_first_invoice_sets_the_currency(client_id: int, at: datetime) -> None:
    result = add_invoice(client_id, "UK-1", "300", "2026-11-01", "2026-12-01", at, currency="gbp")
    assert result.record["currency"] == "GBP"
    assert Client.get_by_id(client_id).currency == "GBP"
    assert Invoice.get(Invoice.number == "UK-1").currency == "GBP"
    add_invoice(client_id, "UK-2", "100", "2026-11-01", "2026-12-01", at)
    assert Invoice.get(Invoice.number == "UK-2").currency == "GBP"
    with pytest.raises(InvalidInput) as refused:
        add_invoice(client_id, "UK-3", "100", "2026-11-01", "2026-12-01", at, currency="EUR")
    assert "billed in GBP" in refused.value.errors["currency"]
    assert Invoice.select().count() == 2


@pytest.mark.parametrize(
    ("number", "amount", "issued", "due", "field"),
    [
        ("F-9", "-10.00", "2026-11-01", "2026-12-01", "amount"),
        ("F-9", "12,50", "2026-11-01", "2026-12-01", "amount"),
        ("F-9", "12.505", "2026-11-01", "2026-12-01", "amount"),
        ("F-9", "0", "2026-11-01", "2026-12-01", "amount"),
        ("F-9", "", "2026-11-01", "2026-12-01", "amount"),
        ("F-9", "100000000000000", "2026-11-01", "2026-12-01", "amount"),
        ("F-9", "10", "2026-02-30", "2026-12-01", "issued"),
        ("F-9", "10", "2026-11-01", "2026-11-31", "due"),
        ("F-9", "10", "yesterday", "2026-12-01", "issued"),
        ("F-9", "10", "2026-11-01", "2026-10-31", "due"),
        ("", "10", "2026-11-01", "2026-12-01", "number"),
        ("F\x1b9", "10", "2026-11-01", "2026-12-01", "number"),
        ("F" * 61, "10", "2026-11-01", "2026-12-01", "number"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    client_id: int, at: datetime, number: str, amount: str, issued: str, due: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_invoice(client_id, number, amount, issued, due, at)
    assert field in refused.value.errors
    assert Invoice.select().count() == 0
    assert ContactEvent.select().count() == 1
    assert Client.get_by_id(client_id).outstanding == 0


def test_more_than_two_decimals_is_named(client_id: int, at: datetime) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_invoice(client_id, "F-1", "10.999", "2026-11-01", "2026-12-01", at)
    assert refused.value.errors == {"amount": "amount has more than two decimals"}


def test_unknown_currency(client_id: int, at: datetime) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_invoice(client_id, "F-1", "10", "2026-11-01", "2026-12-01", at, currency="XYZ")
    assert "unknown currency" in refused.value.errors["currency"]
    assert Invoice.select().count() == 0


def test_duplicate_invoice_numbers_are_refused(client_id: int, at: datetime) -> None:
    other = add_client("Other", at).client_id
    add_invoice(client_id, "F-1", "10", "2026-11-01", "2026-12-01", at)
    for owner in (client_id, other):
        with pytest.raises(InvalidInput) as refused:
            add_invoice(owner, "F-1", "99", "2026-11-01", "2026-12-01", at)
        assert "already exists" in refused.value.errors["number"]
    assert Invoice.select().count() == 1
    assert Client.get_by_id(other).outstanding == 0


def test_unknown_client(book: object, at: datetime) -> None:
    with pytest.raises(ClientNotFound):
        add_invoice(404, "F-1", "10", "2026-11-01", "2026-12-01", at)
    assert Invoice.select().count() == 0
    assert ContactEvent.select().count() == 0
