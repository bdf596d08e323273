"""Escalation ladders as data: the steps, their channels, tones and templates, per country."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    """How a step reaches the client."""

    EMAIL = "email"
    PHONE = "phone"
    SMS = "sms"
    LETTER = "letter"
    VISIT = "visit"
    # A mediator proposed to the client, before the court: its answer decides the next step.
    MEDIATION = "mediation"
    LEGAL = "legal"

    @property
    def history_kind(self) -> str:
        """The kind of history event that records this channel having been used."""
        return "call" if self is Channel.PHONE else self.value

    @property
    def is_written(self) -> bool:
        """True for the channels the year-end advice is about: what lands in an inbox."""
        return self in (Channel.EMAIL, Channel.LETTER, Channel.SMS)


class Tone(StrEnum):
    """How firmly a step speaks."""

    COURTEOUS = "courteous"
    FIRM = "firm"
    FORMAL = "formal"


class Anchor(StrEnum):
    """What a step's offset counts from."""

    DUE = "due"
    PREVIOUS = "previous"


@dataclass(frozen=True)
class Step:
    """One rung: from ``after`` days past the anchor, through these channels."""

    label: str
    after: int
    anchor: Anchor
    channels: tuple[Channel, ...]
    tone: Tone
    template: str

    @property
    def main_kind(self) -> str:
        """The history kind that counts as this step done: its last channel, the written one.

        The channels before it go along with it: a call alone is not a formal notice.
        """
        return self.channels[-1].history_kind


@dataclass(frozen=True)
class Ladder:
    """A named, ordered list of steps."""

    name: str
    steps: tuple[Step, ...]


# History kinds that are a step of some ladder; a contact of one of these kinds moves a client on.
STEP_KINDS = tuple(channel.history_kind for channel in Channel)
# The written ones: what a payer who ignores reminders has been sent.
WRITTEN_KINDS = tuple(channel.history_kind for channel in Channel if channel.is_written)


def _step(
    label: str, after: int, channels: str, tone: str, template: str, anchor: str = "due"
) -> Step:
    """A shipped step, written as the config file would: channels as "phone+email"."""
    picked = tuple(Channel(name) for name in channels.split("+"))
    return Step(label, after, Anchor(anchor), picked, Tone(tone), template)


# The history kind of the mediation step; its outcome (proposed, agreed, failed) says how it went.
MEDIATION_KIND = Channel.MEDIATION.history_kind

# France: friendly reminders, then the mise en demeure (registered letter) whose deadline is
# 8 to 15 days; once it has run out, a mediator is proposed (the amicable attempt a court
# expects before most small claims, art. 750-1 CPC), and the legal route opens when the
# mediation fails or the proposal has gone unanswered.
FR_CARELESS = Ladder(
    "fr-careless",
    (
        _step("courteous email", 7, "email", "courteous", "courteous"),
        _step("second email", 14, "email", "courteous", "second"),
        _step("phone call", 21, "phone", "firm", "call"),
        _step("firm email", 30, "email", "firm", "firm"),
        _step("formal notice", 45, "letter", "formal", "formal-notice"),
        _step("mediation", 15, "mediation", "formal", "mediation", "previous"),
        _step("legal route", 30, "legal", "formal", "legal", "previous"),
    ),
)
# A payer in bad faith gets a call and a written reminder at each step, a formal notice at +21,
# a mediator proposed as soon as the notice's 8 days have passed, and the legal route 15 days
# later (at once if the mediation fails).
FR_BAD_FAITH = Ladder(
    "fr-bad-faith",
    (
        _step("call and firm email", 5, "phone+email", "firm", "firm"),
        _step("call and last email", 12, "phone+email", "firm", "last-reminder"),
        _step("formal notice", 21, "phone+letter", "formal", "formal-notice"),
        _step("mediation", 8, "mediation", "formal", "mediation", "previous"),
        _step("legal route", 15, "legal", "formal", "legal", "previous"),
    ),
)
# The UK Pre-Action Protocol: a letter before action gives a company 14 days, an individual 30,
# before a County Court claim.
UK_COMPANY = Ladder(
    "uk-company",
    (
        _step("reminder", 7, "email", "courteous", "courteous"),
        _step("second reminder", 14, "email", "firm", "firm"),
        _step("phone call", 21, "phone", "firm", "call"),
        _step("letter before action", 30, "letter", "formal", "letter-before-action"),
        _step("county court claim", 14, "legal", "formal", "county-court", "previous"),
    ),
)
UK_INDIVIDUAL = Ladder(
    "uk-individual",
    (
        *UK_COMPANY.steps[:-1],
        _step("county court claim", 30, "legal", "formal", "county-court", "previous"),
    ),
)
US_DEFAULT = Ladder(
    "us",
    (
        _step("reminder", 7, "email", "courteous", "courteous"),
        _step("second reminder", 15, "email", "firm", "firm"),
        _step("phone call", 30, "phone", "firm", "call"),
        _step("final demand", 45, "letter", "formal", "final-demand"),
        _step("small claims", 14, "legal", "formal", "small-claims", "previous"),
    ),
)

DEFAULT_LADDERS: dict[str, Ladder] = {
    ladder.name: ladder
    for ladder in (FR_CARELESS, FR_BAD_FAITH, UK_COMPANY, UK_INDIVIDUAL, US_DEFAULT)
}


def ladder_name(jurisdiction: str, kind: str, profile: str) -> str:
    """Which ladder a client follows: by country, then by payer profile or kind of debtor."""
    if jurisdiction == "uk-b2b":
        return "uk-individual" if kind == "b2c" else "uk-company"
    if jurisdiction == "us":
        return "us"
    # France and, for now, the rest of the EU; an unknown profile gets the careless ladder.
    return "fr-bad-faith" if profile == "bad-faith" else "fr-careless"


def country_of(jurisdiction: str) -> str:
    """The country whose public holidays apply to a jurisdiction."""
    if jurisdiction == "uk-b2b":
        return "GB"
    if jurisdiction == "us":
        return "US"
    return "FR"
