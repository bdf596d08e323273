"""Sending a reminder: the drafted e-mail shown for reading and editing before it goes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from relance.config import Creditor
from relance.delivery.reminder_text import RenderedReminder
from relance.literal import one_line
from relance.services.reminders import draft_reminder, reminder_recipients, send_reminder
from relance.services.validation import InvalidInput
from relance.store.errors import StoreError
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, SaveCall

DRAFT_GROUP = "draft"


@dataclass(frozen=True)
class ReminderDraft:
    """What the modal opens on: the rendered message and where it would go."""

    message: RenderedReminder
    recipients: list[str]


def load_draft(client_id: int, today: date, creditor: Creditor) -> ReminderDraft:
    """Render today's reminder for a client and find its recipients (writes nothing)."""
    return ReminderDraft(draft_reminder(client_id, today, creditor), reminder_recipients(client_id))


def draft_in_thread(load: Callable[[], ReminderDraft]) -> ReminderDraft | str:
    """Render the draft in a worker thread; a refusal comes back as its reason."""
    try:
        return in_db_thread(load)
    except InvalidInput as refusal:
        return "; ".join(refusal.errors.values())
    except StoreError as error:
        return str(error)


class ReminderModal(ActionModal):
    """The reminder form: opens on the drafted message, ``ctrl+s`` writes it to the outbox."""

    ACTION_TITLE = "Send a reminder"

    DEFAULT_CSS = """
    ReminderModal #dialog {
        width: 100;
        height: 100%;
    }
    ReminderModal #fields {
        height: 1fr;
        max-height: 100%;
    }
    ReminderModal #field-body {
        height: 1fr;
        min-height: 6;
        margin-top: 1;
        padding: 0 1;
        background: $panel;
        scrollbar-size: 1 1;
        & > .text-area--cursor-line {
            background: transparent;
        }
    }
    ReminderModal #field-body:focus {
        background: $primary 15%;
    }
    ReminderModal #error-body {
        padding-left: 0;
    }
    ReminderModal #field-to {
        width: 1fr;
        padding: 0 1;
    }
    ReminderModal #draft-status {
        color: $text-muted;
        padding-left: 14;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A reminder to this client."""
        super().__init__(client_id, client_name)
        self.draft: ReminderDraft | None = None
        self.refusal = ""

    def compose_fields(self) -> ComposeResult:
        """Recipients, subject and body, filled in once the draft is rendered."""
        yield from self.field("to", "To", Static("…", id="field-to"), tight=True)
        yield Static("Drafting the reminder…", id="draft-status")
        yield from self.field(
            "subject", "Subject", Input(id="field-subject", compact=True), tight=True
        )
        # Full width, so the table of overdue invoices keeps its columns at 80 columns.
        yield TextArea(id="field-body", compact=True, soft_wrap=True)
        yield Label("", id="error-body", classes="field-error")

    def on_mount(self) -> None:
        """Focus the subject and render the draft in a worker."""
        super().on_mount()
        host = self.host
        load = partial(load_draft, self.client, host.today, host.config.creditor)
        self.run_worker(partial(draft_in_thread, load), thread=True, group=DRAFT_GROUP)

    @on(Worker.StateChanged)
    def draft_finished(self, event: Worker.StateChanged) -> None:
        """Show the draft, or why there is none."""
        if event.worker.group != DRAFT_GROUP or event.state is not WorkerState.SUCCESS:
            return
        outcome = event.worker.result
        if isinstance(outcome, ReminderDraft):
            self.show_draft(outcome)
        else:
            self.show_draft_refused(str(outcome))

    def show_draft(self, draft: ReminderDraft) -> None:
        """Fill the form with the rendered message, ready to send."""
        self.draft = draft
        self.query_one("#field-subject", Input).value = draft.message.subject
        body = self.query_one("#field-body", TextArea)
        body.load_text(draft.message.body)
        body.move_cursor((0, 0))
        status = self.query_one("#draft-status", Static)
        if draft.recipients:
            self.query_one("#field-to", Static).update(Text(one_line(", ".join(draft.recipients))))
            status.update("edit if needed; ctrl+s writes it to the outbox")
            status.display = True
        else:
            self.query_one("#field-to", Static).update(Text("no e-mail address", style="italic"))
            name = one_line(self.client_name)
            self.show_draft_refused(f"{name} has no e-mail address; add one to a contact")

    def show_draft_refused(self, reason: str) -> None:
        """Say why no reminder can be sent; ctrl+s stays harmless."""
        self.refusal = reason
        self.show_form_error(f"Nothing to send: {reason}")
        self.query_one("#draft-status", Static).display = False
        if self.draft is None:
            self.query_one("#field-to", Static).update("—")
        self.set_class(True, "-refused")
        self.query_one("#hints", Static).update(self.hint_line())

    def hint_line(self) -> Text:
        """Without a message to send, only escape means anything."""
        if self.refusal:
            return Text.assemble(("esc", "bold"), " close")
        return super().hint_line()

    def ready_to_save(self) -> bool:
        """Only a drafted message with somewhere to go can be sent."""
        return self.draft is not None and bool(self.draft.recipients) and not self.refusal

    def prepare_save(self) -> SaveCall:
        """The message as edited."""
        host = self.host
        return partial(
            send_reminder,
            self.client,
            host.action_time(),
            host.outbox,
            host.config.creditor,
            subject=self.value_of("subject"),
            body=self.value_of("body"),
        )
