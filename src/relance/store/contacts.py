"""How to reach a client: its contacts' phone numbers, e-mail addresses and postal addresses."""

from __future__ import annotations

from dataclasses import dataclass, field

from relance.store.models import Contact

# The columns a contact's form edits, as the service names them.
EDITABLE = ("name", "role", "email", "phone", "address", "is_billing", "language")


@dataclass(frozen=True)
class PostalContact:
    """A contact as a letter addresses it."""

    name: str
    address: str
    is_billing: bool


@dataclass(frozen=True)
class ContactDetails:
    """One contact as the forms, the command line and the next action read it."""

    contact_id: int
    name: str
    role: str
    email: str
    phone: str
    address: str
    is_billing: bool
    language: str = ""
    # None when unmarked; else the reason the number is wrong or the address bounced.
    phone_wrong: str | None = None
    email_bounced: str | None = None
    client_id: int = field(default=0, compare=False)

    @property
    def label(self) -> str:
        """Who this is in one short phrase: the name, else the e-mail, phone or address."""
        for value in (self.name, self.email, self.phone, self.address):
            if value.strip():
                return value.strip().splitlines()[0]
        return f"contact {self.contact_id}"

    @property
    def callable(self) -> bool:
        """True when the contact has a phone number nobody found wrong."""
        return bool(self.phone.strip()) and self.phone_wrong is None

    @property
    def writable(self) -> bool:
        """True when the contact has an e-mail address that has not bounced."""
        return bool(self.email.strip()) and self.email_bounced is None


def _details(contact: Contact) -> ContactDetails:
    """A contact row as plain values."""
    return ContactDetails(
        contact_id=int(contact.id),
        name=str(contact.name),
        role=str(contact.role),
        email=str(contact.email),
        phone=str(contact.phone),
        address=str(contact.address),
        is_billing=bool(contact.is_billing),
        language=str(contact.language),
        phone_wrong=contact.phone_wrong,
        email_bounced=contact.email_bounced,
        client_id=int(contact.client_id),
    )


def client_contacts(client_id: int) -> list[ContactDetails]:
    """Every contact of the client, the billing contact first, then in the order they came."""
    contacts = (
        Contact.select()
        .where(Contact.client == client_id)
        .order_by(Contact.is_billing.desc(), Contact.id)
    )
    return [_details(contact) for contact in contacts]


def insert_contact(client_id: int, values: dict[str, object]) -> int:
    """Store a new contact of the client with these editable values; return its id."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not contact columns: {sorted(unknown)}")
    return int(Contact.create(client=client_id, **values).id)


def update_contact(contact_id: int, values: dict[str, object]) -> None:
    """Change these editable values of one contact."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not contact columns: {sorted(unknown)}")
    Contact.update(**values).where(Contact.id == contact_id).execute()


def delete_contact(contact_id: int) -> None:
    """Remove one contact (the history keeps what was said about it)."""
    Contact.delete().where(Contact.id == contact_id).execute()


def clear_other_billing(client_id: int, keep_id: int) -> None:
    """Make every contact of the client but ``keep_id`` a non-billing one."""
    Contact.update(is_billing=False).where(
        (Contact.client == client_id) & (Contact.id != keep_id)
    ).execute()


def set_phone_mark(contact_id: int, reason: str | None) -> None:
    """Mark the contact's number wrong with a reason, or clear the mark with None."""
    Contact.update(phone_wrong=reason).where(Contact.id == contact_id).execute()


def set_email_mark(contact_id: int, reason: str | None) -> None:
    """Mark the contact's address bounced with the server's reason, or clear it with None."""
    Contact.update(email_bounced=reason).where(Contact.id == contact_id).execute()


def next_callable_contact(client_id: int) -> ContactDetails | None:
    """The first contact (billing first) with a number not marked wrong, if any."""
    for contact in client_contacts(client_id):
        if contact.callable:
            return contact
    return None


def phone_numbers(client_id: int) -> tuple[str, ...]:
    """ "Name: number" (or the bare number) for each contact whose number is not known wrong."""
    contacts = (
        Contact.select()
        .where(
            (Contact.client == client_id) & (Contact.phone != "") & Contact.phone_wrong.is_null()
        )
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
