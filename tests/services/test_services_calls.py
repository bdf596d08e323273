"""Logging calls: every outcome's follow-up, promises, disputes, refusals."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from relance.services.calls import OUTCOMES, log_call
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.validation import InvalidInput
from relance.store.lookup import ClientNotFound
from relance.store.models import Client, ContactEvent, Promise


@pytest.fixture
def client_id(book: object, at: datetime) -> int:
    """A client owing 1 000.00, due 2026-10-01."""
    cid = add_client("ACME", at).client_id
    add_invoice(cid, "F-1", "1000.00", "2026-09-01", "2026-10-01", at)
    return cid


def test_outcomes_in_the_order_of_the_call_modal() -> None:
    assert OUTCOMES == (
        "no-answer",
        "voicemail",
        "promised",
        "dispute",
        "wrong-number",
        "says-paid",
        "refused",
    )


@pytest.mark.parametrize(
    ("outcome", "label", "action", "on"),
    [
        ("no-answer", "no answer", "call again", date(2026, 11, 24)),
        ("voicemail", "left a voicemail", "call again", date(2026, 11, 25)),
        ("wrong-number", "wrong number", "find contact details", date(2026, 11, 23)),
        ("says-paid", "says already paid", "check payment received", date(2026, 11, 26)),
        ("refused", "refused to pay", "formal notice", date(2026, 11, 24)),
    ],
)
def test_outcome_sets_the_follow_up(
    client_id: int, at: datetime, outcome: str, label: str, action: str, on: date
) -> None:
    result = log_call(client_id, outcome, at, note="spoke to reception", who="Ana")
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.channel, event.direction, event.outcome) == (
        "call",
        "phone",
        "out",
        outcome,
    )
    assert event.summary == f"call: {label} — spoke to reception"
    assert event.body == "spoke to reception"
    assert (event.follow_up_action, event.follow_up_on) == (action, on)
    assert event.amount is None
    assert event.happened_at == at
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == (action, on)
    assert Promise.select().count() == 0
    assert not client.disputed
    assert result.record == {
        "outcome": outcome,
        "note": "spoke to reception",
        "follow_up": action,
        "follow_up_on": on.isoformat(),
    }
    assert ContactEvent.select().where(ContactEvent.client == client_id).count() == 3


def test_outcome_is_read_case_insensitively(client_id: int, at: datetime) -> None:
    result = log_call(client_id, " Voicemail ", at)
    assert ContactEvent.get_by_id(result.event_id).summary == "call: left a voicemail"


def test_promised_records_the_promise(client_id: int, at: datetime) -> None:
    result = log_call(
        client_id,
        "promised",
        at,
        promised_amount="400.00",
        promised_on="2026-11-30",
        who="Mme Brun",
        note="after the 28th",
    )
    event = ContactEvent.get_by_id(result.event_id)
    assert event.summary == "call: promised to pay €400.00 by 2026-11-30 — after the 28th"
    assert event.amount == 40000
    assert (event.follow_up_action, event.follow_up_on) == ("check promise", date(2026, 12, 1))
    [promise] = Promise.select()
    assert (promise.client_id, promise.event_id, promise.amount) == (client_id, event.id, 40000)
    assert (promise.due_on, promise.made_on, promise.made_by, promise.words, promise.status) == (
        date(2026, 11, 30),
        date(2026, 11, 23),
        "Mme Brun",
        "after the 28th",
        "open",
    )
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == ("check promise", date(2026, 12, 1))
    assert result.record["promised_amount"] == "400.00"
    assert result.record["promised_on"] == "2026-11-30"


def test_promise_for_today_and_relative(client_id: int, at: datetime) -> None:
    log_call(client_id, "promised", at, promised_amount="1", promised_on="today")
    log_call(client_id, "promised", at, promised_amount="2", promised_on="+7")
    assert sorted(p.due_on for p in Promise.select()) == [date(2026, 11, 23), date(2026, 11, 30)]
    assert Client.get_by_id(client_id).next_action_on == date(2026, 11, 24)


def test_dispute_outcome_marks_the_client_disputed(client_id: int, at: datetime) -> None:
    result = log_call(client_id, "dispute", at, note="says the site is broken")
    client = Client.get_by_id(client_id)
    assert client.disputed
    assert (client.next_action, client.next_action_on) == ("resolve dispute", date(2026, 11, 30))
    kinds = [
        (e.kind, e.outcome) for e in ContactEvent.select().where(ContactEvent.id >= result.event_id)
    ]
    assert kinds == [("call", "dispute"), ("dispute", "on")]
    # Already disputed: a second dispute call adds the call only.
    log_call(client_id, "dispute", at)
    assert ContactEvent.select().where(ContactEvent.kind == "dispute").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"outcome": "maybe"}, {"outcome"}),
        ({"outcome": ""}, {"outcome"}),
        ({"outcome": "promised"}, {"amount", "on"}),
        ({"outcome": "promised", "promised_amount": "-5", "promised_on": "+3"}, {"amount"}),
        ({"outcome": "promised", "promised_amount": "5.001", "promised_on": "+3"}, {"amount"}),
        ({"outcome": "promised", "promised_amount": "5", "promised_on": "2026-11-31"}, {"on"}),
        ({"outcome": "promised", "promised_amount": "5", "promised_on": "2026-11-22"}, {"on"}),
        ({"outcome": "voicemail", "note": "nul\x00"}, {"note"}),
        ({"outcome": "voicemail", "who": "Bob\x1b[2J"}, {"who"}),
    ],
)
def test_refusals(client_id: int, at: datetime, kwargs: dict[str, str], fields: set[str]) -> None:
    arguments = dict(kwargs)
    outcome = arguments.pop("outcome")
    before = ContactEvent.select().count()
    with pytest.raises(InvalidInput) as refused:
        log_call(client_id, outcome, at, **arguments)
    assert set(refused.value.errors) == fields
    assert ContactEvent.select().count() == before
    assert Promise.select().count() == 0


def test_unknown_client(book: object, at: datetime) -> None:
    with pytest.raises(ClientNotFound):
        log_call(12, "voicemail", at)
    assert ContactEvent.select().count() == 0
