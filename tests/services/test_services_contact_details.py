"""Adding, changing, removing and marking a client's contacts: one transaction and line each."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from relance.config import Config
from relance.services.clients import add_client
from relance.services.contact_details import (
    ContactInput,
    add_contact,
    list_contacts,
    remove_contact,
    set_contact,
)
from relance.services.contact_marks import clear_mark, mark_bounced_addresses, mark_contact
from relance.services.reminders import reminder_recipients, send_reminder
from relance.services.validation import InvalidInput
from relance.store.models import Contact, ContactEvent
from reminder_fixtures import owing_client


def contact_lines(client_id: int) -> list[tuple[str, str, str]]:
    """The client's contact history: outcome, author and summary, oldest first."""
    return [
        (e.outcome, e.author, e.summary)
        for e in ContactEvent.select()
        .where((ContactEvent.client == client_id) & (ContactEvent.kind == "contact"))
        .order_by(ContactEvent.id)
    ]


def test_add_set_remove_each_write_one_line_by_the_user(book: object, at: datetime) -> None:
    client_id = add_client("Brun", at).client_id
    added = add_contact(
        client_id,
        ContactInput(
            name="Léa Brun",
            role="comptable",
            email="lea@brun.fr",
            phone="+33 6 11 22 33 44",
            address="3 rue Haute\n69001 Lyon",
            language="en",
        ),
        at,
    )
    assert added.record["is_billing"] is True, "the first contact is the billing one"
    assert added.record["language"] == "en"
    second = add_contact(client_id, ContactInput(name="Bob", phone="04 00 00 00 01"), at)
    assert second.record["is_billing"] is False
    set_contact(client_id, "Bob", ContactInput(billing=True, email="bob@brun.fr"), at)
    contacts = list_contacts(client_id)
    assert [(c.name, c.is_billing, c.email) for c in contacts] == [
        ("Bob", True, "bob@brun.fr"),
        ("Léa Brun", False, "lea@brun.fr"),
    ]
    remove_contact(client_id, str(added.record["id"]), at)
    assert [c.name for c in list_contacts(client_id)] == ["Bob"]
    assert contact_lines(client_id) == [
        (
            "added",
            "user",
            "contact added: Léa Brun (comptable, lea@brun.fr, +33 6 11 22 33 44, billing)",
        ),
        ("added", "user", "contact added: Bob (04 00 00 00 01)"),
        (
            "changed",
            "user",
            "contact Bob changed: email none → bob@brun.fr, now the billing contact",
        ),
        (
            "removed",
            "user",
            "contact removed: Léa Brun (comptable, lea@brun.fr, +33 6 11 22 33 44)",
        ),
    ]


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        (ContactInput(name="Bob", email="bob@brun"), "email"),
        (ContactInput(name="Bob", email="a@b.fr, c@d.fr"), "email"),
        (ContactInput(name="Bob", phone="call me"), "phone"),
        (ContactInput(name="Bob", phone="+33 1 23 45 67 89 +33 1 23 45 67 89"), "phone"),
        (ContactInput(name="Bob", language="de"), "language"),
        (ContactInput(name="Bob\x1b[31m"), "name"),
        (ContactInput(), "name"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    book: object, at: datetime, typed: ContactInput, field: str
) -> None:
    client_id = add_client("Brun", at).client_id
    events = ContactEvent.select().count()
    with pytest.raises(InvalidInput) as refused:
        add_contact(client_id, typed, at)
    assert field in refused.value.errors
    assert Contact.select().count() == 0
    assert ContactEvent.select().count() == events


def test_set_refuses_an_unknown_contact_and_emptying_one(book: object, at: datetime) -> None:
    client_id = add_client("Brun", at, email="a@brun.fr").client_id
    with pytest.raises(InvalidInput) as unknown:
        set_contact(client_id, "Nobody", ContactInput(role="x"), at)
    assert "no contact 'Nobody'" in unknown.value.errors["contact"]
    with pytest.raises(InvalidInput) as emptied:
        set_contact(client_id, "a@brun.fr", ContactInput(email=""), at)
    assert "name" in emptied.value.errors
    assert [c.email for c in list_contacts(client_id)] == ["a@brun.fr"]
    assert contact_lines(client_id) == []


def test_marks_are_history_lines_and_can_be_cleared(book: object, at: datetime) -> None:
    client_id = add_client("Brun", at, email="a@brun.fr", phone="01 23 45 67 89").client_id
    marked = mark_contact(client_id, "a@brun.fr", "wrong-number", at, "a bakery answers")
    assert marked.record["phone_wrong"] is True
    assert marked.record["phone_wrong_reason"] == "a bakery answers"
    with pytest.raises(InvalidInput):
        mark_contact(client_id, "a@brun.fr", "wrong-number", at)
    cleared = clear_mark(client_id, "a@brun.fr", "wrong-number", at)
    assert cleared.record["phone_wrong"] is False
    with pytest.raises(InvalidInput) as not_marked:
        clear_mark(client_id, "a@brun.fr", "bounced", at)
    assert "not marked bounced" in not_marked.value.errors["mark"]
    assert contact_lines(client_id) == [
        (
            "marked-wrong-number",
            "user",
            "a@brun.fr's number 01 23 45 67 89 marked wrong: a bakery answers",
        ),
        (
            "cleared-wrong-number",
            "user",
            "a@brun.fr's number 01 23 45 67 89 no longer marked wrong",
        ),
    ]


def test_a_new_address_drops_the_bounced_mark(book: object, at: datetime) -> None:
    client_id = add_client("Brun", at, email="old@brun.fr").client_id
    mark_bounced_addresses(client_id, {"OLD@brun.fr": "550 5.1.1 gone"}, at)
    [contact] = list_contacts(client_id)
    assert contact.email_bounced == "550 5.1.1 gone"
    assert contact_lines(client_id)[-1][:2] == ("marked-bounced", "outbox")
    set_contact(client_id, "old@brun.fr", ContactInput(email="new@brun.fr"), at)
    [contact] = list_contacts(client_id)
    assert contact.email_bounced is None
    assert contact_lines(client_id)[-1][2].endswith("bounced mark cleared")


def test_bounced_addresses_are_skipped_by_the_reminder(book: object, at: datetime) -> None:
    client_id = owing_client(at, email_address="compta@brun.fr")
    add_contact(client_id, ContactInput(name="Léa", email="lea@brun.fr"), at)
    assert reminder_recipients(client_id) == ["compta@brun.fr"]
    mark_contact(client_id, "compta@brun.fr", "bounced", at, "550 no such user")
    assert reminder_recipients(client_id) == ["lea@brun.fr"]
    [billing, lea] = list_contacts(client_id)
    assert reminder_recipients(client_id, billing.contact_id) == ["compta@brun.fr"]
    assert reminder_recipients(client_id, lea.contact_id) == ["lea@brun.fr"]


def test_removing_the_last_address_says_what_becomes_of_the_queued_reminder(
    book: object, at: datetime, tmp_path: Path, config: Config
) -> None:
    client_id = owing_client(at, email_address="compta@brun.fr")
    outbox = tmp_path / "outbox"
    queued = send_reminder(client_id, at, config, outbox)
    assert queued.record["status"] == "queued"
    name = Path(str(queued.record["file"])).name.partition(":")[0]
    removed = remove_contact(client_id, "compta@brun.fr", at, outbox=outbox)
    assert removed.record["waiting_in_outbox"] == [name]
    assert removed.record["email_left"] is False
    assert f"the reminder waiting in the outbox ({name}) is still addressed to compta@brun.fr" in (
        removed.summary
    )
    assert "no reminder can be sent until one is added" in removed.summary
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at.replace(day=at.day + 1), config, outbox)
    assert "has no e-mail address" in refused.value.errors["to"]
