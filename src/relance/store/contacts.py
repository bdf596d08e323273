"""How to reach a client: its contacts' phone numbers, e-mail addresses and postal addresses."""

from __future__ import annotations

from dataclasses import dataclass

from relance.store.models import Contact


@dataclass(frozen=True)
class PostalContact:
    """A contact as a letter addresses it."""

    name: str
    address: str
    is_billing: bool


def phone_numbers(client_id: int) -> tuple[str, ...]:
    """ "Name: number" (or the bare number) for each contact of the client that has a phone."""
    contacts = (
        Contact.select()
        .where((Contact.client == client_id) & (Contact.phone != ""))
        .order_by(Contact.is_billing.desc(), Contact.id)
    )
    return tuple(
        f"{c.name.strip()}: {c.phone.strip()}" if c.name.strip() else c.phone.strip()
        for c in contacts
        if c.phone.strip()
    )


def email_addresses(client_id: int) -> list[tuple[str, bool]]:
    """Each contact's e-mail address and whether it is the billing contact, in contact order."""
    contacts = (
        Contact.select(Contact.email, Contact.is_billing)
        .where((Contact.client == client_id) & (Contact.email != ""))
        .order_by(Contact.id)
    )
    return [(str(c.email), bool(c.is_billing)) for c in contacts]


def postal_contacts(client_id: int) -> list[PostalContact]:
    """Each contact of the client, with its postal address, in contact order."""
    contacts = (
        Contact.select(Contact.name, Contact.address, Contact.is_billing)
        .where(Contact.client == client_id)
        .order_by(Contact.id)
    )
    return [PostalContact(str(c.name), str(c.address), bool(c.is_billing)) for c in contacts]
