"""Marks on a contact: a phone number found wrong, an e-mail address that bounced.

Each mark, and each clearing of one, is a line in the client's history; the next action and
the reminder's recipients skip what is marked.
"""

from __future__ import annotations

from datetime import datetime

from relance.services.contact_details import (
    BY_OUTBOX,
    BY_USER,
    CONTACT_KIND,
    contact_record,
    find_contact,
)
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.contacts import ContactDetails, client_contacts, set_email_mark, set_phone_mark
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.triage_index import refresh_client_summary

WRONG_NUMBER = "wrong-number"
BOUNCED = "bounced"
MARKS = (WRONG_NUMBER, BOUNCED)
# What a mark made without a reason holds: a mark is never empty (an export's empty cell is null).
NO_REASON = "no reason given"


def mark_contact(
    client_id: int, reference: str, mark: str, at: datetime, reason: str = ""
) -> ActionResult:
    """Mark a contact's phone number wrong or its e-mail address bounced, with a reason."""
    form = Form()
    picked = form.choice("mark", mark, MARKS)
    why = form.line("reason", reason)
    form.check()
    with transaction():
        client = get_client(client_id)
        contact = find_contact(client_contacts(client_id), reference)
        summary = _apply_mark(contact, picked, why)
        event_id = _log(client_id, summary, at, f"marked-{picked}", BY_USER)
        refresh_client_summary(client_id)
        after = _reread(client_id, contact.contact_id)
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, contact_record(after))


def clear_mark(client_id: int, reference: str, mark: str, at: datetime) -> ActionResult:
    """Take a wrong-number or bounced mark off a contact: the number or address is tried again."""
    form = Form()
    picked = form.choice("mark", mark, MARKS)
    form.check()
    with transaction():
        client = get_client(client_id)
        contact = find_contact(client_contacts(client_id), reference)
        if picked == WRONG_NUMBER:
            if contact.phone_wrong is None:
                raise InvalidInput.one("mark", f"{contact.label}'s number is not marked wrong")
            set_phone_mark(contact.contact_id, None)
            summary = f"{contact.label}'s number {contact.phone} no longer marked wrong"
        else:
            if contact.email_bounced is None:
                raise InvalidInput.one("mark", f"{contact.label}'s address is not marked bounced")
            set_email_mark(contact.contact_id, None)
            summary = f"{contact.label}'s address {contact.email} no longer marked bounced"
        event_id = _log(client_id, summary, at, f"cleared-{picked}", BY_USER)
        refresh_client_summary(client_id)
        after = _reread(client_id, contact.contact_id)
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, contact_record(after))


def mark_bounced_addresses(client_id: int, refusals: dict[str, str], at: datetime) -> list[int]:
    """Mark the client's contacts whose address the server refused for good, with its reply.

    Called by the outbox after a 5xx refusal; returns the history events written (one per
    contact newly marked; an address already marked is left as it is).
    """
    folded = {address.casefold(): reply for address, reply in refusals.items()}
    events: list[int] = []
    with transaction():
        for contact in client_contacts(client_id):
            reply = folded.get(contact.email.casefold()) if contact.email else None
            if reply is None or contact.email_bounced is not None:
                continue
            summary = _apply_mark(contact, BOUNCED, reply)
            events.append(_log(client_id, summary, at, f"marked-{BOUNCED}", BY_OUTBOX))
        if events:
            refresh_client_summary(client_id)
    return events


def _apply_mark(contact: ContactDetails, mark: str, reason: str) -> str:
    """Write the mark and return its history line; refuse a mark with nothing to bear it."""
    because = f": {reason}" if reason else ""
    if mark == WRONG_NUMBER:
        if not contact.phone:
            raise InvalidInput.one("mark", f"{contact.label} has no phone number to mark wrong")
        if contact.phone_wrong is not None:
            raise InvalidInput.one("mark", f"{contact.label}'s number is already marked wrong")
        set_phone_mark(contact.contact_id, reason or NO_REASON)
        return f"{contact.label}'s number {contact.phone} marked wrong{because}"
    if not contact.email:
        raise InvalidInput.one("mark", f"{contact.label} has no e-mail address to mark bounced")
    if contact.email_bounced is not None:
        raise InvalidInput.one("mark", f"{contact.label}'s address is already marked bounced")
    set_email_mark(contact.contact_id, reason or NO_REASON)
    return f"{contact.label}'s address {contact.email} marked bounced{because}"


def _log(client_id: int, summary: str, at: datetime, outcome: str, author: str) -> int:
    """The history line of a mark set or cleared."""
    return record_event(
        client_id,
        CONTACT_KIND,
        summary,
        at,
        direction="internal",
        outcome=outcome,
        author=author,
    )


def _reread(client_id: int, contact_id: int) -> ContactDetails:
    """The contact as it stands after the change."""
    return next(c for c in client_contacts(client_id) if c.contact_id == contact_id)
