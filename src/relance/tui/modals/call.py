"""Logging a phone call: pick the outcome (digits 1–7), a promise's amount and date, a note."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static, TextArea
from textual.worker import Worker, WorkerState

from relance.domain.calls import CallOutcome
from relance.literal import one_line
from relance.services.calls import OUTCOMES, log_call
from relance.store.contacts import ContactDetails, client_contacts
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, SaveCall
from relance.tui.modals.choice import Choice

DEFAULT_OUTCOME = CallOutcome.NO_ANSWER.value
PROMISED = CallOutcome.PROMISED.value
PROMISE_FIELDS = ("amount", "on")
NUMBERS_GROUP = "numbers"


def numbers_to_call(contacts: list[ContactDetails]) -> list[ContactDetails]:
    """The contacts with a phone: the next one to try first, the numbers marked wrong last."""
    with_phone = [contact for contact in contacts if contact.phone.strip()]
    return sorted(with_phone, key=lambda contact: not contact.callable)


def numbers_line(contacts: list[ContactDetails]) -> Text:
    """Each number as "Name: number", a wrong one said so, shown literally."""
    line = Text()
    for contact in numbers_to_call(contacts):
        if line:
            line.append(" · ")
        name = contact.name.strip()
        number = contact.phone.strip()
        line.append(one_line(f"{name}: {number}" if name else number))
        if not contact.callable:
            line.append(" (wrong number)", style="bold")
    return line or Text("no phone number", "italic")


class CallModal(ActionModal):
    """The call form; ``c`` then ``ctrl+s`` logs an unanswered call."""

    ACTION_TITLE = "Log a call"
    EXTRA_HINTS = (("1–7", "outcome"),)

    # Not priority: inside an Input or the note, the digits are typed as text.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(number), f"pick_outcome({number - 1})", show=False)
        for number in range(1, len(OUTCOMES) + 1)
    ]

    def __init__(self, client_id: int, client_name: str) -> None:
        """A call to this client."""
        super().__init__(client_id, client_name)

    def on_mount(self) -> None:
        """Read the numbers to call in a worker, so the form opens at once."""
        super().on_mount()
        read = partial(in_db_thread, client_contacts, self.client)
        self.run_worker(read, thread=True, group=NUMBERS_GROUP)

    @on(Worker.StateChanged)
    def numbers_read(self, event: Worker.StateChanged) -> None:
        """Show every number with its mark, or say there are none."""
        if event.worker.group != NUMBERS_GROUP or event.state is not WorkerState.SUCCESS:
            return
        self.query_one("#field-numbers", Static).update(numbers_line(event.worker.result or []))

    def compose_fields(self) -> ComposeResult:
        """The numbers to call, the outcome list, then the promise, who answered and a note."""
        yield from self.field("numbers", "Call", Static("…", id="field-numbers"), tight=True)
        options = [
            (value, f"{number}  {CallOutcome(value).label}")
            for number, value in enumerate(OUTCOMES, start=1)
        ]
        yield from self.field(
            "outcome",
            "Outcome",
            Choice(options, DEFAULT_OUTCOME, vertical=True, id="field-outcome"),
        )
        yield from self.field(
            "amount",
            "Promised",
            Input(placeholder="1250.00", id="field-amount", compact=True, disabled=True),
        )
        yield from self.field(
            "on",
            "Pay by",
            Input(id="field-on", classes="-short", compact=True, disabled=True),
            hint="YYYY-MM-DD, +7, today",
        )
        yield from self.field(
            "who",
            "Spoke with",
            Input(placeholder="who answered", id="field-who", compact=True),
        )
        yield from self.field(
            "note",
            "Note",
            TextArea(id="field-note", compact=True, soft_wrap=True),
        )

    def action_pick_outcome(self, index: int) -> None:
        """Choose the outcome by its digit; a promise moves on to its amount."""
        self.query_one("#field-outcome", Choice).index = index
        if OUTCOMES[index] == PROMISED:
            self.enable_promise(True)
            self.query_one("#field-amount", Input).focus()

    @on(Choice.Changed, "#field-outcome")
    def outcome_changed(self, event: Choice.Changed) -> None:
        """The promise's amount and date only apply to a promise."""
        self.enable_promise(event.value == PROMISED)

    def enable_promise(self, enabled: bool) -> None:
        """Enable or grey out the promise fields."""
        for name in PROMISE_FIELDS:
            self.query_one(f"#field-{name}", Input).disabled = not enabled

    def prepare_save(self) -> SaveCall:
        """The call as typed."""
        outcome = self.value_of("outcome")
        promised = outcome == PROMISED
        return partial(
            log_call,
            self.client,
            outcome,
            self.host.action_time(),
            note=self.value_of("note"),
            promised_amount=self.value_of("amount") if promised else "",
            promised_on=self.value_of("on") if promised else "",
            who=self.value_of("who"),
        )
