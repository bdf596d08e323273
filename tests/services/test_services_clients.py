"""Client actions: add a client, note, snooze, dispute on/off."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from relance.services.clients import add_client, add_note, set_dispute, snooze_client
from relance.services.invoices import add_invoice
from relance.services.validation import InvalidInput
from relance.store.models import Client, Contact, ContactEvent


def events(client_id: int) -> list[ContactEvent]:
    """A client's history in the order it was written."""
    return list(
        ContactEvent.select().where(ContactEvent.client == client_id).order_by(ContactEvent.id)
    )


def test_add_client_writes_the_client_its_contact_and_one_event(book: object, at: datetime) -> None:
    result = add_client(
        "  Atelier Brun ",
        at,
        email="compta@brun.fr",
        phone="01 23 45 67 89",
        kind="B2C",
        language="EN",
        contact_name="Mme Brun",
        address="1 rue des Lilas\n75011 Paris",
    )
    client = Client.get_by_id(result.client_id)
    assert client.name == "Atelier Brun"
    assert (client.kind, client.language, client.jurisdiction) == ("b2c", "en", "fr-b2c")
    assert client.currency == "EUR"
    assert client.created_at == at
    assert (client.outstanding, client.open_invoices, client.next_action) == (0, 0, "")
    [contact] = Contact.select()
    assert (contact.client_id, contact.name, contact.email, contact.phone) == (
        client.id,
        "Mme Brun",
        "compta@brun.fr",
        "01 23 45 67 89",
    )
    assert contact.address == "1 rue des Lilas\n75011 Paris"
    assert contact.is_billing
    [event] = events(client.id)
    assert event.id == result.event_id
    assert (event.kind, event.summary, event.direction, event.outcome) == (
        "note",
        "client added",
        "internal",
        "client-added",
    )
    assert event.happened_at == at
    assert result.record == {
        "client_id": client.id,
        "name": "Atelier Brun",
        "kind": "b2c",
        "language": "en",
        "jurisdiction": "fr-b2c",
    }
    assert "Atelier Brun" in result.summary


def test_add_client_without_contact_details_writes_no_contact(book: object, at: datetime) -> None:
    result = add_client("Plain", at)
    assert Contact.select().count() == 0
    client = Client.get_by_id(result.client_id)
    assert (client.kind, client.language, client.jurisdiction) == ("b2b", "fr", "fr-b2b")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "ACME\x1b[31m"}, "name"),
        ({"name": "ACME\u202eevil"}, "name"),
        ({"name": "two\nlines"}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "a b@c.fr"}, "email"),
        ({"phone": "0" * 41}, "phone"),
        ({"kind": "b2g"}, "kind"),
        ({"language": "de"}, "language"),
        ({"contact_name": "Bob\x07"}, "contact"),
        ({"address": "1 rue\x00"}, "address"),
    ],
)
def test_add_client_refusals_name_the_field(
    book: object, at: datetime, kwargs: dict[str, str], field: str
) -> None:
    arguments = {"name": "Valid Name"} | kwargs
    name = arguments.pop("name")
    with pytest.raises(InvalidInput) as refused:
        add_client(name, at, **arguments)
    assert field in refused.value.errors
    assert Client.select().count() == 0
    assert ContactEvent.select().count() == 0


def test_add_client_reports_every_bad_field_at_once(book: object, at: datetime) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_client("", at, email="nope", kind="x", language="y")
    assert set(refused.value.errors) == {"name", "email", "kind", "language"}


@pytest.mark.parametrize("duplicate", ["ACME", "acme", " Acme ", "aCmE"])
def test_duplicate_client_names_are_refused_ignoring_case(
    book: object, at: datetime, duplicate: str
) -> None:
    add_client("ACME", at)
    with pytest.raises(InvalidInput) as refused:
        add_client(duplicate, at)
    assert "already exists" in refused.value.errors["name"]
    assert Client.select().count() == 1
    assert ContactEvent.select().count() == 1


@pytest.mark.parametrize(
    "duplicate", ["Électricité Lenoir", "électricité lenoir", "ÉLECTRICITÉ LENOIR"]
)
def test_duplicate_accented_names_are_refused(book: object, at: datetime, duplicate: str) -> None:
    add_client("Électricité Lenoir", at)
    with pytest.raises(InvalidInput) as refused:
        add_client(duplicate, at)
    assert "already exists" in refused.value.errors["name"]
    assert Client.select().count() == 1


def test_markup_in_a_name_is_kept_as_typed(book: object, at: datetime) -> None:
    result = add_client("[bold red]ACME[/]", at)
    assert Client.get_by_id(result.client_id).name == "[bold red]ACME[/]"


def test_add_note(book: object, at: datetime) -> None:
    client_id = add_client("ACME", at).client_id
    before = Client.get_by_id(client_id)
    result = add_note(client_id, "  Called back; \x1b[31m red \x1b[0m\nsecond line  ", at)
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.direction) == ("note", "internal")
    # Escape sequences are kept as typed: they are made visible when shown, not stripped.
    assert event.summary == "Called back; \x1b[31m red \x1b[0m\nsecond line"
    assert event.happened_at == at
    assert result.record == {"note": event.summary}
    assert len(events(client_id)) == 2
    after = Client.get_by_id(client_id)
    assert (after.next_action, after.next_action_on) == (before.next_action, before.next_action_on)


@pytest.mark.parametrize("text", ["", "  \n ", "has a NUL \x00 inside", "x" * 20_001])
def test_add_note_refusals(book: object, at: datetime, text: str) -> None:
    client_id = add_client("ACME", at).client_id
    with pytest.raises(InvalidInput) as refused:
        add_note(client_id, text, at)
    assert list(refused.value.errors) == ["text"]
    assert len(events(client_id)) == 1


def owing_client(at: datetime) -> int:
    """A client with one invoice overdue since 2026-10-01."""
    client_id = add_client("ACME", at).client_id
    add_invoice(client_id, "F-1", "100.00", "2026-09-01", "2026-10-01", at)
    return client_id


def test_snooze_until_a_future_date(book: object, at: datetime) -> None:
    client_id = owing_client(at)
    assert Client.get_by_id(client_id).next_action_on == date(2026, 10, 8)
    result = snooze_client(client_id, "2026-12-15", at)
    client = Client.get_by_id(client_id)
    assert client.snoozed_until == date(2026, 12, 15)
    assert (client.next_action, client.next_action_on) == ("courteous email", date(2026, 12, 15))
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.summary, event.direction) == (
        "snooze",
        "snoozed until 2026-12-15",
        "internal",
    )
    assert result.record == {"snoozed_until": "2026-12-15"}


def test_snooze_relative_and_lifted_by_today(book: object, at: datetime) -> None:
    client_id = owing_client(at)
    snooze_client(client_id, "+3", at)
    assert Client.get_by_id(client_id).snoozed_until == at.date() + timedelta(days=3)
    result = snooze_client(client_id, "today", at)
    client = Client.get_by_id(client_id)
    assert client.snoozed_until is None
    assert client.next_action_on == date(2026, 10, 8)
    assert ContactEvent.get_by_id(result.event_id).summary == "snooze lifted"
    assert result.record == {"snoozed_until": None}
    assert [e.kind for e in events(client_id)].count("snooze") == 2


@pytest.mark.parametrize("until", ["2026-11-22", "-1", "2026-02-30", "soon", ""])
def test_snooze_refusals(book: object, at: datetime, until: str) -> None:
    client_id = owing_client(at)
    with pytest.raises(InvalidInput) as refused:
        snooze_client(client_id, until, at)
    assert list(refused.value.errors) == ["until"]
    assert Client.get_by_id(client_id).snoozed_until is None
    assert "snooze" not in [e.kind for e in events(client_id)]


def test_dispute_on_then_off(book: object, at: datetime) -> None:
    client_id = owing_client(at)
    opened = set_dispute(client_id, True, at, note="says the work was late")
    client = Client.get_by_id(client_id)
    assert client.disputed
    assert (client.next_action, client.next_action_on) == ("resolve dispute", date(2026, 11, 30))
    event = ContactEvent.get_by_id(opened.event_id)
    assert (event.kind, event.outcome, event.summary) == (
        "dispute",
        "on",
        "dispute opened: says the work was late",
    )
    assert opened.record == {"disputed": True}
    later = at + timedelta(days=2)
    closed = set_dispute(client_id, False, later)
    client = Client.get_by_id(client_id)
    assert not client.disputed
    assert client.next_action == "courteous email"
    event = ContactEvent.get_by_id(closed.event_id)
    assert (event.kind, event.outcome, event.summary) == ("dispute", "off", "dispute resolved")


def test_dispute_twice_is_refused(book: object, at: datetime) -> None:
    client_id = owing_client(at)
    set_dispute(client_id, True, at)
    with pytest.raises(InvalidInput) as refused:
        set_dispute(client_id, True, at)
    assert "already disputed" in refused.value.errors["on"]
    set_dispute(client_id, False, at)
    with pytest.raises(InvalidInput) as refused:
        set_dispute(client_id, False, at)
    assert "not disputed" in refused.value.errors["on"]
    assert [e.outcome for e in events(client_id) if e.kind == "dispute"] == ["on", "off"]


def test_dispute_note_with_nul_is_refused(book: object, at: datetime) -> None:
    client_id = owing_client(at)
    with pytest.raises(InvalidInput) as refused:
        set_dispute(client_id, True, at, note="bad\x00")
    assert list(refused.value.errors) == ["note"]
    assert not Client.get_by_id(client_id).disputed
