"""Sending a message the user chose (the thank-you after a payment) through the outbox.

It goes the way a reminder goes, logged and delivered under kinds of its own, so that it is
never a step of the ladder and never cited as an earlier reminder.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from relance.config import Config
from relance.delivery.smtp import SmtpSession
from relance.services import drafting
from relance.services.reminders import CHOSEN_MESSAGE, Outgoing, reminder_recipients, write_and_send
from relance.services.results import ActionResult

THANK_YOU = "thank-you"


def send_chosen_message(
    client_id: int,
    template: str,
    at: datetime,
    config: Config,
    outbox: Path,
    *,
    subject: str | None = None,
    body: str | None = None,
    session: SmtpSession | None = None,
) -> ActionResult:
    """Draft the named template (or take the edited text), write it to the outbox and send it."""
    draft = drafting.draft_message(client_id, at.date(), config, template)
    outgoing = Outgoing(
        draft.subject if subject is None else subject,
        draft.body if body is None else body,
        CHOSEN_MESSAGE,
    )
    return write_and_send(client_id, at, config, outbox, outgoing, session=session)


def settles_an_invoice(payment: ActionResult) -> bool:
    """True when a recorded payment paid an invoice off: the moment to thank the client."""
    return bool(payment.record.get("settled"))


def thank_you_wanted(config: Config, payment: ActionResult, choice: bool | None) -> bool:
    """Whether to send the thank-you after this payment without asking.

    The user's own choice wins; else ``[messages] thank_you``: "always" sends it, "ask" and
    "never" do not (the app asks first on "ask"). Only a payment that settles an invoice and
    a client with an e-mail address get one.
    """
    if not settles_an_invoice(payment) or not reminder_recipients(payment.client_id):
        return False
    return choice if choice is not None else config.messages.thank_you == "always"


def should_ask_thank_you(config: Config, payment: ActionResult) -> bool:
    """True when the app should offer the thank-you after this payment ("ask", the default)."""
    return (
        config.messages.thank_you == "ask"
        and settles_an_invoice(payment)
        and bool(reminder_recipients(payment.client_id))
    )
