"""What time does on its own: promises that break, plans that complete, reopen or break.

Nothing is written when a date merely passes, so the entry points run ``catch_up`` when they
open the book (every command, and the app at start): each promise whose date has passed
uncovered becomes ``broken`` and each plan with an instalment missed beyond the grace days
becomes ``broken``, each with a history event, and the clients' triage columns are refreshed.
Readers that cannot wait for it judge with ``today`` (``store.promises``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

from relance.domain.money import format_money
from relance.services.results import ActionResult
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.models import Client, Instalment, PaymentPlan, Promise
from relance.store.plans import RUNNING_PLAN_STATUSES
from relance.store.promises import BROKEN, lapsed_promise_clients, settle_promises
from relance.store.triage_index import active_policy, open_position, refresh_client_summary

ACTIVE = "active"
COMPLETED = "completed"


def catch_up(at: datetime) -> list[str]:
    """Break the promises and plans whose dates have passed; one line per client told."""
    today = at.date()
    # A read first: most days there is nothing to do, and no write lock is taken.
    if not lapsed_promise_clients(today) and not _lapsed_plan_clients(today):
        return []
    with transaction():
        clients = set(lapsed_promise_clients(today)) | set(_lapsed_plan_clients(today))
        told: list[str] = []
        for client_id in sorted(clients):
            lines = judge_client(client_id, at)
            if lines:
                name = Client.get_by_id(client_id).name
                told.extend(f"{name}: {line}" for line in lines)
            refresh_client_summary(client_id)
    return told


def judge_client(client_id: int, at: datetime) -> list[str]:
    """Settle one client's promises and plans as of ``at``; call inside the caller's transaction.

    Each change of status gets a history event; the caller refreshes the triage columns.
    """
    currency = Client.get_by_id(client_id).currency
    lines = [
        _promise_broken(promise, currency, at)
        for promise in settle_promises(client_id, at.date())
        if promise.status == BROKEN
    ]
    for plan in PaymentPlan.select().where(
        (PaymentPlan.client == client_id)
        & PaymentPlan.status.in_((*RUNNING_PLAN_STATUSES, COMPLETED))
    ):
        line = _judge_plan(plan, currency, at)
        if line:
            lines.append(line)
    return lines


def judged_result(
    client: Client, summary: str, event_id: int, at: datetime, record: dict[str, Any]
) -> ActionResult:
    """The result of an action on a client's money, once its promises and plans are judged anew."""
    # Inside the action's transaction: what the judging changes is part of the action.
    told = judge_client(client.id, at)
    refresh_client_summary(client.id)
    return ActionResult(
        client.id,
        "; ".join([f"{client.name}: {summary}", *told]),
        event_id,
        {**record, "events": told},
    )


def _promise_broken(promise: Promise, currency: str, at: datetime) -> str:
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


def _judge_plan(plan: PaymentPlan, currency: str, at: datetime) -> str:
    """Complete, reopen or break a plan as its instalments stand; the line said, or ""."""
    unpaid = list(
        plan.instalments.where(Instalment.paid < Instalment.amount).order_by(Instalment.seq)
    )
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
    first = unpaid[0]
    if first.due_on + timedelta(days=grace) < at.date():
        remainder = open_position(plan.client_id)[0]
        summary = (
            f"payment plan broken: instalment {first.seq} due {first.due_on.isoformat()} "
            f"missed by more than {grace} days; the remainder "
            f"{format_money(remainder, currency)} is due at once"
        )
        return _set_plan(plan, BROKEN, summary, at)
    return line


def _set_plan(plan: PaymentPlan, status: str, summary: str, at: datetime) -> str:
    """Give a plan a new status with its history event; returns the summary."""
    plan.status = status
    plan.save()
    record_event(plan.client_id, "plan", summary, at, direction="internal", outcome=status)
    return summary


def _lapsed_plan_clients(today: date) -> list[int]:
    """Clients with a running plan whose oldest unpaid instalment is past the grace days."""
    last_safe = today - timedelta(days=active_policy().plan_grace_days)
    query = (
        PaymentPlan.select(PaymentPlan.client)
        .join(Instalment)
        .where(
            PaymentPlan.status.in_(RUNNING_PLAN_STATUSES)
            & (Instalment.paid < Instalment.amount)
            & (Instalment.due_on < last_safe)
        )
        .distinct()
        .tuples()
    )
    return sorted(int(client_id) for (client_id,) in cast("list[tuple[int]]", list(query)))
