"""The week ahead, book-wide: promises and instalments due, calls, deadlines, next actions."""

from __future__ import annotations

from datetime import date, timedelta

from relance.domain.agenda import (
    DEFAULT_DAYS,
    MAX_DAYS,
    AgendaItem,
    AgendaKind,
    agenda_window,
    is_call,
    week_ahead,
)
from relance.domain.ladder import MEDIATION_KIND
from relance.domain.mediation import MediationOutcome
from relance.domain.money import format_money
from relance.messages.wording import deadline_days
from relance.services.validation import Form
from relance.store.agenda import (
    DatedRow,
    instalments_due,
    next_actions_planned,
    promises_due,
    writings_sent,
)
from relance.store.database import transaction
from relance.store.letters import LETTER_KIND

# The longest reply deadline a letter gives (a UK individual's 30 days): older ones are past.
LONGEST_DEADLINE_DAYS = 30
WRITING_WORDS = {LETTER_KIND: "letter", MEDIATION_KIND: "mediation proposal"}


def read_days(text: str) -> int:
    """The number of days asked for, from 1 to 366; refused with the field named."""
    form = Form()
    days = form.count("days", text, low=1, high=MAX_DAYS)
    form.check()
    return days


def agenda(today: date, days: int = DEFAULT_DAYS) -> list[AgendaItem]:
    """Everything due from today over ``days`` days, sorted by date (one read transaction)."""
    first, last = agenda_window(today, days)
    with transaction():
        promises = promises_due(first, last)
        instalments = instalments_due(first, last)
        actions = next_actions_planned(first, last)
        writings = writings_sent(
            (LETTER_KIND, MEDIATION_KIND), first - timedelta(days=LONGEST_DEADLINE_DAYS), last
        )
    items = [
        *(_money_item(row, AgendaKind.PROMISE, "promised") for row in promises),
        *(
            _money_item(row, AgendaKind.INSTALMENT, f"instalment {row.label}")
            for row in instalments
        ),
        *(_action_item(row) for row in actions),
        *(item for row in writings if (item := _deadline_item(row)) is not None),
    ]
    return week_ahead(items, today, days)


def _money_item(row: DatedRow, kind: AgendaKind, words: str) -> AgendaItem:
    """A promise or an instalment: the amount due that day."""
    assert row.amount is not None
    what = f"{words} {format_money(row.amount, row.currency)}"
    return AgendaItem(row.on, kind, row.client_id, row.client_name, what, row.amount, row.currency)


def _action_item(row: DatedRow) -> AgendaItem:
    """A planned next action: a call when it is one."""
    kind = AgendaKind.CALL if is_call(row.label) else AgendaKind.ACTION
    return AgendaItem(row.on, kind, row.client_id, row.client_name, row.label)


def _deadline_item(row: DatedRow) -> AgendaItem | None:
    """The day the reply deadline of a letter or a mediation proposal runs out, if it has one."""
    writing, _, outcome = row.label.partition(":")
    if writing == MEDIATION_KIND and outcome != MediationOutcome.PROPOSED:
        return None
    ends = row.on + timedelta(days=deadline_days(row.jurisdiction, row.kind))
    what = f"deadline of the {WRITING_WORDS[writing]} of {row.on.isoformat()}"
    return AgendaItem(ends, AgendaKind.DEADLINE, row.client_id, row.client_name, what)
