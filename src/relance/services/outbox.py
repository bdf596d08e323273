"""Sending what waits in the outbox: one message now, or every queued one on a retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from relance.config import Config
from relance.delivery.mime import envelope_sender, readable_text
from relance.delivery.outbox import DAMAGED, Outbox, OutboxEntry
from relance.delivery.smtp import DeliveryError, PermanentRefusal, SmtpSession
from relance.domain.email_address import is_email_address
from relance.services.contact_marks import mark_bounced_addresses
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.contacts import email_addresses
from relance.store.database import transaction
from relance.store.errors import StoreError
from relance.store.history import record_event
from relance.store.reminded import message_logged
from relance.store.steps import DELIVERY_KIND, QUEUED
from relance.store.triage_index import refresh_client_summary

NO_SMTP = "no [smtp] configured"
# Told with a permanent refusal: what the user can do, since relance will not try it again.
HELD = "refused for good: discard it, send it again or redirect it to another address"
# The states of a message that still waits for the user or the server.
WAITING = ("queued", "failed", "refused")


@dataclass(frozen=True)
class Delivery:
    """What became of one message: sent, failed (still queued, with the reason) or waiting."""

    name: str
    client_id: int
    client: str
    subject: str
    recipients: tuple[str, ...]
    # sent, failed, waiting (no server to try), gone (someone else took it) or damaged (set aside)
    status: str
    reason: str = ""
    refused: tuple[str, ...] = ()
    event_id: int | None = None
    held: bool = False  # refused for good: not retried until the user acts on it

    @property
    def ok(self) -> bool:
        """True unless the message should have gone and did not."""
        return self.status in ("sent", "gone")

    def as_record(self) -> dict[str, Any]:
        """The outcome as scripts read it."""
        return {
            "name": self.name,
            "client_id": self.client_id,
            "client": self.client,
            "subject": self.subject,
            "to": list(self.recipients),
            "status": self.status,
            "reason": self.reason or None,
            "refused": list(self.refused),
            "held": self.held,
        }


def smtp_session(config: Config) -> SmtpSession | None:
    """A connection to the configured server for several messages, or None without ``[smtp]``."""
    return SmtpSession(config.smtp) if config.smtp is not None else None


def deliver_claimed(
    outbox: Outbox,
    entry: OutboxEntry,
    session: SmtpSession | None,
    at: datetime,
    *,
    log_failure: bool,
) -> Delivery:
    """Send one queued message through ``[smtp]``; the caller holds the outbox lock.

    A success moves the file to ``cur/`` and adds an ``outbox`` event to the history; a failure
    puts it back in ``new/`` with the server's reason (logged too when ``log_failure``).
    """
    if session is None:
        outbox.note_waiting(entry.name, NO_SMTP)
        return _delivery(entry, "waiting", NO_SMTP)
    data = outbox.claim(entry.name)
    if data is None:
        return _delivery(entry, "gone", "already taken by another relance")
    try:
        sender = envelope_sender(entry.sender)
        refused = session.send(sender, list(entry.recipients), data)
    except DeliveryError as error:
        reason = str(error)
        held = isinstance(error, PermanentRefusal)
        outbox.release(entry.name, reason, at, held=held)
        event_id = None
        if log_failure or held:
            # A permanent refusal is always told: it stays in the outbox until the user acts.
            where = HELD if held else "still queued in the outbox"
            summary = f"reminder not sent to {', '.join(entry.recipients)}, {where}: {reason}"
            event_id = _log_delivery(entry, at, "queued", summary)
        _mark_bounced(entry, session.permanent_refusals, at)
        return _delivery(entry, "failed", reason, event_id=event_id, held=held)
    except BaseException:
        # A bug or ctrl+c before the server answered: back in the queue, then let it through.
        outbox.release(entry.name, "interrupted before the server answered", at)
        raise
    # The one window nothing can close: if relance dies here, after the server took the message
    # and before this rename, the file stays in sending/ and the next retry queues it again, so
    # the server may get it twice (with the same Message-ID, which mail readers fold into one).
    outbox.mark_sent(entry.name, at)
    delivered_to = [who for who in entry.recipients if who not in refused]
    summary = f"reminder sent to {', '.join(delivered_to)} by {session.settings.host}"
    if refused:
        summary += f"; refused by the server: {', '.join(refused)}"
    event_id = _log_delivery(entry, at, "sent", summary)
    _mark_bounced(entry, session.permanent_refusals, at)
    return _delivery(entry, "sent", refused=tuple(refused), event_id=event_id)


def retry_outbox(
    root: Path,
    config: Config,
    at: datetime,
    *,
    names: tuple[str, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Delivery]:
    """Try every queued message once, oldest first; each is claimed so none goes twice.

    A message refused for good is left alone unless named in ``names`` (the user sends it
    again); ``progress`` hears how many of how many were tried after each message.
    """
    outbox = Outbox(root)
    if not root.is_dir():
        return []
    with outbox.locked():
        recover_outbox(outbox)
        # Set aside before the loop, so one damaged entry never stops the ones after it.
        results = [
            _delivery(entry, "damaged", f"set aside in {outbox.root / DAMAGED}: {entry.reason}")
            for entry in outbox.set_aside_damaged()
        ]
    queued = outbox.queued()
    if names is None:
        todo = [entry for entry in queued if entry.state != "refused"]
    else:
        todo = [entry for entry in queued if entry.name in names]
    session = smtp_session(config)
    try:
        for tried, entry in enumerate(todo, start=1):
            # One message per lock hold, so a reminder sent from the app meanwhile does not wait.
            with outbox.locked():
                results.append(deliver_claimed(outbox, entry, session, at, log_failure=False))
            if progress is not None:
                progress(tried, len(todo))
    finally:
        if session is not None:
            session.close()
    return results


def recover_outbox(outbox: Outbox) -> None:
    """Tidy up after a crashed process; the caller holds the lock, so nobody else is at work.

    A message staged in ``tmp/`` is queued if its history event was committed, else removed
    (it was never logged, so it must never go). One left in ``sending/`` is queued again.
    """
    for name, message_id in outbox.staged_leftovers():
        if message_id and message_logged(message_id):
            outbox.publish(name)
        else:
            outbox.discard(name)
    outbox.requeue_interrupted()


def outbox_entries(root: Path) -> list[OutboxEntry]:
    """Every message in the outbox with its state, oldest first."""
    return Outbox(root).entries()


@dataclass(frozen=True)
class OutboxView:
    """What the outbox screen shows: every message, and each waiting client's e-mail addresses."""

    entries: list[OutboxEntry]
    addresses: dict[int, tuple[str, ...]]

    def other_addresses(self, entry: OutboxEntry) -> tuple[str, ...]:
        """The client's addresses a message could be redirected to: those it was not sent to."""
        return tuple(
            address
            for address in self.addresses.get(entry.client_id, ())
            if address not in entry.recipients
        )


def outbox_view(root: Path) -> OutboxView:
    """Every message in the outbox, with the addresses of the clients whose messages wait."""
    entries = outbox_entries(root)
    waiting = {entry.client_id for entry in entries if entry.state in WAITING and entry.client_id}
    addresses = {
        client_id: tuple(address for address, _billing in email_addresses(client_id))
        for client_id in sorted(waiting)
    }
    return OutboxView(entries, addresses)


def message_text(root: Path, name: str) -> str:
    """The full text of one message in the outbox: its headers, then its body."""
    entry = Outbox(root).entry(name)
    if entry is None:
        raise InvalidInput.one("message", f"no message {name!r} is in the outbox")
    return readable_text(entry.path.read_bytes())


def _log_delivery(entry: OutboxEntry, at: datetime, outcome: str, summary: str) -> int | None:
    """Add the delivery news to the client's history; the message's fate does not depend on it."""
    if not entry.client_id:
        return None
    try:
        return _log_outbox_event(entry, at, outcome, summary)
    except StoreError:
        # The file's place in the outbox already says what happened; a locked book must not
        # turn a sent message into an error the user would answer by sending it again.
        return None


def _mark_bounced(entry: OutboxEntry, refusals: dict[str, str], at: datetime) -> None:
    """Mark the addresses the server refused for good as bounced on the client's contacts."""
    if not refusals or not entry.client_id:
        return
    try:
        mark_bounced_addresses(entry.client_id, refusals, at)
    except StoreError:
        # Like the delivery news: the refusal is in the outbox and its history line already.
        return


def _delivery(
    entry: OutboxEntry,
    status: str,
    reason: str = "",
    *,
    refused: tuple[str, ...] = (),
    event_id: int | None = None,
    held: bool = False,
) -> Delivery:
    """A delivery outcome for an entry."""
    return Delivery(
        entry.name,
        entry.client_id,
        entry.client,
        entry.subject,
        entry.recipients,
        status,
        reason,
        refused,
        event_id,
        held,
    )


def discard_message(root: Path, name: str, at: datetime) -> ActionResult:
    """Take a waiting message out of the outbox for good and say so in the client's history."""
    outbox = Outbox(root)
    with outbox.locked():
        entry = _waiting_entry(outbox, name)
        event_id = _log_outbox_event(
            entry, at, "discarded", f"reminder discarded from the outbox: {entry.subject}"
        )
        outbox.withdraw(name)
    return ActionResult(
        entry.client_id, f"{entry.client}: reminder discarded: {entry.subject}", event_id, {}
    )


def redirect_message(
    root: Path, name: str, address: str, config: Config, at: datetime
) -> tuple[ActionResult, Delivery]:
    """Send a waiting message to another address instead, and try it at once."""
    form = Form()
    clean = form.line("address", address, required=True)
    if clean and not is_email_address(clean):
        form.fail("address", f"not an e-mail address: {clean!r}")
    form.check()
    outbox = Outbox(root)
    with outbox.locked():
        entry = _waiting_entry(outbox, name)
        summary = f"reminder redirected from {', '.join(entry.recipients)} to {clean}, queued"
        event_id = _log_outbox_event(entry, at, QUEUED, summary)
        outbox.readdress(name, (clean,))
        moved = outbox.entry(name)
        assert moved is not None
        session = smtp_session(config)
        try:
            delivery = deliver_claimed(outbox, moved, session, at, log_failure=True)
        finally:
            if session is not None:
                session.close()
    result = ActionResult(
        entry.client_id, f"{entry.client}: reminder redirected to {clean}", event_id, {}
    )
    return result, delivery


def _waiting_entry(outbox: Outbox, name: str) -> OutboxEntry:
    """A message still waiting in the outbox, or a refusal naming it."""
    entry = outbox.entry(name)
    if entry is None or entry.state not in WAITING:
        raise InvalidInput.one("message", f"no message {name!r} waits in the outbox")
    return entry


def _log_outbox_event(entry: OutboxEntry, at: datetime, outcome: str, summary: str) -> int:
    """Log news of a message in the client's history, in a transaction of its own."""
    with transaction():
        event_id = record_event(
            entry.client_id,
            DELIVERY_KIND,
            summary,
            at,
            channel="email",
            outcome=outcome,
            body=f"Message-ID: {entry.message_id}",
        )
        refresh_client_summary(entry.client_id)
    return event_id
