"""The bank screen (`B`): import a statement, then review the lines that wait, one key each."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from relance.domain.money import format_money
from relance.literal import literal, one_line
from relance.services.bank import LineReport, accept_line, set_aside_line, waiting_lines
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.store.bank_lines import StoredLine
from relance.store.errors import StoreError
from relance.tui.db_thread import in_db_thread
from relance.tui.look import clip

if TYPE_CHECKING:
    from relance.tui.app import RelanceApp

EMPTY = "No bank line waits for review. Press i to import a statement (camt, MT940, OFX, CSV)."
# Widths of the columns but the best proposal: line, booked, amount, payer; padding each.
LINE_WIDTH, DATE_WIDTH, AMOUNT_WIDTH, PAYER_WIDTH = 4, 10, 11, 14
FIXED_WIDTH = LINE_WIDTH + DATE_WIDTH + AMOUNT_WIDTH + PAYER_WIDTH + 5 * 2
MIN_PROPOSAL = 12
ReviewCall = Callable[[], LineReport]


def best_text(stored: StoredLine) -> str:
    """The best proposal in a few words, or that there is none."""
    best = stored.best
    if best is None:
        return "none: pick one (p)"
    text = best.client
    if best.invoice_numbers:
        text += f" · {', '.join(best.invoice_numbers)}"
    if len(stored.proposals) > 1:
        text += f" (+{len(stored.proposals) - 1} other)"
    return text


def line_about(stored: StoredLine) -> Text:
    """A waiting line in full: payer, references, text, why it waits, every proposal's reasons."""
    line = stored.line
    text = Text()
    text.append(f"Line {stored.line_id} ", style="bold")
    text.append(f"{line.booked_on.isoformat()}  {format_money(line.amount_minor, line.currency)}")
    text.append("  from ")
    text.append_text(
        literal(one_line(" ".join(p for p in (line.debtor_name, line.debtor_iban) if p) or "—"))
    )
    text.append("  in ")
    text.append_text(literal(one_line(stored.statement)))
    if line.remittance:
        text.append("\nText ", style="bold")
        text.append_text(literal(one_line(line.remittance)))
    references = [
        ref for ref in (line.creditor_reference, line.bank_reference, line.end_to_end_id) if ref
    ]
    if references:
        text.append("\nRef ", style="bold")
        text.append_text(literal(one_line(" · ".join(references))))
    for note in stored.notes:
        text.append("\nWaits: ", style="bold")
        text.append_text(literal(one_line(note)))
    if not stored.proposals:
        text.append("\nNo client proposed: p picks the one who paid, x sets it aside.")
    for rank, proposal in enumerate(stored.proposals, start=1):
        text.append(f"\n{rank}. ", style="bold")
        text.append_text(literal(one_line(proposal.client)))
        text.append(f" (score {proposal.score})")
        if proposal.invoice_numbers:
            text.append(" invoices ")
            text.append_text(literal(one_line(", ".join(proposal.invoice_numbers))))
        if proposal.write_off:
            text.append(f", {format_money(proposal.write_off, line.currency)} written off")
        for reason in proposal.reasons:
            text.append("\n   - ")
            text.append_text(literal(one_line(reason)))
    return text


def review_in_thread(call: ReviewCall) -> tuple[LineReport | None, str]:
    """Run an accept or a set-aside in a worker thread: its report, or why it was refused."""
    try:
        return in_db_thread(call), ""
    except InvalidInput as refusal:
        return None, "; ".join(refusal.errors.values())
    except StoreError as error:
        return None, str(error)


class BankScreen(Screen[None]):
    """The bank lines waiting for review, oldest first, with the reasons of each proposal."""

    DEFAULT_CSS = """
    BankScreen #bank-pane {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    BankScreen #bank-table {
        height: 1fr;
    }
    BankScreen #bank-empty {
        padding: 1 2;
        display: none;
    }
    BankScreen #bank-about-frame {
        height: auto;
        max-height: 10;
        padding: 0 1;
        border-top: solid $primary 50%;
        scrollbar-size-vertical: 1;
    }
    BankScreen #bank-status {
        height: 1;
        padding: 0 1;
        color: $text-warning;
    }
    """

    # Each tooltip is the key's line in the help screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i",
            "import_statement",
            "Import",
            id="bank_import",
            tooltip="bank: import a statement (camt, MT940, OFX, CSV)",
        ),
        Binding(
            "a",
            "accept",
            "Accept",
            id="bank_accept",
            tooltip="bank: record the highlighted line as its best proposal says",
        ),
        Binding(
            "p",
            "pick",
            "Pick client",
            id="bank_pick",
            tooltip="bank: record the highlighted line for another client or invoices",
        ),
        Binding(
            "x",
            "set_aside",
            "Set aside",
            id="bank_set_aside",
            tooltip="bank: set the highlighted line aside, not a client payment",
        ),
        Binding(
            "escape,q",
            "close",
            "Back",
            id="bank_close",
            tooltip="bank: back to the client list",
        ),
    ]
    AUTO_FOCUS = "#bank-table"

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[StoredLine] | None = None
        self.busy = False

    @property
    def relance(self) -> RelanceApp:
        """The app, with the config and the session's clock."""
        return cast("RelanceApp", self.app)

    def compose(self) -> ComposeResult:
        """The waiting lines, the highlighted one in full, and what the last key did."""
        with Vertical(id="bank-pane") as pane:
            pane.border_title = "Bank lines to review"
            yield DataTable(id="bank-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="bank-empty")
            with VerticalScroll(id="bank-about-frame") as frame:
                # The keys belong to the list: the frame scrolls with the mouse only.
                frame.can_focus = False
                yield Static(id="bank-about")
        yield Static(id="bank-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Set the columns for the screen's width and read the waiting lines."""
        table = self.query_one(DataTable)
        proposal = max(MIN_PROPOSAL, self.app.size.width - FIXED_WIDTH - 4)
        for label, width, key in (
            ("Line", LINE_WIDTH, "line"),
            ("Booked", DATE_WIDTH, "booked"),
            ("Amount", AMOUNT_WIDTH, "amount"),
            ("From", PAYER_WIDTH, "payer"),
            ("Best proposal", proposal, "proposal"),
        ):
            table.add_column(label, width=width, key=key)
        self.query_one("#bank-about", Static).update(Text("Reading the bank lines…", style="dim"))
        self.reload()

    # ---- reading --------------------------------------------------------------------------

    @work(thread=True, group="bank-read", exclusive=True, exit_on_error=False)
    def reload(self) -> None:
        """Worker: read the lines waiting for review."""
        lines = in_db_thread(waiting_lines)
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[StoredLine]) -> None:
        """Fill the table, keeping the cursor near where it was."""
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        row = table.cursor_row
        self.lines = lines
        table.clear()
        proposal_width = table.columns[ColumnKey("proposal")].width
        for stored in lines:
            line = stored.line
            payer = line.debtor_name or line.remittance
            table.add_row(
                str(stored.line_id),
                line.booked_on.isoformat(),
                Text(format_money(line.amount_minor, line.currency), justify="right"),
                literal(clip(one_line(payer), PAYER_WIDTH)),
                literal(clip(one_line(best_text(stored)), proposal_width)),
                key=str(stored.line_id),
            )
        empty = not lines
        table.display = not empty
        empty_line = self.query_one("#bank-empty", Static)
        empty_line.display = empty
        empty_line.update(Text(EMPTY))
        pane = self.query_one("#bank-pane")
        pane.border_title = f"Bank lines to review · {len(lines)} waiting"
        if lines:
            table.move_cursor(row=min(max(row, 0), len(lines) - 1))
            # The table was hidden while empty and could not keep the focus then.
            table.focus()
        self._show_about()

    @property
    def current(self) -> StoredLine | None:
        """The highlighted line, if any."""
        if not self.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        """Show the line under the cursor in full."""
        self._show_about()

    def _show_about(self) -> None:
        """The highlighted line's payer, text, notes and proposals, shown literally."""
        about = self.query_one("#bank-about", Static)
        stored = self.current
        about.update(line_about(stored) if stored is not None else "")

    # ---- keys -----------------------------------------------------------------------------

    def _reviewable(self) -> StoredLine | None:
        """The highlighted line if a key may act on it now; otherwise say why not."""
        if self.busy:
            self.notify("The bank screen is saving: wait until it is done.", markup=False)
            return None
        stored = self.current
        if stored is None:
            self.notify("No bank line waits for review.", markup=False)
        return stored

    def action_import_statement(self) -> None:
        """Ask for a statement's path and import it; the list is read again after."""
        from relance.tui.modals.bank import BankImportModal

        if self.busy:
            self.notify("The bank screen is saving: wait until it is done.", markup=False)
            return
        self.app.push_screen(BankImportModal(), self._acted)

    def action_accept(self) -> None:
        """Record the highlighted line as its best proposal says."""
        stored = self._reviewable()
        if stored is None:
            return
        if stored.best is None:
            self.notify("This line has no proposal: p picks the client.", markup=False)
            return
        self._review(
            partial(accept_line, stored.line_id, self.relance.action_time()),
            f"recording bank line {stored.line_id}…",
        )

    def action_pick(self) -> None:
        """Record the highlighted line for a client (and invoices) picked by hand."""
        from relance.tui.modals.bank import BankPickModal

        stored = self._reviewable()
        if stored is not None:
            self.app.push_screen(BankPickModal(stored), self._acted)

    def action_set_aside(self) -> None:
        """Set the highlighted line aside: it is no client payment."""
        stored = self._reviewable()
        if stored is None:
            return
        self._review(
            partial(set_aside_line, stored.line_id, self.relance.action_time()),
            f"setting bank line {stored.line_id} aside…",
        )

    def _review(self, call: ReviewCall, doing: str) -> None:
        """Say what is being done, then do it in a worker."""
        self.busy = True
        self.query_one("#bank-status", Static).update(Text(doing))
        self._run_review(call)

    @work(thread=True, group="bank-review", exit_on_error=False)
    def _run_review(self, call: ReviewCall) -> None:
        """Worker: the accept or set-aside, then its outcome back on the UI thread."""
        report, refusal = review_in_thread(call)
        self.app.call_from_thread(self._reviewed, report, refusal)

    def _reviewed(self, report: LineReport | None, refusal: str) -> None:
        """Say what the key did (or why not) and read the lines again."""
        self.busy = False
        if not self.is_attached:
            return
        if report is None:
            said = f"Not done: {refusal}"
            self.notify(said, severity="error", markup=False)
        elif report.client:
            said = f"bank line {report.line_id}: recorded for {report.client}"
            self.notify(said, markup=False)
        else:
            said = f"bank line {report.line_id}: set aside, not a client payment"
            self.notify(said, markup=False)
        self.query_one("#bank-status", Static).update(literal(one_line(said)))
        self.reload()

    def _acted(self, result: ActionResult | None) -> None:
        """Tell what a form did and read the lines again."""
        if result is None:
            return
        self.query_one("#bank-status", Static).update(literal(one_line(result.summary)))
        self.notify(result.summary, markup=False)
        self.reload()

    def action_close(self) -> None:
        """Back to the client list, which reads the book again."""
        self.dismiss(None)
