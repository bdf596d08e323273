"""The outbox screen: every message queued, failed, refused or sent, and what to do with each."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from relance.delivery.outbox import OutboxEntry
from relance.literal import literal, one_line
from relance.services.outbox import WAITING, Delivery, OutboxView, outbox_view, retry_outbox
from relance.services.results import ActionResult
from relance.tui.db_thread import in_db_thread
from relance.tui.look import clip

if TYPE_CHECKING:
    from relance.tui.app import RelanceApp

EMPTY = "The outbox is empty: no reminder waits to be sent and none was sent from this book."
# Widths of the columns but the subject: state, date, client, tries, and a cell of padding each.
STATE_WIDTH, DATE_WIDTH, CLIENT_WIDTH, TRIES_WIDTH = 7, 10, 16, 5
FIXED_WIDTH = STATE_WIDTH + DATE_WIDTH + CLIENT_WIDTH + TRIES_WIDTH + 5 * 2
MIN_SUBJECT = 12


def when(entry: OutboxEntry) -> str:
    """The day a message went, or else the day it was written."""
    return (entry.sent_at or entry.written_at)[:10]


def sending_line(tried: int, total: int) -> str:
    """The progress of a retry, as the screen shows it."""
    return f"Sending: {tried} of {total} tried…"


def done_line(results: list[Delivery]) -> str:
    """What a retry came to: how many went, and the first reason one did not."""
    if not results:
        return "Nothing was sent: no message waits to be sent again."
    sent = sum(result.status == "sent" for result in results)
    line = f"Done: {sent} of {len(results)} sent"
    missed = [result for result in results if not result.ok]
    if missed:
        line += f"; not sent: {missed[0].reason}"
    return line


class OutboxScreen(Screen[None]):
    """The messages of the outbox, newest last, with keys to send, discard, redirect or read."""

    DEFAULT_CSS = """
    OutboxScreen #outbox-pane {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    OutboxScreen #outbox-table {
        height: 1fr;
    }
    OutboxScreen #outbox-empty {
        padding: 1 2;
        display: none;
    }
    OutboxScreen #outbox-about {
        height: auto;
        max-height: 6;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    OutboxScreen #outbox-progress {
        display: none;
        height: 1;
        padding: 0 1;
        color: $text-warning;
    }
    """

    # Each tooltip is the key's line in the help screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "retry_one",
            "Send again",
            id="outbox_retry",
            tooltip="outbox: send the highlighted message again",
        ),
        Binding(
            "R",
            "retry_all",
            "Send all",
            id="outbox_retry_all",
            tooltip="outbox: send every queued or failed one",
        ),
        Binding(
            "d",
            "discard",
            "Discard",
            id="outbox_discard",
            tooltip="outbox: discard the highlighted message",
        ),
        Binding(
            "t",
            "redirect",
            "Redirect",
            id="outbox_redirect",
            tooltip="outbox: redirect to another address",
        ),
        Binding(
            "enter,v",
            "read",
            "Read",
            priority=True,
            id="outbox_read",
            tooltip="outbox: read the highlighted message",
        ),
        Binding(
            "escape,q",
            "close",
            "Back",
            id="outbox_close",
            tooltip="outbox: back to the client list",
        ),
    ]
    AUTO_FOCUS = "#outbox-table"

    def __init__(self) -> None:
        super().__init__()
        self.view: OutboxView | None = None
        self.sending = False

    @property
    def relance(self) -> RelanceApp:
        """The app, with the book's outbox and the config."""
        return cast("RelanceApp", self.app)

    def compose(self) -> ComposeResult:
        """The list of messages, the highlighted one's recipients and reason, the progress."""
        with Vertical(id="outbox-pane") as pane:
            pane.border_title = "Outbox"
            yield DataTable(id="outbox-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="outbox-empty")
            yield Static(id="outbox-about")
        yield Static(id="outbox-progress")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Set the columns for the screen's width and read the outbox."""
        table = self.query_one(DataTable)
        subject = max(MIN_SUBJECT, self.app.size.width - FIXED_WIDTH - 4)
        for label, width in (
            ("State", STATE_WIDTH),
            ("Date", DATE_WIDTH),
            ("Client", CLIENT_WIDTH),
            ("Subject", subject),
            ("Tries", TRIES_WIDTH),
        ):
            table.add_column(label, width=width, key=label.lower())
        self.query_one("#outbox-about", Static).update(Text("Reading the outbox…", style="dim"))
        self.reload()

    # ---- reading --------------------------------------------------------------------------

    @work(thread=True, group="outbox-read", exclusive=True, exit_on_error=False)
    def reload(self) -> None:
        """Worker: read every message of the outbox and the waiting clients' addresses."""
        view = in_db_thread(outbox_view, self.relance.outbox)
        self.app.call_from_thread(self._show, view)

    def _show(self, view: OutboxView) -> None:
        """Fill the table, keeping the cursor on the message it was on."""
        if not self.is_attached:
            # Closed while the read was on its way.
            return
        table = self.query_one(DataTable)
        current = self.current
        self.view = view
        table.clear()
        subject_width = table.columns[ColumnKey("subject")].width
        for entry in view.entries:
            table.add_row(
                Text(entry.state, style="bold" if entry.state in WAITING else "dim"),
                when(entry),
                literal(clip(one_line(entry.client), CLIENT_WIDTH)),
                literal(clip(one_line(entry.subject), subject_width)),
                str(entry.attempts),
                key=entry.name,
            )
        empty = not view.entries
        table.display = not empty
        empty_line = self.query_one("#outbox-empty", Static)
        empty_line.display = empty
        empty_line.update(Text(EMPTY))
        waiting = sum(entry.state in WAITING for entry in view.entries)
        sent = sum(entry.state == "sent" for entry in view.entries)
        pane = self.query_one("#outbox-pane")
        pane.border_title = f"Outbox · {waiting} waiting · {sent} sent"
        names = [entry.name for entry in view.entries]
        if current is not None and current.name in names:
            table.move_cursor(row=names.index(current.name))
        self._show_about()

    @property
    def current(self) -> OutboxEntry | None:
        """The highlighted message, if any."""
        if self.view is None or not self.view.entries:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.view.entries[row] if 0 <= row < len(self.view.entries) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        """Show the recipients and the reason of the message under the cursor."""
        self._show_about()

    def _show_about(self) -> None:
        """The highlighted message's recipients, client, dates and reason, shown literally."""
        about = self.query_one("#outbox-about", Static)
        entry = self.current
        if entry is None:
            about.update("")
            return
        text = Text()
        text.append("To ", style="bold")
        text.append_text(literal(one_line(", ".join(entry.recipients) or "—")))
        text.append("  Client ", style="bold")
        text.append_text(literal(one_line(entry.client)))
        text.append("\nSubject ", style="bold")
        text.append_text(literal(one_line(entry.subject)))
        text.append("\nWritten ", style="bold")
        text.append(entry.written_at.replace("T", " ")[:16])
        if entry.last_attempt:
            text.append("  Last try ", style="bold")
            text.append(entry.last_attempt.replace("T", " ")[:16])
        if entry.sent_at:
            text.append("  Sent ", style="bold")
            text.append(entry.sent_at.replace("T", " ")[:16])
        if entry.reason:
            text.append("\nReason ", style="bold")
            text.append_text(literal(one_line(entry.reason)))
        about.update(text)

    # ---- keys -----------------------------------------------------------------------------

    def _waiting(self, doing: str) -> OutboxEntry | None:
        """The highlighted message if it can be acted on now; otherwise say why not."""
        entry = self.current
        if self.sending:
            self.notify("The outbox is sending: wait until it is done.", markup=False)
            return None
        if entry is None:
            self.notify("The outbox is empty.", markup=False)
            return None
        if entry.state not in WAITING:
            self.notify(f"Only a waiting message can be {doing}.", markup=False)
            return None
        return entry

    def action_retry_one(self) -> None:
        """Send the highlighted message again, a refused one too."""
        entry = self._waiting("sent again")
        if entry is not None:
            self._start_sending((entry.name,), 1)

    def action_retry_all(self) -> None:
        """Send every queued or failed message again (refused ones wait for `r`)."""
        if self.sending:
            self.notify("The outbox is sending: wait until it is done.", markup=False)
            return
        entries = self.view.entries if self.view is not None else []
        todo = [entry for entry in entries if entry.state in ("queued", "failed")]
        if not todo:
            refused = any(entry.state == "refused" for entry in entries)
            hint = " (a refused one is sent again with r)" if refused else ""
            self.notify(f"No queued or failed message to send{hint}.", markup=False)
            return
        self._start_sending(None, len(todo))

    def _start_sending(self, names: tuple[str, ...] | None, total: int) -> None:
        """Say that the send has started, then send from a worker."""
        self.sending = True
        progress = self.query_one("#outbox-progress", Static)
        progress.display = True
        progress.update(sending_line(0, total))
        self._send(names)

    @work(thread=True, group="outbox-send", exit_on_error=False)
    def _send(self, names: tuple[str, ...] | None) -> None:
        """Worker: one delivery attempt for each message, telling the progress after each."""
        app = self.relance

        def progress(tried: int, total: int) -> None:
            app.call_from_thread(self._progress, tried, total)

        try:
            results = in_db_thread(
                retry_outbox,
                app.outbox,
                app.config,
                app.action_time(),
                names=names,
                progress=progress,
            )
        except Exception as error:
            # A busy outbox or book: said on the screen, and the messages stay where they were.
            app.call_from_thread(self._send_failed, str(error))
            return
        app.call_from_thread(self._sent, results)

    def _progress(self, tried: int, total: int) -> None:
        """Show how far the send has come."""
        if not self.is_attached:
            return
        self.query_one("#outbox-progress", Static).update(sending_line(tried, total))

    def _sent(self, results: list[Delivery]) -> None:
        """Say how the send went and read the outbox again."""
        self.sending = False
        if not self.is_attached:
            # Closed while sending: the list's watch of the book picks up the delivery news.
            return
        failed = any(not result.ok for result in results)
        self.query_one("#outbox-progress", Static).update(literal(done_line(results)))
        self.notify(
            done_line(results), severity="warning" if failed else "information", markup=False
        )
        self.reload()

    def _send_failed(self, message: str) -> None:
        """Say why nothing could be sent."""
        self.sending = False
        if not self.is_attached:
            self.app.notify(f"Not sent: {message}", severity="error", markup=False)
            return
        self.query_one("#outbox-progress", Static).update(literal(f"Not sent: {message}"))
        self.notify(f"Not sent: {message}", severity="error", markup=False)
        self.reload()

    def action_discard(self) -> None:
        """Ask, then take the highlighted message out of the outbox for good."""
        from relance.tui.modals.outbox import DiscardMessageModal

        entry = self._waiting("discarded")
        if entry is not None:
            self.app.push_screen(DiscardMessageModal(entry, self.relance.outbox), self._acted)

    def action_redirect(self) -> None:
        """Send the highlighted message to another address, offering the client's others."""
        from relance.tui.modals.outbox import RedirectMessageModal

        entry = self._waiting("redirected")
        if entry is None or self.view is None:
            return
        others = self.view.other_addresses(entry)
        self.app.push_screen(RedirectMessageModal(entry, self.relance.outbox, others), self._acted)

    def _acted(self, result: ActionResult | None) -> None:
        """Tell what a form did and read the outbox again."""
        if result is None:
            return
        self.notify(result.summary, markup=False)
        self.reload()

    def action_read(self) -> None:
        """Show the highlighted message in full."""
        from relance.tui.modals.outbox import MessageModal

        entry = self.current
        if entry is not None:
            self.app.push_screen(MessageModal(entry, self.relance.outbox))

    def action_close(self) -> None:
        """Back to the client list, which reads the book again."""
        self.dismiss(None)
