"""Snoozing a client: no action proposed until a date (today lifts the snooze)."""

from __future__ import annotations

from datetime import date
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from relance.domain.dates import DateError, parse_date
from relance.services.clients import snooze_client
from relance.tui.modals.base import ActionModal, SaveCall, key_hints

DEFAULT_SNOOZE = "+7"


def describe_day(day: date, today: date) -> str:
    """A date as the user will think of it: ``Mon 30 Nov 2026, in 7 days``."""
    gap = (day - today).days
    when = "today" if gap == 0 else f"in {gap} days" if gap > 0 else f"{-gap} days ago"
    return f"{day:%a %d %b %Y}, {when}"


class SnoozeModal(ActionModal):
    """The snooze form: a date with a live reading of what it means."""

    ACTION_TITLE = "Snooze"

    DEFAULT_CSS = """
    SnoozeModal #snooze-meaning {
        padding-left: 14;
        color: $text-accent;
    }
    SnoozeModal #snooze-quick {
        padding-left: 14;
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A snooze for this client."""
        super().__init__(client_id, client_name)

    def compose_fields(self) -> ComposeResult:
        """The date, what it reads as, and the usual choices."""
        yield from self.field(
            "until",
            "Until",
            Input(DEFAULT_SNOOZE, id="field-until", classes="-short", compact=True),
            hint="YYYY-MM-DD or +N days",
        )
        yield Static(id="snooze-meaning")
        yield Static(
            key_hints(
                ("+7", "a week"), ("+14", "two weeks"), ("+30", "a month"), ("today", "lifts it")
            ),
            id="snooze-quick",
        )

    def on_mount(self) -> None:
        """Focus the date and read the default aloud."""
        super().on_mount()
        self.describe(self.value_of("until"))

    @on(Input.Changed, "#field-until")
    def until_changed(self, event: Input.Changed) -> None:
        """Say which day the typed date is, as it is typed."""
        self.describe(event.value)

    def describe(self, typed: str) -> None:
        """Show the day a typed date stands for (the service still checks it on save)."""
        today = self.host.today
        meaning = self.query_one("#snooze-meaning", Static)
        try:
            day = parse_date(typed, today=today)
        except DateError:
            meaning.update("")
            return
        if day == today:
            meaning.update(Text("lifts the snooze"))
        else:
            meaning.update(Text(f"→ {describe_day(day, today)}"))

    def prepare_save(self) -> SaveCall:
        """The snooze as typed."""
        return partial(snooze_client, self.client, self.value_of("until"), self.host.action_time())
