"""Sending a reminder: the drafted e-mail shown for reading and editing before it goes out.

At a phone step the modal also shows the call script, at an SMS step the text to copy; the
e-mail below them can still be sent. ``e`` (outside the text fields) or ``ctrl+e`` opens the
subject and body in ``$EDITOR``; what is in the fields is what is sent.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from relance.config import Config
from relance.literal import one_line
from relance.messages.rendering import SUBJECT_PREFIX, TemplateError
from relance.services.bank import waiting_lines_warning
from relance.services.drafting import Draft, call_script, draft_reminder, sms_text
from relance.services.reminders import reminder_recipients, send_reminder
from relance.services.validation import InvalidInput
from relance.store.contacts import ContactDetails, client_contacts
from relance.store.errors import StoreError
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, SaveCall, key_hints

DRAFT_GROUP = "draft"
CONTACTS_GROUP = "recipients"
FALLBACK_EDITOR = "vi"
SCRIPT_TITLES = {"phone": "Call script", "sms": "SMS text"}
SCRIPT_HINTS = {
    "phone": "read this on the phone, then log the call with c",
    "sms": "copy this text into your phone",
}


@dataclass(frozen=True)
class ReminderDraft:
    """What the modal opens on: the rendered message, where it goes, and any script."""

    message: Draft
    recipients: list[str]
    # The call script of a phone step or the text of an SMS step; "" for written steps.
    script: str = ""
    # The client's contacts, to name the recipients and offer the others.
    contacts: list[ContactDetails] = field(default_factory=list)
    # Bank lines waiting for review that could be this client's payment, said in words; "".
    bank_warning: str = ""


def addressed(address: str, contacts: list[ContactDetails]) -> str:
    """An address with the name of the contact it belongs to: "Jeanne Dupont <j@d.fr>"."""
    owner = next((c for c in contacts if c.email == address and c.name.strip()), None)
    return f"{owner.name.strip()} <{address}>" if owner is not None else address


def recipient_choices(draft: ReminderDraft) -> list[int | None]:
    """What ctrl+t cycles through: the usual recipients (None), then each other good address."""
    choices: list[int | None] = [None]
    for contact in draft.contacts:
        if contact.writable and [contact.email] != draft.recipients:
            choices.append(contact.contact_id)
    return choices


def read_recipients(client_id: int) -> tuple[list[str], list[ContactDetails]]:
    """The usual recipients of a reminder and the client's contacts, as they stand now."""
    return reminder_recipients(client_id), client_contacts(client_id)


def load_draft(client_id: int, today: date, config: Config) -> ReminderDraft:
    """Render today's reminder for a client and find its recipients (writes nothing)."""
    message = draft_reminder(client_id, today, config)
    script = ""
    if message.channel == "phone":
        script = call_script(client_id, today, config)
    elif message.channel == "sms":
        script = sms_text(client_id, today, config)
    recipients, contacts = read_recipients(client_id)
    return ReminderDraft(
        message, recipients, script, contacts, bank_warning=waiting_lines_warning(client_id)
    )


def draft_in_thread(load: Callable[[], ReminderDraft]) -> ReminderDraft | str:
    """Render the draft in a worker thread; a refusal or a broken template comes back as text."""
    try:
        return in_db_thread(load)
    except InvalidInput as refusal:
        return "; ".join(refusal.errors.values())
    except (StoreError, TemplateError) as error:
        return str(error)


def editor_command() -> list[str]:
    """The user's editor from ``$EDITOR`` (it may carry arguments), else vi."""
    return shlex.split(os.environ.get("EDITOR", "").strip() or FALLBACK_EDITOR)


def message_text(subject: str, body: str) -> str:
    """The subject and body as one text to edit: a ``Subject:`` line, a blank line, the body."""
    return f"{SUBJECT_PREFIX} {subject}\n\n{body}"


def split_message_text(text: str, subject: str) -> tuple[str, str]:
    """Subject and body back from an edited text; without a subject line, the subject stays."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].startswith(SUBJECT_PREFIX):
        subject = lines[0][len(SUBJECT_PREFIX) :].strip()
        lines = lines[1:]
        if lines and not lines[0].strip():
            lines = lines[1:]
    return subject, "\n".join(lines)


class ReminderModal(ActionModal):
    """The reminder form: opens on the drafted message, ``ctrl+s`` sends it."""

    ACTION_TITLE = "Send a reminder"
    EXTRA_HINTS = (("ctrl+e", "$EDITOR"), ("ctrl+t", "to"), ("ctrl+o", "contacts"))

    BINDINGS: ClassVar[list[BindingType]] = [
        # ctrl+e works from the text fields too, where it would otherwise move to the line end.
        Binding("ctrl+e", "edit_in_editor", "Edit in $EDITOR", priority=True),
        Binding("e", "edit_in_editor", "Edit in $EDITOR", id="reminder_editor"),
        # Priority, so they work while the subject or the body has the focus.
        Binding(
            "ctrl+t",
            "next_recipient",
            "Another contact",
            priority=True,
            id="reminder_recipient",
            tooltip="reminder: send it to the client's next contact instead",
        ),
        Binding(
            "ctrl+o",
            "open_contacts",
            "Contacts",
            priority=True,
            id="reminder_contacts",
            tooltip="reminder: open the client's contacts to add or fix an address",
        ),
    ]

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
    ReminderModal #field-to, ReminderModal #field-step {
        width: 1fr;
        padding: 0 1;
    }
    ReminderModal #to-others {
        color: $text-muted;
        padding-left: 14;
    }
    ReminderModal #draft-status {
        color: $text-muted;
        padding-left: 14;
    }
    ReminderModal #script-title {
        display: none;
        margin-top: 1;
        color: $text-accent;
        text-style: bold;
    }
    ReminderModal #script {
        display: none;
        height: 8;
        padding: 0 1;
        background: $boost;
        & > .text-area--cursor-line {
            background: transparent;
        }
    }
    ReminderModal.-scripted #script-title, ReminderModal.-scripted #script {
        display: block;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A reminder to this client."""
        super().__init__(client_id, client_name)
        self.draft: ReminderDraft | None = None
        self.refusal = ""
        # The contact picked with ctrl+t; None sends to the usual recipients.
        self.to_contact: int | None = None
        # Whether the refusal is only for want of an address (an added contact lifts it).
        self.no_address = False

    def compose_fields(self) -> ComposeResult:
        """Recipients, step, subject and body, filled in once the draft is rendered."""
        yield from self.field("to", "To", Static("…", id="field-to"), tight=True)
        yield Static("", id="to-others")
        yield from self.field("step", "Step", Static("…", id="field-step"), tight=True)
        yield Static("Drafting the reminder…", id="draft-status")
        yield from self.field(
            "subject", "Subject", Input(id="field-subject", compact=True), tight=True
        )
        # Full width, so the table of overdue invoices keeps its columns at 80 columns.
        yield TextArea(id="field-body", compact=True, soft_wrap=True)
        yield Label("", id="error-body", classes="field-error")
        # Last, so the focus starts on the subject; read-only, so ``e`` works from it.
        yield Label("", id="script-title")
        yield TextArea(id="script", read_only=True, compact=True, soft_wrap=True)

    def on_mount(self) -> None:
        """Focus the subject and render the draft in a worker."""
        super().on_mount()
        host = self.host
        load = partial(load_draft, self.client, host.today, host.config)
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
        message = draft.message
        self.query_one("#field-subject", Input).value = message.subject
        body = self.query_one("#field-body", TextArea)
        body.load_text(message.body)
        body.move_cursor((0, 0))
        step = f"{message.step_label} · " if message.step_label else ""
        self.query_one("#field-step", Static).update(
            Text(one_line(f"{step}template {message.template} ({message.language})"))
        )
        if draft.script:
            title = SCRIPT_TITLES.get(message.channel, "Script")
            hint = SCRIPT_HINTS.get(message.channel, "")
            self.query_one("#script-title", Label).update(Text(f"{title} — {hint}"))
            self.query_one("#script", TextArea).load_text(draft.script)
            self.set_class(True, "-scripted")
        if draft.bank_warning:
            # Sending stays possible (the line may be someone else's), but not unawares.
            self.show_form_error(
                f"Careful: {draft.bank_warning}. Review it first on the bank screen (B)."
            )
        self.show_recipients()

    def show_recipients(self) -> None:
        """Say who the message goes to, the other contacts offered and the bounced addresses."""
        draft = self.draft
        assert draft is not None
        status = self.query_one("#draft-status", Static)
        to = self.query_one("#field-to", Static)
        picked = next((c for c in draft.contacts if c.contact_id == self.to_contact), None)
        others = self.query_one("#to-others", Static)
        choices = recipient_choices(draft)
        bounced = [c.email for c in draft.contacts if c.email and c.email_bounced is not None]
        line = Text()
        if len(choices) > 1:
            line.append("ctrl+t another contact", style="bold")
        if bounced:
            line.append(" · " if line else "")
            line.append_text(Text(one_line("bounced, not offered: " + ", ".join(bounced))))
        others.update(line)
        others.display = bool(line)
        if picked is not None:
            to.update(Text(one_line(addressed(picked.email, draft.contacts))))
        elif draft.recipients:
            names = [addressed(address, draft.contacts) for address in draft.recipients]
            to.update(Text(one_line(", ".join(names))))
        else:
            to.update(Text("no e-mail address", style="italic"))
            name = one_line(self.client_name)
            self.show_draft_refused(
                f"{name} has no e-mail address; add one to a contact (ctrl+o)", no_address=True
            )
            return
        if self.refusal and self.no_address:
            # An address was added since: the reminder can go.
            self.refusal = ""
            self.no_address = False
            self.show_form_error("")
            self.set_class(False, "-refused")
            self.query_one("#hints", Static).update(self.hint_line())
        status.update("edit here or in $EDITOR (ctrl+e); ctrl+s sends it")
        status.display = True

    def action_next_recipient(self) -> None:
        """Send to the next contact with a good address, then back to the usual recipients."""
        if self.draft is None or self.saving:
            return
        choices = recipient_choices(self.draft)
        at = choices.index(self.to_contact) if self.to_contact in choices else 0
        self.to_contact = choices[(at + 1) % len(choices)]
        self.show_recipients()

    def action_open_contacts(self) -> None:
        """Open the client's contacts; back here, who the message goes to is read again."""
        if self.saving:
            return
        from relance.tui.contacts_screen import ContactsScreen

        self.app.push_screen(ContactsScreen(self.client, self.client_name), self._contacts_closed)

    def _contacts_closed(self, changed: bool | None) -> None:
        """Read the recipients again when a contact changed."""
        if changed and self.draft is not None:
            read = partial(in_db_thread, read_recipients, self.client)
            self.run_worker(read, thread=True, group=CONTACTS_GROUP)

    @on(Worker.StateChanged)
    def recipients_read(self, event: Worker.StateChanged) -> None:
        """Show who the message goes to now."""
        if event.worker.group != CONTACTS_GROUP or event.state is not WorkerState.SUCCESS:
            return
        if self.draft is None:
            return
        recipients, contacts = cast("tuple[list[str], list[ContactDetails]]", event.worker.result)
        self.draft = replace(self.draft, recipients=recipients, contacts=contacts)
        if self.to_contact not in recipient_choices(self.draft):
            self.to_contact = None
        self.show_recipients()

    def show_draft_refused(self, reason: str, *, no_address: bool = False) -> None:
        """Say why no reminder can be sent; ctrl+s stays harmless."""
        self.refusal = reason
        self.no_address = no_address
        self.show_form_error(f"Nothing to send: {reason}")
        self.query_one("#draft-status", Static).display = False
        if self.draft is None:
            self.query_one("#field-to", Static).update("—")
            self.query_one("#field-step", Static).update("—")
        self.set_class(True, "-refused")
        self.query_one("#hints", Static).update(self.hint_line())

    def hint_line(self) -> Text:
        """Without a message to send, only escape means anything."""
        if self.refusal and self.no_address:
            return key_hints(("ctrl+o", "contacts"), ("esc", "close"))
        if self.refusal:
            return Text.assemble(("esc", "bold"), " close")
        return super().hint_line()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The editor only opens on a drafted message."""
        if action in ("edit_in_editor", "next_recipient"):
            return self.draft is not None and not self.saving
        return super().check_action(action, parameters)

    def action_edit_in_editor(self) -> None:
        """Open the subject and body in ``$EDITOR`` and take back what was saved there."""
        if self.draft is None or self.saving:
            return
        subject = self.query_one("#field-subject", Input)
        body = self.query_one("#field-body", TextArea)
        with tempfile.TemporaryDirectory(prefix="relance-") as folder:
            # The directory is the user's alone (0700), so the draft is not readable by others.
            path = Path(folder) / "reminder.txt"
            path.write_text(message_text(subject.value, body.text), encoding="utf-8")
            outcome = self.run_editor(path)
            if outcome:
                self.show_form_error(outcome)
                return
            edited = path.read_text(encoding="utf-8")
        new_subject, new_body = split_message_text(edited, subject.value)
        subject.value = new_subject
        body.load_text(new_body)
        body.move_cursor((0, 0))
        self.show_form_error("")

    def run_editor(self, path: Path) -> str:
        """Run the editor on a file with the app suspended; "" when it went well, else why not."""
        command = [*editor_command(), str(path)]
        # A headless app (tests) has no terminal to hand over: the editor runs alongside.
        suspended = contextlib.nullcontext() if self.app.is_headless else self.app.suspend()
        try:
            with suspended:
                finished = subprocess.run(command, check=False)
        except OSError as error:
            return f"could not run the editor {command[0]}: {error.strerror or error}"
        if finished.returncode != 0:
            return f"the editor {command[0]} ended with status {finished.returncode}; text kept"
        return ""

    def ready_to_save(self) -> bool:
        """Only a drafted message with somewhere to go can be sent."""
        return self.draft is not None and bool(self.draft.recipients) and not self.refusal

    def prepare_save(self) -> SaveCall:
        """The message as it stands in the fields."""
        host = self.host
        return partial(
            send_reminder,
            self.client,
            host.action_time(),
            host.config,
            host.outbox,
            subject=self.value_of("subject"),
            body=self.value_of("body"),
            to_contact=self.to_contact,
        )
