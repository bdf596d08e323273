"""Recording a payment received: amount, date, method, reference, invoice it pays."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from relance.services.payments import record_payment
from relance.tui.modals.base import ActionModal, SaveCall

DATE_HINT = "YYYY-MM-DD, today, -3"


class PaymentModal(ActionModal):
    """The payment form; the money goes to the chosen invoice first, then the oldest."""

    ACTION_TITLE = "Record a payment"

    def __init__(self, client_id: int, client_name: str) -> None:
        """A payment from this client."""
        super().__init__(client_id, client_name)

    def compose_fields(self) -> ComposeResult:
        """Amount, date received, method, reference and invoice number."""
        yield from self.field(
            "amount",
            "Amount",
            Input(placeholder="1250.00", id="field-amount", compact=True),
        )
        yield from self.field(
            "on",
            "Received on",
            Input(self.host.today.isoformat(), id="field-on", classes="-short", compact=True),
            hint=DATE_HINT,
        )
        yield from self.field(
            "method",
            "Method",
            Input(placeholder="transfer, cheque, card…", id="field-method", compact=True),
        )
        yield from self.field(
            "reference",
            "Reference",
            Input(placeholder="bank reference", id="field-reference", compact=True),
        )
        yield from self.field(
            "invoice",
            "Invoice",
            Input(placeholder="number (blank: oldest first)", id="field-invoice", compact=True),
        )

    def prepare_save(self) -> SaveCall:
        """The payment as typed."""
        return partial(
            record_payment,
            self.client,
            self.value_of("amount"),
            self.host.action_time(),
            received_on=self.value_of("on"),
            method=self.value_of("method"),
            reference=self.value_of("reference"),
            invoice_number=self.value_of("invoice"),
        )
