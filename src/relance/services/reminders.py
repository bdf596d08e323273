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
from relance.store.steps import (
    ACCEPTED,
    CHOSEN_DELIVERY_KIND,
    CHOSEN_MESSAGE_KIND,
    DELIVERY_KIND,
    QUEUED,
    WRITTEN,
    unconfirmed_reminder,
)
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
    sent_by_hand: bool = False,
    to_contact: int | None = None,
) -> ActionResult:
    """Queue the reminder (as drafted, or as edited) in the outbox, log it, then try to send it.

    The message file and its history event are committed together: a message that could not
    be logged is removed before it can ever go out. Whether the client was reminded today is
    decided under the outbox lock, in the transaction that logs the reminder, so two
    overlapping runs never both send one (the second raises AlreadyReminded). ``session``
    shares one connection to the server between the reminders of a batch; without it, one is
    opened for this message. With no ``[smtp]``, the reminder counts only once the user says
    it went: ``sent_by_hand`` says so at once, else ``confirm_sent`` does later.
    ``to_contact`` writes to that contact instead of the usual ones.
    """
    draft = drafting.draft_reminder(client_id, at.date(), config)
    return write_and_send(
        client_id,
        at,
        config,
        outbox,
        Outgoing(
            draft.subject if subject is None else subject,
            draft.body if body is None else body,
            REMINDER,
        ),
        session=session,
        sent_by_hand=sent_by_hand,
        to_contact=to_contact,
    )


@dataclass(frozen=True)
class Outgoing:
    """A message to write to the outbox: its text and what kind of message it is."""

    subject: str
    body: str
    kind: MessageKind


@dataclass(frozen=True)
class MessageKind:
    """How a message is logged: its history kinds and the word for it in summaries."""

    history_kind: str
    news_kind: str
    word: str
    # One a day at most: a reminder is; a thank-you may follow a reminder the same day.
    once_a_day: bool


REMINDER = MessageKind("email", DELIVERY_KIND, "reminder", once_a_day=True)
CHOSEN_MESSAGE = MessageKind(CHOSEN_MESSAGE_KIND, CHOSEN_DELIVERY_KIND, "message", once_a_day=False)


def write_and_send(
    client_id: int,
    at: datetime,
    config: Config,
    outbox: Path,
    outgoing: Outgoing,
    *,
    session: SmtpSession | None = None,
    sent_by_hand: bool = False,
    to_contact: int | None = None,
) -> ActionResult:
    """Write a message to the outbox and log it in one go, then hand it to ``[smtp]``."""
    kind = outgoing.kind
    form = Form()
    final_subject = form.line("subject", outgoing.subject, required=True)
    final_body = form.text("body", outgoing.body, required=True)
    form.check()
    recipients = reminder_recipients(client_id, to_contact)
    client = get_client(client_id)
    if not recipients and to_contact is not None:
        raise InvalidInput.one("to", "the contact picked has no e-mail address")
    if not recipients:
        raise InvalidInput.one("to", _no_address(client_id, client.name))
    if sent_by_hand and config.smtp is not None:
        raise InvalidInput.one("sent", "[smtp] is configured: relance sends it, not you")
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
        name = box.stage(
            mail,
            client_id,
            client.name,
            reason="" if config.smtp else NO_SMTP,
            news_kind=kind.news_kind,
        )
        try:
            with transaction():
                if kind.once_a_day and reminded_that_day(client_id, at.date()):
                    raise AlreadyReminded(client.name)
                total = overdue_total(client_id, at.date())
                event_id = record_event(
                    client_id,
                    kind.history_kind,
                    f"{kind.word} queued for {', '.join(recipients)}: {final_subject}",
                    at,
                    channel="email",
                    # With a server, it counts once the server accepts it; without one the user
                    # sends it by hand from the outbox and confirms it went.
                    outcome=QUEUED if config.smtp is not None else WRITTEN,
                    body=history_text(mail),
                    amount=total,
                )
                if sent_by_hand:
                    record_sent_by_hand(client_id, kind, mail.message_id, at)
                refresh_client_summary(client_id)
        except BaseException:
            # Not logged means not sent: the file must not stay behind to be delivered later.
            box.discard(name)
            raise
        box.publish(name)
        entry = box.entry(name)
        assert entry is not None
        if sent_by_hand:
            file_as_sent(box, name, at)
            delivery = Delivery(
                name, client_id, client.name, final_subject, tuple(recipients), "sent"
            )
        else:
            own_session = smtp_session(config) if session is None else None
            try:
                delivery = deliver_claimed(box, entry, session or own_session, at, log_failure=True)
            finally:
                if own_session is not None:
                    own_session.close()
        sent_entry = box.entry(name)
    where = sent_entry.path if sent_entry else entry.path
    amount = format_money(total, client.currency)
    what = f"{kind.word} for {amount}" if kind is REMINDER else f"{kind.word} {final_subject!r}"
    fate = "sent by you (confirmed)" if sent_by_hand else _fate(delivery, outbox, kind)
    return ActionResult(
        client_id,
        f"{client.name}: {what} {fate}",
        event_id,
        {
            "to": recipients,
            "subject": final_subject,
            "total": decimal_string(total),
            "file": str(where),
            "message_id": mail.message_id,
            "status": _status(delivery, sent_by_hand),
            "reason": delivery.reason or None,
        },
    )


def _status(delivery: Delivery, sent_by_hand: bool) -> str:
    """The status scripts read: sent (by the server or by hand), failed, or queued."""
    if sent_by_hand:
        return "sent"
    return "queued" if delivery.status == "waiting" else delivery.status


def confirm_sent(client_id: int, at: datetime, outbox: Path) -> ActionResult:
    """Record that the user sent the client's latest reminder written with no server.

    It counts as a step from now on, and its file in the outbox is filed as sent so that a
    server configured later never sends it a second time.
    """
    client = get_client(client_id)
    box = Outbox(outbox)
    with box.locked(), transaction():
        waiting = unconfirmed_reminder(client_id)
        if waiting is None:
            raise InvalidInput.one(
                "reminder", f"{client.name} has no reminder waiting for you to confirm"
            )
        _, message_id = waiting
        event_id = record_sent_by_hand(client_id, REMINDER, message_id, at)
        refresh_client_summary(client_id)
        entry = next((e for e in box.queued() if e.message_id == message_id), None)
        if entry is not None:
            file_as_sent(box, entry.name, at)
    return ActionResult(
        client_id,
        f"{client.name}: reminder confirmed as sent; it counts from {at.date().isoformat()}",
        event_id,
        {"message_id": message_id, "status": "sent"},
    )


def record_sent_by_hand(client_id: int, kind: MessageKind, message_id: str, at: datetime) -> int:
    """The history's news that the user sent a message by hand: it left, like one accepted."""
    return record_event(
        client_id,
        kind.news_kind,
        f"{kind.word} sent by hand, confirmed by the user",
        at,
        channel="email",
        outcome=ACCEPTED,
        body=f"Message-ID: {message_id}",
    )


def file_as_sent(box: Outbox, name: str, at: datetime) -> None:
    """Move a message the user sent by hand out of the queue, into the sent ones."""
    if box.claim(name) is not None:
        box.mark_sent(name, at)


def _no_address(client_id: int, name: str) -> str:
    """Why a client cannot be written to: no address at all, or only bounced ones."""
    bounced = [c.email for c in client_contacts(client_id) if c.email_bounced is not None]
    if bounced:
        return (
            f"{name}'s only e-mail addresses bounced ({', '.join(bounced)}); add another to a"
            " contact, or clear the mark (`relance contact clear-mark`)"
        )
    return f"{name} has no e-mail address; add one to a contact (`relance contact add`)"


def _fate(delivery: Delivery, outbox: Path, kind: MessageKind) -> str:
    """What became of a new reminder, in words that say where it is."""
    if delivery.status == "sent":
        refused = f" (refused: {', '.join(delivery.refused)})" if delivery.refused else ""
        delivered = [who for who in delivery.recipients if who not in delivery.refused]
        return f"sent to {', '.join(delivered)}{refused}"
    if delivery.status == "waiting" and kind is not REMINDER:
        return f"written to the outbox {outbox} ({NO_SMTP}): send it yourself"
    if delivery.status == "waiting":
        return (
            f"written to the outbox {outbox} ({NO_SMTP}): send it yourself, then confirm it"
            " went (`relance reminder confirm CLIENT`); until then it does not count"
        )
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
