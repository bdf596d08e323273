"""Sending a reminder: written to the outbox and logged in full, then handed to ``[smtp]``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import formataddr
from pathlib import Path

from relance.config import Config
from relance.delivery.mime import OutgoingMail, history_text, new_message_id, recorded_headers
from relance.delivery.outbox import Outbox
from relance.delivery.smtp import SmtpSession
from relance.domain.money import decimal_string, format_money
from relance.services import drafting
from relance.services.outbox import NO_SMTP, Delivery, deliver_claimed, smtp_session
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.contacts import client_contacts
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.invoices import overdue_total
from relance.store.lookup import get_client
from relance.store.reminded import last_reminder_text, reminded_that_day
from relance.store.steps import QUEUED, WRITTEN
from relance.store.triage_index import refresh_client_summary

FALLBACK_SENDER = "relance@localhost"
# A thread's References header keeps the first message and the latest ones (RFC 5322 advice).
MAX_REFERENCES = 10


class AlreadyReminded(InvalidInput):
    """The client got a reminder today already: a second one is never sent the same day."""

    def __init__(self, client: str) -> None:
        super().__init__({"to": f"{client} was already reminded today; nothing was sent"})


def reminder_recipients(client_id: int, contact_id: int | None = None) -> list[str]:
    """The picked contact's address; else the billing contact's, else every other contact's.

    An address the server refused for good (marked bounced) is left out, so the next reminder
    goes to the client's other addresses; a contact picked by hand is written to as asked.
    """
    contacts = client_contacts(client_id)
    if contact_id is not None:
        return [c.email for c in contacts if c.contact_id == contact_id and c.email]
    usable = [c for c in contacts if c.writable]
    billing = [c.email for c in usable if c.is_billing]
    return billing or [c.email for c in sorted(usable, key=lambda c: c.contact_id)]


def send_reminder(
    client_id: int,
    at: datetime,
    config: Config,
    outbox: Path,
    *,
    subject: str | None = None,
    body: str | None = None,
    session: SmtpSession | None = None,
    to_contact: int | None = None,
) -> ActionResult:
    """Queue the reminder (as drafted, or as edited) in the outbox, log it, then try to send it.

    The message file and its history event are committed together: a message that could not
    be logged is removed before it can ever go out. Whether the client was reminded today is
    decided under the outbox lock, in the transaction that logs the reminder, so two
    overlapping runs never both send one (the second raises AlreadyReminded). ``session``
    shares one connection to the server between the reminders of a batch; without it, one is
    opened for this message. ``to_contact`` writes to that contact instead of the usual ones.
    """
    draft = drafting.draft_reminder(client_id, at.date(), config)
    form = Form()
    final_subject = form.line(
        "subject", draft.subject if subject is None else subject, required=True
    )
    final_body = form.text("body", draft.body if body is None else body, required=True)
    form.check()
    recipients = reminder_recipients(client_id, to_contact)
    client = get_client(client_id)
    if not recipients and to_contact is not None:
        raise InvalidInput.one("to", "the contact picked has no e-mail address")
    if not recipients:
        raise InvalidInput.one("to", _no_address(client_id, client.name))
    sender = message_sender(config)
    thread = previous_reminder(client_id)
    mail = OutgoingMail(
        sender=sender,
        recipients=recipients,
        subject=final_subject,
        body=final_body,
        at=at,
        message_id=new_message_id(sender),
        in_reply_to=thread.message_id,
        references=thread.references,
    )
    box = Outbox(outbox)
    with box.locked():
        name = box.stage(mail, client_id, client.name, reason="" if config.smtp else NO_SMTP)
        try:
            with transaction():
                if reminded_that_day(client_id, at.date()):
                    raise AlreadyReminded(client.name)
                total = overdue_total(client_id, at.date())
                event_id = record_event(
                    client_id,
                    "email",
                    f"reminder queued for {', '.join(recipients)}: {final_subject}",
                    at,
                    channel="email",
                    # With a server, the step counts once it accepts the message; without one
                    # the user sends it by hand from the outbox, so writing it is the step.
                    outcome=QUEUED if config.smtp is not None else WRITTEN,
                    body=history_text(mail),
                    amount=total,
                )
                refresh_client_summary(client_id)
        except BaseException:
            # Not logged means not sent: the file must not stay behind to be delivered later.
            box.discard(name)
            raise
        box.publish(name)
        entry = box.entry(name)
        assert entry is not None
        own_session = smtp_session(config) if session is None else None
        try:
            delivery = deliver_claimed(box, entry, session or own_session, at, log_failure=True)
        finally:
            if own_session is not None:
                own_session.close()
        sent_entry = box.entry(name)
    where = sent_entry.path if sent_entry else entry.path
    amount = format_money(total, client.currency)
    return ActionResult(
        client_id,
        f"{client.name}: reminder for {amount} {_fate(delivery, outbox)}",
        event_id,
        {
            "to": recipients,
            "subject": final_subject,
            "total": decimal_string(total),
            "file": str(where),
            "message_id": mail.message_id,
            "status": "queued" if delivery.status == "waiting" else delivery.status,
            "reason": delivery.reason or None,
        },
    )


def _no_address(client_id: int, name: str) -> str:
    """Why a client cannot be written to: no address at all, or only bounced ones."""
    bounced = [c.email for c in client_contacts(client_id) if c.email_bounced is not None]
    if bounced:
        return (
            f"{name}'s only e-mail addresses bounced ({', '.join(bounced)}); add another to a"
            " contact, or clear the mark (`relance contact clear-mark`)"
        )
    return f"{name} has no e-mail address; add one to a contact (`relance contact add`)"


def _fate(delivery: Delivery, outbox: Path) -> str:
    """What became of a new reminder, in words that say where it is."""
    if delivery.status == "sent":
        refused = f" (refused: {', '.join(delivery.refused)})" if delivery.refused else ""
        delivered = [who for who in delivery.recipients if who not in delivery.refused]
        return f"sent to {', '.join(delivered)}{refused}"
    if delivery.status == "waiting":
        return f"written to the outbox {outbox} ({NO_SMTP})"
    return (
        f"queued in the outbox {outbox}, not sent: {delivery.reason}"
        " (`relance outbox retry` or the o key sends it later)"
    )


def message_sender(config: Config) -> str:
    """The From address: ``smtp.from``, else the creditor's own address."""
    if config.smtp is not None and config.smtp.sender:
        return config.smtp.sender
    creditor = config.creditor
    # formataddr quotes a name such as "Martin, Jeanne" that would otherwise read as two.
    return formataddr((creditor.name, creditor.email)) if creditor.email else FALLBACK_SENDER


@dataclass(frozen=True)
class Thread:
    """Where a new reminder to a client belongs: replying to the last one sent."""

    message_id: str = ""
    references: tuple[str, ...] = ()


def previous_reminder(client_id: int) -> Thread:
    """The thread of the latest reminder logged for a client with its Message-ID."""
    latest = last_reminder_text(client_id)
    if latest is None:
        return Thread()
    headers = recorded_headers(latest)
    parent = headers.get("Message-ID", "")
    if not parent:
        return Thread()
    chain = [*headers.get("References", "").split(), parent]
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return Thread(parent, tuple(chain))
