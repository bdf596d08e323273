"""The default next action: what to do for a client, and from which day."""

from __future__ import annotations

from datetime import date, timedelta

from relance.domain.next_action import (
    NOTHING,
    REMINDER_SEQUENCE,
    ClientState,
    NextAction,
    default_next_action,
)

DUE = date(2026, 10, 1)


def state(**changes: object) -> ClientState:
    """A client owing 1 000.00 since DUE, with the given changes."""
    values: dict[str, object] = {"outstanding": 100000, "oldest_due_on": DUE}
    values.update(changes)
    return ClientState(**values)  # type: ignore[arg-type]


def test_nothing_owed_means_nothing_to_do() -> None:
    assert default_next_action(state(outstanding=0)) == NOTHING
    assert default_next_action(state(outstanding=-500)) == NOTHING
    assert default_next_action(state(oldest_due_on=None)) == NOTHING
    assert NOTHING.is_none
    # Nothing owed wins over a dispute, a snooze and a pending follow-up.
    assert default_next_action(
        state(
            outstanding=0,
            disputed_since=DUE,
            snoozed_until=date(2027, 1, 1),
            follow_up_action="call again",
            follow_up_on=DUE,
        )
    ).is_none


def test_first_reminder_a_week_after_the_due_date() -> None:
    action = default_next_action(state())
    assert action == NextAction("friendly reminder", DUE + timedelta(days=7))
    assert not action.is_none


def test_reminder_sequence_with_gaps() -> None:
    expected = [
        ("friendly reminder", date(2026, 10, 8)),
        ("firm reminder", date(2026, 10, 15)),
        ("call", date(2026, 10, 22)),
        ("formal notice", date(2026, 10, 29)),
        # The last step repeats, on the same footing; the contact gap spaces the repeats.
        ("formal notice", date(2026, 10, 29)),
    ]
    for steps, (action, on) in enumerate(expected):
        assert default_next_action(state(steps_done=steps)) == NextAction(action, on)


def test_reminder_waits_a_week_after_the_last_contact() -> None:
    last = date(2026, 11, 20)
    action = default_next_action(state(steps_done=1, last_contact_on=last))
    assert action == NextAction("firm reminder", date(2026, 11, 27))
    # An old contact does not delay a step that is already due.
    early = default_next_action(state(steps_done=1, last_contact_on=date(2026, 10, 2)))
    assert early == NextAction("firm reminder", date(2026, 10, 15))


def test_call_follow_up_wins_over_the_sequence() -> None:
    action = default_next_action(
        state(
            steps_done=2,
            follow_up_action="call again",
            follow_up_on=date(2026, 11, 25),
            last_contact_on=date(2026, 11, 23),
        )
    )
    assert action == NextAction("call again", date(2026, 11, 25))


def test_a_follow_up_needs_a_date() -> None:
    action = default_next_action(state(follow_up_action="call again", follow_up_on=None))
    assert action.action == "friendly reminder"


def test_promise_wins_over_a_follow_up() -> None:
    action = default_next_action(
        state(
            promise_check_on=date(2026, 12, 1),
            follow_up_action="call again",
            follow_up_on=date(2026, 11, 25),
        )
    )
    assert action == NextAction("check promise", date(2026, 12, 1))


def test_plan_wins_over_a_promise() -> None:
    action = default_next_action(
        state(plan_next_due_on=date(2026, 12, 20), promise_check_on=date(2026, 12, 1))
    )
    assert action == NextAction("check instalment", date(2026, 12, 21))


def test_dispute_wins_over_everything() -> None:
    action = default_next_action(
        state(
            disputed_since=date(2026, 11, 20),
            plan_next_due_on=date(2026, 12, 20),
            promise_check_on=date(2026, 12, 1),
        )
    )
    assert action == NextAction("resolve dispute", date(2026, 11, 27))


def test_snooze_holds_the_action_until_its_date() -> None:
    snoozed = default_next_action(state(snoozed_until=date(2027, 1, 10)))
    assert snoozed == NextAction("friendly reminder", date(2027, 1, 10))
    disputed = default_next_action(
        state(disputed_since=date(2026, 11, 20), snoozed_until=date(2026, 12, 15))
    )
    assert disputed == NextAction("resolve dispute", date(2026, 12, 15))


def test_snooze_before_the_action_changes_nothing() -> None:
    action = default_next_action(
        state(
            follow_up_action="call again",
            follow_up_on=date(2026, 12, 20),
            snoozed_until=date(2026, 12, 1),
        )
    )
    assert action == NextAction("call again", date(2026, 12, 20))


def test_the_sequence_names() -> None:
    assert REMINDER_SEQUENCE == ("friendly reminder", "firm reminder", "call", "formal notice")
