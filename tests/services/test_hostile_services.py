"""Hostile text through every service form: no crash, nothing written on refusal, kept exactly."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import SqliteDatabase

from hostile_text import book_dump, hostile_settings, hostile_text
from relance.services import calls, clients, contacts, invoices, payments, plans, profile
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.store.detail import client_detail
from relance.store.models import Client, ContactEvent, Invoice, Payment

Action = Callable[[], ActionResult]


@pytest.fixture
def client_id(book: SqliteDatabase, at: datetime) -> int:
    """A client owing an overdue invoice, so every form has something to act on."""
    new = clients.add_client("Durand SARL", at, email="compta@durand.example").client_id
    invoices.add_invoice(new, "F-1", "900.00", "2026-09-01", "2026-10-01", at)
    return new


def attempt(path: Path, action: Action) -> ActionResult | None:
    """Run a service call: it succeeds, or refuses with field messages and writes nothing."""
    before = book_dump(path)
    try:
        return action()
    except InvalidInput as refusal:
        assert refusal.errors and all(isinstance(m, str) and m for m in refusal.errors.values())
        assert book_dump(path) == before, "a refused form wrote something"
        return None


def assert_readable(client: int, today: date) -> None:
    """The client's detail still reads (the text went in and comes out as text)."""
    detail = client_detail(client, today)
    assert detail.client_id == client


def latest_event(client: int) -> ContactEvent:
    """The client's newest history event."""
    return (
        ContactEvent.select().where(ContactEvent.client == client).order_by(ContactEvent.id.desc())
    ).first()


@hostile_settings
@given(name=hostile_text, email=hostile_text, phone=hostile_text, extra=hostile_text)
def test_add_client(
    book: SqliteDatabase, at: datetime, name: str, email: str, phone: str, extra: str
) -> None:
    path = Path(book.database)
    for fields in (
        {"email": "", "phone": "", "contact_name": extra, "address": extra},
        {"email": email, "phone": phone},
        {"email": "", "phone": "", "kind": extra, "language": extra},
    ):
        result = attempt(path, lambda: clients.add_client(name, at, **fields))  # noqa: B023
        if result is not None:
            assert Client.get_by_id(result.client_id).name == name.strip()
            assert_readable(result.client_id, at.date())


@hostile_settings
@given(text=hostile_text)
def test_add_note(book: SqliteDatabase, at: datetime, client_id: int, text: str) -> None:
    result = attempt(Path(book.database), lambda: clients.add_note(client_id, text, at))
    if result is not None:
        assert ContactEvent.get_by_id(result.event_id).summary == text.strip()
        assert_readable(client_id, at.date())


@hostile_settings
@given(until=hostile_text, note=hostile_text, on=st.booleans())
def test_snooze_and_dispute(
    book: SqliteDatabase, at: datetime, client_id: int, until: str, note: str, on: bool
) -> None:
    path = Path(book.database)
    attempt(path, lambda: clients.snooze_client(client_id, until, at))
    result = attempt(path, lambda: clients.set_dispute(client_id, on, at, note))
    if result is not None and note.strip():
        assert latest_event(client_id).summary.endswith(note.strip())
    assert_readable(client_id, at.date())


@hostile_settings
@given(number=hostile_text, amount=hostile_text, day=hostile_text, currency=hostile_text)
def test_add_invoice(
    book: SqliteDatabase,
    at: datetime,
    client_id: int,
    number: str,
    amount: str,
    day: str,
    currency: str,
) -> None:
    path = Path(book.database)
    for args in (
        (number, "10.00", "2026-09-01", "2026-10-01", ""),
        ("F-" + str(len(number)), amount, day, "2026-12-01", currency),
    ):
        result = attempt(
            path,
            lambda: invoices.add_invoice(client_id, *args[:4], at, currency=args[4]),  # noqa: B023
        )
        if result is not None and args[0] == number:
            assert Invoice.select().where(Invoice.number == number.strip()).count() == 1
    assert_readable(client_id, at.date())


@hostile_settings
@given(
    outcome=st.one_of(st.sampled_from(calls.OUTCOMES), hostile_text),
    note=hostile_text,
    who=hostile_text,
    amount=hostile_text,
    day=hostile_text,
)
def test_log_call(
    book: SqliteDatabase,
    at: datetime,
    client_id: int,
    outcome: str,
    note: str,
    who: str,
    amount: str,
    day: str,
) -> None:
    path = Path(book.database)
    result = attempt(
        path,
        lambda: calls.log_call(
            client_id, outcome, at, note=note, promised_amount=amount, promised_on=day, who=who
        ),
    )
    if result is not None and note.strip():
        event = ContactEvent.get_by_id(result.event_id)
        assert note.strip() in event.summary + event.body
    assert_readable(client_id, at.date())


@hostile_settings
@given(
    channel=st.one_of(st.sampled_from(contacts.LOG_CHANNELS), hostile_text),
    note=hostile_text,
    who=hostile_text,
)
def test_log_contact(
    book: SqliteDatabase, at: datetime, client_id: int, channel: str, note: str, who: str
) -> None:
    result = attempt(
        Path(book.database), lambda: contacts.log_contact(client_id, channel, at, note, who=who)
    )
    if result is not None and note.strip():
        assert ContactEvent.get_by_id(result.event_id).body == note.strip()
    assert_readable(client_id, at.date())


@hostile_settings
@given(amount=hostile_text, day=hostile_text, method=hostile_text, reference=hostile_text)
def test_record_payment(
    book: SqliteDatabase,
    at: datetime,
    client_id: int,
    amount: str,
    day: str,
    method: str,
    reference: str,
) -> None:
    path = Path(book.database)
    attempt(path, lambda: payments.record_payment(client_id, amount, at, received_on=day))
    result = attempt(
        path,
        lambda: payments.record_payment(
            client_id, "1.00", at, method=method, reference=reference, invoice_number=method
        ),
    )
    if result is not None:
        payment = Payment.get_by_id(result.record["payment_id"])
        assert (payment.method, payment.reference) == (method.strip(), reference.strip())
    attempt(path, lambda: payments.reverse_payment(client_id, reference, at, reason=method))
    assert_readable(client_id, at.date())


@hostile_settings
@given(
    count=hostile_text,
    every=hostile_text,
    first=hostile_text,
    deposit=hostile_text,
    answer=hostile_text,
)
def test_plans(
    book: SqliteDatabase,
    at: datetime,
    client_id: int,
    count: str,
    every: str,
    first: str,
    deposit: str,
    answer: str,
) -> None:
    path = Path(book.database)
    attempt(
        path,
        lambda: plans.propose_plan(client_id, count, at, every=every, first=first, deposit=deposit),
    )
    with contextlib.suppress(InvalidInput):
        plans.preview_plan(client_id, count, at.date(), every=every, first=first, deposit=deposit)
    attempt(path, lambda: plans.answer_plan(client_id, answer, at, note=answer))
    assert_readable(client_id, at.date())


@hostile_settings
@given(choice=hostile_text, terms=hostile_text)
def test_profile_and_legal_terms(
    book: SqliteDatabase, at: datetime, client_id: int, choice: str, terms: str
) -> None:
    path = Path(book.database)
    attempt(path, lambda: profile.set_profile_override(client_id, choice, at))
    for fields in ({"jurisdiction_code": terms}, {"contract_rate": terms}, {"region": terms}):
        attempt(path, lambda: clients.set_legal_terms(client_id, at, **fields))  # noqa: B023
    assert_readable(client_id, at.date())
