"""Which history events are ladder steps: a contact made, or an e-mail that left.

A reminder is logged as ``email``/``queued`` when it is written to the outbox, before anything
is sent; it only becomes a step once the server takes it, which the ``outbox``/``sent`` event
records. With no ``[smtp]`` it is logged as ``email``/``written`` and becomes a step once the
user confirms having sent it, which writes the same ``outbox``/``sent`` event. A queued,
refused, unconfirmed or never-sent message moves nothing and is cited nowhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from peewee import Case, Expression, fn

from relance.domain.ladder import STEP_KINDS
from relance.store.models import ContactEvent

# The history kind of delivery news about a reminder already logged.
DELIVERY_KIND = "outbox"
QUEUED = "queued"
# Written to the outbox with no [smtp] configured: the user sends it, then confirms it went.
WRITTEN = "written"
ACCEPTED = "sent"
DISCARDED = "discarded"
# The outcomes of a reminder written to the outbox, before any news of its delivery.
OUTBOX_OUTCOMES = (QUEUED, WRITTEN)
# A message of the user's choosing (a thank-you): logged and delivered like a reminder, under
# kinds of its own so that it is never a step of the ladder.
CHOSEN_MESSAGE_KIND = "message"
CHOSEN_DELIVERY_KIND = "message-outbox"
# Call outcomes that never reached anybody: tried, but not a contact to cite.
UNREACHED_CALL_OUTCOMES = ("no-answer", "wrong-number")
# Said in the delivery news of a message the server refused for good (a 5xx answer).
REFUSED_FOR_GOOD = "refused for good"
# How the dossier marks an outgoing contact that never reached the client.
ATTEMPT_WORDS = {
    "no-answer": "attempt: no answer",
    "wrong-number": "attempt: wrong number",
    "refused": "attempt: refused by the server",
    "failed": "attempt: not sent, the server did not take it",
    "discarded": "attempt: discarded, never sent",
    "unconfirmed": "attempt: not confirmed as sent",
    "waiting": "attempt: waiting in the outbox, not sent",
}
# The kinds of step a message or a letter cites as an earlier reminder, once it reached the client.
CITED_KINDS = ("email", "letter", "sms", "call")


def _in_list(values: tuple[str, ...]) -> str:
    """A SQL list of constant words."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def step_event_sql(alias: str) -> str:
    """A SQL condition on ``alias`` true for an outgoing event that is a step of the ladder."""
    return (
        f"({alias}.direction = 'out' AND ("
        f"({alias}.kind IN {_in_list(STEP_KINDS)}"
        f" AND NOT ({alias}.kind = 'email' AND {alias}.outcome IN {_in_list(OUTBOX_OUTCOMES)}))"
        f" OR ({alias}.kind = '{DELIVERY_KIND}' AND {alias}.outcome = '{ACCEPTED}')))"
    )


def step_kind_sql(alias: str) -> str:
    """The step kind of an event on ``alias``: an accepted delivery is an e-mail step."""
    return f"(CASE WHEN {alias}.kind = '{DELIVERY_KIND}' THEN 'email' ELSE {alias}.kind END)"


def step_event() -> Expression:
    """The condition of ``step_event_sql`` on ContactEvent, for built queries."""
    email_queued = (ContactEvent.kind == "email") & ContactEvent.outcome.in_(OUTBOX_OUTCOMES)
    delivered = (ContactEvent.kind == DELIVERY_KIND) & (ContactEvent.outcome == ACCEPTED)
    return (ContactEvent.direction == "out") & (
        (ContactEvent.kind.in_(STEP_KINDS) & ~email_queued) | delivered
    )


def reached_client() -> Expression:
    """A step that reached the client: unanswered and wrong-number calls are only attempts."""
    unreached = (ContactEvent.kind == "call") & ContactEvent.outcome.in_(UNREACHED_CALL_OUTCOMES)
    return step_event() & ~unreached


def step_kind() -> Case:
    """The step kind of an event in a built query (an accepted delivery is an e-mail)."""
    return Case(None, [(ContactEvent.kind == DELIVERY_KIND, "email")], ContactEvent.kind)


def contacts_to_cite(
    client_id: int, since: date, kinds: tuple[str, ...]
) -> list[tuple[datetime, str]]:
    """When and as what kind each step of these kinds reached the client since a day, in order."""
    kind = step_kind()
    rows = (
        ContactEvent.select(ContactEvent.happened_at, kind.alias("step_kind"))
        .where(
            (ContactEvent.client == client_id)
            & reached_client()
            & kind.in_(kinds)
            & (ContactEvent.happened_at >= since)
        )
        .order_by(ContactEvent.happened_at, ContactEvent.id)
        .tuples()
    )
    return [(at, str(step)) for at, step in cast("list[tuple[datetime, str]]", list(rows))]


def _latest_reminder(client: object, column: str) -> Any:
    """A column of the client's latest reminder written to the outbox (correlated on ``client``)."""
    reminder = ContactEvent.alias("latest_reminder")
    return (
        reminder.select(getattr(reminder, column))
        .where(
            (reminder.client == client)
            & (reminder.kind == "email")
            & (reminder.direction == "out")
            & reminder.outcome.in_(OUTBOX_OUTCOMES)
        )
        .order_by(reminder.happened_at.desc(), reminder.id.desc())
        .limit(1)
    )


def undelivered_marker(client: object) -> Expression:
    """True when the client's latest reminder has not left (correlated on ``client``).

    Only that reminder's own news counts, matched by its Message-ID: it is undelivered while
    it waits, was refused or failed, or awaits the user's word that it was sent by hand; news
    of an older message (a refusal retried later) never marks the row.
    """
    news = ContactEvent.alias("delivery_news")
    latest_id = _latest_reminder(client, "id")
    latest_body = _latest_reminder(client, "body")
    fate = (
        news.select(news.outcome)
        .where(
            (news.client == client)
            & (news.kind == DELIVERY_KIND)
            & (news.id > latest_id)
            & (fn.instr(latest_body, news.body.concat("\n")) > 0)
        )
        .order_by(news.happened_at.desc(), news.id.desc())
        .limit(1)
    )
    return fn.EXISTS(latest_id) & (fn.COALESCE(fate, QUEUED) == QUEUED)


def undelivered_note(client_id: int) -> str | None:
    """Why the client's latest reminder has not gone, in the history's words; None if it has."""
    latest = (
        ContactEvent.select(ContactEvent.id, ContactEvent.outcome, ContactEvent.body)
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "email")
            & (ContactEvent.direction == "out")
            & ContactEvent.outcome.in_(OUTBOX_OUTCOMES)
        )
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )
    if latest is None:
        return None
    news = reminder_news(client_id, latest.id, str(latest.body))
    if news is not None and news.outcome != QUEUED:
        return None
    if news is not None:
        return str(news.summary)
    if latest.outcome == WRITTEN:
        return UNCONFIRMED_NOTE
    return "reminder waiting in the outbox, not sent yet"


# Said of a reminder written with no [smtp] until the user confirms having sent it.
UNCONFIRMED_NOTE = (
    "reminder written to the outbox for you to send; not counted until you confirm it went"
)


def reminder_news(client_id: int, event_id: int, body: str) -> Any:
    """The latest delivery news of the reminder logged as ``event_id``, or None."""
    message_id = logged_message_id(body)
    if not message_id:
        return None
    return (
        ContactEvent.select(ContactEvent.outcome, ContactEvent.summary)
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == DELIVERY_KIND)
            & (ContactEvent.id > event_id)
            & (ContactEvent.body == f"Message-ID: {message_id}")
        )
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )


def logged_message_id(body: str) -> str:
    """The Message-ID in the headers a reminder's history text starts with; empty if none."""
    for line in body.split("\n"):
        if not line:
            break
        name, _, value = line.partition(": ")
        if name == "Message-ID":
            return value
    return ""


def unconfirmed_reminder(client_id: int) -> tuple[int, str] | None:
    """The client's latest reminder written with no server and not yet confirmed or discarded.

    Returned as its event id and Message-ID; None when there is none.
    """
    latest = (
        ContactEvent.select(ContactEvent.id, ContactEvent.outcome, ContactEvent.body)
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "email")
            & (ContactEvent.direction == "out")
            & (ContactEvent.outcome == WRITTEN)
        )
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )
    if latest is None:
        return None
    message_id = logged_message_id(str(latest.body))
    if not message_id or reminder_news(client_id, latest.id, str(latest.body)) is not None:
        return None
    return int(latest.id), message_id


def attempt_marks(client_id: int) -> dict[int, str]:
    """Each outgoing call or reminder that never reached the client, by event id, with why."""
    calls = ContactEvent.select(ContactEvent.id, ContactEvent.outcome).where(
        (ContactEvent.client == client_id)
        & (ContactEvent.kind == "call")
        & (ContactEvent.direction == "out")
        & ContactEvent.outcome.in_(UNREACHED_CALL_OUTCOMES)
    )
    marks = {int(row.id): ATTEMPT_WORDS[str(row.outcome)] for row in calls}
    reminders = ContactEvent.select(ContactEvent.id, ContactEvent.outcome, ContactEvent.body).where(
        (ContactEvent.client == client_id)
        & (ContactEvent.kind == "email")
        & (ContactEvent.direction == "out")
        & ContactEvent.outcome.in_(OUTBOX_OUTCOMES)
    )
    for row in reminders:
        fate = _reminder_fate(client_id, int(row.id), str(row.outcome), str(row.body))
        if fate is not None:
            marks[int(row.id)] = ATTEMPT_WORDS[fate]
    return marks


def _reminder_fate(client_id: int, event_id: int, outcome: str, body: str) -> str | None:
    """Why a reminder never reached the client (a key of ATTEMPT_WORDS); None once it left."""
    news = reminder_news(client_id, event_id, body)
    if news is None:
        return "unconfirmed" if outcome == WRITTEN else "waiting"
    if news.outcome == ACCEPTED:
        return None
    if news.outcome == DISCARDED:
        return "discarded"
    return "refused" if REFUSED_FOR_GOOD in str(news.summary) else "failed"
