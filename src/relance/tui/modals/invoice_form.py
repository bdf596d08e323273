"""Adding an invoice to a client: number, amount, currency, issue and due dates."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from relance.domain.dates import DateError, parse_date
from relance.services.invoices import add_invoice
from relance.tui.modals.base import ActionModal, SaveCall

DEFAULT_TERMS_DAYS = 30
DATE_HINT = "YYYY-MM-DD, today, +30"


class AddInvoiceModal(ActionModal):
    """The new-invoice form; the number must be new in the book."""

    ACTION_TITLE = "Add an invoice"

    def __init__(self, client_id: int, client_name: str) -> None:
        """An invoice issued to this client."""
        super().__init__(client_id, client_name)
        self.due_typed = False
        # Every due date this form filled in itself, so their change events are not "typed".
        self.due_filled_in: set[str] = set()

    def compose_fields(self) -> ComposeResult:
        """Number, amount and currency, then the dates."""
        today = self.host.today
        yield from self.field(
            "number",
            "Number",
            Input(placeholder="F-2026-042", id="field-number", compact=True),
        )
        yield from self.field(
            "amount",
            "Amount",
            Input(placeholder="1250.00 incl. tax", id="field-amount", compact=True),
        )
        yield from self.field(
            "currency",
            "Currency",
            Input(placeholder="EUR", id="field-currency", classes="-short", compact=True),
            hint="blank: the client's currency",
        )
        yield from self.field(
            "issued",
            "Issued",
            Input(today.isoformat(), id="field-issued", classes="-short", compact=True),
            hint=DATE_HINT,
        )
        due = (today + timedelta(days=DEFAULT_TERMS_DAYS)).isoformat()
        self.due_filled_in.add(due)
        yield from self.field(
            "due",
            "Due",
            Input(due, id="field-due", classes="-short", compact=True),
            hint=DATE_HINT,
        )

    @on(Input.Changed, "#field-issued")
    def issued_changed(self, event: Input.Changed) -> None:
        """Until the user types a due date, keep it at the usual terms after the issue date."""
        if self.due_typed:
            return
        try:
            issued = parse_date(event.value, today=self.host.today)
        except DateError:
            return
        due = (issued + timedelta(days=DEFAULT_TERMS_DAYS)).isoformat()
        self.due_filled_in.add(due)
        self.query_one("#field-due", Input).value = due

    @on(Input.Changed, "#field-due")
    def due_changed(self, event: Input.Changed) -> None:
        """A due date typed by the user is theirs to keep."""
        if event.value not in self.due_filled_in:
            self.due_typed = True

    def prepare_save(self) -> SaveCall:
        """The invoice as typed."""
        return partial(
            add_invoice,
            self.client,
            self.value_of("number"),
            self.value_of("amount"),
            self.value_of("issued"),
            self.value_of("due"),
            self.host.action_time(),
            currency=self.value_of("currency"),
        )
