"""Proposing a payment plan: equal instalments that sum exactly to what is owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from relance.domain.dates import add_months
from relance.domain.money import decimal_string, format_money
from relance.domain.plans import Frequency, ScheduledInstalment, parse_deposit, schedule
from relance.services.history import record_event
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.lookup import get_client
from relance.store.models import Instalment, PaymentPlan
from relance.store.summary import open_position, refresh_client_summary

FREQUENCIES = tuple(f.value for f in Frequency)
MAX_INSTALMENTS = 60
PROPOSAL_FOLLOW_UP_DAYS = 7
# Many people are paid at the end of the month: the 20th leaves room on both sides.
PREFERRED_DAY = 20


@dataclass(frozen=True)
class PlanPreview:
    """A plan as it would be proposed: total, schedule, currency."""

    total: int
    currency: str
    instalments: list[ScheduledInstalment]


def default_first_date(today: date) -> date:
    """The next 20th of a month after today."""
    this_month = today.replace(day=PREFERRED_DAY)
    return this_month if this_month > today else add_months(this_month, 1)


def preview_plan(
    client_id: int,
    instalments: str,
    today: date,
    *,
    every: str = "month",
    first: str = "",
    deposit: str = "",
) -> PlanPreview:
    """Work out a plan's schedule for the client's outstanding amount, writing nothing."""
    form = Form()
    count = form.count("instalments", instalments, low=1, high=MAX_INSTALMENTS)
    frequency = form.choice("every", every or "month", FREQUENCIES)
    first_on = form.day("first", first, today=today) if first.strip() else default_first_date(today)
    if first_on is not None and first_on < today:
        form.fail("first", "the first instalment cannot be in the past")
    form.check()
    assert first_on is not None
    client = get_client(client_id)
    total = open_position(client_id)[0]
    if total <= 0:
        raise InvalidInput.one("instalments", f"{client.name} owes nothing")
    try:
        deposit_minor = parse_deposit(deposit, total)
    except ValueError as error:
        raise InvalidInput.one("deposit", str(error)) from None
    if deposit_minor >= total:
        raise InvalidInput.one("deposit", "the deposit must be less than the total")
    if total - deposit_minor < count:
        # Every instalment must be at least one cent.
        spread = format_money(total - deposit_minor, client.currency)
        raise InvalidInput.one("instalments", f"{spread} cannot be cut into {count} instalments")
    # The deposit falls on the first date and the equal shares follow one period apart.
    items = schedule(total, count, first_on, Frequency(frequency), deposit_minor)
    return PlanPreview(total, client.currency, items)


def propose_plan(
    client_id: int,
    instalments: str,
    at: datetime,
    *,
    every: str = "month",
    first: str = "",
    deposit: str = "",
) -> ActionResult:
    """Record a proposed payment plan over everything the client owes."""
    with transaction():
        plan = preview_plan(
            client_id, instalments, at.date(), every=every, first=first, deposit=deposit
        )
        client = get_client(client_id)
        row = PaymentPlan.create(
            client=client_id,
            total=plan.total,
            frequency=(every or "month").strip().lower(),
            created_on=at.date(),
        )
        for item in plan.instalments:
            Instalment.create(
                plan=row,
                seq=item.seq,
                due_on=item.due_on,
                amount=item.amount,
                is_deposit=item.is_deposit,
            )
        lines = "\n".join(
            f"{item.seq}. {item.due_on.isoformat()}  {format_money(item.amount, plan.currency)}"
            + ("  (deposit)" if item.is_deposit else "")
            for item in plan.instalments
        )
        summary = (
            f"payment plan proposed: {format_money(plan.total, plan.currency)} in "
            f"{len(plan.instalments)} instalments from {plan.instalments[0].due_on}"
        )
        event_id = record_event(
            client_id,
            "plan",
            summary,
            at,
            outcome="proposed",
            body=lines,
            amount=plan.total,
            follow_up_action="follow up plan proposal",
            follow_up_on=at.date() + timedelta(days=PROPOSAL_FOLLOW_UP_DAYS),
        )
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {
            "plan_id": row.id,
            "status": "proposed",
            "total": decimal_string(plan.total),
            "instalments": [
                {"due_on": i.due_on.isoformat(), "amount": decimal_string(i.amount)}
                for i in plan.instalments
            ],
        },
    )
