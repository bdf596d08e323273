"""Payment plans: a proposal that sums exactly to what is owed, then the client's answer.

States: proposed → accepted (the plan is then active) or declined; active → completed when
every instalment is paid, or broken when one is missed beyond the grace days
(``services.lapses``). Proposing, accepting and declining are each one history event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from relance.domain.dates import add_months
from relance.domain.ladder import country_of
from relance.domain.money import decimal_string, format_money
from relance.domain.plans import (
    FREQUENCIES,
    Frequency,
    ScheduledInstalment,
    on_working_days,
    parse_deposit,
    schedule,
)
from relance.services.claims import claim_for_client
from relance.services.lapses import ACTIVE, judged_result
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.plans import insert_plan, live_plan, set_plan_status
from relance.store.triage_index import active_policy, open_position, refresh_client_summary

MAX_INSTALMENTS = 60
# Many people are paid at the end of the month: the 20th leaves room on both sides.
PREFERRED_DAY = 20
# Interest and recovery fees are waived unless the user includes them: a plan is a gesture.
WAIVED = "waived"
INCLUDED = "included"
EXTRAS = (WAIVED, INCLUDED)
PROPOSED = "proposed"
DECLINED = "declined"
# Plans still in play: one at a time per client.
LIVE_STATUSES = (PROPOSED, "accepted", ACTIVE)
ANSWERS = ("accept", "decline")


@dataclass(frozen=True)
class PlanPreview:
    """A plan as it would be proposed: total (and what it is made of), schedule, currency."""

    total: int
    currency: str
    instalments: list[ScheduledInstalment]
    outstanding: int = 0
    interest: int = 0
    fees: int = 0
    extras: str = WAIVED

    @property
    def extras_words(self) -> str:
        """How the total treats interest and fees, for the history and the preview."""
        if self.extras == WAIVED:
            return "interest and fees waived"
        interest = format_money(self.interest, self.currency)
        fees = format_money(self.fees, self.currency)
        return f"including interest {interest} and fees {fees}"


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
    day: str = "",
    extras: str = WAIVED,
) -> PlanPreview:
    """Work out a plan's schedule for what the client owes, writing nothing.

    Dates that fall on a weekend or a public holiday of the client's country move to the next
    working day; the shares sum exactly to the total, the remainder on the last one.
    """
    form = Form()
    count = form.count("instalments", instalments, low=1, high=MAX_INSTALMENTS)
    frequency = form.choice("every", every or "month", FREQUENCIES)
    first_on = form.day("first", first, today=today) if first.strip() else default_first_date(today)
    if first_on is not None and first_on < today:
        form.fail("first", "the first instalment cannot be in the past")
    day_of_month = form.count("day", day, low=1, high=31) if day.strip() else None
    treat = form.choice("extras", extras or WAIVED, EXTRAS)
    form.check()
    assert first_on is not None
    client = get_client(client_id)
    outstanding = open_position(client_id)[0]
    if outstanding <= 0:
        raise InvalidInput.one("instalments", f"{client.name} owes nothing")
    interest = fees = 0
    if treat == INCLUDED:
        claim = claim_for_client(client_id, today)
        interest, fees = claim.interest, claim.fixed_fees
    total = outstanding + interest + fees
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
    items = schedule(
        total, count, first_on, Frequency(frequency), deposit_minor, day_of_month=day_of_month
    )
    items = on_working_days(items, country_of(client.jurisdiction))
    return PlanPreview(total, client.currency, items, outstanding, interest, fees, treat)


def propose_plan(
    client_id: int,
    instalments: str,
    at: datetime,
    *,
    every: str = "month",
    first: str = "",
    deposit: str = "",
    day: str = "",
    extras: str = WAIVED,
) -> ActionResult:
    """Record a proposed payment plan over everything the client owes."""
    with transaction():
        plan = preview_plan(
            client_id,
            instalments,
            at.date(),
            every=every,
            first=first,
            deposit=deposit,
            day=day,
            extras=extras,
        )
        client = get_client(client_id)
        live = live_plan(client_id, LIVE_STATUSES)
        if live is not None:
            raise InvalidInput.one(
                "instalments",
                f"{client.name} already has a {live.status} plan; "
                + ("accept or decline it first" if live.status == PROPOSED else "it runs"),
            )
        plan_id = insert_plan(
            client_id,
            plan.total,
            (every or "month").strip().lower(),
            at.date(),
            plan.instalments,
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
        if plan.extras == INCLUDED:
            summary += f", {plan.extras_words}"
        event_id = record_event(
            client_id,
            "plan",
            summary,
            at,
            outcome=PROPOSED,
            body=lines,
            amount=plan.total,
            follow_up_action="follow up plan proposal",
            follow_up_on=at.date() + timedelta(days=active_policy().plan_answer_days),
        )
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {
            "plan_id": plan_id,
            "status": PROPOSED,
            "total": decimal_string(plan.total),
            "extras": plan.extras,
            "instalments": [
                {"due_on": i.due_on.isoformat(), "amount": decimal_string(i.amount)}
                for i in plan.instalments
            ],
        },
    )


def answer_plan(client_id: int, answer: str, at: datetime, *, note: str = "") -> ActionResult:
    """The client accepts (the plan becomes active) or declines the proposed plan."""
    form = Form()
    picked = form.choice("answer", answer, ANSWERS)
    clean_note = form.text("note", note)
    form.check()
    with transaction():
        client = get_client(client_id)
        plan = live_plan(client_id, LIVE_STATUSES)
        if plan is None or plan.status != PROPOSED:
            state = f"its plan is {plan.status}" if plan is not None else "no plan was proposed"
            raise InvalidInput.one("plan", f"{client.name} has no plan to {picked}: {state}")
        status = ACTIVE if picked == "accept" else DECLINED
        set_plan_status(plan.plan_id, status)
        money = format_money(plan.total, client.currency)
        if status == ACTIVE:
            summary = f"payment plan accepted: {money}, first instalment due {plan.first_due_on}"
        else:
            summary = f"payment plan declined: {money}; the reminders resume"
        summary += f" — {clean_note}" if clean_note else ""
        event_id = record_event(
            client_id,
            "plan",
            summary,
            at,
            direction="in",
            outcome="accepted" if status == ACTIVE else DECLINED,
            body=clean_note,
            amount=plan.total,
        )
        # A plan accepted late may already have missed an instalment.
        return judged_result(
            (client.id, client.name),
            summary,
            event_id,
            at,
            {"plan_id": plan.plan_id, "status": status},
        )
