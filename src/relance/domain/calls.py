"""Call outcomes and the follow-up each one schedules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum


class CallOutcome(Enum):
    """What came of a phone call, in the order the call modal's digits pick them."""

    NO_ANSWER = "no-answer"
    VOICEMAIL = "voicemail"
    PROMISED = "promised"
    DISPUTE = "dispute"
    WRONG_NUMBER = "wrong-number"
    SAYS_PAID = "says-paid"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        """The words shown to the user."""
        return _LABELS[self]


_LABELS = {
    CallOutcome.NO_ANSWER: "no answer",
    CallOutcome.VOICEMAIL: "left a voicemail",
    CallOutcome.PROMISED: "promised to pay",
    CallOutcome.DISPUTE: "disputes the invoice",
    CallOutcome.WRONG_NUMBER: "wrong number",
    CallOutcome.SAYS_PAID: "says already paid",
    CallOutcome.REFUSED: "refused to pay",
}


# What a wrong number leaves to do once no other number is known; with one, the next action
# is to call that contact instead (domain/policy.py).
FIND_CONTACT_DETAILS = "find contact details"


@dataclass(frozen=True)
class FollowUp:
    """The action a call outcome schedules, and when."""

    action: str
    on: date


def follow_up(outcome: CallOutcome, called_on: date, promised_on: date | None = None) -> FollowUp:
    """The next step after a call: voicemail → call again in 2 days, promise → the day after."""
    if outcome is CallOutcome.PROMISED:
        if promised_on is None:
            raise ValueError("a promise needs the promised date")
        return FollowUp("check promise", promised_on + timedelta(days=1))
    action, days = _FOLLOW_UPS[outcome]
    return FollowUp(action, called_on + timedelta(days=days))


# Days chosen so a careless payer gets a quick second try and a refusal moves the ladder on.
_FOLLOW_UPS: dict[CallOutcome, tuple[str, int]] = {
    CallOutcome.NO_ANSWER: ("call again", 1),
    CallOutcome.VOICEMAIL: ("call again", 2),
    CallOutcome.DISPUTE: ("resolve dispute", 7),
    CallOutcome.WRONG_NUMBER: (FIND_CONTACT_DETAILS, 0),
    CallOutcome.SAYS_PAID: ("check payment received", 3),
    CallOutcome.REFUSED: ("formal notice", 1),
}
