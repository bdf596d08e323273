"""Payment plans walked day by day: proposed, accepted or declined, completed, broken, reopened."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

import pytest

from relance.config import Config, ConfigError
from relance.domain.policy import DEFAULT_POLICY, Policy
from relance.policy_config import policy_from_config
from relance.services import clients, contacts, invoices, payments, plans
from relance.services.lapses import catch_up
from relance.services.validation import InvalidInput
from relance.store.detail import client_detail
from relance.store.models import Client, ContactEvent, Instalment, Invoice, PaymentPlan
from relance.store.plans import instalment_template
from relance.store.triage_index import set_active_policy


def moment(day: date) -> datetime:
    """Half past nine on a day."""
    return datetime.combine(day, time(9, 30))


START = date(2026, 11, 23)


def owing(name: str = "Durand", amount: str = "900.00") -> int:
    """A client owing ``amount`` since 1 October."""
    client_id = clients.add_client(name, moment(date(2026, 9, 1))).client_id
    invoices.add_invoice(
        client_id, f"{name}-1", amount, "2026-09-01", "2026-10-01", moment(date(2026, 9, 1))
    )
    return client_id


def plan_of(client_id: int) -> PaymentPlan:
    """The client's only plan, fresh from the book."""
    return PaymentPlan.get(PaymentPlan.client == client_id)


def next_action(client_id: int) -> tuple[str, date | None]:
    """The client's stored next action and its day."""
    client = Client.get_by_id(client_id)
    return client.next_action, client.next_action_on


def events(client_id: int, kind: str) -> list[tuple[str, str]]:
    """Outcome and summary of the client's events of one kind, oldest first."""
    return [
        (e.outcome, e.summary)
        for e in ContactEvent.select()
        .where((ContactEvent.client == client_id) & (ContactEvent.kind == kind))
        .order_by(ContactEvent.id)
    ]


def test_plan_accepted_then_completed(book: object) -> None:
    client_id = owing()
    plans.propose_plan(client_id, "3", moment(START), first="2026-12-01")
    assert plan_of(client_id).status == "proposed"
    assert next_action(client_id) == ("follow up plan proposal", date(2026, 11, 30))
    # 1 January 2027 is a holiday, the 2nd a Saturday: the second instalment is on the 4th.
    assert [i.due_on for i in plan_of(client_id).instalments.order_by(Instalment.seq)] == [
        date(2026, 12, 1),
        date(2027, 1, 4),
        date(2027, 2, 1),
    ]
    result = plans.answer_plan(client_id, "accept", moment(date(2026, 11, 24)), note="ok by mail")
    assert result.record["status"] == "active"
    assert plan_of(client_id).status == "active"
    assert events(client_id, "plan")[-1][0] == "accepted"
    # A friendly notice three days before the first instalment (Saturday 28th → Friday 27th).
    assert next_action(client_id) == ("instalment notice", date(2026, 11, 27))
    assert instalment_template(client_id, date(2026, 11, 30)) == "instalment-due"
    contacts.log_contact(client_id, "sms", moment(date(2026, 11, 30)), "rappel échéance")
    assert next_action(client_id) == ("instalment missed", date(2026, 12, 2))
    assert instalment_template(client_id, date(2026, 12, 2)) == "instalment-missed"

    paid = payments.record_payment(client_id, "300.00", moment(date(2026, 12, 1)))
    assert paid.record["allocations"] == [
        {"invoice": "Durand-1", "amount": "300.00", "instalment": 1}
    ]
    first = plan_of(client_id).instalments.order_by(Instalment.seq).first()
    assert first.paid == first.amount == 30000
    # The next instalment drives now: its notice falls on New Year's Day, moved back a day.
    assert next_action(client_id) == ("instalment notice", date(2026, 12, 31))

    done = payments.record_payment(client_id, "600.00", moment(date(2027, 1, 4)))
    assert "payment plan completed" in done.summary
    assert plan_of(client_id).status == "completed"
    assert events(client_id, "plan")[-1][0] == "completed"
    assert Client.get_by_id(client_id).outstanding == 0
    assert next_action(client_id) == ("", None)


def test_plan_broken_by_a_missed_instalment(book: object) -> None:
    client_id = owing()
    plans.propose_plan(client_id, "3", moment(START), first="2026-12-01")
    plans.answer_plan(client_id, "accept", moment(START))
    payments.record_payment(client_id, "100.00", moment(date(2026, 12, 1)))
    # Five days of grace: on the 6th the plan still stands.
    assert catch_up(moment(date(2026, 12, 6))) == []
    assert plan_of(client_id).status == "active"
    told = catch_up(moment(date(2026, 12, 7)))
    assert told == [
        "Durand: payment plan broken: instalment 1 due 2026-12-01 missed by more than 5 days; "
        "the remainder €800.00 is due at once"
    ]
    assert plan_of(client_id).status == "broken"
    assert events(client_id, "plan")[-1][0] == "broken"
    # The ladder takes over again, from where it stood.
    action, on = next_action(client_id)
    assert action not in ("instalment notice", "instalment missed", "check instalment")
    assert on is not None and on <= date(2026, 12, 7)
    assert instalment_template(client_id, date(2026, 12, 7)) is None
    # Once is enough.
    assert catch_up(moment(date(2026, 12, 8))) == []
    # Money now goes to the invoices only.
    later = payments.record_payment(client_id, "50.00", moment(date(2026, 12, 8)))
    assert later.record["allocations"] == [{"invoice": "Durand-1", "amount": "50.00"}]


def test_grace_and_notice_days_come_from_the_config(book: object) -> None:
    set_active_policy(Policy(plan_answer_days=3, plan_notice_days=5, plan_grace_days=1))
    try:
        client_id = owing()
        plans.propose_plan(client_id, "2", moment(START), first="2026-12-07")
        assert next_action(client_id) == ("follow up plan proposal", date(2026, 11, 26))
        plans.answer_plan(client_id, "accept", moment(START))
        assert next_action(client_id) == ("instalment notice", date(2026, 12, 2))
        assert catch_up(moment(date(2026, 12, 8))) == []
        assert catch_up(moment(date(2026, 12, 9)))
        assert plan_of(client_id).status == "broken"
    finally:
        set_active_policy(DEFAULT_POLICY)


def test_declined_plan_and_one_live_plan_at_a_time(book: object) -> None:
    client_id = owing()
    plans.propose_plan(client_id, "3", moment(START))
    with pytest.raises(InvalidInput) as refused:
        plans.propose_plan(client_id, "2", moment(START))
    assert "accept or decline it first" in refused.value.errors["instalments"]
    plans.answer_plan(client_id, "decline", moment(date(2026, 11, 25)))
    assert plan_of(client_id).status == "declined"
    assert events(client_id, "plan")[-1][0] == "declined"
    with pytest.raises(InvalidInput) as nothing:
        plans.answer_plan(client_id, "accept", moment(date(2026, 11, 25)))
    assert "no plan to accept" in nothing.value.errors["plan"]
    with pytest.raises(InvalidInput):
        plans.answer_plan(client_id, "maybe", moment(date(2026, 11, 25)))
    # A new proposal is welcome once the last one is answered.
    plans.propose_plan(client_id, "2", moment(date(2026, 11, 26)))
    assert PaymentPlan.select().where(PaymentPlan.status == "proposed").count() == 1


def test_reversing_the_last_payment_reopens_a_completed_plan(book: object) -> None:
    client_id = owing(amount="200.00")
    plans.propose_plan(client_id, "2", moment(START), first="2026-12-01")
    plans.answer_plan(client_id, "accept", moment(START))
    payments.record_payment(client_id, "100.00", moment(date(2026, 12, 1)))
    last = payments.record_payment(
        client_id, "100.00", moment(date(2026, 12, 20)), reference="VIR 77"
    )
    assert plan_of(client_id).status == "completed"
    reversed_ = payments.reverse_payment(
        client_id, str(last.record["payment_id"]), moment(date(2026, 12, 22)), reason="bounced"
    )
    assert "payment plan active again" in reversed_.summary
    assert plan_of(client_id).status == "active"
    assert [i.paid for i in plan_of(client_id).instalments.order_by(Instalment.seq)] == [
        10000,
        0,
    ]
    assert Invoice.get().paid == 10000
    assert Client.get_by_id(client_id).outstanding == 10000
    view = client_detail(client_id, date(2026, 12, 22))
    [timeline] = view.plans
    assert [i.state(date(2026, 12, 22)) for i in timeline.instalments] == ["paid", "due"]
    # Unpaid past its grace days, the reopened plan breaks at the next catch-up.
    assert catch_up(moment(date(2027, 1, 15)))
    assert plan_of(client_id).status == "broken"


def test_the_plans_section_of_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    policy = policy_from_config(Config(path=path, raw={"plans": {"grace_days": 2}}))
    assert (policy.plan_answer_days, policy.plan_notice_days, policy.plan_grace_days) == (7, 3, 2)
    assert policy_from_config(Config(path=path)).plan_grace_days == 5
    for raw, message in (
        ({"plans": {"grace": 2}}, "unknown setting plans.grace"),
        ({"plans": {"notice_days": -1}}, "plans.notice_days must be a whole number"),
        ({"plans": {"answer_days": True}}, "plans.answer_days must be a whole number"),
        ({"plans": 3}, "[plans] must be a table"),
    ):
        with pytest.raises(ConfigError, match=re.escape(message)):
            policy_from_config(Config(path=path, raw=raw))
