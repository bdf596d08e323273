"""The detail of one client, and finding clients by id or name."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from relance.services.calls import log_call
from relance.services.clients import add_client, add_note
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.plans import propose_plan
from relance.store.detail import client_detail
from relance.store.lookup import (
    ClientNotFound,
    find_client_id,
    get_client,
    name_taken,
    search_clients,
)
from relance.store.models import Contact


@pytest.fixture
def client_id(book: object, at: datetime) -> int:
    """A client with two contacts, three invoices, a payment, a call, a promise and a plan."""
    earlier = at - timedelta(days=30)
    cid = add_client(
        "Atelier Brun",
        earlier,
        email="compta@brun.fr",
        phone="01 23 45 67 89",
        contact_name="Mme Brun",
        address="1 rue des Lilas\n75011 Paris",
    ).client_id
    Contact.create(client=cid, name="M. Brun", role="gérant", phone="06 00 00 00 00")
    add_invoice(cid, "F-001", "1000.00", "2026-08-01", "2026-08-31", earlier)
    add_invoice(cid, "F-002", "500.00", "2026-09-01", "2026-10-01", earlier)
    add_invoice(cid, "F-003", "200.00", "2026-11-01", "2026-12-01", earlier)
    record_payment(cid, "400.00", at - timedelta(days=10), method="virement", reference="VIR-1")
    log_call(
        cid,
        "promised",
        at - timedelta(days=1),
        promised_amount="300.00",
        promised_on="2026-11-30",
        who="Mme Brun",
        note="after the 28th",
    )
    add_note(cid, "latest thing said", at)
    propose_plan(cid, "3", at + timedelta(minutes=5))
    return cid


def test_detail_of_a_client(client_id: int, today: date) -> None:
    detail = client_detail(client_id, today)
    assert detail.client_id == client_id
    assert detail.name == "Atelier Brun"
    assert (detail.kind, detail.language, detail.jurisdiction) == ("b2b", "fr", "fr-b2b")
    assert detail.currency == "EUR"
    assert detail.outstanding == 130000
    assert detail.overdue == 110000
    assert detail.days_overdue == 84
    assert detail.credit == 0
    assert not detail.disputed
    assert detail.snoozed_until is None
    assert detail.payer_profile == "unknown"
    assert [
        (c.name, c.role, c.email, c.phone, c.address, c.is_billing) for c in detail.contacts
    ] == [
        ("Mme Brun", "", "compta@brun.fr", "01 23 45 67 89", "1 rue des Lilas\n75011 Paris", True),
        ("M. Brun", "gérant", "", "06 00 00 00 00", "", False),
    ]


def test_detail_invoices_newest_due_first(client_id: int, today: date) -> None:
    invoices = client_detail(client_id, today).invoices
    assert [i.number for i in invoices] == ["F-003", "F-002", "F-001"]
    f1 = invoices[2]
    assert (f1.amount, f1.paid, f1.outstanding, f1.days_overdue) == (100000, 40000, 60000, 84)
    assert f1.issued_on == date(2026, 8, 1)
    assert f1.due_on == date(2026, 8, 31)
    assert invoices[0].days_overdue == 0
    assert invoices[0].currency == "EUR"


def test_detail_history_newest_first(client_id: int, today: date) -> None:
    history = client_detail(client_id, today).history
    kinds = [(e.kind, e.summary.split(":")[0]) for e in history]
    assert kinds == [
        ("plan", "payment plan proposed"),
        ("note", "latest thing said"),
        ("call", "call"),
        ("payment", "payment received"),
        ("note", "invoice F-003 added"),
        ("note", "invoice F-002 added"),
        ("note", "invoice F-001 added"),
        ("note", "client added"),
    ]
    stamps = [(e.at, e.event_id) for e in history]
    assert stamps == sorted(stamps, reverse=True)
    call = history[2]
    assert call.outcome == "promised"
    assert call.channel == "phone"
    assert call.body == "after the 28th"
    assert call.amount == 30000
    assert (call.follow_up_action, call.follow_up_on) == ("check promise", date(2026, 12, 1))


def test_detail_payments_promises_plans(client_id: int, today: date) -> None:
    detail = client_detail(client_id, today)
    [payment] = detail.payments
    assert (payment.amount, payment.allocated, payment.method, payment.reference) == (
        40000,
        40000,
        "virement",
        "VIR-1",
    )
    assert payment.received_on == date(2026, 11, 13)
    [promise] = detail.promises
    assert (promise.amount, promise.due_on, promise.made_by, promise.status) == (
        30000,
        date(2026, 11, 30),
        "Mme Brun",
        "open",
    )
    assert promise.words == "after the 28th"
    [plan] = detail.plans
    assert (plan.status, plan.total, plan.frequency) == ("proposed", 130000, "month")
    assert [(i.seq, i.due_on, i.amount, i.paid) for i in plan.instalments] == [
        (1, date(2026, 12, 21), 43333, 0),
        (2, date(2027, 1, 20), 43333, 0),
        (3, date(2027, 2, 22), 43334, 0),
    ]
    # The proposal's answer is due on the 30th, the day before the promise is checked: first.
    assert detail.next_action == "follow up plan proposal"
    assert detail.next_action_on == date(2026, 11, 30)


def test_detail_counts_an_overpayment_as_credit(book: object, at: datetime, today: date) -> None:
    cid = add_client("Generous", at).client_id
    add_invoice(cid, "X-1", "100.00", "2026-10-01", "2026-10-31", at)
    record_payment(cid, "150.00", at)
    detail = client_detail(cid, today)
    assert detail.credit == 5000
    assert detail.outstanding == 0
    assert detail.days_overdue == 0


def test_detail_of_an_unknown_client(book: object, today: date) -> None:
    with pytest.raises(ClientNotFound, match="no client with id 42"):
        client_detail(42, today)


def test_find_client_by_id_or_exact_name(book: object, at: datetime) -> None:
    acme = add_client("ACME", at).client_id
    numeric = add_client("1984", at).client_id
    assert find_client_id(str(acme)) == acme
    assert find_client_id(f"  {acme} ") == acme
    assert find_client_id("ACME") == acme
    assert find_client_id(" ACME ") == acme
    # An id wins over a name made of digits; a name of digits that is no id still resolves.
    assert find_client_id("1984") == numeric
    with pytest.raises(ClientNotFound, match="no client 'acme'"):
        find_client_id("acme")
    for reference in ("AC", "999", "", "²", "99999999999999999999999"):
        with pytest.raises(ClientNotFound):
            find_client_id(reference)


def test_get_client(book: object, at: datetime) -> None:
    acme = add_client("ACME", at).client_id
    assert get_client(acme).name == "ACME"
    with pytest.raises(ClientNotFound):
        get_client(acme + 1)


def test_search_and_name_taken(book: object, at: datetime) -> None:
    for name in ("Boulangerie Martin", "MARTINEZ SA", "Dupont", "Électricité Lenoir"):
        add_client(name, at)
    assert [name for _, name in search_clients("martin")] == ["Boulangerie Martin", "MARTINEZ SA"]
    assert [name for _, name in search_clients("")][:2] == ["Boulangerie Martin", "Dupont"]
    assert len(search_clients("", limit=2)) == 2
    assert [name for _, name in search_clients("électricité")] == ["Électricité Lenoir"]
    assert name_taken("dupont")
    assert name_taken("ÉLECTRICITÉ LENOIR")
    assert name_taken("électricité lenoir")
    assert not name_taken("Dupond")
