"""Recording a payment received (amount, date, method, reference, invoices picked by hand),
and reversing one that bounced."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from relance.domain.money import format_money
from relance.literal import one_line
from relance.services.payments import record_payment, reverse_payment
from relance.store.ledger import (
    OpenInvoice,
    ReversiblePayment,
    open_invoices,
    reversible_payments,
)
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, SaveCall

DATE_HINT = "YYYY-MM-DD, today, -3"
LOAD_GROUP = "load"


def invoice_label(invoice: OpenInvoice) -> Text:
    """One line of the checklist: number, due date, what is still owed."""
    label = Text(one_line(invoice.number))
    label.append(f"  due {invoice.due_on.isoformat()}  ", style="dim")
    label.append(format_money(invoice.outstanding, invoice.currency))
    return label


def payment_label(payment: ReversiblePayment) -> Text:
    """One line of the reversal list: id, date, amount, method and reference."""
    label = Text(f"#{payment.payment_id}  {payment.received_on.isoformat()}  ")
    label.append(format_money(payment.amount, payment.currency), style="bold")
    for word in (payment.method, payment.reference):
        if word:
            label.append(f"  {one_line(word)}", style="dim")
    return label


class PaymentModal(ActionModal):
    """The payment form; the money goes to a running plan, the invoices ticked, then the oldest."""

    ACTION_TITLE = "Record a payment"

    DEFAULT_CSS = """
    PaymentModal #field-invoices {
        height: auto;
        max-height: 6;
        width: 1fr;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A payment from this client."""
        super().__init__(client_id, client_name)

    def compose_fields(self) -> ComposeResult:
        """Amount, date received, method, reference and the open invoices to tick."""
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
            "Invoices",
            SelectionList[str](id="field-invoices", compact=True),
            hint="space ticks; none: oldest first",
        )

    def on_mount(self) -> None:
        """Focus the amount and load the open invoices for the checklist."""
        super().on_mount()
        load = partial(in_db_thread, open_invoices, self.client)
        self.run_worker(load, thread=True, group=LOAD_GROUP)

    @on(Worker.StateChanged)
    def invoices_loaded(self, event: Worker.StateChanged) -> None:
        """Fill the checklist once the open invoices are read."""
        if event.worker.group != LOAD_GROUP or event.state is not WorkerState.SUCCESS:
            return
        invoices = event.worker.result
        assert isinstance(invoices, list)
        checklist = self.query_one("#field-invoices", SelectionList)
        checklist.add_options(
            [Selection(invoice_label(invoice), invoice.number) for invoice in invoices]
        )

    def picked_invoices(self) -> list[str]:
        """The invoice numbers ticked, in the order of the list (oldest due first)."""
        checklist = self.query_one("#field-invoices", SelectionList)
        chosen = set(checklist.selected)
        return [
            str(checklist.get_option_at_index(index).value)
            for index in range(checklist.option_count)
            if checklist.get_option_at_index(index).value in chosen
        ]

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
            invoice_numbers=self.picked_invoices(),
        )


class ReversePaymentModal(ActionModal):
    """Pick a payment that bounced, say why; its shares are undone and the client judged again."""

    ACTION_TITLE = "Reverse a payment"

    DEFAULT_CSS = """
    ReversePaymentModal #field-payment {
        height: auto;
        max-height: 8;
        width: 1fr;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A reversal of one of this client's payments."""
        super().__init__(client_id, client_name)
        self.loaded = False

    def compose_fields(self) -> ComposeResult:
        """The payments not yet reversed, and the reason."""
        yield from self.field(
            "payment",
            "Payment",
            SelectionList[int](id="field-payment", compact=True),
            hint="space picks one",
        )
        yield from self.field(
            "reason",
            "Reason",
            Input(placeholder="bounced transfer…", id="field-reason", compact=True),
        )

    def compose_below_fields(self) -> ComposeResult:
        """A line for when there is nothing to reverse."""
        yield Static("", id="payments-note")

    def on_mount(self) -> None:
        """Focus the list and load the payments."""
        super().on_mount()
        load = partial(in_db_thread, reversible_payments, self.client)
        self.run_worker(load, thread=True, group=LOAD_GROUP)

    @on(Worker.StateChanged)
    def payments_loaded(self, event: Worker.StateChanged) -> None:
        """Fill the list once the payments are read; the newest is picked to start with."""
        if event.worker.group != LOAD_GROUP or event.state is not WorkerState.SUCCESS:
            return
        payments = event.worker.result
        assert isinstance(payments, list)
        listing = self.query_one("#field-payment", SelectionList)
        listing.add_options(
            [
                Selection(payment_label(payment), payment.payment_id, index == 0)
                for index, payment in enumerate(payments)
            ]
        )
        if not payments:
            self.query_one("#payments-note", Static).update(Text("No payment to reverse."))
        self.loaded = True

    @on(SelectionList.SelectionToggled, "#field-payment")
    def one_at_a_time(self, event: SelectionList.SelectionToggled) -> None:
        """Picking a payment unpicks the others: one reversal at a time."""
        listing = self.query_one("#field-payment", SelectionList)
        picked = event.selection.value
        if picked in listing.selected:
            for value in list(listing.selected):
                if value != picked:
                    listing.deselect(value)

    def ready_to_save(self) -> bool:
        """Save only once the payments are listed."""
        return self.loaded

    def prepare_save(self) -> SaveCall:
        """The payment picked (none: refused by the service) and the reason."""
        listing = self.query_one("#field-payment", SelectionList)
        picked = listing.selected
        return partial(
            reverse_payment,
            self.client,
            str(picked[0]) if picked else "",
            self.host.action_time(),
            reason=self.value_of("reason"),
        )
