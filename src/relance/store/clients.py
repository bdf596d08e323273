"""Writing a client and its billing contact, and the legal terms its claims follow."""

from __future__ import annotations

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
