"""The outbox screen's forms: discard a waiting message, redirect it, read it in full."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from relance.config import Config
from relance.delivery.outbox import OutboxEntry
from relance.literal import literal, one_line
from relance.services.outbox import discard_message, message_text, redirect_message
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.tui.modals.base import ActionModal, SaveCall, key_hints


def _about(entry: OutboxEntry) -> Text:
    """The message's subject, recipients and the server's last reason, shown literally."""
    text = Text()
    text.append("Subject ", style="bold")
    text.append_text(literal(one_line(entry.subject)))
    text.append("\nTo      ", style="bold")
    text.append_text(literal(one_line(", ".join(entry.recipients))))
    if entry.reason:
        text.append("\nReason  ", style="bold")
        text.append_text(literal(one_line(entry.reason)))
    return text


class DiscardMessageModal(ActionModal):
    """Confirm taking a waiting message out of the outbox: it will never go."""

    ACTION_TITLE = "Discard the message"

    def __init__(self, entry: OutboxEntry, root: Path) -> None:
        """Discard this message of this outbox."""
        super().__init__(entry.client_id, entry.client)
        self.entry = entry
        self.root = root

    def compose_fields(self) -> ComposeResult:
        """What is discarded, and what that means."""
        yield Static(_about(self.entry), id="discard-about")
        yield Static(
            Text("It is removed from the outbox for good; the history says so."),
            id="discard-effect",
        )
        yield Static("", id="error-message", classes="field-error")

    def hint_line(self) -> Text:
        """ctrl+s confirms."""
        return key_hints(("ctrl+s", "discard"), ("esc", "keep it"))

    def prepare_save(self) -> SaveCall:
        """Discard through the same service as ``relance outbox discard``."""
        return partial(discard_message, self.root, self.entry.name, self.host.action_time())


def redirect_and_send(
    root: Path, name: str, address: str, config: Config, at: datetime
) -> ActionResult:
    """Redirect a message and try it at once; the result says whether it went and why not."""
    result, delivery = redirect_message(root, name, address, config, at)
    if delivery.status == "sent":
        outcome = "sent"
    elif delivery.status == "waiting":
        outcome = "queued (no [smtp] configured)"
    else:
        outcome = f"not sent: {delivery.reason}"
    return ActionResult(
        result.client_id,
        f"{result.summary}, {outcome}",
        result.event_id,
        {"delivery": delivery.as_record()},
    )


class RedirectMessageModal(ActionModal):
    """Send a waiting message to another address, offering the client's other addresses."""

    ACTION_TITLE = "Redirect the message"

    def __init__(self, entry: OutboxEntry, root: Path, others: tuple[str, ...]) -> None:
        """Redirect this message; ``others`` are the client's addresses it was not sent to."""
        super().__init__(entry.client_id, entry.client)
        self.entry = entry
        self.root = root
        self.others = others

    def compose_fields(self) -> ComposeResult:
        """The message, then the address, filled with the client's first other address."""
        yield Static(_about(self.entry), id="redirect-about")
        if self.others:
            offered = Text("The client's other addresses: ", style="dim")
            offered.append_text(literal(one_line(", ".join(self.others))))
        else:
            offered = Text("The client has no other address: type one.", style="dim")
        yield Static(offered, id="redirect-others")
        field = Input(
            value=self.others[0] if self.others else "",
            placeholder="name@example.fr",
            suggester=SuggestFromList(self.others, case_sensitive=False),
            id="field-address",
        )
        yield from self.field("address", "New address", field)
        yield Static("", id="error-message", classes="field-error")

    def hint_line(self) -> Text:
        """ctrl+s redirects and sends."""
        return key_hints(("→", "complete"), ("ctrl+s", "redirect and send"), ("esc", "cancel"))

    def prepare_save(self) -> SaveCall:
        """Redirect through the same service as ``relance outbox redirect``, then send."""
        return partial(
            redirect_and_send,
            self.root,
            self.entry.name,
            self.value_of("address"),
            self.host.config,
            self.host.action_time(),
        )


class MessageModal(ModalScreen[None]):
    """One message of the outbox in full, shown literally; escape closes it."""

    DEFAULT_CSS = """
    MessageModal {
        align: center middle;
        background: $background 60%;
    }
    MessageModal #message-frame {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("j", "scroll(1)", show=False),
        Binding("k", "scroll(-1)", show=False),
    ]

    def __init__(self, entry: OutboxEntry, root: Path) -> None:
        """Show this message of this outbox."""
        super().__init__()
        self.entry = entry
        self.root = root

    def compose(self) -> ComposeResult:
        """The text in a scrollable frame, read once the frame is up."""
        with VerticalScroll(id="message-frame") as frame:
            frame.border_title = Text.assemble("Message · ", literal(one_line(self.entry.client)))
            frame.border_subtitle = "escape to close"
            yield Static(Text("Reading…", style="dim"), id="message-text")

    def on_mount(self) -> None:
        """Read the message off the UI thread and let the arrows scroll it."""
        self.query_one("#message-frame").focus()
        self._read()

    @work(thread=True, group="message", exit_on_error=False)
    def _read(self) -> None:
        """Worker: the message's text, or why it cannot be read."""
        try:
            shown = literal(message_text(self.root, self.entry.name))
        except InvalidInput as refusal:
            shown = literal("\n".join(refusal.errors.values()))
        except OSError as error:
            shown = literal(f"cannot read the message: {error}")
        self.app.call_from_thread(self.query_one("#message-text", Static).update, shown)

    def action_scroll(self, lines: int) -> None:
        """Scroll the message by some lines."""
        frame = self.query_one("#message-frame", VerticalScroll)
        frame.scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        """Back to the outbox."""
        self.dismiss(None)
