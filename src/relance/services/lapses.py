"""What time does on its own: promises that break, plans that complete, reopen or break.

Nothing is written when a date merely passes, so the entry points run ``catch_up`` when they
open the book (every command, and the app at start): each promise whose date has passed
uncovered becomes ``broken`` and each plan with an instalment missed beyond the grace days
becomes ``broken``, each with a history event, and the clients' triage columns are refreshed.
Readers that cannot wait for it judge with ``today`` (``store.promises``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from relance.domain.money import format_money
from relance.services.results import ActionResult
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.plans import (
    RUNNING_PLAN_STATUSES,
    PlanToJudge,
    lapsed_plan_clients,
    plans_to_judge,
    set_plan_status,
)
from relance.store.promises import (
    BROKEN,
    ChangedPromise,
    lapsed_promise_clients,
    settle_promises,
)
from relance.store.triage_index import active_policy, open_position, refresh_client_summary

ACTIVE = "active"
COMPLETED = "completed"


def catch_up(at: datetime) -> list[str]:
    """Break the promises and plans whose dates have passed; one line per client told."""
    today = at.date()
    # A read first: most days there is nothing to do, and no write lock is taken.
    if not lapsed_promise_clients(today) and not lapsed_plan_clients(
        today, active_policy().plan_grace_days
    ):
        return []
    with transaction():
        clients = set(lapsed_promise_clients(today)) | set(
            lapsed_plan_clients(today, active_policy().plan_grace_days)
        )
        told: list[str] = []
        for client_id in sorted(clients):
            lines = judge_client(client_id, at)
            if lines:
                name = get_client(client_id).name
                told.extend(f"{name}: {line}" for line in lines)
            refresh_client_summary(client_id)
    return told


def judge_client(client_id: int, at: datetime) -> list[str]:
    """Settle one client's promises and plans as of ``at``; call inside the caller's transaction.

    Each change of status gets a history event; the caller refreshes the triage columns.
    """
    currency = get_client(client_id).currency
    lines = [
        _promise_broken(promise, currency, at)
        for promise in settle_promises(client_id, at.date())
        if promise.status == BROKEN
    ]
    for plan in plans_to_judge(client_id, (*RUNNING_PLAN_STATUSES, COMPLETED)):
        line = _judge_plan(plan, currency, at)
        if line:
            lines.append(line)
    return lines


def judged_result(
    client: tuple[int, str], summary: str, event_id: int, at: datetime, record: dict[str, Any]
) -> ActionResult:
    """The result of an action on a client's money (client: id and name), judged anew."""
    client_id, name = client
    # Inside the action's transaction: what the judging changes is part of the action.
    told = judge_client(client_id, at)
    refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        "; ".join([f"{name}: {summary}", *told]),
        event_id,
        {**record, "events": told},
    )


def _promise_broken(promise: ChangedPromise, currency: str, at: datetime) -> str:
    """Record that a promise was not kept; returns the line that says so."""
    summary = (
        f"promise broken: {format_money(promise.amount, currency)} promised on "
        f"{promise.made_on.isoformat()} by {promise.due_on.isoformat()}, not received"
    )
    record_event(
        promise.client_id,
        "promise",
        summary,
        at,
        direction="internal",
        outcome="broken",
        amount=promise.amount,
    )
    return summary


def _judge_plan(plan: PlanToJudge, currency: str, at: datetime) -> str:
    """Complete, reopen or break a plan as its instalments stand; the line said, or ""."""
    unpaid = plan.unpaid
    grace = active_policy().plan_grace_days
    if not unpaid:
        if plan.status == COMPLETED:
            return ""
        return _set_plan(plan, COMPLETED, "payment plan completed: every instalment is paid", at)
    status = plan.status
    line = ""
    if status == COMPLETED:
        status = ACTIVE
        line = _set_plan(plan, ACTIVE, "payment plan active again: an instalment is unpaid", at)
    seq, due_on = unpaid[0]
    if due_on + timedelta(days=grace) < at.date():
        remainder = open_position(plan.client_id)[0]
        summary = (
            f"payment plan broken: instalment {seq} due {due_on.isoformat()} "
            f"missed by more than {grace} days; the remainder "
            f"{format_money(remainder, currency)} is due at once"
        )
        return _set_plan(plan, BROKEN, summary, at)
    return line


def _set_plan(plan: PlanToJudge, status: str, summary: str, at: datetime) -> str:
    """Give a plan a new status with its history event; returns the summary."""
    set_plan_status(plan.plan_id, status)
    record_event(plan.client_id, "plan", summary, at, direction="internal", outcome=status)
    return summary
