"""Which history events are ladder steps: a contact made, or an e-mail the server accepted.

A reminder is logged as ``email``/``queued`` when it is written to the outbox, before anything
is sent; it only becomes a step once the server takes it, which the ``outbox``/``sent`` event
records. A queued, refused or never-sent message moves nothing and is cited nowhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from peewee import Case, Expression, fn

from relance.domain.ladder import STEP_KINDS
from relance.store.models import ContactEvent

# The history kind of delivery news about a reminder already logged.
DELIVERY_KIND = "outbox"
QUEUED = "queued"
# Written to the outbox with no [smtp] configured: sent by hand, so it counts as written.
WRITTEN = "written"
ACCEPTED = "sent"
# Call outcomes that never reached anybody: tried, but not a contact to cite.
UNREACHED_CALL_OUTCOMES = ("no-answer", "wrong-number")


def _in_list(values: tuple[str, ...]) -> str:
    """A SQL list of constant words."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def step_event_sql(alias: str) -> str:
    """A SQL condition on ``alias`` true for an outgoing event that is a step of the ladder."""
    return (
        f"({alias}.direction = 'out' AND ("
        f"({alias}.kind IN {_in_list(STEP_KINDS)}"
        f" AND NOT ({alias}.kind = 'email' AND {alias}.outcome = '{QUEUED}'))"
        f" OR ({alias}.kind = '{DELIVERY_KIND}' AND {alias}.outcome = '{ACCEPTED}')))"
    )


def step_kind_sql(alias: str) -> str:
    """The step kind of an event on ``alias``: an accepted delivery is an e-mail step."""
    return f"(CASE WHEN {alias}.kind = '{DELIVERY_KIND}' THEN 'email' ELSE {alias}.kind END)"


def step_event() -> Expression:
    """The condition of ``step_event_sql`` on ContactEvent, for built queries."""
    email_queued = (ContactEvent.kind == "email") & (ContactEvent.outcome == QUEUED)
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


def _delivery_news(client: object) -> Expression:
    """A client's reminders written to the outbox and the news of their delivery."""
    return (ContactEvent.client == client) & (
        ((ContactEvent.kind == "email") & (ContactEvent.outcome == QUEUED))
        | (ContactEvent.kind == DELIVERY_KIND)
    )


def undelivered_marker(client: object) -> Expression:
    """True when the client's latest reminder has not reached the server (correlated on ``client``).

    Its latest delivery news is then "queued": written and waiting, refused or failed; a
    message sent or discarded since clears it.
    """
    news = ContactEvent.alias("delivery_news")
    latest = (
        news.select(news.outcome)
        .where(
            (news.client == client)
            & (((news.kind == "email") & (news.outcome == QUEUED)) | (news.kind == DELIVERY_KIND))
        )
        .order_by(news.happened_at.desc(), news.id.desc())
        .limit(1)
    )
    return fn.COALESCE(latest, "") == QUEUED


def undelivered_note(client_id: int) -> str | None:
    """Why the client's latest reminder has not gone, in the history's words; None if it has."""
    latest = (
        ContactEvent.select(ContactEvent.kind, ContactEvent.outcome, ContactEvent.summary)
        .where(_delivery_news(client_id))
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )
    if latest is None or latest.outcome != QUEUED:
        return None
    if latest.kind == DELIVERY_KIND:
        return str(latest.summary)
    return "reminder waiting in the outbox, not sent yet"
