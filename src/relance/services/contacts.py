"""Logging a contact made outside relance: a letter posted, a text sent, a visit, a legal step."""

from __future__ import annotations

from datetime import datetime

from relance.services.history import record_event
from relance.services.results import ActionResult
from relance.services.validation import Form
from relance.store.database import transaction
from relance.store.lookup import get_client
from relance.store.summary import refresh_client_summary

# E-mails and calls have their own services; these are the other ladder channels.
CHANNELS = ("letter", "sms", "visit", "legal")
_SUMMARIES = {
    "letter": "letter sent",
    "sms": "text message sent",
    "visit": "visit in person",
    "legal": "legal step taken",
}


def log_contact(client_id: int, channel: str, at: datetime, note: str = "") -> ActionResult:
    """Record a letter, text, visit or legal step; it counts as the ladder step of its channel."""
    form = Form()
    picked = form.choice("channel", channel, CHANNELS)
    clean_note = form.text("note", note)
    form.check()
    with transaction():
        client = get_client(client_id)
        summary = _SUMMARIES[picked] + (f" — {clean_note}" if clean_note else "")
        event_id = record_event(client_id, picked, summary, at, channel=picked, body=clean_note)
        refresh_client_summary(client_id)
    return ActionResult(
        client_id, f"{client.name}: {summary}", event_id, {"channel": picked, "note": clean_note}
    )
