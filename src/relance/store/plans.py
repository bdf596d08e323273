"""Payment plans: the running one's instalments, the one that comes next or was missed, and
the plans the catch-up judges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from peewee import ModelSelect

from relance.domain.plans import ScheduledInstalment
from relance.store.models import Instalment, PaymentPlan
from relance.store.stored_dates import stored_day

# "accepted" is the word of older books; an accepted plan is an active one.
RUNNING_PLAN_STATUSES = ("accepted", "active")
INSTALMENT_DUE = "instalment-due"
INSTALMENT_MISSED = "instalment-missed"


def _unpaid_running_instalments(client_id: int) -> ModelSelect[Instalment]:
    """The instalments of the client's running plan not yet paid in full, in order."""
    return (
        Instalment.select()
        .join(PaymentPlan)
        .where(
            (PaymentPlan.client == client_id)
            & PaymentPlan.status.in_(RUNNING_PLAN_STATUSES)
            & (Instalment.paid < Instalment.amount)
        )
        .order_by(PaymentPlan.id, Instalment.seq)
    )


def running_instalments(client_id: int) -> list[Instalment]:
    """The unpaid instalments of the client's running plan, in order (none without a plan)."""
    return list(_unpaid_running_instalments(client_id))


@dataclass(frozen=True)
class InstalmentLine:
    """One instalment of a plan, as a message writes it out."""

    seq: int
    due_on: date
    amount: int
    paid: int
    is_deposit: bool


def _line(instalment: Instalment) -> InstalmentLine:
    """An instalment row as a plain value."""
    return InstalmentLine(
        int(instalment.seq),
        stored_day(instalment.due_on),
        int(instalment.amount),
        int(instalment.paid),
        bool(instalment.is_deposit),
    )


def next_unpaid_instalment(client_id: int) -> InstalmentLine | None:
    """The first instalment of the client's running plan not yet paid in full, if any."""
    instalment = _unpaid_running_instalments(client_id).first()
    return _line(instalment) if instalment is not None else None


def instalment_template(client_id: int, today: date) -> str | None:
    """``instalment-due`` before an instalment's date, ``instalment-missed`` after; None if no plan.

    Judged with ``today``, so a notice never goes out for an instalment already missed.
    """
    instalment = next_unpaid_instalment(client_id)
    if instalment is None:
        return None
    return INSTALMENT_MISSED if instalment.due_on < today else INSTALMENT_DUE


@dataclass(frozen=True)
class PlanToJudge:
    """A plan as the catch-up judges it: its status and its unpaid instalments in order."""

    plan_id: int
    client_id: int
    status: str
    # (seq, due_on) of each instalment not yet paid in full.
    unpaid: tuple[tuple[int, date], ...]


def plans_to_judge(client_id: int, statuses: tuple[str, ...]) -> list[PlanToJudge]:
    """The client's plans in these statuses, each with its unpaid instalments."""
    plans = []
    for plan in PaymentPlan.select().where(
        (PaymentPlan.client == client_id) & PaymentPlan.status.in_(statuses)
    ):
        unpaid = plan.instalments.where(Instalment.paid < Instalment.amount).order_by(
            Instalment.seq
        )
        plans.append(
            PlanToJudge(
                int(plan.id),
                client_id,
                str(plan.status),
                tuple((int(row.seq), stored_day(row.due_on)) for row in unpaid),
            )
        )
    return plans


def set_plan_status(plan_id: int, status: str) -> None:
    """Give a plan a new status."""
    PaymentPlan.update(status=status).where(PaymentPlan.id == plan_id).execute()


def lapsed_plan_clients(today: date, grace_days: int) -> list[int]:
    """Clients with a running plan whose oldest unpaid instalment is past the grace days."""
    last_safe = today - timedelta(days=grace_days)
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


@dataclass(frozen=True)
class LivePlan:
    """A client's plan still in play, as an answer to it needs it."""

    plan_id: int
    status: str
    total: int
    # The first instalment's due date (a plan always has at least one).
    first_due_on: date


def live_plan(client_id: int, statuses: tuple[str, ...]) -> LivePlan | None:
    """The client's newest plan in one of these statuses, if any."""
    plan = (
        PaymentPlan.select()
        .where((PaymentPlan.client == client_id) & PaymentPlan.status.in_(statuses))
        .order_by(PaymentPlan.id.desc())
        .first()
    )
    if plan is None:
        return None
    first = plan.instalments.order_by(Instalment.seq).first()
    return LivePlan(int(plan.id), str(plan.status), int(plan.total), stored_day(first.due_on))


def insert_plan(
    client_id: int,
    total: int,
    frequency: str,
    created_on: date,
    instalments: Sequence[ScheduledInstalment],
) -> int:
    """Store a proposed plan with its instalments; returns its id."""
    plan = PaymentPlan.create(
        client=client_id, total=total, frequency=frequency, created_on=created_on
    )
    Instalment.insert_many(
        [
            {
                "plan": plan.id,
                "seq": item.seq,
                "due_on": item.due_on,
                "amount": item.amount,
                "is_deposit": item.is_deposit,
            }
            for item in instalments
        ]
    ).execute()
    return int(plan.id)


@dataclass(frozen=True)
class PlanSchedule:
    """A client's plan with its whole schedule, as a message writes it out."""

    status: str
    total: int
    frequency: str
    instalments: tuple[InstalmentLine, ...]


def plan_schedule(client_id: int, statuses: tuple[str, ...]) -> PlanSchedule | None:
    """The client's newest plan in one of these statuses with its instalments in order, if any."""
    plan = (
        PaymentPlan.select()
        .where((PaymentPlan.client == client_id) & PaymentPlan.status.in_(statuses))
        .order_by(PaymentPlan.id.desc())
        .first()
    )
    if plan is None:
        return None
    return PlanSchedule(
        str(plan.status),
        int(plan.total),
        str(plan.frequency),
        tuple(_line(row) for row in plan.instalments.order_by(Instalment.seq)),
    )
