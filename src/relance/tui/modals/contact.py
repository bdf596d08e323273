"""Logging a contact made outside relance — a letter, a text, a visit, a legal step — or a
promise the client made by e-mail or in person."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from relance.services.contacts import log_contact
from relance.tui.modals.base import ActionModal, SaveCall
from relance.tui.modals.choice import Choice

CHANNEL_LABELS = {
    "visit": "visit in person",
    "letter": "letter sent",
    "sms": "text message sent",
    "legal": "legal step taken",
    "email": "e-mail from the client (with a promise)",
}
DEFAULT_CHANNEL = "visit"


class ContactModal(ActionModal):
    """The contact form: how, an optional promise (amount, date, who), a note."""

    ACTION_TITLE = "Log a contact"

    DEFAULT_CSS = """
    ContactModal .field-row TextArea {
        height: 4;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A contact with this client."""
        super().__init__(client_id, client_name)

    def compose_fields(self) -> ComposeResult:
        """Channel, then the promise if there was one, who made it, and a note."""
        yield from self.field(
            "channel",
            "How",
            Choice(
                list(CHANNEL_LABELS.items()), DEFAULT_CHANNEL, vertical=True, id="field-channel"
            ),
        )
        yield from self.field(
            "amount",
            "Promised",
            Input(placeholder="1250.00 (none: leave empty)", id="field-amount", compact=True),
        )
        yield from self.field(
            "on",
            "Pay by",
            Input(id="field-on", classes="-short", compact=True),
            hint="YYYY-MM-DD, +7, today",
        )
        yield from self.field(
            "who",
            "Who",
            Input(placeholder="who promised", id="field-who", compact=True),
        )
        yield from self.field(
            "note", "Note", TextArea(id="field-note", compact=True, soft_wrap=True)
        )

    def prepare_save(self) -> SaveCall:
        """The contact as typed."""
        return partial(
            log_contact,
            self.client,
            self.value_of("channel"),
            self.host.action_time(),
            self.value_of("note"),
            promised_amount=self.value_of("amount"),
            promised_on=self.value_of("on"),
            who=self.value_of("who"),
        )
