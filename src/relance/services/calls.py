"""Logging a phone call; its outcome schedules the follow-up and may record a promise."""

from __future__ import annotations

from datetime import datetime

from relance.domain.calls import CallOutcome, follow_up
from relance.domain.money import decimal_string, format_money
from relance.services.contact_details import BY_USER, CONTACT_KIND, find_contact
from relance.services.results import ActionResult
from relance.services.validation import Form
from relance.store.client_flags import set_disputed
from relance.store.contacts import ContactDetails, client_contacts, set_phone_mark
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.promises import add_promise
from relance.store.triage_index import refresh_client_summary

OUTCOMES = tuple(outcome.value for outcome in CallOutcome)


def log_call(
    client_id: int,
    outcome: str,
    at: datetime,
    *,
    note: str = "",
    promised_amount: str = "",
    promised_on: str = "",
    who: str = "",
    contact: str = "",
) -> ActionResult:
    """Record a call with its outcome; "promised" also records the promise to pay.

    ``contact`` names who was called (id, name, e-mail or number); left empty, it is the first
    contact whose number is not known wrong. A wrong number marks that contact's number wrong,
    so the next action calls the client's next number, if it has one.
    """
    form = Form()
    picked = form.choice("outcome", outcome, OUTCOMES)
    choice = CallOutcome(picked) if picked in OUTCOMES else CallOutcome.NO_ANSWER
    clean_note = form.text("note", note)
    clean_who = form.line("who", who)
    amount = 0
    pay_by = None
    if choice is CallOutcome.PROMISED:
        amount = form.amount("amount", promised_amount)
        pay_by = form.day("on", promised_on, today=at.date())
        if pay_by is not None and pay_by < at.date():
            form.fail("on", "the promised date is in the past")
    form.check()
    scheduled = follow_up(choice, at.date(), pay_by)
    with transaction():
        client = get_client(client_id)
        called = _called(client_id, contact)
        summary = f"call: {choice.label}"
        # Who was called matters when it was picked, or when the number turned out wrong.
        named = contact.strip() or choice is CallOutcome.WRONG_NUMBER
        if named and called is not None and called.phone:
            summary = f"call to {called.label} ({called.phone}): {choice.label}"
        if choice is CallOutcome.PROMISED:
            summary += f" {format_money(amount, client.currency)} by {pay_by}"
        if clean_note:
            summary += f" — {clean_note}"
        event_id = record_event(
            client_id,
            "call",
            summary,
            at,
            channel="phone",
            outcome=choice.value,
            body=clean_note,
            amount=amount or None,
            follow_up_action=scheduled.action,
            follow_up_on=scheduled.on,
        )
        if choice is CallOutcome.WRONG_NUMBER and called is not None and called.callable:
            set_phone_mark(called.contact_id, f"wrong number on the call of {at.date()}")
            record_event(
                client_id,
                CONTACT_KIND,
                f"{called.label}'s number {called.phone} marked wrong: the call reached someone"
                " else",
                at,
                direction="internal",
                outcome="marked-wrong-number",
                author=BY_USER,
            )
        if choice is CallOutcome.PROMISED:
            assert pay_by is not None
            add_promise(client_id, event_id, (amount, pay_by), at.date(), clean_who, clean_note)
        if choice is CallOutcome.DISPUTE and not client.disputed:
            set_disputed(client_id, True)
            record_event(
                client_id,
                "dispute",
                "dispute opened during a call",
                at,
                outcome="on",
                direction="internal",
            )
        refresh_client_summary(client_id)
    record: dict[str, object] = {
        "outcome": choice.value,
        "note": clean_note,
        "follow_up": scheduled.action,
        "follow_up_on": scheduled.on.isoformat(),
    }
    if called is not None:
        record["contact_id"] = called.contact_id
    if pay_by is not None:
        record |= {"promised_amount": decimal_string(amount), "promised_on": pay_by.isoformat()}
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, record)


def _called(client_id: int, reference: str) -> ContactDetails | None:
    """The contact called: the one named, else the first with a number not known wrong."""
    contacts = client_contacts(client_id)
    if reference.strip():
        return find_contact(contacts, reference)
    return next((c for c in contacts if c.callable), None)
