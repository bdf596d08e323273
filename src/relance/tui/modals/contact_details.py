"""The contacts screen's forms: add or edit a contact, remove one, set or clear a mark."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static, TextArea

from relance.literal import literal, one_line
from relance.services.contact_details import (
    ContactInput,
    add_contact,
    remove_contact,
    set_contact,
)
from relance.services.contact_marks import BOUNCED, WRONG_NUMBER, clear_mark, mark_contact
from relance.store.contacts import ContactDetails
from relance.tui.modals.base import ActionModal, SaveCall, key_hints
from relance.tui.modals.choice import Choice

LANGUAGE_OPTIONS = [("", "the client's"), ("fr", "French"), ("en", "English")]
BILLING_OPTIONS = [("yes", "yes"), ("no", "no")]
MARK_LABELS = {WRONG_NUMBER: "wrong number", BOUNCED: "bounced address"}


def contact_about(contact: ContactDetails) -> Text:
    """The contact's label, e-mail and phone with their marks, shown literally."""
    text = literal(one_line(contact.label), "bold")
    for value, mark in (
        (contact.email, contact.email_bounced),
        (contact.phone, contact.phone_wrong),
    ):
        if value:
            text.append(" · ")
            text.append_text(literal(one_line(value)))
        if value and mark is not None:
            text.append_text(literal(f" ({one_line(mark)})", "italic"))
    return text


class ContactFormModal(ActionModal):
    """Add a contact, or edit one: name, role, e-mail, phone, address, billing, language."""

    DEFAULT_CSS = """
    ContactFormModal .field-row TextArea {
        height: 3;
    }
    """

    def __init__(
        self, client_id: int, client_name: str, contact: ContactDetails | None = None
    ) -> None:
        """A new contact of this client, or a change to ``contact``."""
        super().__init__(client_id, client_name)
        self.contact = contact

    def action_title(self) -> str:
        """Adding or editing."""
        return "Add a contact" if self.contact is None else "Edit a contact"

    def compose_fields(self) -> ComposeResult:
        """Every field of a contact, filled with what it holds when editing."""
        known = self.contact
        yield from self.field(
            "name",
            "Name",
            Input(known.name if known else "", placeholder="Jeanne Dupont", id="field-name"),
        )
        yield from self.field(
            "role",
            "Role",
            Input(known.role if known else "", placeholder="accounts", id="field-role"),
        )
        yield from self.field(
            "email",
            "E-mail",
            Input(known.email if known else "", placeholder="name@example.fr", id="field-email"),
        )
        yield from self.field(
            "phone",
            "Phone",
            Input(known.phone if known else "", placeholder="+33 4 72 00 00 01", id="field-phone"),
        )
        address = TextArea(known.address if known else "", id="field-address", compact=True)
        yield from self.field("address", "Address", address)
        # A new contact is the billing one only when the client has none (the service decides).
        billing = "yes" if known is not None and known.is_billing else "no"
        yield from self.field(
            "billing", "Billing", Choice(BILLING_OPTIONS, billing, id="field-billing")
        )
        language = known.language if known else ""
        yield from self.field(
            "language", "Language", Choice(LANGUAGE_OPTIONS, language, id="field-language")
        )

    def prepare_save(self) -> SaveCall:
        """The contact as typed, through the same services as ``relance contact add|set``."""
        billing = self.value_of("billing") == "yes"
        typed = ContactInput(
            name=self.value_of("name"),
            role=self.value_of("role"),
            email=self.value_of("email"),
            phone=self.value_of("phone"),
            address=self.value_of("address"),
            # Adding with "no" lets the service make the first contact the billing one.
            billing=billing if self.contact is not None or billing else None,
            language=self.value_of("language"),
        )
        at = self.host.action_time()
        if self.contact is None:
            return partial(add_contact, self.client, typed, at)
        return partial(set_contact, self.client, str(self.contact.contact_id), typed, at)


class RemoveContactModal(ActionModal):
    """Confirm removing a contact; the history keeps what was said about it."""

    ACTION_TITLE = "Remove a contact"

    def __init__(self, client_id: int, client_name: str, contact: ContactDetails) -> None:
        """Remove this contact of this client."""
        super().__init__(client_id, client_name)
        self.contact = contact

    def compose_fields(self) -> ComposeResult:
        """Who is removed."""
        yield Static(contact_about(self.contact), id="remove-about")
        yield Static("", id="error-contact", classes="field-error")

    def hint_line(self) -> Text:
        """ctrl+s confirms."""
        return key_hints(("ctrl+s", "remove"), ("esc", "keep it"))

    def prepare_save(self) -> SaveCall:
        """Remove through the same service as ``relance contact remove``."""
        return partial(
            remove_contact,
            self.client,
            str(self.contact.contact_id),
            self.host.action_time(),
            outbox=self.host.outbox,
        )


class MarkContactModal(ActionModal):
    """Mark a contact's number wrong or its address bounced, with a reason."""

    def __init__(
        self, client_id: int, client_name: str, contact: ContactDetails, mark: str
    ) -> None:
        """Put ``mark`` on this contact."""
        super().__init__(client_id, client_name)
        self.contact = contact
        self.mark = mark

    def action_title(self) -> str:
        """Which mark."""
        return "Mark the number wrong" if self.mark == WRONG_NUMBER else "Mark the address bounced"

    def compose_fields(self) -> ComposeResult:
        """Who is marked, then why."""
        yield Static(contact_about(self.contact), id="mark-about")
        yield Static("", id="error-mark", classes="field-error")
        yield from self.field(
            "reason", "Why", Input(placeholder="someone else answered", id="field-reason")
        )

    def prepare_save(self) -> SaveCall:
        """Mark through the same service as ``relance contact mark``."""
        return partial(
            mark_contact,
            self.client,
            str(self.contact.contact_id),
            self.mark,
            self.host.action_time(),
            self.value_of("reason"),
        )


class ClearMarkModal(ActionModal):
    """Take a mark off a contact, so its number or address is tried again."""

    ACTION_TITLE = "Clear a mark"

    def __init__(self, client_id: int, client_name: str, contact: ContactDetails) -> None:
        """Clear one of this contact's marks."""
        super().__init__(client_id, client_name)
        self.contact = contact

    def marks(self) -> list[tuple[str, str]]:
        """The marks the contact bears, as options."""
        held = []
        if self.contact.phone_wrong is not None:
            held.append((WRONG_NUMBER, f"wrong number: {one_line(self.contact.phone)}"))
        if self.contact.email_bounced is not None:
            held.append((BOUNCED, f"bounced address: {one_line(self.contact.email)}"))
        return held

    def compose_fields(self) -> ComposeResult:
        """Who, then which mark."""
        yield Static(contact_about(self.contact), id="clear-about")
        options = self.marks()
        yield from self.field(
            "mark", "Mark", Choice(options, options[0][0], vertical=True, id="field-mark")
        )

    def hint_line(self) -> Text:
        """ctrl+s clears the mark."""
        return key_hints(("ctrl+s", "clear the mark"), ("esc", "cancel"))

    def prepare_save(self) -> SaveCall:
        """Clear through the same service as ``relance contact clear-mark``."""
        return partial(
            clear_mark,
            self.client,
            str(self.contact.contact_id),
            self.value_of("mark"),
            self.host.action_time(),
        )
