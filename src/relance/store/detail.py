"""Everything about one client, as plain rows for the detail pane and ``relance show``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from peewee import JOIN, fn

from relance.domain.dates import days_overdue
from relance.domain.reasons import reason_today
from relance.store.client_terms import PreventionRow, StoredTerms, prevention_rows, terms_of
from relance.store.contacts import ContactDetails, client_contacts
from relance.store.lookup import ClientNotFound
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
from relance.store.promises import BrokenPromise, promise_status, promise_to_follow_up
from relance.store.steps import undelivered_note
from relance.store.triage_index import client_profile


@dataclass(frozen=True)
class InvoiceRow:
    """One invoice with what has been paid and how late it is."""

    invoice_id: int
    number: str
    issued_on: date
    due_on: date
    amount: int
    paid: int
    currency: str
    days_overdue: int
    is_deposit: bool = False

    @property
    def outstanding(self) -> int:
        """What is still owed on it."""
        return max(0, self.amount - self.paid)


@dataclass(frozen=True)
class EventRow:
    """One line of the client's history."""

    event_id: int
    kind: str
    at: datetime
    summary: str
    outcome: str
    channel: str
    direction: str
    body: str
    amount: int | None
    follow_up_action: str
    follow_up_on: date | None


@dataclass(frozen=True)
class PaymentRow:
    """Money received, with what it was applied to."""

    payment_id: int
    amount: int
    received_on: date
    method: str
    reference: str
    allocated: int
    reversed_at: datetime | None = None
    reversal_reason: str = ""

    @property
    def credit(self) -> int:
        """What of the payment no invoice or instalment took; nothing once it is reversed."""
        return 0 if self.reversed_at is not None else self.amount - self.allocated


@dataclass(frozen=True)
class PromiseRow:
    """A promise to pay."""

    promise_id: int
    amount: int
    due_on: date
    made_on: date
    made_by: str
    words: str
    status: str


@dataclass(frozen=True)
class InstalmentRow:
    """One instalment of a plan."""

    seq: int
    due_on: date
    amount: int
    paid: int
    is_deposit: bool

    def state(self, today: date) -> str:
        """``paid``, ``late`` (due before today and not paid in full) or ``due``."""
        if self.paid >= self.amount:
            return "paid"
        return "late" if self.due_on < today else "due"


@dataclass(frozen=True)
class PlanRow:
    """A payment plan and its schedule."""

    plan_id: int
    status: str
    total: int
    frequency: str
    created_on: date
    instalments: list[InstalmentRow]


@dataclass(frozen=True)
class AllocationRow:
    """Part of a payment applied to one invoice or one plan instalment."""

    payment_id: int
    target: str
    amount: int


# What a client agreed to when nothing was recorded: the schema's defaults.
NO_STORED_TERMS = StoredTerms(30, False, "", None, "")


@dataclass(frozen=True)
class ClientDetail:
    """The detail pane's content for one client."""

    client_id: int
    name: str
    kind: str
    language: str
    jurisdiction: str
    region: str
    currency: str
    payer_profile: str
    disputed: bool
    snoozed_until: date | None
    notes: str
    outstanding: int
    overdue: int
    days_overdue: int
    credit: int
    next_action: str
    next_action_on: date | None
    ladder_step: int
    next_action_reason: str
    profile_override: str | None
    profile_reasons: tuple[str, ...]
    contacts: list[ContactDetails]
    invoices: list[InvoiceRow]
    history: list[EventRow]
    payments: list[PaymentRow]
    promises: list[PromiseRow]
    plans: list[PlanRow]
    allocations: list[AllocationRow] = field(default_factory=list)
    # The broken promise still to be followed up (the list marker's rule), if any.
    broken_promise: BrokenPromise | None = None
    # Why the latest reminder has not reached the server (refused, failed or waiting).
    undelivered: str | None = None
    terms: StoredTerms = NO_STORED_TERMS
    contract_rate: str | None = None
    prevention: tuple[PreventionRow, ...] = ()


def client_detail(client_id: int, today: date) -> ClientDetail:
    """Load one client with contacts, invoices, history, payments, promises and plans."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise ClientNotFound(f"no client with id {client_id}")
    invoices = [
        InvoiceRow(
            invoice_id=inv.id,
            number=inv.number,
            issued_on=inv.issued_on,
            due_on=inv.due_on,
            amount=inv.amount,
            paid=inv.paid,
            currency=inv.currency,
            days_overdue=days_overdue(inv.due_on, today) if inv.amount > inv.paid else 0,
            is_deposit=bool(inv.is_deposit),
        )
        for inv in client.invoices.order_by(Invoice.due_on.desc(), Invoice.number.desc())
    ]
    payments = [
        PaymentRow(
            payment_id=pay.id,
            amount=pay.amount,
            received_on=pay.received_on,
            method=pay.method,
            reference=pay.reference,
            # The SUM's alias, set on each row by the query below.
            allocated=cast(Any, pay).allocated or 0,
            reversed_at=pay.reversed_at,
            reversal_reason=pay.reversal_reason,
        )
        for pay in Payment.select(Payment, fn.SUM(Allocation.amount).alias("allocated"))
        .join(Allocation, on=(Allocation.payment == Payment.id), join_type=JOIN.LEFT_OUTER)
        .where(Payment.client == client_id)
        .group_by(Payment.id)
        .order_by(Payment.received_on.desc(), Payment.id.desc())
    ]
    open_items = [inv for inv in invoices if inv.outstanding]
    return ClientDetail(
        client_id=client.id,
        name=client.name,
        kind=client.kind,
        language=client.language,
        jurisdiction=client.jurisdiction,
        region=client.region,
        currency=client.currency,
        payer_profile=client.profile_override or client.payer_profile,
        disputed=client.disputed,
        snoozed_until=client.snoozed_until,
        notes=client.notes,
        outstanding=sum(inv.outstanding for inv in open_items),
        overdue=sum(inv.outstanding for inv in open_items if inv.due_on < today),
        days_overdue=max((inv.days_overdue for inv in open_items), default=0),
        credit=sum(pay.credit for pay in payments),
        next_action=client.next_action,
        next_action_on=client.next_action_on,
        ladder_step=client.ladder_step,
        next_action_reason=reason_today(client.next_action_reason, client.next_action_on, today),
        profile_override=client.profile_override,
        profile_reasons=_profile_reasons(client_id, client.profile_override),
        contacts=client_contacts(client_id),
        invoices=invoices,
        history=[
            EventRow(
                event_id=ev.id,
                kind=ev.kind,
                at=ev.happened_at,
                summary=ev.summary,
                outcome=ev.outcome,
                channel=ev.channel,
                direction=ev.direction,
                body=ev.body,
                amount=ev.amount,
                follow_up_action=ev.follow_up_action,
                follow_up_on=ev.follow_up_on,
            )
            for ev in client.events.order_by(
                ContactEvent.happened_at.desc(), ContactEvent.id.desc()
            )
        ],
        payments=payments,
        promises=[
            PromiseRow(
                p.id,
                p.amount,
                p.due_on,
                p.made_on,
                p.made_by,
                p.words,
                promise_status(p.status, p.due_on, today),
            )
            for p in client.promises.order_by(Promise.due_on.desc(), Promise.id.desc())
        ],
        plans=[
            PlanRow(
                plan_id=plan.id,
                status=plan.status,
                total=plan.total,
                frequency=plan.frequency,
                created_on=plan.created_on,
                instalments=[
                    InstalmentRow(i.seq, i.due_on, i.amount, i.paid, i.is_deposit)
                    for i in plan.instalments.order_by(Instalment.seq)
                ],
            )
            for plan in client.plans.order_by(PaymentPlan.created_on.desc(), PaymentPlan.id.desc())
        ],
        allocations=list(allocation_rows(client_id)),
        broken_promise=promise_to_follow_up(client_id, today),
        undelivered=undelivered_note(client_id),
        terms=terms_of(client),
        contract_rate=client.contract_rate,
        prevention=tuple(prevention_rows(client_id)),
    )


def _profile_reasons(client_id: int, override: str | None) -> tuple[str, ...]:
    """Why the client has its profile: the rules' reasons, after a word when set by hand."""
    computed = client_profile(client_id)
    if override is None:
        return computed.reasons
    return (f"set by hand; the rules say {computed.profile.label}", *computed.reasons)


def allocation_rows(client_id: int) -> tuple[AllocationRow, ...]:
    """Every allocation of the client's payments, naming the invoice or the plan instalment."""
    query = (
        Allocation.select(Allocation.payment, Allocation.amount, Invoice.number, Instalment.seq)
        .join(Payment, on=(Allocation.payment == Payment.id))
        .switch(Allocation)
        .join(Invoice, on=(Allocation.invoice == Invoice.id), join_type=JOIN.LEFT_OUTER)
        .switch(Allocation)
        .join(Instalment, on=(Allocation.instalment == Instalment.id), join_type=JOIN.LEFT_OUTER)
        .where(Payment.client == client_id)
        .order_by(Allocation.id)
        .tuples()
    )
    rows = cast("list[tuple[int, int, str | None, int | None]]", list(query))
    return tuple(
        AllocationRow(
            payment_id=int(payment_id),
            target=" · ".join(
                part
                for part in (
                    f"invoice {number}" if number is not None else "",
                    f"instalment {seq}" if seq is not None else "",
                )
                if part
            ),
            amount=int(amount),
        )
        for payment_id, amount, number, seq in rows
    )
