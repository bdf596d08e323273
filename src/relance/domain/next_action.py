"""The simple default next action for a client, until the policy engine takes over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Days after the due date, and between two written reminders, for the default sequence.
FIRST_REMINDER_AFTER_DUE = 7
DAYS_BETWEEN_REMINDERS = 7
DISPUTE_REVIEW_DAYS = 7


@dataclass(frozen=True)
class ClientState:
    """What the default next action looks at; all dates, no clock.

    ``steps_done`` counts reminders sent and calls made; the follow-up is the one scheduled
    by the latest contact, if it scheduled any.
    """

    outstanding: int
    oldest_due_on: date | None
    disputed_since: date | None = None
    snoozed_until: date | None = None
    promise_check_on: date | None = None
    plan_next_due_on: date | None = None
    steps_done: int = 0
    follow_up_action: str | None = None
    follow_up_on: date | None = None
    last_contact_on: date | None = None


@dataclass(frozen=True)
class NextAction:
    """What to do next for a client, and from which day."""

    action: str
    on: date | None

    @property
    def is_none(self) -> bool:
        """True when nothing is owed and there is nothing to do."""
        return not self.action


NOTHING = NextAction("", None)
REMINDER_SEQUENCE = ("friendly reminder", "firm reminder", "call", "formal notice")


def default_next_action(state: ClientState) -> NextAction:
    """Pick the next action: dispute, plan, promise, call follow-up, then the reminder sequence.

    The result does not depend on today: a date in the past means the action is due now.
    A snooze pushes whatever comes out to the snooze date.
    """
    if state.outstanding <= 0 or state.oldest_due_on is None:
        return NOTHING
    action = _unsnoozed_action(state)
    if state.snoozed_until and (action.on is None or action.on < state.snoozed_until):
        return NextAction(action.action, state.snoozed_until)
    return action


def _unsnoozed_action(state: ClientState) -> NextAction:
    """The next action before any snooze is applied."""
    assert state.oldest_due_on is not None
    if state.disputed_since is not None:
        return NextAction("resolve dispute", state.disputed_since + timedelta(DISPUTE_REVIEW_DAYS))
    if state.plan_next_due_on is not None:
        return NextAction("check instalment", state.plan_next_due_on + timedelta(days=1))
    if state.promise_check_on is not None:
        return NextAction("check promise", state.promise_check_on)
    if state.follow_up_action and state.follow_up_on is not None:
        return NextAction(state.follow_up_action, state.follow_up_on)
    step = min(state.steps_done, len(REMINDER_SEQUENCE) - 1)
    earliest = state.oldest_due_on + timedelta(days=FIRST_REMINDER_AFTER_DUE * (step + 1))
    if state.last_contact_on is not None:
        earliest = max(earliest, state.last_contact_on + timedelta(DAYS_BETWEEN_REMINDERS))
    return NextAction(REMINDER_SEQUENCE[step], earliest)
