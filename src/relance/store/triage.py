"""The triage list, read one window at a time from the index on the client table, and totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import cast

from peewee import SQL, fn

from relance.domain.aging import Bucket, OpenAmount, aging, dso
from relance.domain.dates import days_overdue
from relance.store.models import Client, Instalment, Invoice, PaymentPlan, Promise
from relance.store.plans import RUNNING_PLAN_STATUSES
from relance.store.promises import broken_marker

LIVE_PLAN_STATUSES = ("proposed", "accepted", "active")


class SortKey(Enum):
    """The orders the list can be shown in; `s` cycles through them."""

    OVERDUE = "days overdue"
    OUTSTANDING = "outstanding"
    NAME = "name"
    NEXT_ACTION = "next action"

    def following(self) -> SortKey:
        """The next sort in the cycle."""
        members = list(SortKey)
        return members[(members.index(self) + 1) % len(members)]


@dataclass(frozen=True)
class TriageFilter:
    """What the list is narrowed to: a name fragment and/or actions due by a date."""

    text: str = ""
    due_by: date | None = None


@dataclass(frozen=True)
class TriageRow:
    """One line of the client list."""

    client_id: int
    name: str
    kind: str
    currency: str
    outstanding: int
    open_invoices: int
    days_overdue: int
    next_action: str
    next_action_on: date | None
    ladder_step: int
    next_action_reason: str
    payer_profile: str
    disputed: bool
    snoozed_until: date | None
    has_promise: bool
    has_plan: bool
    broken_promise: bool = False
    next_instalment_on: date | None = None

    def is_snoozed(self, today: date) -> bool:
        """True while the snooze date is still ahead."""
        return self.snoozed_until is not None and self.snoozed_until > today


def _ordering(sort: SortKey, today: date) -> list:
    """ORDER BY terms matching one of the client indexes, so SQLite reads the index.

    The default order puts first the clients with a broken promise still to follow up: that
    depends on today, so SQLite sorts those few ahead of the index order.
    """
    if sort is SortKey.OUTSTANDING:
        return [Client.outstanding.desc(), Client.id]
    if sort is SortKey.NAME:
        return [SQL("name COLLATE NOCASE"), Client.id]
    if sort is SortKey.NEXT_ACTION:
        return [Client.next_action_on.is_null(), Client.next_action_on, Client.id]
    return [
        broken_marker(today).desc(),
        Client.oldest_due_on.is_null(),
        Client.oldest_due_on,
        Client.outstanding.desc(),
        Client.id,
    ]


def _filtered(query, where: TriageFilter):  # type: ignore[no-untyped-def]
    """Apply the name fragment and due-by filters to a client query."""
    if where.text:
        # INSTR, not LIKE: no wildcards to escape, and casefold also folds accented capitals.
        query = query.where(fn.INSTR(fn.casefold(Client.name), where.text.casefold()) > 0)
    if where.due_by is not None:
        query = query.where(Client.next_action_on <= where.due_by)
    return query


def triage_window(
    today: date,
    sort: SortKey = SortKey.OVERDUE,
    offset: int = 0,
    limit: int = 100,
    where: TriageFilter | None = None,
) -> list[TriageRow]:
    """One window of the triage list, in the chosen order."""
    promise = Promise.select(Promise.id).where(
        (Promise.client == Client.id) & (Promise.status == "open")
    )
    plan = PaymentPlan.select(PaymentPlan.id).where(
        (PaymentPlan.client == Client.id) & (PaymentPlan.status.in_(LIVE_PLAN_STATUSES))
    )
    next_instalment = (
        Instalment.select(fn.MIN(Instalment.due_on))
        .join(PaymentPlan)
        .where(
            (PaymentPlan.client == Client.id)
            & PaymentPlan.status.in_(RUNNING_PLAN_STATUSES)
            & (Instalment.paid < Instalment.amount)
        )
    )
    query = Client.select(
        Client.id,
        Client.name,
        Client.kind,
        Client.currency,
        Client.outstanding,
        Client.open_invoices,
        Client.oldest_due_on,
        Client.next_action,
        Client.next_action_on,
        Client.ladder_step,
        Client.next_action_reason,
        fn.COALESCE(Client.profile_override, Client.payer_profile).alias("profile"),
        Client.disputed,
        Client.snoozed_until,
        fn.EXISTS(promise).alias("has_promise"),
        fn.EXISTS(plan).alias("has_plan"),
        broken_marker(today).alias("broken_promise"),
        next_instalment.alias("next_instalment_on"),
    )
    query = _filtered(query, where or TriageFilter())
    rows = query.order_by(*_ordering(sort, today)).limit(limit).offset(offset).dicts()
    return [
        TriageRow(
            client_id=row["id"],
            name=row["name"],
            kind=row["kind"],
            currency=row["currency"],
            outstanding=row["outstanding"],
            open_invoices=row["open_invoices"],
            days_overdue=days_overdue(row["oldest_due_on"], today) if row["oldest_due_on"] else 0,
            next_action=row["next_action"],
            next_action_on=row["next_action_on"],
            ladder_step=row["ladder_step"],
            next_action_reason=row["next_action_reason"],
            payer_profile=row["profile"],
            disputed=bool(row["disputed"]),
            snoozed_until=row["snoozed_until"],
            has_promise=bool(row["has_promise"]),
            has_plan=bool(row["has_plan"]),
            broken_promise=bool(row["broken_promise"]),
            next_instalment_on=_date(row["next_instalment_on"])
            if row["next_instalment_on"]
            else None,
        )
        for row in rows
    ]


def triage_count(where: TriageFilter | None = None) -> int:
    """How many clients the list holds under a filter."""
    return _filtered(Client.select(), where or TriageFilter()).count()


def triage_position(
    client_id: int, today: date, sort: SortKey, where: TriageFilter | None = None
) -> int | None:
    """The 0-based row of a client in the sorted list, or None if the filter hides it."""
    ids = _filtered(Client.select(Client.id), where or TriageFilter()).order_by(
        *_ordering(sort, today)
    )
    for index, (row_id,) in enumerate(ids.tuples().iterator()):
        if row_id == client_id:
            return index
    return None


@dataclass(frozen=True)
class Totals:
    """The header figures: what is owed, what is late, and how old it is."""

    outstanding: dict[str, int]
    overdue: dict[str, int]
    clients_overdue: int
    clients_total: int
    aging: dict[Bucket, dict[str, int]]
    dso_days: Decimal | None
    main_currency: str


def book_totals(today: date) -> Totals:
    """Sum the whole book for the header, as of ``today``."""
    per_currency: dict[str, list[OpenAmount]] = defaultdict(list)
    open_rows = (
        Invoice.select(Invoice.currency, Invoice.due_on, fn.SUM(Invoice.amount - Invoice.paid))
        .where(Invoice.amount > Invoice.paid)
        .group_by(Invoice.currency, Invoice.due_on)
        .tuples()
    )
    # .tuples() yields plain tuples; the stubs type it as the model.
    for currency, due_on, amount in cast("Iterable[tuple[str, object, int]]", open_rows):
        per_currency[currency].append(OpenAmount(_date(due_on), amount))
    buckets: dict[Bucket, dict[str, int]] = {bucket: {} for bucket in Bucket}
    outstanding: dict[str, int] = {}
    overdue: dict[str, int] = {}
    for currency, amounts in per_currency.items():
        for bucket, amount in aging(amounts, today).items():
            if amount:
                buckets[bucket][currency] = amount
        outstanding[currency] = sum(a.outstanding for a in amounts)
        late = sum(a.outstanding for a in amounts if a.due_on < today)
        if late:
            overdue[currency] = late
    main = max(outstanding, key=lambda c: outstanding[c], default="EUR")
    since = today - timedelta(days=90)
    invoiced = (
        Invoice.select(fn.COALESCE(fn.SUM(Invoice.amount), 0))
        .where(
            (Invoice.currency == main) & (Invoice.issued_on > since) & (Invoice.issued_on <= today)
        )
        .scalar()
    )
    return Totals(
        outstanding=outstanding,
        overdue=overdue,
        clients_overdue=Client.select()
        .where((Client.outstanding > 0) & (Client.oldest_due_on < today))
        .count(),
        clients_total=Client.select().count(),
        aging=buckets,
        dso_days=dso(outstanding.get(main, 0), invoiced),
        main_currency=main,
    )


def _date(value: object) -> date:
    """Grouped dates may come back as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
