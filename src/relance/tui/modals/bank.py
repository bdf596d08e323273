"""The bank screen's forms: a statement to import, and another client for a waiting line."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from relance.domain.money import format_money
from relance.literal import literal, one_line
from relance.services.bank import (
    ImportReport,
    LineReport,
    accept_line_for_client,
    import_statement_file,
)
from relance.services.results import ActionResult
from relance.store.bank_lines import StoredLine
from relance.tui.modals.base import ActionModal, SaveCall, key_hints


def imported(report: ImportReport) -> ActionResult:
    """An import as the bank screen reports it."""
    return ActionResult(0, report.summary(), None, {"lines": len(report.lines)})


def recorded(report: LineReport) -> ActionResult:
    """A line recorded for a client, as the bank screen reports it."""
    summary = f"bank line {report.line_id}: recorded for {report.client}"
    if report.payment_id is not None:
        summary += f" as payment {report.payment_id}"
    return ActionResult(report.client_id or 0, summary, None, report.as_record())


class BankImportModal(ActionModal):
    """Import a bank statement (camt, MT940, OFX or CSV) by its path; ctrl+s imports."""

    ACTION_TITLE = "Import a bank statement"

    DEFAULT_CSS = """
    BankImportModal .field-label {
        width: 9;
    }
    BankImportModal .field-error {
        padding-left: 9;
    }
    """

    def compose_fields(self) -> ComposeResult:
        """The statement's path, and a mapping file for a CSV with unusual column titles."""
        yield from self.file_fields("~/releve.csv, a camt.053, MT940 or OFX file")

    def hint_line(self) -> Text:
        """Ctrl+s imports."""
        return key_hints(("ctrl+s", "import"), ("esc", "cancel"))

    def prepare_save(self) -> SaveCall:
        """The import of the file typed, with the configured tolerance."""
        call = partial(
            import_statement_file,
            self.value_of("path"),
            self.value_of("mapping"),
            self.host.action_time(),
            tolerance=self.host.config.bank.tolerance,
        )
        return lambda: imported(call())


def proposals_text(stored: StoredLine) -> Text:
    """The clients proposed for a line, each with its score, invoices and reasons."""
    text = Text()
    if not stored.proposals:
        text.append("No client was proposed: type the one who paid.", style="italic")
        return text
    for rank, proposal in enumerate(stored.proposals, start=1):
        if rank > 1:
            text.append("\n")
        text.append(f"{rank}. ", style="bold")
        text.append_text(literal(one_line(proposal.client)))
        text.append(f" (score {proposal.score})")
        if proposal.invoice_numbers:
            text.append(" invoices ")
            text.append_text(literal(one_line(", ".join(proposal.invoice_numbers))))
        for reason in proposal.reasons:
            text.append("\n   - ")
            text.append_text(literal(one_line(reason)))
    return text


class BankPickModal(ActionModal):
    """Record a waiting line for a client picked by hand, on the invoices typed (or oldest)."""

    ACTION_TITLE = "Record a bank line for a client"

    DEFAULT_CSS = """
    BankPickModal #dialog {
        width: 90;
    }
    BankPickModal #pick-proposals {
        height: auto;
        max-height: 12;
        margin-top: 1;
        padding: 0 1;
        border-top: solid $panel-lighten-2;
        color: $text-muted;
    }
    """

    def __init__(self, stored: StoredLine) -> None:
        """A form for one waiting line, opening on the proposal after the best, if any."""
        super().__init__()
        self.stored = stored

    def title_text(self) -> Text:
        """The line's number and amount."""
        line = self.stored.line
        amount = format_money(line.amount_minor, line.currency)
        return Text(f"Record bank line {self.stored.line_id} ({amount}) for a client")

    def compose_fields(self) -> ComposeResult:
        """The client by name or id, and the invoices the payment settles."""
        proposals = self.stored.proposals
        suggested = proposals[1] if len(proposals) > 1 else proposals[0] if proposals else None
        yield from self.field(
            "client",
            "Client",
            Input(
                value=suggested.client if suggested is not None else "",
                placeholder="the client's exact name or id",
                id="field-client",
                compact=True,
            ),
        )
        yield from self.field(
            "invoice",
            "Invoices",
            Input(
                value=" ".join(suggested.invoice_numbers) if suggested is not None else "",
                placeholder="optional: invoice numbers, else the oldest first",
                id="field-invoice",
                compact=True,
            ),
        )

    def compose_below_fields(self) -> ComposeResult:
        """The proposals and their reasons, to pick from."""
        yield Static(proposals_text(self.stored), id="pick-proposals")

    def hint_line(self) -> Text:
        """Ctrl+s records the line."""
        return key_hints(("ctrl+s", "record"), ("esc", "cancel"))

    def prepare_save(self) -> SaveCall:
        """The line recorded for the client typed."""
        call = partial(
            accept_line_for_client,
            self.stored.line_id,
            self.host.action_time(),
            self.value_of("client"),
            self.value_of("invoice"),
        )
        return lambda: recorded(call())
