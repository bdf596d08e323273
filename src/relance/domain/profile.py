"""The payer profile: careless or in bad faith, told from the history by plain rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Profile(StrEnum):
    """How a client pays: it picks the ladder."""

    UNKNOWN = "unknown"
    CARELESS = "careless"
    BAD_FAITH = "bad-faith"

    @property
    def label(self) -> str:
        """The words shown to the user."""
        return self.value.replace("-", " ")


# A delay this long on a paid invoice is a long one; two of them make a pattern.
LONG_DELAY_DAYS = 60
REPEATED_LONG_DELAYS = 2
BROKEN_PROMISES = 2
# Written reminders in the current episode, still unpaid: more than a whole careless ladder.
IGNORED_REMINDERS = 5
# Fewer paid invoices than this, and no sign of bad faith: too little history to tell.
ENOUGH_PAID_INVOICES = 2


@dataclass(frozen=True)
class PayerFacts:
    """What the history says about how a client pays; counted by the store, judged here."""

    paid_invoices: int = 0
    paid_late: int = 0
    paid_long_late: int = 0
    paid_after_reminder: int = 0
    paid_after_formal_notice: int = 0
    broken_promises: int = 0
    kept_promises: int = 0
    refusals: int = 0
    written_reminders: int = 0
    refused_deposits: int = 0
    refused_contracts: int = 0


@dataclass(frozen=True)
class Classification:
    """A profile with the reasons a user can read."""

    profile: Profile
    reasons: tuple[str, ...]


def classify(facts: PayerFacts) -> Classification:
    """Bad faith if any of its signs shows, careless with enough history, unknown otherwise."""
    signs = _bad_faith_signs(facts)
    if signs:
        return Classification(Profile.BAD_FAITH, signs)
    if facts.paid_invoices >= ENOUGH_PAID_INVOICES or facts.paid_after_reminder:
        reasons = [f"late on {facts.paid_late} of {facts.paid_invoices} paid invoices"]
        if facts.paid_after_reminder:
            reasons.append(f"paid {_times(facts.paid_after_reminder)} after a reminder")
        reasons.extend(_promise_record(facts))
        return Classification(Profile.CARELESS, tuple(reasons))
    return Classification(
        Profile.UNKNOWN,
        (f"too little history: {facts.paid_invoices} paid invoices", *_promise_record(facts)),
    )


def _promise_record(facts: PayerFacts) -> tuple[str, ...]:
    """How the client kept its promises, when it made any: a fact the user weighs too."""
    made = facts.kept_promises + facts.broken_promises
    if not made:
        return ()
    return (f"kept {facts.kept_promises} of {made} promises to pay",)


def _bad_faith_signs(facts: PayerFacts) -> tuple[str, ...]:
    """The signs of bad faith in the facts, each as a reason."""
    signs: list[str] = []
    if facts.broken_promises >= BROKEN_PROMISES:
        signs.append(f"broke {facts.broken_promises} promises to pay")
    if facts.written_reminders >= IGNORED_REMINDERS:
        signs.append(f"ignored {facts.written_reminders} written reminders")
    if facts.paid_long_late >= REPEATED_LONG_DELAYS:
        signs.append(f"paid {facts.paid_long_late} invoices over {LONG_DELAY_DAYS} days late")
    if facts.refusals:
        signs.append(f"refused to pay {_times(facts.refusals)}")
    # Asked before the work, a deposit or a contract refused warns of a payer who will resist.
    if facts.refused_deposits:
        signs.append(f"refused a deposit {_times(facts.refused_deposits)}")
    if facts.refused_contracts:
        signs.append(f"refused to sign a contract {_times(facts.refused_contracts)}")
    if facts.paid_after_formal_notice:
        signs.append(f"paid only after a formal notice {_times(facts.paid_after_formal_notice)}")
    return tuple(signs)


def effective_profile(computed: str, override: str | None) -> str:
    """The profile that picks the ladder: the user's override wins over the rules."""
    return override or computed


def _times(count: int) -> str:
    """ "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
