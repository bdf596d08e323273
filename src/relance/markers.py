"""The one-letter markers of the triage list, shared by the app and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from relance.store.triage import TriageRow


@dataclass(frozen=True)
class Marker:
    """One letter of the marker column and what it means."""

    letter: str
    short: str
    meaning: str


DISPUTE = Marker("D", "dispute", "in dispute (off the reminder sequence)")
BROKEN_PROMISE = Marker(
    "!", "broken promise", "promise to pay broken, not yet followed up (listed first)"
)
PROMISE = Marker("P", "promise", "open promise to pay")
PLAN = Marker("$", "plan", "payment plan proposed or running")
SNOOZED = Marker("Z", "snoozed", "snoozed until a date")
UNDELIVERED = Marker(
    "@",
    "not sent",
    "latest reminder not sent: refused, failed, waiting, or written and not confirmed as sent",
)
MARKERS = (DISPUTE, BROKEN_PROMISE, PROMISE, PLAN, SNOOZED, UNDELIVERED)


def markers_of(row: TriageRow, today: date) -> list[Marker]:
    """The markers a client line carries today, in the fixed order above.

    A broken promise shows instead of the open-promise letter, so a line never needs more
    than five.
    """
    shown = {
        DISPUTE: row.disputed,
        BROKEN_PROMISE: row.broken_promise,
        PROMISE: row.has_promise and not row.broken_promise,
        PLAN: row.has_plan,
        SNOOZED: row.is_snoozed(today),
        UNDELIVERED: row.undelivered,
    }
    return [marker for marker in MARKERS if shown[marker]]


def legend() -> str:
    """One short line explaining every marker, for under a printed table."""
    return "markers: " + " · ".join(f"{m.letter} {m.short}" for m in MARKERS)
