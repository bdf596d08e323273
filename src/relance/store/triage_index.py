"""The triage index: each client's sort keys, next action and profile, recomputed in every write.

This runs in every write transaction, so it reads with a few prepared SQL statements rather
than built queries: it is the hot path of imports and of the sample book.
"""

from __future__ import annotations

from datetime import date, timedelta

from relance.domain.calls import FIND_CONTACT_DETAILS
from relance.domain.ladder import STEP_KINDS, WRITTEN_KINDS, country_of
from relance.domain.policy import (
    DEFAULT_POLICY,
    ClientState,
    Contacted,
    Policy,
    policy_fingerprint,
)
from relance.domain.policy import next_action as policy_next_action
from relance.domain.prevention import CONTRACT_REFUSED, DEPOSIT_REFUSED, PREVENTION_KIND
from relance.domain.profile import (
    LONG_DELAY_DAYS,
    Classification,
    PayerFacts,
    classify,
    effective_profile,
)
from relance.store.models import database
from relance.store.steps import OUTBOX_OUTCOMES, step_event_sql, step_kind_sql
from relance.store.stored_dates import stored_day, stored_day_or_none

# Kinds of history event that count as having been in touch with the client.
CONTACT_KINDS = (*STEP_KINDS, "plan")
OPEN_PLAN_STATUSES = ("accepted", "active")
# A payment this many days after a reminder is taken as an answer to it.
ANSWER_WINDOW_DAYS = 30

# The policy the index is built with; the entry points set it from the config file.
_active_policy = DEFAULT_POLICY


def set_active_policy(policy: Policy) -> None:
    """Use this policy for every summary computed from now on."""
    global _active_policy
    _active_policy = policy


def active_policy() -> Policy:
    """The policy the index is built with."""
    return _active_policy


def _in_list(values: tuple[str, ...]) -> str:
    """A SQL list of constant words, for the fixed kinds and statuses above."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


_POSITION_SQL = """
SELECT COALESCE(SUM(amount - paid), 0), COUNT(*), MIN(due_on)
FROM invoice WHERE client_id = ? AND amount > paid
"""

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
    c.jurisdiction,
    c.kind,
    c.profile_override,
    (SELECT CASE WHEN p.status = 'broken' AND NOT EXISTS (
                SELECT 1 FROM contact_event e WHERE e.client_id = c.id
                  AND {step_event_sql("e")} AND date(e.happened_at) > p.due_on)
            THEN p.due_on END
     FROM promise p WHERE p.client_id = c.id ORDER BY p.made_on DESC, p.id DESC LIMIT 1),
    (SELECT e.happened_at FROM contact_event e
     WHERE e.client_id = c.id AND e.kind = 'dispute' AND e.outcome = 'off'
     ORDER BY e.happened_at DESC, e.id DESC LIMIT 1),
    (SELECT date(e.happened_at) FROM contact_event e
     WHERE e.client_id = c.id AND e.kind = 'plan' AND e.outcome = 'proposed'
       AND EXISTS (SELECT 1 FROM payment_plan pp
                   WHERE pp.client_id = c.id AND pp.status = 'proposed')
     ORDER BY e.happened_at DESC, e.id DESC LIMIT 1)
FROM client c WHERE c.id = ?1
"""

# The current episode starts at the oldest unpaid due date (the second parameter): steps and
# follow-ups from earlier, long-settled debts must not make a new reminder sound like the fifth.
_STEPS_SQL = f"""
SELECT date(e.happened_at), {step_kind_sql("e")}, e.outcome FROM contact_event e
WHERE e.client_id = ?1 AND e.happened_at >= ?2 AND {step_event_sql("e")}
ORDER BY e.happened_at, e.id
"""

_LAST_CONTACT_SQL = f"""
SELECT e.follow_up_action, e.follow_up_on, date(e.happened_at), {step_kind_sql("e")},
       EXISTS (SELECT 1 FROM promise p WHERE p.event_id = e.id AND p.status != 'open'),
       e.happened_at
FROM contact_event e
WHERE e.client_id = ?1 AND e.happened_at >= ?2
  AND ({step_event_sql("e")} OR (e.kind IN {_in_list(CONTACT_KINDS)}
       AND e.direction != 'internal'
       AND NOT (e.kind = 'email' AND e.outcome IN {_in_list(OUTBOX_OUTCOMES)})))
ORDER BY e.happened_at DESC, e.id DESC LIMIT 1
"""

# A promise is broken once the history has moved past its date without it being kept: judged
# from the client's latest event, not from today, so the stored profile stays valid.
_FACTS_SQL = f"""
WITH paid AS (
    SELECT i.due_on AS due_on, MAX(p.received_on) AS paid_on
    FROM invoice i JOIN allocation a ON a.invoice_id = i.id JOIN payment p ON p.id = a.payment_id
    WHERE i.client_id = ?1 AND i.paid >= i.amount
    GROUP BY i.id
)
SELECT
    (SELECT COUNT(*) FROM paid),
    (SELECT COUNT(*) FROM paid WHERE paid_on > due_on),
    (SELECT COUNT(*) FROM paid
     WHERE julianday(paid_on) - julianday(due_on) > {LONG_DELAY_DAYS}),
    (SELECT COUNT(*) FROM payment p WHERE p.client_id = ?1 AND p.reversed_at IS NULL AND EXISTS (
        SELECT 1 FROM contact_event e WHERE e.client_id = ?1 AND {step_event_sql("e")}
          AND date(e.happened_at) BETWEEN date(p.received_on, '-{ANSWER_WINDOW_DAYS} days')
                                      AND p.received_on)),
    (SELECT COUNT(*) FROM payment p WHERE p.client_id = ?1 AND p.reversed_at IS NULL AND EXISTS (
        SELECT 1 FROM contact_event e WHERE e.client_id = ?1 AND e.direction = 'out'
          AND e.kind = 'letter'
          AND date(e.happened_at) BETWEEN date(p.received_on, '-{ANSWER_WINDOW_DAYS} days')
                                      AND p.received_on)),
    (SELECT COUNT(*) FROM promise pr WHERE pr.client_id = ?1 AND pr.status != 'kept'
       AND pr.due_on < (SELECT MAX(date(e.happened_at)) FROM contact_event e
                        WHERE e.client_id = ?1)),
    (SELECT COUNT(*) FROM contact_event e
     WHERE e.client_id = ?1 AND e.kind = 'call' AND e.outcome = 'refused'),
    (SELECT COUNT(*) FROM promise pr WHERE pr.client_id = ?1 AND pr.status = 'kept'),
    (SELECT COUNT(*) FROM contact_event e WHERE e.client_id = ?1
       AND e.kind = '{PREVENTION_KIND}' AND e.outcome = '{DEPOSIT_REFUSED}'),
    (SELECT COUNT(*) FROM contact_event e WHERE e.client_id = ?1
       AND e.kind = '{PREVENTION_KIND}' AND e.outcome = '{CONTRACT_REFUSED}')
"""

# The contact to call after a wrong number: billing first, a number nobody found wrong.
_NEXT_CALLABLE_SQL = """
SELECT name, email, phone FROM contact
WHERE client_id = ? AND trim(phone) != '' AND phone_wrong IS NULL
ORDER BY is_billing DESC, id LIMIT 1
"""

POLICY_SETTING = "policy_fingerprint"
_FINGERPRINT_SQL = "SELECT value FROM book_setting WHERE key = ?"
_SAVE_FINGERPRINT_SQL = """
INSERT INTO book_setting (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""

_UPDATE_SQL = """
UPDATE client SET outstanding = ?, open_invoices = ?, oldest_due_on = ?,
                  next_action = ?, next_action_on = ?, ladder_step = ?, next_action_reason = ?,
                  payer_profile = ?, folded_name = casefold(name)
WHERE id = ?
"""


def open_position(client_id: int) -> tuple[int, int, date | None]:
    """Outstanding amount, number of open invoices and oldest open due date of a client."""
    outstanding, count, oldest = database.execute_sql(_POSITION_SQL, (client_id,)).fetchone()
    return int(outstanding), int(count), stored_day_or_none(oldest)


def payer_facts(client_id: int, written_reminders: int) -> PayerFacts:
    """Count what the payer profile is judged on."""
    row = database.execute_sql(_FACTS_SQL, (client_id,)).fetchone()
    paid, late, long_late, after_reminder, after_notice, broken, refusals, kept = row[:8]
    refused_deposits, refused_contracts = row[8:]
    return PayerFacts(
        paid_invoices=int(paid),
        paid_late=int(late),
        paid_long_late=int(long_late),
        paid_after_reminder=int(after_reminder),
        paid_after_formal_notice=int(after_notice),
        broken_promises=int(broken),
        kept_promises=int(kept),
        refusals=int(refusals),
        written_reminders=written_reminders,
        refused_deposits=int(refused_deposits),
        refused_contracts=int(refused_contracts),
    )


def client_standing(
    client_id: int, outstanding: int, oldest: date | None
) -> tuple[ClientState, Classification]:
    """Gather everything the next action and the profile depend on from the client's rows."""
    episode = oldest.isoformat() if oldest else ""
    row = database.execute_sql(_STATE_SQL, (client_id,)).fetchone()
    if row is None:
        raise LookupError(f"no client with id {client_id}")
    (
        disputed,
        snoozed,
        dispute_on,
        promise_due,
        plan_next,
        jurisdiction,
        kind,
        override,
        broken_due,
        resolved_at,
        proposed_on,
    ) = row
    # The day a dispute was last resolved, once it no longer runs: the ladder resumes from it.
    resolved_on = (
        stored_day_or_none(resolved_at) if resolved_at is not None and not disputed else None
    )
    contacts = tuple(
        Contacted(stored_day(on), step_kind, outcome)
        for on, step_kind, outcome in database.execute_sql(
            _STEPS_SQL, (client_id, episode)
        ).fetchall()
    )
    classification = classify(
        payer_facts(client_id, sum(c.kind in WRITTEN_KINDS for c in contacts))
    )
    last = database.execute_sql(_LAST_CONTACT_SQL, (client_id, episode)).fetchone()
    follow_up_action: str | None = None
    follow_up_on: date | None = None
    last_contact_on: date | None = None
    last_kind = ""
    if last is not None:
        action, action_on, contact_on, last_kind, promise_settled, contact_at = last
        last_contact_on = stored_day_or_none(contact_on)
        # A call's follow-up was to check its promise; once kept there is nothing to check. A
        # dispute resolved after the contact settles its follow-up ("resolve dispute") too.
        settled_by_dispute = resolved_on is not None and str(contact_at) < str(resolved_at)
        if not promise_settled and not settled_by_dispute:
            follow_up_action, follow_up_on = action or None, stored_day_or_none(action_on)
    state = ClientState(
        outstanding=outstanding,
        oldest_due_on=oldest,
        jurisdiction=jurisdiction,
        kind=kind,
        profile=effective_profile(classification.profile.value, override),
        country=country_of(jurisdiction),
        disputed_since=stored_day_or_none(dispute_on) if disputed else None,
        snoozed_until=stored_day_or_none(snoozed),
        promise_check_on=_next_day(stored_day_or_none(promise_due)),
        plan_next_due_on=stored_day_or_none(plan_next),
        plan_proposed_on=stored_day_or_none(proposed_on),
        contacts=contacts,
        last_contact_on=last_contact_on,
        last_contact_kind=last_kind,
        follow_up_action=follow_up_action,
        follow_up_on=follow_up_on,
        broken_promise_due_on=stored_day_or_none(broken_due),
        dispute_resolved_on=resolved_on,
        # Read only when a wrong number asks for it: this runs in every write transaction.
        next_callable=next_callable(client_id)
        if follow_up_action == FIND_CONTACT_DETAILS
        else None,
    )
    return state, classification


def next_callable(client_id: int) -> tuple[str, str] | None:
    """Who to call next and at which number, or None when no number is left to try."""
    row = database.execute_sql(_NEXT_CALLABLE_SQL, (client_id,)).fetchone()
    if row is None:
        return None
    name, email, phone = (str(value).strip() for value in row)
    return (name or email or phone), phone


def client_profile(client_id: int) -> Classification:
    """A client's computed payer profile with its reasons, for the detail views."""
    outstanding, _, oldest = open_position(client_id)
    return client_standing(client_id, outstanding, oldest)[1]


def refresh_client_summary(client_id: int) -> None:
    """Recompute one client's triage columns; call it inside the transaction that changed it."""
    outstanding, open_count, oldest = open_position(client_id)
    state, classification = client_standing(client_id, outstanding, oldest)
    action = policy_next_action(state, _active_policy)
    database.execute_sql(
        _UPDATE_SQL,
        (
            outstanding,
            open_count,
            _iso(oldest),
            action.action,
            _iso(action.on),
            action.step,
            action.reason,
            classification.profile.value,
            client_id,
        ),
    )


def refresh_all_summaries() -> None:
    """Recompute every client's triage columns (after a migration or a policy change)."""
    for (client_id,) in database.execute_sql("SELECT id FROM client").fetchall():
        refresh_client_summary(client_id)


def rebuild_if_policy_changed() -> bool:
    """Recompute every client in one transaction when the policy differs from the index's.

    The book keeps the fingerprint of the policy its index was built with, so an edit of
    ``[policy]`` in the config file shows in every client at the next start.
    """
    current = policy_fingerprint(_active_policy)
    row = database.execute_sql(_FINGERPRINT_SQL, (POLICY_SETTING,)).fetchone()
    if row is not None and row[0] == current:
        return False
    with database.atomic():
        refresh_all_summaries()
        database.execute_sql(_SAVE_FINGERPRINT_SQL, (POLICY_SETTING, current))
    return True


def _iso(value: date | None) -> str | None:
    """A date as SQLite stores it, keeping ``None``."""
    return value.isoformat() if value else None


def _next_day(value: date | None) -> date | None:
    """The day after, keeping ``None``."""
    return value + timedelta(days=1) if value else None
