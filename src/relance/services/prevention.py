"""Prevention flags: a deposit asked, paid or refused, a contract signed or refused."""

from __future__ import annotations

from datetime import datetime

from relance.domain.prevention import FLAG_WORDS, FLAGS, PREVENTION_KIND
from relance.services.contact_details import BY_USER
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.client_terms import client_invoice_id, mark_deposit_invoice
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.triage_index import refresh_client_summary


def flag_client(
    client_id: int,
    flag: str,
    at: datetime,
    *,
    invoice: str = "",
    note: str = "",
    author: str = BY_USER,
) -> ActionResult:
    """Write a prevention flag in the history; a deposit flag marks its invoice a deposit one."""
    form = Form()
    picked = form.choice("flag", flag, FLAGS)
    number = form.line("invoice", invoice, limit=60)
    clean_note = form.text("note", note)
    form.check()
    with transaction():
        client = get_client(client_id)
        invoice_id = None
        if number:
            invoice_id = client_invoice_id(client_id, number)
            if invoice_id is None:
                raise InvalidInput.one("invoice", f"{client.name} has no invoice {number}")
            if picked.startswith("deposit-"):
                mark_deposit_invoice(invoice_id)
        summary = FLAG_WORDS[picked] + (f" for invoice {number}" if number else "")
        if clean_note:
            summary = f"{summary}: {clean_note}"
        event_id = record_event(
            client_id,
            PREVENTION_KIND,
            summary,
            at,
            direction="internal",
            outcome=picked,
            invoice_id=invoice_id,
            author=author,
        )
        # A refusal is a sign of bad faith: the profile, and with it the ladder, may change.
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {"flag": picked, "invoice": number or None, "note": clean_note},
    )
