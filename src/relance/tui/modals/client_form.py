"""Adding a client: name, kind, language, the billing contact and the payment terms."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from relance.domain.jurisdictions import default_jurisdiction
from relance.services.clients import add_client
from relance.services.payment_terms import TermsInput
from relance.tui.modals.base import ActionModal, SaveCall
from relance.tui.modals.choice import Choice

KIND_OPTIONS = [("b2b", "business (b2b)"), ("b2c", "individual (b2c)")]
LANGUAGE_OPTIONS = [("fr", "français"), ("en", "English")]
END_OF_MONTH_OPTIONS = [("no", "a plain delay"), ("yes", "then to the end of the month")]


class AddClientModal(ActionModal):
    """The new-client form; only the name is required."""

    ACTION_TITLE = "Add a client"

    DEFAULT_CSS = """
    AddClientModal .field-row TextArea {
        height: 2;
    }
    """

    def __init__(self) -> None:
        """A form for a client not yet in the book."""
        super().__init__(None, "")

    def compose_fields(self) -> ComposeResult:
        """Name, kind, language, the contact's details, then the payment terms."""
        yield from self.field(
            "name",
            "Name",
            Input(placeholder="company or person", id="field-name", compact=True),
        )
        yield from self.field("kind", "Kind", Choice(KIND_OPTIONS, "b2b", id="field-kind"))
        yield from self.field(
            "language",
            "Language",
            Choice(LANGUAGE_OPTIONS, "fr", id="field-language"),
        )
        yield from self.field(
            "contact",
            "Contact",
            Input(placeholder="person to ask for", id="field-contact", compact=True),
        )
        yield from self.field(
            "email",
            "E-mail",
            Input(placeholder="billing address", id="field-email", compact=True),
        )
        yield from self.field("phone", "Phone", Input(id="field-phone", compact=True))
        yield from self.field(
            "address",
            "Address",
            TextArea(id="field-address", compact=True, soft_wrap=True),
        )
        yield from self.field(
            "delay",
            "Pays in",
            Input(placeholder="days after issue (30 if empty)", id="field-delay", compact=True),
        )
        yield from self.field(
            "end_of_month",
            "End of month",
            Choice(END_OF_MONTH_OPTIONS, "no", id="field-end_of_month"),
        )
        yield from self.field(
            "methods",
            "Pays by",
            Input(placeholder="transfer, card, cheque…", id="field-methods", compact=True),
        )

    def prepare_save(self) -> SaveCall:
        """The client as typed, under the jurisdiction the config sets for new clients."""
        kind = self.value_of("kind")
        return partial(
            add_client,
            self.value_of("name"),
            self.host.action_time(),
            email=self.value_of("email"),
            phone=self.value_of("phone"),
            kind=kind,
            language=self.value_of("language"),
            contact_name=self.value_of("contact"),
            address=self.value_of("address"),
            jurisdiction_code=default_jurisdiction(kind, self.host.config.law.default_jurisdiction),
            terms=TermsInput(
                delay=self.value_of("delay"),
                # "no" is the schema's default: only a "yes" is a term agreed.
                end_of_month=True if self.value_of("end_of_month") == "yes" else None,
                methods=self.value_of("methods"),
            ),
        )
