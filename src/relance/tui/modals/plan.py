"""Proposing a payment plan, with the schedule worked out live as the fields change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from relance.domain.money import format_money
from relance.literal import literal
from relance.services.plans import (
    INCLUDED,
    WAIVED,
    PlanPreview,
    answer_plan,
    default_first_date,
    preview_plan,
    propose_plan,
)
from relance.services.validation import InvalidInput
from relance.store.errors import StoreError
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, SaveCall
from relance.tui.modals.choice import Choice

DEFAULT_INSTALMENTS = "3"
EVERY_OPTIONS = [("week", "weekly"), ("2weeks", "every 2 weeks"), ("month", "monthly")]
DEFAULT_EVERY = "month"
EXTRAS_OPTIONS = [(WAIVED, "waived"), (INCLUDED, "included")]
PLAN_FIELDS = ("instalments", "every", "first", "deposit", "day", "extras")
# Long enough to let a number be typed in full, short enough to feel live.
PREVIEW_DELAY_SECONDS = 0.25
PREVIEW_GROUP = "preview"


def schedule_table(plan: PlanPreview) -> Table:
    """The proposed instalments, one per line, with the total."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="dim")
    table.add_column()
    table.add_column(justify="right")
    table.add_column(style="dim")
    for item in plan.instalments:
        table.add_row(
            f"{item.seq}.",
            item.due_on.strftime("%a %d %b %Y"),
            format_money(item.amount, plan.currency),
            "deposit" if item.is_deposit else "",
        )
    count = len(plan.instalments)
    table.add_row(
        "",
        Text("Total", style="bold"),
        Text(format_money(plan.total, plan.currency), style="bold"),
        f"{count} instalment{'s' if count > 1 else ''}",
    )
    table.add_row("", Text(plan.extras_words, style="dim"), "", "")
    return table


@dataclass(frozen=True)
class PreviewOutcome:
    """A worked-out schedule, or the reasons there is none, for one request."""

    generation: int
    plan: PlanPreview | None
    errors: dict[str, str]


def preview_in_thread(compute: Callable[[], PlanPreview], generation: int) -> PreviewOutcome:
    """Work a schedule out in a worker thread; refusals come back as field errors."""
    try:
        return PreviewOutcome(generation, in_db_thread(compute), {})
    except InvalidInput as refusal:
        return PreviewOutcome(generation, None, refusal.errors)
    except StoreError as error:
        return PreviewOutcome(generation, None, {"": str(error)})


class PlanModal(ActionModal):
    """The plan form: count, frequency, first date and deposit, and the schedule they give."""

    ACTION_TITLE = "Propose a payment plan"

    DEFAULT_CSS = """
    PlanModal #preview {
        height: auto;
        max-height: 8;
        margin-top: 1;
        padding: 0 1;
        border-top: solid $primary 50%;
        border-title-align: left;
        scrollbar-size-vertical: 1;
    }
    PlanModal #preview-body {
        width: 1fr;
    }
    PlanModal #preview-body.-refused {
        color: $text-muted;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A plan for this client's outstanding amount."""
        super().__init__(client_id, client_name)
        self.preview_timer: Timer | None = None
        # Only the latest preview is shown; an older one finishing late is ignored.
        self.preview_generation = 0
        self.preview: PlanPreview | None = None

    def compose_fields(self) -> ComposeResult:
        """The settings (dates avoid weekends and holidays), then the preview of the schedule."""
        first = default_first_date(self.host.today).isoformat()
        yield from self.field(
            "instalments",
            "Instalments",
            Input(DEFAULT_INSTALMENTS, id="field-instalments", classes="-short", compact=True),
            hint="equal shares, 1 to 60",
        )
        yield from self.field(
            "every", "Every", Choice(EVERY_OPTIONS, DEFAULT_EVERY, id="field-every")
        )
        yield from self.field(
            "first",
            "First on",
            Input(first, id="field-first", classes="-short", compact=True),
            hint="YYYY-MM-DD, +14",
        )
        yield from self.field(
            "deposit",
            "Deposit",
            Input(placeholder="none", id="field-deposit", classes="-short", compact=True),
            hint="an amount or 30%",
        )
        yield from self.field(
            "day",
            "Day of month",
            Input(placeholder="as first", id="field-day", classes="-short", compact=True),
            hint="monthly: later instalments on this day",
        )
        yield from self.field(
            "extras",
            "Interest, fees",
            Choice(EXTRAS_OPTIONS, WAIVED, id="field-extras"),
        )

    def compose_below_fields(self) -> ComposeResult:
        """The schedule preview, kept in view under the fields."""
        with VerticalScroll(id="preview") as preview:
            preview.border_title = "Schedule"
            yield Static(Text("working it out…"), id="preview-body")

    def on_mount(self) -> None:
        """Focus the first field and work out the default plan."""
        super().on_mount()
        self.request_preview()

    @on(Input.Changed)
    @on(Choice.Changed)
    def settings_changed(self) -> None:
        """Work the schedule out again once typing pauses."""
        if self.preview_timer is not None:
            self.preview_timer.stop()
        self.preview_timer = self.set_timer(PREVIEW_DELAY_SECONDS, self.request_preview)

    def settings(self) -> dict[str, str]:
        """The settings as typed."""
        return {name: self.value_of(name) for name in PLAN_FIELDS}

    def request_preview(self) -> None:
        """Start a preview of the schedule in a worker."""
        self.preview_timer = None
        self.preview_generation += 1
        generation = self.preview_generation
        typed = self.settings()
        compute = partial(
            preview_plan,
            self.client,
            typed["instalments"],
            self.host.today,
            every=typed["every"],
            first=typed["first"],
            deposit=typed["deposit"],
            day=typed["day"],
            extras=typed["extras"],
        )
        self.run_worker(
            partial(preview_in_thread, compute, generation), thread=True, group=PREVIEW_GROUP
        )

    @on(Worker.StateChanged)
    def preview_finished(self, event: Worker.StateChanged) -> None:
        """Show the schedule, or why there is none."""
        if event.worker.group != PREVIEW_GROUP or event.state is not WorkerState.SUCCESS:
            return
        outcome = event.worker.result
        assert isinstance(outcome, PreviewOutcome)
        if outcome.plan is not None:
            self.show_preview(outcome.generation, outcome.plan)
        else:
            self.show_preview_refused(outcome.generation, outcome.errors)

    def show_preview(self, generation: int, plan: PlanPreview) -> None:
        """Show the schedule the settings give."""
        if generation != self.preview_generation or self.saving:
            return
        self.preview = plan
        self.clear_errors()
        body = self.query_one("#preview-body", Static)
        body.remove_class("-refused")
        body.update(schedule_table(plan))

    def show_preview_refused(self, generation: int, errors: dict[str, str]) -> None:
        """Show why no schedule can be worked out, next to the fields at fault."""
        if generation != self.preview_generation or self.saving:
            return
        self.preview = None
        self.clear_errors()
        body = self.query_one("#preview-body", Static)
        body.add_class("-refused")
        field_errors = {name: message for name, message in errors.items() if name in PLAN_FIELDS}
        others = [message for name, message in errors.items() if name not in PLAN_FIELDS]
        for name, message in field_errors.items():
            label = self.query_one(f"#error-{name}", Static)
            label.update(literal(message, keep_newlines=False))
            label.add_class("-shown")
        reason = others[0] if others else "no schedule until the settings above are fixed"
        body.update(literal(reason))

    def prepare_save(self) -> SaveCall:
        """The plan as set."""
        typed = self.settings()
        return partial(
            propose_plan,
            self.client,
            typed["instalments"],
            self.host.action_time(),
            every=typed["every"],
            first=typed["first"],
            deposit=typed["deposit"],
            day=typed["day"],
            extras=typed["extras"],
        )


ANSWER_OPTIONS = [("accept", "accepted"), ("decline", "declined")]


class PlanAnswerModal(ActionModal):
    """The client's answer to the proposed plan: accepted (it becomes active) or declined."""

    ACTION_TITLE = "Answer to the proposed plan"

    def __init__(self, client_id: int, client_name: str) -> None:
        """The answer of this client."""
        super().__init__(client_id, client_name)

    def compose_fields(self) -> ComposeResult:
        """The answer and a note."""
        yield from self.field(
            "answer", "The client", Choice(ANSWER_OPTIONS, "accept", id="field-answer")
        )
        yield from self.field(
            "note",
            "Note",
            Input(placeholder="how and when they answered", id="field-note", compact=True),
        )

    def prepare_save(self) -> SaveCall:
        """The answer as picked."""
        return partial(
            answer_plan,
            self.client,
            self.value_of("answer"),
            self.host.action_time(),
            note=self.value_of("note"),
        )
