"""A client's contacts: adding, changing and removing who to write to and who to call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from relance.domain.email_address import is_email_address
from relance.domain.phone_number import is_phone_number
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.contacts import (
    ContactDetails,
    clear_other_billing,
    client_contacts,
    delete_contact,
    insert_contact,
    set_email_mark,
    set_phone_mark,
    update_contact,
)
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.triage_index import refresh_client_summary

# The history kind of every change to a client's contacts and their marks.
CONTACT_KIND = "contact"
# Who wrote a history line: the user at the keyboard, or relance itself on the server's word.
BY_USER = "user"
BY_OUTBOX = "outbox"
# "" means the contact reads the client's own language.
CONTACT_LANGUAGES = ("", "fr", "en")
PHONE_MAX = 40
SHOWN_FIELDS = ("name", "role", "email", "phone", "address", "language")


@dataclass(frozen=True)
class ContactInput:
    """What the user typed for a contact; None leaves a field as it was (``set`` only)."""

    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    billing: bool | None = None
    language: str | None = None


def contact_record(contact: ContactDetails) -> dict[str, Any]:
    """A contact as `contact list --json` and the action records print it."""
    return {
        "id": contact.contact_id,
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "address": contact.address,
        "is_billing": contact.is_billing,
        "language": contact.language or None,
        "phone_wrong": contact.phone_wrong is not None,
        "phone_wrong_reason": contact.phone_wrong,
        "email_bounced": contact.email_bounced is not None,
        "email_bounced_reason": contact.email_bounced,
    }


def list_contacts(client_id: int) -> list[ContactDetails]:
    """Every contact of the client, the billing contact first."""
    with transaction():
        get_client(client_id)
        return client_contacts(client_id)


def find_contact(contacts: list[ContactDetails], reference: str) -> ContactDetails:
    """The contact given by its id, exact name, e-mail address or phone number, or a refusal."""
    text = reference.strip()
    if text.isdecimal() and len(text) <= 19:
        for contact in contacts:
            if contact.contact_id == int(text):
                return contact
    folded = text.casefold()
    matches = [
        contact
        for contact in contacts
        if folded
        and folded in (contact.name.casefold(), contact.email.casefold(), contact.phone.casefold())
    ]
    if len(matches) == 1:
        return matches[0]
    shown = text if len(text) <= 60 else text[:60] + "…"
    if matches:
        raise InvalidInput.one("contact", f"several contacts match {shown!r}: give its id")
    raise InvalidInput.one(
        "contact", f"no contact {shown!r} (give its id, name, e-mail or phone: `contact list`)"
    )


def _clean(form: Form, typed: ContactInput) -> dict[str, object]:
    """The fields given, checked; each refused one is named in ``form``."""
    values: dict[str, object] = {}
    if typed.name is not None:
        values["name"] = form.line("name", typed.name)
    if typed.role is not None:
        values["role"] = form.line("role", typed.role)
    if typed.email is not None:
        email = form.line("email", typed.email)
        if email and not is_email_address(email):
            form.fail("email", f"not an e-mail address: {email!r}")
        values["email"] = email
    if typed.phone is not None:
        phone = form.line("phone", typed.phone, limit=PHONE_MAX)
        if phone and not is_phone_number(phone):
            form.fail("phone", f"not a phone number: {phone!r} (digits, spaces, + . - ( ))")
        values["phone"] = phone
    if typed.address is not None:
        values["address"] = form.text("address", typed.address)
    if typed.language is not None:
        language = typed.language.strip().lower()
        values["language"] = form.choice(
            "language", "" if language in ("none", "client") else language, CONTACT_LANGUAGES
        )
    if typed.billing is not None:
        values["is_billing"] = typed.billing
    return values


def _reachable(values: dict[str, object]) -> bool:
    """True when a contact holds at least a name, an address, an e-mail or a phone."""
    return any(str(values.get(key, "")).strip() for key in ("name", "email", "phone", "address"))


def add_contact(client_id: int, typed: ContactInput, at: datetime) -> ActionResult:
    """Add a contact to a client; the first one, or one marked so, is the billing contact."""
    form = Form()
    values = _clean(form, typed)
    if not form.errors and not _reachable(values):
        form.fail("name", "a contact needs a name, an e-mail, a phone or a postal address")
    form.check()
    with transaction():
        client = get_client(client_id)
        existing = client_contacts(client_id)
        if typed.billing is None:
            values["is_billing"] = not any(contact.is_billing for contact in existing)
        contact_id = insert_contact(client_id, values)
        if values["is_billing"]:
            clear_other_billing(client_id, contact_id)
        added = _one(client_id, contact_id)
        summary = f"contact added: {_described(added)}"
        event_id = record_event(
            client_id,
            CONTACT_KIND,
            summary,
            at,
            direction="internal",
            outcome="added",
            author=BY_USER,
        )
        refresh_client_summary(client_id)
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, contact_record(added))


def set_contact(client_id: int, reference: str, typed: ContactInput, at: datetime) -> ActionResult:
    """Change the fields given of one contact; a new e-mail or phone drops its old mark."""
    form = Form()
    values = _clean(form, typed)
    if not form.errors and not values:
        form.fail("contact", "give at least one field to change")
    form.check()
    with transaction():
        client = get_client(client_id)
        before = find_contact(client_contacts(client_id), reference)
        merged = {key: getattr(before, key) for key in ("name", "email", "phone", "address")}
        merged |= {key: value for key, value in values.items() if key in merged}
        if not _reachable(merged):
            raise InvalidInput.one(
                "name", "a contact needs a name, an e-mail, a phone or a postal address"
            )
        changes = _changes(before, values)
        if not changes:
            raise InvalidInput.one("contact", f"{before.label} already has these details")
        update_contact(before.contact_id, values)
        if values.get("is_billing"):
            clear_other_billing(client_id, before.contact_id)
        # A mark belongs to the number or address it was made on, not to its replacement.
        marks_cleared = _drop_stale_marks(before, values)
        after = _one(client_id, before.contact_id)
        summary = f"contact {before.label} changed: {', '.join(changes + marks_cleared)}"
        event_id = record_event(
            client_id,
            CONTACT_KIND,
            summary,
            at,
            direction="internal",
            outcome="changed",
            author=BY_USER,
        )
        refresh_client_summary(client_id)
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, contact_record(after))


def remove_contact(
    client_id: int, reference: str, at: datetime, *, outbox: Path | None = None
) -> ActionResult:
    """Remove a contact; says so when reminders waiting in the outbox still go to its address.

    A message already queued keeps the addresses it was written to, so removing the last
    contact with an e-mail leaves it addressed to the old one until it is redirected or
    discarded; the next reminders wait for a new address.
    """
    with transaction():
        client = get_client(client_id)
        contacts = client_contacts(client_id)
        gone = find_contact(contacts, reference)
        delete_contact(gone.contact_id)
        left_with_email = [c for c in contacts if c.contact_id != gone.contact_id and c.email]
        summary = f"contact removed: {_described(gone)}"
        event_id = record_event(
            client_id,
            CONTACT_KIND,
            summary,
            at,
            direction="internal",
            outcome="removed",
            author=BY_USER,
        )
        refresh_client_summary(client_id)
    waiting = _waiting_for(outbox, client_id, gone.email) if gone.email else []
    told = summary
    if waiting:
        names = ", ".join(waiting)
        told += (
            f"; the reminder waiting in the outbox ({names}) is still addressed to {gone.email}:"
            " redirect it (`relance outbox redirect NAME ADDRESS`) or discard it"
        )
    if gone.email and not left_with_email:
        told += "; no e-mail address is left, so no reminder can be sent until one is added"
    record = contact_record(gone) | {
        "waiting_in_outbox": waiting,
        "email_left": bool(left_with_email),
    }
    return ActionResult(client_id, f"{client.name}: {told}", event_id, record)


def _waiting_for(outbox: Path | None, client_id: int, address: str) -> list[str]:
    """The names of the client's messages waiting in the outbox that go to this address."""
    if outbox is None or not outbox.is_dir():
        return []
    # Imported here: only a removal with an outbox reads it.
    from relance.services.outbox import outbox_entries

    folded = address.casefold()
    return [
        entry.name
        for entry in outbox_entries(outbox)
        if entry.client_id == client_id
        and entry.state in ("queued", "failed", "refused")
        and folded in (who.casefold() for who in entry.recipients)
    ]


def _one(client_id: int, contact_id: int) -> ContactDetails:
    """A contact just written, read back."""
    return next(c for c in client_contacts(client_id) if c.contact_id == contact_id)


def _described(contact: ContactDetails) -> str:
    """A contact in one history line: its label, then what is known of it."""
    parts = [
        value
        for value in (contact.role, contact.email, contact.phone)
        if value and value != contact.label
    ]
    if contact.is_billing:
        parts.append("billing")
    return contact.label + (f" ({', '.join(parts)})" if parts else "")


def _changes(before: ContactDetails, values: dict[str, object]) -> list[str]:
    """Each field that changes, as "phone 01 → 02"."""
    changes: list[str] = []
    for key in SHOWN_FIELDS:
        if key in values and values[key] != getattr(before, key):
            old = str(getattr(before, key)).replace("\n", ", ") or "none"
            new = str(values[key]).replace("\n", ", ") or "none"
            changes.append(f"{key} {old} → {new}")
    if "is_billing" in values and values["is_billing"] != before.is_billing:
        changes.append("now the billing contact" if values["is_billing"] else "no longer billing")
    return changes


def _drop_stale_marks(before: ContactDetails, values: dict[str, object]) -> list[str]:
    """Clear the mark of a number or address the user just replaced; say which."""
    cleared: list[str] = []
    if before.phone_wrong is not None and values.get("phone", before.phone) != before.phone:
        set_phone_mark(before.contact_id, None)
        cleared.append("wrong-number mark cleared")
    if before.email_bounced is not None and values.get("email", before.email) != before.email:
        set_email_mark(before.contact_id, None)
        cleared.append("bounced mark cleared")
    return cleared
