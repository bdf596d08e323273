"""The triage index: each client's sort keys and next action, recomputed inside every write.

This runs in every write transaction, so it reads with a few prepared SQL statements rather
than built queries: it is the hot path of imports and of the sample book.
"""

from __future__ import annotations

from datetime import date, timedelta

from relance.domain.next_action import ClientState, default_next_action
from relance.store.models import database

# Kinds of history event that count as having been in touch with the client.
CONTACT_KINDS = ("call", "email", "letter", "sms", "visit", "plan")
# Kinds that are a step of the reminder sequence.
STEP_KINDS = ("call", "email", "letter", "sms", "visit")
OPEN_PLAN_STATUSES = ("accepted", "active")


def _in_list(values: tuple[str, ...]) -> str:
    """A SQL list of constant words, for the fixed kinds and statuses above."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


_POSITION_SQL = """
SELECT COALESCE(SUM(amount - paid), 0), COUNT(*), MIN(due_on)
FROM invoice WHERE client_id = ? AND amount > paid
"""

# The current episode starts at the oldest unpaid due date (the second parameter): steps and
# follow-ups from earlier, long-settled debts must not make a new reminder sound like the fifth.
_STATE_SQL = f"""
SELECT
    c.disputed,
    c.snoozed_until,
    (SELECT date(e.happened_at) FROM contact_event e
     WHERE e.client_id = c.id AND e.kind = 'dispute' AND e.outcome = 'on'
     ORDER BY e.happened_at DESC, e.id DESC LIMIT 1),
    (SELECT MIN(p.due_on) FROM promise p WHERE p.client_id = c.id AND p.status = 'open'),
    (SELECT MIN(i.due_on) FROM instalment i JOIN payment_plan pp ON i.plan_id = pp.id
     WHERE pp.client_id = c.id AND pp.status IN {_in_list(OPEN_PLAN_STATUSES)}
       AND i.paid < i.amount),
    (SELECT COUNT(*) FROM contact_event e
     WHERE e.client_id = c.id AND e.happened_at >= ?2 AND e.direction = 'out'
       AND e.kind IN {_in_list(STEP_KINDS)})
FROM client c WHERE c.id = ?1
"""

_LAST_CONTACT_SQL = f"""
SELECT e.follow_up_action, e.follow_up_on, date(e.happened_at),
       EXISTS (SELECT 1 FROM promise p WHERE p.event_id = e.id AND p.status != 'open')
FROM contact_event e
WHERE e.client_id = ?1 AND e.happened_at >= ?2 AND e.kind IN {_in_list(CONTACT_KINDS)}
ORDER BY e.happened_at DESC, e.id DESC LIMIT 1
"""

_UPDATE_SQL = """
UPDATE client SET outstanding = ?, open_invoices = ?, oldest_due_on = ?,
                  next_action = ?, next_action_on = ?
WHERE id = ?
"""


def open_position(client_id: int) -> tuple[int, int, date | None]:
    """Outstanding amount, number of open invoices and oldest open due date of a client."""
    outstanding, count, oldest = database.execute_sql(_POSITION_SQL, (client_id,)).fetchone()
    return int(outstanding), int(count), _as_date(oldest)


def client_state(client_id: int, outstanding: int, oldest: date | None) -> ClientState:
    """Gather everything the next action depends on from the client's rows and history."""
    episode = oldest.isoformat() if oldest else ""
    row = database.execute_sql(_STATE_SQL, (client_id, episode)).fetchone()
    if row is None:
        raise LookupError(f"no client with id {client_id}")
    disputed, snoozed, dispute_on, promise_due, plan_next, steps = row
    last = database.execute_sql(_LAST_CONTACT_SQL, (client_id, episode)).fetchone()
    follow_up_action: str | None = None
    follow_up_on: date | None = None
    last_contact_on: date | None = None
    if last is not None:
        action, action_on, contact_on, promise_settled = last
        last_contact_on = _as_date(contact_on)
        # A call's follow-up was to check its promise; once kept there is nothing to check.
        if not promise_settled:
            follow_up_action, follow_up_on = action or None, _as_date(action_on)
    return ClientState(
        outstanding=outstanding,
        oldest_due_on=oldest,
        disputed_since=_as_date(dispute_on) if disputed else None,
        snoozed_until=_as_date(snoozed),
        promise_check_on=_next_day(_as_date(promise_due)),
        plan_next_due_on=_as_date(plan_next),
        steps_done=int(steps),
        follow_up_action=follow_up_action,
        follow_up_on=follow_up_on,
        last_contact_on=last_contact_on,
    )


def refresh_client_summary(client_id: int) -> None:
    """Recompute one client's triage columns; call it inside the transaction that changed it."""
    outstanding, open_count, oldest = open_position(client_id)
    action = default_next_action(client_state(client_id, outstanding, oldest))
    database.execute_sql(
        _UPDATE_SQL,
        (
            outstanding,
            open_count,
            _iso(oldest),
            action.action,
            _iso(action.on),
            client_id,
        ),
    )


def refresh_all_summaries() -> None:
    """Recompute every client's triage columns (after a migration)."""
    for (client_id,) in database.execute_sql("SELECT id FROM client").fetchall():
        refresh_client_summary(client_id)


def _iso(value: date | None) -> str | None:
    """A date as SQLite stores it, keeping ``None``."""
    return value.isoformat() if value else None


def _as_date(value: object) -> date | None:
    """SQLite returns dates as text; bring them back to ``date``."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _next_day(value: date | None) -> date | None:
    """The day after, keeping ``None``."""
    return value + timedelta(days=1) if value else None
