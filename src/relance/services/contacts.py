"""Logging a contact made outside relance: a letter posted, a text sent, a visit, a legal step.

Any of them may carry a promise to pay (``--amount``/``--on``), and so may an e-mail the
client sent: a promise made in writing or in person is held like one made on the phone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from relance.domain.money import decimal_string, format_money
from relance.services.results import ActionResult
from relance.services.validation import Form
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.promises import add_promise
from relance.store.triage_index import refresh_client_summary

# E-mails and calls have their own services; these are the other ladder channels.
CHANNELS = ("letter", "sms", "visit", "legal")
# An e-mail from the client is logged here only as the carrier of a promise.
PROMISE_ONLY_CHANNELS = ("email",)
LOG_CHANNELS = (*CHANNELS, *PROMISE_ONLY_CHANNELS)
_SUMMARIES = {
    "letter": "letter sent",
    "sms": "text message sent",
    "visit": "visit in person",
    "legal": "legal step taken",
    "email": "e-mail from the client",
}
CHECK_PROMISE = "check promise"


def log_contact(
    client_id: int,
    channel: str,
    at: datetime,
    note: str = "",
    *,
    promised_amount: str = "",
    promised_on: str = "",
    who: str = "",
) -> ActionResult:
    """Record a letter, text, visit or legal step (a ladder step), or a promise by e-mail."""
    form = Form()
    picked = form.choice("channel", channel, LOG_CHANNELS)
    clean_note = form.text("note", note)
    clean_who = form.line("who", who)
    promise = read_promise(form, promised_amount, promised_on, at.date())
    if picked in PROMISE_ONLY_CHANNELS and promise is None and not form.errors:
        form.fail(
            "channel", "an e-mail from the client is logged only with its promise (amount and date)"
        )
    form.check()
    with transaction():
        client = get_client(client_id)
        summary = _SUMMARIES[picked]
        if promise is not None:
            amount, pay_by = promise
            summary += f": promised {format_money(amount, client.currency)} by {pay_by}"
        summary += f" — {clean_note}" if clean_note else ""
        # The client's e-mail is not a step of the ladder: it is logged as the promise it holds.
        kind = "promise" if picked in PROMISE_ONLY_CHANNELS else picked
        event_id = record_event(
            client_id,
            kind,
            summary,
            at,
            channel=picked,
            direction="in" if kind == "promise" else "out",
            body=clean_note,
            amount=promise[0] if promise else None,
            follow_up_action=CHECK_PROMISE if promise else "",
            follow_up_on=promise[1] + timedelta(days=1) if promise else None,
        )
        if promise is not None:
            add_promise(client_id, event_id, promise, at.date(), clean_who, clean_note)
        refresh_client_summary(client_id)
    record: dict[str, object] = {"channel": picked, "note": clean_note}
    if promise is not None:
        record |= {
            "promised_amount": decimal_string(promise[0]),
            "promised_on": promise[1].isoformat(),
        }
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, record)


def read_promise(form: Form, amount: str, on: str, today: date) -> tuple[int, date] | None:
    """A promise's amount and date as typed, or None when neither was given; both or none."""
    if not amount.strip() and not on.strip():
        return None
    minor = form.amount("amount", amount)
    if not on.strip():
        form.fail("on", "a promise needs the date it was promised for")
        return None
    pay_by = form.day("on", on, today=today)
    if pay_by is not None and pay_by < today:
        form.fail("on", "the promised date is in the past")
    if pay_by is None or not minor:
        return None
    return minor, pay_by
