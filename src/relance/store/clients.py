"""Writing a client and its contacts, its notes and terms, and the legal terms its claims follow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from relance.store.models import Client, Contact


def insert_client(name: str, kind: str, language: str, jurisdiction: str, at: datetime) -> int:
    """Store a new client and return its id."""
    client = Client.create(
        name=name, kind=kind, language=language, jurisdiction=jurisdiction, created_at=at
    )
    return int(client.id)


def insert_billing_contact(client_id: int, name: str, email: str, phone: str, address: str) -> None:
    """Store the client's billing contact."""
    Contact.create(
        client=client_id, name=name, email=email, phone=phone, address=address, is_billing=True
    )


def set_legal_terms(
    client_id: int, jurisdiction: str, contract_rate: str | None, region: str
) -> None:
    """The law the client's claims follow, its contract rate (None: statutory) and its state."""
    Client.update(jurisdiction=jurisdiction, contract_rate=contract_rate, region=region).where(
        Client.id == client_id
    ).execute()


@dataclass(frozen=True)
class OtherContact:
    """A person at the client besides the billing contact."""

    name: str
    role: str
    email: str
    phone: str
    address: str


def book_has_clients() -> bool:
    """True when the book holds at least one client."""
    return bool(Client.select().exists())


def set_billing_role(client_id: int, role: str) -> None:
    """The role of the client's billing contact."""
    Contact.update(role=role).where(
        (Contact.client == client_id) & (Contact.is_billing == True)  # noqa: E712
    ).execute()


def insert_other_contacts(client_id: int, contacts: Sequence[OtherContact]) -> None:
    """Store the client's contacts that are not the billing one, in this order."""
    if not contacts:
        return
    Contact.insert_many(
        [
            {
                "client": client_id,
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
                "address": contact.address,
                "is_billing": False,
            }
            for contact in contacts
        ]
    ).execute()


def set_notes_and_terms(client_id: int, notes: str, terms_days: int | None) -> None:
    """The client's notes and, unless None (keep them), its payment terms in days."""
    changes: dict[str, object] = {"notes": notes}
    if terms_days is not None:
        changes["payment_terms_days"] = terms_days
    Client.update(**changes).where(Client.id == client_id).execute()
