"""Drafting and sending a reminder: rendered text, written to the outbox, logged in full."""

from __future__ import annotations

from datetime import date, datetime
from email.utils import formataddr
from pathlib import Path

from relance.config import Creditor
from relance.delivery.outbox import OutgoingMail, write_to_outbox
from relance.delivery.reminder_text import (
    OverdueLine,
    ReminderContent,
    RenderedReminder,
    render_reminder,
)
from relance.domain.dates import days_overdue
from relance.domain.money import decimal_string, format_money
from relance.services.history import record_event
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.lookup import get_client
from relance.store.models import Contact, ContactEvent, Invoice
from relance.store.summary import refresh_client_summary

FALLBACK_SENDER = "relance@localhost"


def reminder_recipients(client_id: int) -> list[str]:
    """The billing contact's address, else every other contact's."""
    contacts = list(Contact.select().where(Contact.client == client_id).order_by(Contact.id))
    billing = [c.email for c in contacts if c.is_billing and c.email]
    return billing or [c.email for c in contacts if c.email]


def draft_reminder(client_id: int, today: date, creditor: Creditor) -> RenderedReminder:
    """Render the reminder a client would get today, writing nothing."""
    client = get_client(client_id)
    lines = [
        OverdueLine(
            inv.number,
            inv.issued_on,
            inv.due_on,
            inv.amount,
            inv.paid,
            days_overdue(inv.due_on, today),
        )
        for inv in Invoice.select()
        .where(
            (Invoice.client == client_id)
            & (Invoice.amount > Invoice.paid)
            & (Invoice.due_on < today)
        )
        .order_by(Invoice.due_on, Invoice.number)
    ]
    if not lines:
        raise InvalidInput.one("client", f"nothing is overdue for {client.name}")
    billing = (
        Contact.select()
        .where((Contact.client == client_id) & (Contact.is_billing == True))  # noqa: E712
        .first()
    )
    # Count the reminders of this episode only: since the oldest invoice listed fell due.
    sent_before = (
        ContactEvent.select()
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "email")
            & (ContactEvent.happened_at >= lines[0].due_on)
        )
        .count()
    )
    return render_reminder(
        ReminderContent(
            client_name=client.name,
            contact_name=billing.name if billing else "",
            language=client.language,
            currency=client.currency,
            today=today,
            reminder_number=sent_before + 1,
            lines=lines,
            creditor_name=creditor.name,
            creditor_email=creditor.email,
            creditor_phone=creditor.phone,
            creditor_iban=creditor.iban,
        )
    )


def send_reminder(
    client_id: int,
    at: datetime,
    outbox: Path,
    creditor: Creditor,
    *,
    subject: str | None = None,
    body: str | None = None,
) -> ActionResult:
    """Write the reminder (as drafted, or as the user edited it) to the outbox and log it."""
    draft = draft_reminder(client_id, at.date(), creditor)
    form = Form()
    final_subject = form.line(
        "subject", draft.subject if subject is None else subject, required=True
    )
    final_body = form.text("body", draft.body if body is None else body, required=True)
    form.check()
    recipients = reminder_recipients(client_id)
    client = get_client(client_id)
    if not recipients:
        raise InvalidInput.one("to", f"{client.name} has no e-mail address; add one to a contact")
    mail = OutgoingMail(
        # formataddr quotes a name such as "Martin, Jeanne" that would otherwise read as two.
        sender=formataddr((creditor.name, creditor.email)) if creditor.email else FALLBACK_SENDER,
        recipients=recipients,
        subject=final_subject,
        body=final_body,
        at=at,
    )
    path = write_to_outbox(outbox, client_id, mail)
    try:
        with transaction():
            total = sum(
                inv.amount - inv.paid
                for inv in Invoice.select().where(
                    (Invoice.client == client_id)
                    & (Invoice.amount > Invoice.paid)
                    & (Invoice.due_on < at.date())
                )
            )
            summary = f"reminder e-mailed to {', '.join(recipients)}: {final_subject}"
            event_id = record_event(
                client_id,
                "email",
                summary,
                at,
                channel="email",
                outcome="written-to-outbox",
                body=f"Subject: {final_subject}\n\n{final_body}",
                amount=total,
            )
            refresh_client_summary(client_id)
    except BaseException:
        # Not logged means not sent: the file must not stay behind to be delivered later.
        path.unlink(missing_ok=True)
        raise
    return ActionResult(
        client_id,
        f"{client.name}: reminder for {format_money(total, client.currency)} written to {path}",
        event_id,
        {
            "to": recipients,
            "subject": final_subject,
            "total": decimal_string(total),
            "file": str(path),
        },
    )
