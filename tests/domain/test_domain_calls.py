"""Call outcomes and the follow-up each one schedules."""

from __future__ import annotations

from datetime import date

import pytest

from relance.domain.calls import CallOutcome, follow_up

CALLED = date(2026, 11, 23)


def test_outcomes_in_the_documented_order() -> None:
    assert [o.value for o in CallOutcome] == [
        "no-answer",
        "voicemail",
        "promised",
        "dispute",
        "wrong-number",
        "says-paid",
        "refused",
    ]
    assert all(outcome.label for outcome in CallOutcome)
    assert CallOutcome.VOICEMAIL.label == "left a voicemail"


@pytest.mark.parametrize(
    ("outcome", "action", "on"),
    [
        (CallOutcome.NO_ANSWER, "call again", date(2026, 11, 24)),
        (CallOutcome.VOICEMAIL, "call again", date(2026, 11, 25)),
        (CallOutcome.DISPUTE, "resolve dispute", date(2026, 11, 30)),
        (CallOutcome.WRONG_NUMBER, "find contact details", date(2026, 11, 23)),
        (CallOutcome.SAYS_PAID, "check payment received", date(2026, 11, 26)),
        (CallOutcome.REFUSED, "formal notice", date(2026, 11, 24)),
    ],
)
def test_follow_up_for_each_outcome(outcome: CallOutcome, action: str, on: date) -> None:
    scheduled = follow_up(outcome, CALLED)
    assert (scheduled.action, scheduled.on) == (action, on)


def test_promise_is_checked_the_day_after_the_promised_date() -> None:
    scheduled = follow_up(CallOutcome.PROMISED, CALLED, date(2026, 11, 30))
    assert (scheduled.action, scheduled.on) == ("check promise", date(2026, 12, 1))
    across_year = follow_up(CallOutcome.PROMISED, CALLED, date(2026, 12, 31))
    assert across_year.on == date(2027, 1, 1)


def test_promise_without_a_date_is_refused() -> None:
    with pytest.raises(ValueError, match="promised date"):
        follow_up(CallOutcome.PROMISED, CALLED)


def test_every_outcome_has_a_follow_up() -> None:
    for outcome in CallOutcome:
        scheduled = follow_up(outcome, CALLED, CALLED)
        assert scheduled.action
        assert scheduled.on >= CALLED
