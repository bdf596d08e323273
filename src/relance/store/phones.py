"""The numbers to call a client on: each contact's name and phone, the billing contact first."""

from __future__ import annotations

from relance.store.models import Contact


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
