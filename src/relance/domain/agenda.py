"""The week ahead: what falls due book-wide in the next days, sorted by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_DAYS = 7
MAX_DAYS = 366


class AgendaKind(StrEnum):
    """What a line of the agenda is about; the order is the order of lines on one day."""

    PROMISE = "promise"
    INSTALMENT = "instalment"
    DEADLINE = "deadline"
    CALL = "call"
    ACTION = "action"


KIND_ORDER = {kind: index for index, kind in enumerate(AgendaKind)}


@dataclass(frozen=True)
class AgendaItem:
    """One line: on which day, what, for which client."""

    on: date
    kind: AgendaKind
    client_id: int
    client_name: str
    what: str
    amount: int | None = None
    currency: str = ""


def agenda_window(today: date, days: int) -> tuple[date, date]:
    """The first and last day the agenda covers: today and the ``days - 1`` after it."""
    return today, today + timedelta(days=days - 1)


def week_ahead(items: list[AgendaItem], today: date, days: int) -> list[AgendaItem]:
    """The items inside the window, by day, then kind, then client name."""
    first, last = agenda_window(today, days)
    inside = [item for item in items if first <= item.on <= last]
    return sorted(
        inside,
        key=lambda item: (
            item.on,
            KIND_ORDER[item.kind],
            item.client_name.casefold(),
            item.client_id,
        ),
    )


def is_call(action: str) -> bool:
    """True for a next action that is a phone call (a ladder's call step or a call again)."""
    return "call" in action.split()
