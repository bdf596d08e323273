"""The triage columns on each client stay exact through any sequence of actions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from relance.config import Config, Creditor
from relance.domain.policy import DEFAULT_POLICY, ClientState, Contacted, next_action
from relance.domain.profile import PayerFacts, classify
from relance.services import calls, clients, invoices, payments, plans, reminders
from relance.services.lapses import catch_up
from relance.services.validation import InvalidInput
from relance.store.models import (
    Allocation,
    Client,
    ContactEvent,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
)
from relance.store.triage import SortKey, triage_window

CONTACT_KINDS = {"call", "email", "letter", "sms", "visit", "legal", "plan"}
STEP_KINDS = {"call", "email", "letter", "sms", "visit", "legal"}
COUNTRIES = {"fr-b2b": "FR", "fr-b2c": "FR", "eu-b2b": "FR", "uk-b2b": "GB", "us": "US"}


def expected_profile(client: Client, history: list[ContactEvent], written: int) -> str:
    """The payer profile, counted in plain Python from the client's rows."""
    # A reversed payment paid nothing: it answers no reminder.
    payments = [
        p for p in Payment.select().where(Payment.client == client.id) if p.reversed_at is None
    ]
    delays = []
    for inv in Invoice.select().where(Invoice.client == client.id):
        if inv.paid >= inv.amount:
            paid_on = max(
                a.payment.received_on
                for a in Allocation.select().where(Allocation.invoice == inv.id)
            )
            delays.append((paid_on - inv.due_on).days)
    steps = [e for e in history if e.kind in STEP_KINDS and e.direction == "out"]

    def answered(kinds: set[str]) -> int:
        return sum(
            1
            for p in payments
            if any(
                e.kind in kinds and 0 <= (p.received_on - e.happened_at.date()).days <= 30
                for e in steps
            )
        )

    latest = max((e.happened_at.date() for e in history), default=None)
    broken = sum(
        1
        for p in Promise.select().where(Promise.client == client.id)
        if p.status != "kept" and latest is not None and p.due_on < latest
    )
    facts = PayerFacts(
        paid_invoices=len(delays),
        paid_late=sum(1 for d in delays if d > 0),
        paid_long_late=sum(1 for d in delays if d > 60),
        paid_after_reminder=answered(STEP_KINDS),
        paid_after_formal_notice=answered({"letter"}),
        broken_promises=broken,
        refusals=sum(1 for e in history if e.kind == "call" and e.outcome == "refused"),
        written_reminders=written,
    )
    return classify(facts).profile.value


def expected_columns(client: Client) -> tuple[object, ...]:
    """Recompute a client's triage columns in plain Python from its rows."""
    open_invoices = [
        inv for inv in Invoice.select().where(Invoice.client == client.id) if inv.amount > inv.paid
    ]
    outstanding = sum(inv.amount - inv.paid for inv in open_invoices)
    oldest = min((inv.due_on for inv in open_invoices), default=None)
    history = sorted(
        ContactEvent.select().where(ContactEvent.client == client.id),
        key=lambda e: (e.happened_at, e.id),
    )
    # Steps and follow-ups count from the oldest unpaid due date: the current episode.
    episode = [e for e in history if oldest is None or e.happened_at.date() >= oldest]
    # Events relance writes itself (a plan completed or broken) are no contact with the client.
    contacts = [e for e in episode if e.kind in CONTACT_KINDS and e.direction != "internal"]
    steps = [e for e in episode if e.kind in STEP_KINDS and e.direction == "out"]
    last = contacts[-1] if contacts else None
    disputes = [e for e in history if e.kind == "dispute" and e.outcome == "on"]
    promises = list(Promise.select().where(Promise.client == client.id))
    open_due = [p.due_on for p in promises if p.status == "open"]
    instalments = [
        i.due_on
        for plan in PaymentPlan.select().where(PaymentPlan.client == client.id)
        if plan.status in ("accepted", "active")
        for i in Instalment.select().where(Instalment.plan == plan.id)
        if i.paid < i.amount
    ]
    waiting_plan = any(
        plan.status == "proposed"
        for plan in PaymentPlan.select().where(PaymentPlan.client == client.id)
    )
    proposals = [e for e in history if e.kind == "plan" and e.outcome == "proposed"]
    proposed = max(proposals, key=lambda e: (e.happened_at, e.id), default=None)
    latest_promise = max(promises, key=lambda p: (p.made_on, p.id), default=None)
    broken_due = None
    if latest_promise is not None and latest_promise.status == "broken":
        followed = any(
            e.kind in STEP_KINDS
            and e.direction == "out"
            and e.happened_at.date() > latest_promise.due_on
            for e in history
        )
        broken_due = None if followed else latest_promise.due_on
    follow_action = (last.follow_up_action or None) if last else None
    follow_on = last.follow_up_on if last else None
    if last and any(p.event_id == last.id and p.status != "open" for p in promises):
        follow_action, follow_on = None, None
    resolutions = [e for e in history if e.kind == "dispute" and e.outcome == "off"]
    resolved = max(resolutions, key=lambda e: (e.happened_at, e.id), default=None)
    if client.disputed:
        resolved = None
    if resolved and last and last.happened_at < resolved.happened_at:
        follow_action, follow_on = None, None
    profile = expected_profile(
        client, history, sum(1 for e in steps if e.kind in {"email", "letter", "sms"})
    )
    state = ClientState(
        outstanding=outstanding,
        oldest_due_on=oldest,
        jurisdiction=client.jurisdiction,
        kind=client.kind,
        profile=client.profile_override or profile,
        country=COUNTRIES[client.jurisdiction],
        disputed_since=disputes[-1].happened_at.date() if client.disputed and disputes else None,
        snoozed_until=client.snoozed_until,
        promise_check_on=min(open_due) + timedelta(days=1) if open_due else None,
        plan_next_due_on=min(instalments, default=None),
        plan_proposed_on=proposed.happened_at.date() if proposed and waiting_plan else None,
        contacts=tuple(Contacted(e.happened_at.date(), e.kind, e.outcome) for e in steps),
        last_contact_on=last.happened_at.date() if last else None,
        last_contact_kind=last.kind if last else "",
        follow_up_action=follow_action,
        follow_up_on=follow_on,
        broken_promise_due_on=broken_due,
        dispute_resolved_on=resolved.happened_at.date() if resolved else None,
    )
    action = next_action(state, DEFAULT_POLICY)
    return (
        outstanding,
        len(open_invoices),
        oldest,
        action.action,
        action.on,
        action.step,
        action.reason,
        profile,
    )


def assert_index_exact() -> None:
    """Every client's stored columns equal a fresh recomputation; money adds up."""
    for client in Client.select():
        stored = (
            client.outstanding,
            client.open_invoices,
            client.oldest_due_on,
            client.next_action,
            client.next_action_on,
            client.ladder_step,
            client.next_action_reason,
            client.payer_profile,
        )
        assert stored == expected_columns(client), client.name
    for inv in Invoice.select():
        allocated = sum(a.amount for a in Allocation.select().where(Allocation.invoice == inv.id))
        assert inv.paid == allocated <= inv.amount
    for pay in Payment.select():
        allocated = sum(a.amount for a in Allocation.select().where(Allocation.payment == pay.id))
        assert allocated <= pay.amount


def random_action(rng: random.Random, at: datetime, outbox: Path, names: list[str]) -> None:
    """One service call chosen at random, sometimes with input that will be refused."""
    ids = [c.id for c in Client.select(Client.id)]
    kind = rng.choice(
        ["client"] * 2
        + ["invoice"] * 6
        + ["payment"] * 4
        + ["call"] * 5
        + ["note", "snooze", "dispute", "plan", "reminder", "reminder"]
        + ["plan", "answer", "answer", "reverse", "catch_up"]
    )
    if kind == "client" or not ids:
        name = f"Client {len(names)}"
        names.append(name)
        clients.add_client(
            name,
            at,
            email=rng.choice(["", f"c{len(names)}@example.com"]),
            language=rng.choice(["fr", "en"]),
        )
        return
    cid = rng.choice(ids)
    if kind == "invoice":
        issued = at.date() - timedelta(days=rng.randint(0, 200))
        due = issued + timedelta(days=rng.choice([0, 15, 30, 45, 60]))
        number = f"F-{rng.randint(1, 400)}"  # Collisions test the duplicate refusal.
        amount = f"{rng.randint(1, 500000) / 100:.2f}"
        invoices.add_invoice(cid, number, amount, issued.isoformat(), due.isoformat(), at)
    elif kind == "payment":
        numbers = [i.number for i in Invoice.select().where(Invoice.client == cid)]
        chosen = rng.choice(numbers) if numbers and rng.random() < 0.3 else ""
        amount = f"{rng.randint(1, 300000) / 100:.2f}"
        back = rng.randint(0, 10)
        payments.record_payment(
            cid, amount, at, received_on=f"-{back}" if back else "", invoice_number=chosen
        )
    elif kind == "call":
        outcome = rng.choice(calls.OUTCOMES)
        calls.log_call(
            cid,
            outcome,
            at,
            note=rng.choice(["", "spoke briefly"]),
            promised_amount=f"{rng.randint(1, 100000) / 100:.2f}",
            promised_on=f"+{rng.randint(0, 20)}",
        )
    elif kind == "note":
        clients.add_note(cid, "a note", at)
    elif kind == "snooze":
        clients.snooze_client(cid, rng.choice(["today", "+3", "+30", "-2"]), at)
    elif kind == "dispute":
        clients.set_dispute(cid, rng.random() < 0.5, at)
    elif kind == "plan":
        plans.propose_plan(cid, str(rng.randint(1, 6)), at, every=rng.choice(plans.FREQUENCIES))
    elif kind == "answer":
        plans.answer_plan(cid, rng.choice(["accept", "accept", "decline"]), at)
    elif kind == "reverse":
        live = [
            str(p.id)
            for p in Payment.select().where((Payment.client == cid) & Payment.reversed_at.is_null())
        ]
        payments.reverse_payment(cid, rng.choice(live) if live else "", at, reason="bounced")
    elif kind == "catch_up":
        catch_up(at)
    else:
        creditor = Creditor(name="Me", email="me@example.com")
        config = Config(path=outbox / "config.toml", creditor=creditor)
        # Sent by hand and confirmed at once, as the plain-Python oracle counts every e-mail.
        reminders.send_reminder(cid, at, config, outbox, sent_by_hand=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_stays_exact_through_random_actions(
    book: object, at: datetime, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    moment = at - timedelta(days=120)
    names: list[str] = []
    done = refused = 0
    for _ in range(110):
        moment += timedelta(hours=rng.randint(0, 30), minutes=rng.randint(0, 59))
        try:
            random_action(rng, moment, tmp_path / "outbox", names)
            done += 1
        except InvalidInput:
            refused += 1
        assert_index_exact()
    assert done > 60
    assert refused > 0
    # The list reads only the stored columns; it agrees with the recomputation too.
    today = moment.date()
    rows = triage_window(today, SortKey.OVERDUE, limit=1000)
    assert len(rows) == Client.select().count()
    for row in rows:
        outstanding, count, oldest, action, on, *_ = expected_columns(
            Client.get_by_id(row.client_id)
        )
        assert (row.outstanding, row.open_invoices, row.next_action, row.next_action_on) == (
            outstanding,
            count,
            action,
            on,
        )
        assert row.days_overdue == (max(0, (today - oldest).days) if oldest else 0)
