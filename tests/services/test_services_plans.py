"""Payment plans: previews that sum exactly, proposals written with their history line."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.plans import default_first_date, preview_plan, propose_plan
from relance.services.validation import InvalidInput
from relance.store.models import Client, ContactEvent, Instalment, PaymentPlan


def owing(amount: str, at: datetime, name: str = "ACME") -> int:
    """A client owing ``amount`` on one overdue invoice."""
    client_id = add_client(name, at).client_id
    add_invoice(client_id, f"{name}-1", amount, "2026-09-01", "2026-10-01", at)
    return client_id


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 11, 23), date(2026, 12, 20)),
        (date(2026, 11, 19), date(2026, 11, 20)),
        (date(2026, 11, 20), date(2026, 12, 20)),
        (date(2026, 12, 25), date(2027, 1, 20)),
        (date(2027, 1, 31), date(2027, 2, 20)),
    ],
)
def test_default_first_date_is_the_next_20th(today: date, first: date) -> None:
    assert default_first_date(today) == first


@pytest.mark.parametrize(
    ("amount", "count", "shares"),
    [
        ("100.00", "3", [3333, 3333, 3334]),
        ("0.05", "2", [2, 3]),
        ("1000000.01", "12", [8333333] * 11 + [8333338]),
    ],
)
def test_preview_sums_exactly_to_the_outstanding(
    book: object, at: datetime, today: date, amount: str, count: str, shares: list[int]
) -> None:
    client_id = owing(amount, at)
    preview = preview_plan(client_id, count, today)
    assert [i.amount for i in preview.instalments] == shares
    assert sum(shares) == preview.total == Client.get_by_id(client_id).outstanding
    assert preview.currency == "EUR"
    # The next 20th is a Sunday: the first instalment moves to Monday the 21st.
    assert preview.instalments[0].due_on == date(2026, 12, 21)
    assert PaymentPlan.select().count() == 0


def test_preview_covers_what_is_left_after_payments(
    book: object, at: datetime, today: date
) -> None:
    client_id = owing("1000.00", at)
    record_payment(client_id, "400.00", at)
    preview = preview_plan(client_id, "2", today, every="2weeks", first="2026-12-01")
    assert preview.total == 60000
    assert [(i.due_on, i.amount) for i in preview.instalments] == [
        (date(2026, 12, 1), 30000),
        (date(2026, 12, 15), 30000),
    ]


def test_preview_with_a_deposit(book: object, at: datetime, today: date) -> None:
    client_id = owing("1000.00", at)
    preview = preview_plan(client_id, "3", today, every="week", first="+7", deposit="10%")
    assert [(i.seq, i.due_on, i.amount, i.is_deposit) for i in preview.instalments] == [
        (1, date(2026, 11, 30), 10000, True),
        (2, date(2026, 12, 7), 30000, False),
        (3, date(2026, 12, 14), 30000, False),
        (4, date(2026, 12, 21), 30000, False),
    ]
    fixed = preview_plan(client_id, "2", today, deposit="250.00")
    assert [i.amount for i in fixed.instalments] == [25000, 37500, 37500]


def test_propose_plan_writes_the_plan_and_one_event(book: object, at: datetime) -> None:
    client_id = owing("1000.00", at)
    result = propose_plan(client_id, "3", at, every="Month")
    [plan] = PaymentPlan.select()
    assert (plan.client_id, plan.status, plan.total, plan.frequency, plan.created_on) == (
        client_id,
        "proposed",
        100000,
        "month",
        date(2026, 11, 23),
    )
    rows = list(Instalment.select().order_by(Instalment.seq))
    assert [(i.seq, i.due_on, i.amount, i.paid, i.is_deposit) for i in rows] == [
        (1, date(2026, 12, 21), 33333, 0, False),
        (2, date(2027, 1, 20), 33333, 0, False),
        (3, date(2027, 2, 22), 33334, 0, False),
    ]
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.outcome, event.amount) == ("plan", "proposed", 100000)
    assert event.summary == "payment plan proposed: €1,000.00 in 3 instalments from 2026-12-21"
    assert event.body == ("1. 2026-12-21  €333.33\n2. 2027-01-20  €333.33\n3. 2027-02-22  €333.34")
    assert (event.follow_up_action, event.follow_up_on) == (
        "follow up plan proposal",
        date(2026, 11, 30),
    )
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == (
        "follow up plan proposal",
        date(2026, 11, 30),
    )
    assert result.record == {
        "plan_id": plan.id,
        "status": "proposed",
        "total": "1000.00",
        "extras": "waived",
        "instalments": [
            {"due_on": "2026-12-21", "amount": "333.33"},
            {"due_on": "2027-01-20", "amount": "333.33"},
            {"due_on": "2027-02-22", "amount": "333.34"},
        ],
    }
    assert ContactEvent.select().where(ContactEvent.kind == "plan").count() == 1


def test_the_deposit_is_marked_in_the_history(book: object, at: datetime) -> None:
    client_id = owing("100.00", at)
    result = propose_plan(client_id, "1", at, deposit="30")
    body = ContactEvent.get_by_id(result.event_id).body
    assert body == "1. 2026-12-21  €30.00  (deposit)\n2. 2027-01-20  €70.00"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"instalments": "0"}, "instalments"),
        ({"instalments": "61"}, "instalments"),
        ({"instalments": "abc"}, "instalments"),
        ({"instalments": "²"}, "instalments"),
        ({"instalments": "-2"}, "instalments"),
        ({"every": "year"}, "every"),
        ({"first": "2026-11-22"}, "first"),
        ({"first": "2026-02-30"}, "first"),
        ({"deposit": "100%"}, "deposit"),
        ({"deposit": "1000.00"}, "deposit"),
        ({"deposit": "2000"}, "deposit"),
        ({"deposit": "lots"}, "deposit"),
        ({"deposit": "nan%"}, "deposit"),
    ],
)
def test_refusals_write_nothing(
    book: object, at: datetime, kwargs: dict[str, str], field: str
) -> None:
    client_id = owing("1000.00", at)
    arguments = {"instalments": "3"} | kwargs
    instalments = arguments.pop("instalments")
    events_before = ContactEvent.select().count()
    with pytest.raises(InvalidInput) as refused:
        propose_plan(client_id, instalments, at, **arguments)
    assert field in refused.value.errors
    with pytest.raises(InvalidInput):
        preview_plan(client_id, instalments, at.date(), **arguments)
    assert PaymentPlan.select().count() == 0
    assert Instalment.select().count() == 0
    assert ContactEvent.select().count() == events_before


def test_nothing_owed_is_refused(book: object, at: datetime) -> None:
    client_id = add_client("Paid up", at).client_id
    with pytest.raises(InvalidInput) as refused:
        propose_plan(client_id, "3", at)
    assert "owes nothing" in refused.value.errors["instalments"]
    assert PaymentPlan.select().count() == 0


def test_too_many_instalments_for_a_tiny_amount(book: object, at: datetime) -> None:
    client_id = owing("0.05", at)
    with pytest.raises(InvalidInput) as refused:
        propose_plan(client_id, "12", at)
    assert "cannot be cut into 12" in refused.value.errors["instalments"]
    assert PaymentPlan.select().count() == 0
    assert Instalment.select().count() == 0
    propose_plan(client_id, "5", at)
    assert [i.amount for i in Instalment.select()] == [1] * 5
